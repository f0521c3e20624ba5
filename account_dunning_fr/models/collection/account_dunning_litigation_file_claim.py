from odoo import api, fields, models

from ...core import court


class AccountDunningLitigationFile(models.Model):
    """The claim of a litigation file: its figures (CPC 1407 statement), the
    documents of the list of exhibits, and the points to check for the
    route chosen (core/court.py eligibility hints)."""

    _inherit = "account.dunning.litigation.file"

    amount_principal = fields.Monetary("Principal", compute="_compute_amounts")
    amount_penalties = fields.Monetary("Penalties and interest", compute="_compute_amounts")
    amount_indemnities = fields.Monetary("Recovery indemnities", compute="_compute_amounts")
    amount_credits = fields.Monetary("Credits set against", compute="_compute_amounts")
    amount_total = fields.Monetary("Total claimed", compute="_compute_amounts")
    hints = fields.Text("Points to check", compute="_compute_hints")

    def _get_file_data(self):
        """The customer's litigation data (res.partner._get_litigation_file_data)
        restricted to the file's invoices, with totals for those."""
        self.ensure_one()
        data = self.partner_id.with_company(self.company_id)._get_litigation_file_data()
        rows = [row for row in data["rows"] if row["invoice"] in self.invoice_ids]
        principal = sum(row["principal"] for row in rows)
        # Credits of the customer are set against the claim, never beyond it.
        credits = min(data["total_credits"], principal)
        interest = sum(row["interest"] for row in rows)
        indemnity = sum(row["indemnity"] for row in rows)
        return {
            **data,
            "rows": rows,
            "total_principal": principal,
            "total_credits": credits,
            "total_due": principal - credits,
            "total_interest": interest,
            "total_indemnity": indemnity,
            "total_claimed": principal - credits + interest + indemnity,
        }

    def _get_report_lang(self):
        """French first: the court's language when installed, else the customer's."""
        self.ensure_one()
        return self.env["res.lang"]._get_code("fr_FR") or self.partner_id.lang

    def _get_other_attachments(self):
        """Documents attached to the file itself (contract, terms of sale,
        delivery notes...), for the list of exhibits."""
        self.ensure_one()
        return self.env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "=", self.id)], order="id"
        )

    @api.depends("invoice_ids", "partner_id", "company_id")
    def _compute_amounts(self):
        for record in self:
            if not (record.partner_id and record.invoice_ids):
                record.update(
                    dict.fromkeys(
                        (
                            "amount_principal",
                            "amount_penalties",
                            "amount_indemnities",
                            "amount_credits",
                            "amount_total",
                        ),
                        0.0,
                    )
                )
                continue
            data = record._get_file_data()
            record.amount_principal = data["total_principal"]
            record.amount_penalties = data["total_interest"]
            record.amount_indemnities = data["total_indemnity"]
            record.amount_credits = data["total_credits"]
            record.amount_total = data["total_claimed"]

    def _hint_texts(self):
        _ = self.env._
        return {
            court.OVER_SMALL_CLAIM_CEILING: _(
                "Small claims: above 5,000 EUR principal and interest included (CPCE R125-1)."
            ),
            court.NOT_CONTRACTUAL: _(
                "The claim must have a contractual or statutory cause (CPC 1405, CPCE L125-1)."
            ),
            court.AMICABLE_ATTEMPT_REQUIRED: _(
                "Claim of at most 5,000 EUR against a non-merchant before the judicial court: "
                "a prior conciliation, mediation or participative procedure is required, "
                "or the summons is inadmissible (CPC 750-1)."
            ),
            court.NO_AMICABLE_ATTEMPT_FOR_INJONCTION: _(
                "No prior amicable attempt is needed for an order for payment "
                "(Cass. 2e civ., opinion of 25 Sept. 2025, n° 25-70.013)."
            ),
            court.PROPOSE_INCONTESTEES: _(
                "Invoiced claim between merchants: the uncontested commercial claims "
                "procedure (CPCE L126-1, law of 23 April 2026) may apply."
            ),
            court.SMALL_CLAIMS_EXCLUDE_MERCHANTS: _(
                "Small claims reportedly exclude claims invoiced between merchants, which "
                "go to the L126 procedure."
            ),
            court.INCONTESTEES_MERCHANTS_ONLY: _(
                "The L126 procedure is for claims invoiced between merchants."
            ),
            court.INCONTESTEES_TO_CHECK: _(
                "L126 deadlines (1 month to contest, report from 8 days after, service "
                "within 6 months) come from secondary sources."
            ),
        }

    @api.depends(
        "route",
        "contractual",
        "invoice_ids",
        "partner_id",
        "date_ordonnance",
        "date_signification",
        "signification_a_personne",
    )
    @api.depends_context("lang")
    def _compute_hints(self):
        texts = self._hint_texts()
        to_check = self.env._("(to be checked on Légifrance)")
        for record in self:
            amount = record.amount_principal - record.amount_credits + record.amount_penalties
            lines = [
                "- %s%s" % (texts[key], " " + to_check if key in court.TO_CHECK else "")
                for key in court.eligibility_hints(
                    amount, record.debtor_regime, record.contractual, record.route
                )
            ]
            if record.date_signification and not record.signification_a_personne:
                lines.append(
                    "- "
                    + self.env._(
                        "Not served in person: the opposition period may reopen until one "
                        "month after the first act served in person or the first seizure "
                        "(CPC 1416 al. 2)."
                    )
                )
            if (
                record.deadline_signification
                and record.date_signification
                and record.date_signification > record.deadline_signification
            ):
                lines.append(
                    "- " + self.env._("Served after the deadline: the order has lapsed (CPC 1411).")
                )
            if record.next_deadline:
                lines.append(
                    "- "
                    + self.env._(
                        "Deadlines counted by CPC 641 and 642 (months to the same day, moved "
                        "past weekends and public holidays) %s",
                        to_check,
                    )
                )
            record.hints = "\n".join(lines) or False
