from collections import defaultdict
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..core import penalties, prescription, terms
from ..core.penalties import MissingRate

EXCLUSION_REASONS = [
    ("dispute", "Dispute"),
    ("promise", "Promise to pay"),
    ("other", "Other"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_level_id = fields.Many2one(
        "account.dunning.level",
        "Dunning level",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The last reminder level this invoice received.",
    )
    dunning_last_date = fields.Date("Last reminder", copy=False, readonly=True)
    dunning_excluded = fields.Boolean("Excluded from dunning", copy=False, tracking=True)
    dunning_exclusion_reason = fields.Selection(
        EXCLUSION_REASONS, "Exclusion reason", copy=False, tracking=True
    )
    dunning_promise_date = fields.Date(
        "Promised payment date",
        copy=False,
        tracking=True,
        help="Dunning resumes by itself the day after this date if the invoice is still unpaid.",
    )
    dunning_exclusion_note = fields.Char("Exclusion note", copy=False)
    dunning_partner_status = fields.Selection(
        related="commercial_partner_id.dunning_status", string="Customer payment status"
    )
    dunning_action_line_ids = fields.One2many(
        "account.dunning.action.line", "move_id", "Reminders", readonly=True
    )

    # Legal figures (C. com. L441-10, C. civ. 1231-6): computed to the day.
    dunning_days_late = fields.Integer("Days late", compute="_compute_late_penalties")
    late_penalty_amount = fields.Monetary(
        "Late-payment penalties",
        compute="_compute_late_penalties",
        currency_field="company_currency_id",
        help="Interest accrued to today (or to the payment) on what was paid "
        "late: B2B ECB rate + 10 points (L441-10 II), public buyers ECB + 8 "
        "(R2192-31), consumers the legal rate from the formal notice (C. civ. 1231-6).",
    )
    recovery_indemnity_amount = fields.Monetary(
        "Recovery indemnity",
        compute="_compute_late_penalties",
        currency_field="company_currency_id",
        help="40 EUR per invoice not paid in full at its due date, B2B and "
        "public buyers only (D441-5); never for consumers (CPCE L111-8).",
    )
    dunning_penalty_warning = fields.Char("Penalty warning", compute="_compute_late_penalties")
    dunning_notice_date = fields.Date(
        "Formal notice received on",
        copy=False,
        tracking=True,
        help="Acknowledgement of receipt of the formal notice: interest owed by a "
        "consumer runs from it (C. civ. 1231-6, 1344-1).",
    )
    dunning_acknowledgement_date = fields.Date(
        "Debt acknowledged on",
        copy=False,
        tracking=True,
        help="Signed acknowledgement of debt, accepted payment plan or request for "
        "time to pay: prescription restarts (C. civ. 2240).",
    )
    dunning_judicial_demand_date = fields.Date(
        "Judicial demand served on",
        copy=False,
        tracking=True,
        help="Service of a summons or of an order for payment: prescription "
        "restarts (C. civ. 2241).",
    )
    prescription_date = fields.Date(
        compute="_compute_prescription_date",
        store=True,
        help="Last day to bring the claim: 5 years B2B (C. com. L110-4), 2 years "
        "consumers (C. consom. L218-2), public debtors 4 years from 1 January "
        "after (loi 68-1250), restarted by acknowledgements and judicial demands.",
    )
    legal_term_exceeded = fields.Boolean(
        "Legal payment term exceeded",
        compute="_compute_legal_term_exceeded",
        store=True,
        help="B2B invoice due more than 60 days after its date, or 45 days end of "
        "month where the company agreed to it (C. com. L441-10 I).",
    )
    dunning_penalty_billed_until = fields.Date("Penalties billed until", copy=False, readonly=True)
    dunning_indemnity_billed = fields.Boolean(copy=False, readonly=True)

    @api.constrains("dunning_excluded", "dunning_exclusion_reason", "dunning_promise_date")
    def _check_dunning_exclusion(self):
        for move in self.filtered("dunning_excluded"):
            if not move.dunning_exclusion_reason:
                raise ValidationError(
                    self.env._(
                        "Say why invoice %(move)s is excluded from dunning.", move=move.display_name
                    )
                )
            if move.dunning_exclusion_reason == "promise" and not move.dunning_promise_date:
                raise ValidationError(
                    self.env._(
                        "A promise to pay needs the promised date (invoice %(move)s).",
                        move=move.display_name,
                    )
                )

    def _check_dunning_exclusion_allowed(self):
        wrong = self.filtered(lambda m: m.move_type != "out_invoice" or m.state != "posted")
        if wrong:
            raise UserError(
                self.env._(
                    "Only posted customer invoices can be excluded from dunning: %(moves)s",
                    moves=", ".join(wrong.mapped("display_name")),
                )
            )

    def _dunning_exclude(self, reason, promise_date=False, note=False):
        self._check_dunning_exclusion_allowed()
        self.write(
            {
                "dunning_excluded": True,
                "dunning_exclusion_reason": reason,
                "dunning_promise_date": promise_date if reason == "promise" else False,
                "dunning_exclusion_note": note or False,
            }
        )

    def action_dunning_exclude(self):
        self._check_dunning_exclusion_allowed()
        return {
            "name": self.env._("Exclude from dunning"),
            "type": "ir.actions.act_window",
            "res_model": "account.dunning.exclude.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": "account.move", "active_ids": self.ids},
        }

    def action_dunning_include(self):
        self.write(
            {
                "dunning_excluded": False,
                "dunning_exclusion_reason": False,
                "dunning_promise_date": False,
                "dunning_exclusion_note": False,
            }
        )

    # ------------------------------------------------------------------
    # Legal figures
    # ------------------------------------------------------------------

    def _dunning_regime(self):
        self.ensure_one()
        return self.commercial_partner_id.dunning_regime or "b2b"

    def _get_contractual_rates(self):
        """{move id: agreed rate or None}: partner, then policy, then company
        (none of them: the legal default)."""
        Policy = self.env["account.dunning.policy"]
        defaults_by_company = {}
        rates = {}
        for move in self:
            company = move.company_id
            if company not in defaults_by_company:
                defaults_by_company[company] = Policy._get_default_policies(company)
            partner = move.commercial_partner_id.with_company(company)
            policy = partner.dunning_policy_id or defaults_by_company[company].get(
                partner.dunning_regime, Policy
            )
            rate = (
                partner.dunning_contractual_rate
                or policy.contractual_rate
                or company.dunning_contractual_rate
            )
            rates[move.id] = Decimal(str(rate)) if rate else None
        return rates

    def _get_contractual_rate(self):
        self.ensure_one()
        return self._get_contractual_rates()[self.id]

    def _get_receivable_payments(self):
        """{receivable line id: [(payment date, amount)]} in company currency."""
        lines = self.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        if not lines:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT apr.debit_move_id, credit_line.date, apr.amount
              FROM account_partial_reconcile apr
              JOIN account_move_line credit_line ON credit_line.id = apr.credit_move_id
             WHERE apr.debit_move_id IN %s
            """,
            [tuple(lines.ids)],
        )
        payments = defaultdict(list)
        for line_id, day, amount in self.env.cr.fetchall():
            payments[line_id].append((day, amount))
        return payments

    def _get_dunning_figures(self, until=None):
        """{move id: figures} of the late interest and indemnity to ``until``.

        Figures: interest (Decimal, rounded), indemnity, days_late, the
        core results per receivable line, and a warning (missing rate).
        """
        moves = self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "posted")
        today = until or fields.Date.context_today(self)
        ecb_rate_for = self.env["account.dunning.ecb.rate"]._get_rate_function()
        legal_rate_for = self.env["account.dunning.legal.rate"]._get_rate_function()
        payments = moves._get_receivable_payments()
        contractual_rates = moves._get_contractual_rates()
        figures = {}
        for move in moves:
            company = move.company_id
            regime = move._dunning_regime()
            lines = move.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
            due_date = min(lines.mapped("date_maturity") or [move.invoice_date_due or today])
            results, warning = [], False
            try:
                for line in lines:
                    results.append(
                        penalties.late_interest(
                            regime,
                            line.balance,
                            line.date_maturity or due_date,
                            today,
                            ecb_rate_for,
                            legal_rate_for,
                            payments=payments.get(line.id, ()),
                            notice_date=move.dunning_notice_date,
                            contractual_rate=contractual_rates[move.id],
                            mode=company.dunning_penalty_rate_mode,
                            year_basis=company.dunning_year_basis,
                            imputation=company.dunning_imputation,
                        )
                    )
            except MissingRate as missing:
                results = []
                warning = self.env._("Rate missing for %s", missing.semester)
            contractual_rate = contractual_rates[move.id]
            if contractual_rate and not warning:
                warning = self.env["account.dunning.legal.rate"]._get_floor_warning(
                    contractual_rate, due_date
                )
            paid_days = [day for line in lines for day, _amount in payments.get(line.id, ())]
            fully_paid_on = max(paid_days) if move.amount_residual <= 0 and paid_days else None
            figures[move.id] = {
                "interest": penalties.round_cent(sum((r.due for r in results), Decimal(0))),
                "indemnity": penalties.recovery_indemnity(regime, due_date, fully_paid_on, today),
                "days_late": max(((fully_paid_on or today) - due_date).days, 0),
                "results": results,
                "warning": warning,
                "due_date": due_date,
            }
        return figures

    @api.depends_context("company")
    @api.depends("amount_residual", "invoice_date_due", "dunning_notice_date", "state")
    def _compute_late_penalties(self):
        figures = self._get_dunning_figures()
        for move in self:
            values = figures.get(move.id)
            move.late_penalty_amount = float(values["interest"]) if values else 0.0
            move.recovery_indemnity_amount = float(values["indemnity"]) if values else 0.0
            move.dunning_days_late = values["days_late"] if values else 0
            move.dunning_penalty_warning = values["warning"] if values else False

    @api.depends(
        "invoice_date",
        "delivery_date",
        "amount_residual",
        "dunning_acknowledgement_date",
        "dunning_judicial_demand_date",
        "dunning_last_date",
        "partner_id.is_company",
        "partner_id.dunning_public_buyer",
    )
    def _compute_prescription_date(self):
        invoices = self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "posted")
        payments = invoices._get_receivable_payments()
        for move in self:
            if move not in invoices or not move.invoice_date:
                move.prescription_date = False
                continue
            regime = move._dunning_regime()
            events = [
                (day, prescription.ACKNOWLEDGEMENT)
                for line in move.line_ids
                for day, _amount in payments.get(line.id, ())
            ]
            if move.dunning_acknowledgement_date:
                events.append((move.dunning_acknowledgement_date, prescription.ACKNOWLEDGEMENT))
            if move.dunning_judicial_demand_date:
                events.append((move.dunning_judicial_demand_date, prescription.JUDICIAL_DEMAND))
            if move.dunning_last_date:
                events.append((move.dunning_last_date, prescription.WRITTEN_CLAIM))
            move.prescription_date = prescription.prescription_date(
                regime, move.delivery_date or move.invoice_date, events
            )

    @api.depends(
        "invoice_date",
        "invoice_date_due",
        "move_type",
        "company_id.dunning_payment_term_method",
        "partner_id.is_company",
        "partner_id.dunning_public_buyer",
    )
    def _compute_legal_term_exceeded(self):
        for move in self:
            move.legal_term_exceeded = bool(
                move.move_type == "out_invoice"
                and move.invoice_date
                and move.invoice_date_due
                and move._dunning_regime() == "b2b"
                and terms.legal_term_exceeded(
                    move.invoice_date,
                    move.invoice_date_due,
                    move.company_id.dunning_payment_term_method,
                )
            )

    def _get_late_payment_mention(self):
        """The late-payment mention a French B2B or public invoice must carry
        (C. com. L441-9 I, L441-10 II; C. commande publique L2192-13)."""
        self.ensure_one()
        if (
            self.move_type != "out_invoice"
            or self.company_id.account_fiscal_country_id.code != "FR"
        ):
            return False
        regime = self._dunning_regime()
        if regime == "b2c":
            return False
        contractual_rate = self._get_contractual_rate()
        if regime == "public":
            return self.env._(
                "Late payment: moratory interest is due by law at the ECB "
                "refinancing rate + 8 points, plus a fixed recovery indemnity of "
                "40 EUR (Public Procurement Code, art. L2192-13 and R2192-31)."
            )
        if contractual_rate:
            rate = self.env._("%s %% a year", contractual_rate)
        else:
            rate = self.env._("the ECB refinancing rate + 10 points")
        return self.env._(
            "Late payment: penalties are due from the day after the due date, "
            "without any reminder, at %(rate)s, plus a fixed recovery indemnity of "
            "40 EUR per invoice (French Commercial Code, art. L441-10 and D441-5). "
            "No discount for early payment.",
            rate=rate,
        )
