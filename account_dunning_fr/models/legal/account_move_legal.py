import functools
from collections import defaultdict, namedtuple
from decimal import Decimal

from odoo import api, fields, models

from odoo.addons.l10n_fr_payment_delay.core import penalties

from ...core import prescription, terms
from ...tools.prefetch import fetch_only

# What the figures of a set of invoices are computed from, read once.
FiguresFacts = namedtuple(
    "FiguresFacts",
    "receivables contractual_rates plan_limits ecb_rate_for legal_rate_for company_terms",
)
# A receivable line as the figures use it, its fields read once: 3 reads a
# line instead of 7, and one read of the invoice's company instead of one a
# line (0.15 s of the 1.2 s the figures of a night's 8,832 invoices take).
# ``base``: the line's balance less the credit notes set against it.
Receivable = namedtuple("Receivable", "id base maturity payments")
# A company's settings the figures follow, read once per company rather than
# for each invoice and instalment (about 70,000 field reads for the 8,832
# invoices of a night).
CompanyTerms = namedtuple("CompanyTerms", "french_law rate_mode year_basis imputation")
# What the night reads of the invoices it reminds, counted on the benchmark's
# night (18 of their 94 columns, a few more for the options it did not use).
# Their figures read them first: these alone are fetched, 20 ms instead of
# 60 ms for a batch's 2,200 invoices (measured); any other field is fetched
# when read, for the invoices of the batch at once.
DUNNING_MOVE_FIELDS = [
    "move_type",
    "state",
    "company_id",
    "currency_id",
    "partner_id",
    "commercial_partner_id",
    "name",
    "ref",
    "payment_reference",
    "access_token",
    "invoice_date",
    "invoice_date_due",
    "invoice_user_id",
    "payment_state",
    "dunning_penalty_bill",
    "dunning_penalty_billed_until",
    "dunning_indemnity_billed",
    "dunning_notice_date",
    "dunning_hold_until",
    "dunning_payment_announced_on",
    "dunning_einvoice_effect",
]


class AccountMove(models.Model):
    """The legal figures of an invoice: late-payment penalties and the
    recovery indemnity to the day, prescription, the legal payment term and
    the late-payment mention."""

    _inherit = "account.move"

    # Legal figures (C. com. L441-10, C. civ. 1231-6): computed to the day.
    dunning_days_late = fields.Integer("Days late", compute="_compute_late_penalties")
    late_penalty_amount = fields.Monetary(
        "Late-payment penalties",
        compute="_compute_late_penalties",
        currency_field="company_currency_id",
        help="Interest accrued to today (or to the payment), less what was already "
        "billed or waived: B2B ECB rate + 10 points (L441-10 II), public buyers ECB + 8 "
        "(R2192-31), consumers the legal rate from the formal notice (C. civ. 1231-6).",
    )
    recovery_indemnity_amount = fields.Monetary(
        "Recovery indemnity",
        compute="_compute_late_penalties",
        currency_field="company_currency_id",
        help="40 EUR per invoice not paid in full at its due date, B2B and public "
        "buyers only (D441-5), unless already billed or waived; never for consumers "
        "(CPCE L111-8).",
    )
    dunning_penalty_warning = fields.Char("Penalty warning", compute="_compute_late_penalties")
    dunning_penalty_pending = fields.Char(
        "Penalties pending",
        compute="_compute_late_penalties",
        help="Semesters whose rate is not published yet: the penalties shown stop at the "
        "last known semester and the rest will be claimed once the rate is known.",
    )
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

    # ------------------------------------------------------------------
    # Legal figures
    # ------------------------------------------------------------------

    def _dunning_regime(self):
        self.ensure_one()
        return self.commercial_partner_id.dunning_regime or "b2b"

    def _get_contractual_rates(self):
        """{move id: agreed rate or None}: partner, then policy, then company
        (none of them: the legal default)."""
        rates = {}
        for company, moves in self.grouped("company_id").items():
            partners = moves.commercial_partner_id.with_company(company)
            policies = partners._get_dunning_policies(company)
            by_partner = {}
            for partner in partners:
                rate = (
                    partner.dunning_contractual_rate
                    or policies[partner.id].contractual_rate
                    or company.dunning_contractual_rate
                )
                by_partner[partner.id] = Decimal(str(rate)) if rate else None
            for move in moves:
                rates[move.id] = by_partner[move.commercial_partner_id.id]
        return rates

    def _get_contractual_rate(self):
        self.ensure_one()
        return self._get_contractual_rates()[self.id]

    def _get_receivable_settlements(self, receivable_lines=None):
        """What settled each receivable line (``receivable_lines``, when
        already read), read through the ORM (no flush: the prescription
        compute is stored).

        Returns ({line id: [(payment date, amount)]}, {line id: amount
        cancelled by credit notes}), amounts in company currency. A credit
        note cancels what it credits: that part was never owed.
        """
        payments, credited = defaultdict(list), defaultdict(Decimal)
        lines = receivable_lines or self._dunning_receivable_lines()
        partials = lines.matched_credit_ids
        fetch_only(partials, ["credit_move_id", "amount"])
        fetch_only(partials.credit_move_id, ["move_id", "date"])
        fetch_only(partials.credit_move_id.move_id, ["move_type"])
        for line in lines:
            for partial in line.matched_credit_ids:
                counterpart = partial.credit_move_id
                if counterpart.move_id.move_type == "out_refund":
                    credited[line.id] += Decimal(str(partial.amount))
                else:
                    payments[line.id].append((counterpart.date, Decimal(str(partial.amount))))
        return payments, credited

    def _get_plan_penalty_limits(self):
        """{move id: (until, waived)} for invoices of a plan kept so far, as
        its penalty treatment says (legal_fr.md 6, item 4): frozen at the
        acceptance date, or waived while the plan is kept. A breached plan
        limits nothing: penalties resume (déchéance du terme)."""
        plans = (
            self.env["account.dunning.payment.plan"]
            .sudo()
            .search(
                [
                    ("state", "in", ("active", "done")),
                    "|",
                    ("move_ids", "in", self.ids),
                    ("penalty_move_id", "in", self.ids),
                ]
            )
        )
        limits = {}
        for plan in plans:
            for move in plan.move_ids:
                if plan.penalty_treatment == "frozen":
                    limits[move.id] = (plan.acceptance_date, False)
                elif plan.penalty_treatment == "waived":
                    limits[move.id] = (None, True)
        return limits

    def _get_dunning_figures(self, until=None, extra_payments=None):
        """{move id: figures} of the late interest and indemnity to ``until``,
        less what was already billed or waived.

        ``extra_payments`` ({receivable line id: [(date, amount)]}) are
        credits not matched yet but set against the line (core/balance.py).
        Figures: interest (Decimal, rounded, left to claim), by_line (the same
        per receivable line), indemnity, days_late, the core results per
        receivable line, and a warning (missing rate).
        """
        fetch_only(self, DUNNING_MOVE_FIELDS)
        moves = self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "posted")
        today = until or fields.Date.context_today(self)
        facts = moves._dunning_figures_facts(extra_payments or {})
        return {move.id: move._dunning_move_figures(today, facts) for move in moves}

    def _dunning_figures_facts(self, extra_payments):
        """What the figures of these invoices are computed from, read once
        for all of them (FiguresFacts)."""
        lines_by_move = self._dunning_receivable_lines_by_move()
        payments, credited = self._get_receivable_settlements(
            self.env["account.move.line"].concat(*lines_by_move.values())
        )
        for line_id, extra in extra_payments.items():
            payments[line_id] = payments[line_id] + extra
        return FiguresFacts(
            receivables={
                move_id: [
                    Receivable(
                        line.id,
                        Decimal(str(line.balance)) - credited[line.id],
                        line.date_maturity,
                        payments[line.id],
                    )
                    for line in lines
                ]
                for move_id, lines in lines_by_move.items()
            },
            contractual_rates=self._get_contractual_rates(),
            plan_limits=self._get_plan_penalty_limits(),
            ecb_rate_for=self.env["account.dunning.ecb.rate"]._get_rate_function(),
            legal_rate_for=self.env["account.dunning.legal.rate"]._get_rate_function(),
            company_terms={
                company.id: CompanyTerms(
                    french_law=company._dunning_french_law(),
                    rate_mode=company.dunning_penalty_rate_mode,
                    year_basis=company.dunning_year_basis,
                    imputation=company.dunning_imputation,
                )
                for company in self.company_id
            },
        )

    def _dunning_move_figures(self, today, facts):
        """The figures of this invoice to ``today`` (see _get_dunning_figures)."""
        self.ensure_one()
        receivables = facts.receivables[self.id]
        due_date = min([line.maturity for line in receivables] or [self.invoice_date_due or today])
        principal = sum((line.base for line in receivables), Decimal(0))
        settled = [pay for line in receivables for pay in line.payments]
        fully_paid_on = None
        if settled and sum(amount for _day, amount in settled) >= principal:
            fully_paid_on = max(day for day, _amount in settled)
        result = {
            "interest": Decimal(0),
            "by_line": {},
            "indemnity": Decimal(0),
            "days_late": max(((fully_paid_on or today) - due_date).days, 0),
            "results": [],
            "warning": False,
            "due_date": due_date,
            "pending": [],
            "computed_until": None,
        }
        terms = facts.company_terms[self.company_id.id]
        if terms.french_law and penalties.bears_penalties(self.dunning_penalty_bill, principal):
            self._dunning_add_penalties(result, today, fully_paid_on, facts, terms)
        return result

    def _dunning_add_penalties(self, result, today, fully_paid_on, facts, terms):
        """Interest per receivable line left to claim (a plan may freeze or
        waive it), the missing rates, the contractual-rate warning and the
        indemnity, into ``result``."""
        regime, due_date = self._dunning_regime(), result["due_date"]
        limit, waived = facts.plan_limits.get(self.id, (None, False))
        interest_until = min(today, limit) if limit else today
        billed_until = self.dunning_penalty_billed_until
        contractual_rate = facts.contractual_rates[self.id]
        accrued = functools.partial(
            self._dunning_accrued,
            regime=regime,
            due_date=due_date,
            facts=facts,
            terms=terms,
            notice_date=self.dunning_notice_date,
            contractual_rate=contractual_rate,
        )
        for line in facts.receivables[self.id]:
            to_date = accrued(line, interest_until)
            result["results"].append(to_date)
            billed = Decimal(0)
            if billed_until:
                billed = accrued(line, min(billed_until, interest_until)).due
            left = Decimal(0) if waived else penalties.left_to_claim(to_date.due, billed)
            result["by_line"][line.id] = left
        result["interest"] = penalties.round_cent(sum(result["by_line"].values(), Decimal(0)))
        if not waived:
            result.update(self._dunning_pending_of(result["results"]))
        if contractual_rate:
            result["warning"] = self.env["account.dunning.legal.rate"]._get_floor_warning(
                contractual_rate, due_date
            )
        if not self.dunning_indemnity_billed:
            result["indemnity"] = penalties.recovery_indemnity(
                regime, due_date, fully_paid_on, today
            )

    @api.model
    def _dunning_accrued(
        self, line, to_day, regime, due_date, facts, terms, notice_date, contractual_rate
    ):
        """The core's interest on the Receivable ``line`` to ``to_day``."""
        return penalties.late_interest(
            regime,
            line.base,
            line.maturity or due_date,
            to_day,
            facts.ecb_rate_for,
            facts.legal_rate_for,
            payments=line.payments,
            notice_date=notice_date,
            contractual_rate=contractual_rate,
            mode=terms.rate_mode,
            year_basis=terms.year_basis,
            imputation=terms.imputation,
        )

    @api.model
    def _dunning_pending_of(self, results):
        """Semesters whose rate is not published yet ('2026-H2'), and the
        last day the penalties computed cover: the rest is claimed later."""
        pending = sorted({label for result in results for label in result.pending})
        ends = [result.computed_until for result in results if result.computed_until]
        return {"pending": pending, "computed_until": min(ends) if ends else None}

    @api.depends_context("company")
    @api.depends(
        "amount_residual",
        "invoice_date_due",
        "dunning_notice_date",
        "state",
        "dunning_penalty_billed_until",
        "dunning_indemnity_billed",
    )
    def _compute_late_penalties(self):
        figures = self._get_dunning_figures()
        for move in self:
            values = figures.get(move.id)
            move.late_penalty_amount = float(values["interest"]) if values else 0.0
            move.recovery_indemnity_amount = float(values["indemnity"]) if values else 0.0
            move.dunning_days_late = values["days_late"] if values else 0
            move.dunning_penalty_warning = values["warning"] if values else False
            move.dunning_penalty_pending = values and move._late_payment_pending_note(
                values["pending"]
            )

    def _dunning_claims_sent(self):
        """Reminders were just sent on these invoices. A written claim
        restarts the prescription of public debtors only (loi 68-1250 art.
        2): theirs is computed again. A dependency on the reminders' dates
        recomputed every reminded invoice twice a batch (6 % of a batch,
        measured)."""
        # The credits' entries (payments, credit notes) come here with the
        # invoices: only the column this reads, not their 94.
        fetch_only(self, ["commercial_partner_id"])
        restarted = self.filtered(
            lambda move: prescription.interrupts(move._dunning_regime(), prescription.WRITTEN_CLAIM)
        )
        self.env.add_to_compute(self._fields["prescription_date"], restarted)

    @api.depends(
        "invoice_date",
        "delivery_date",
        "amount_residual",
        "dunning_acknowledgement_date",
        "dunning_judicial_demand_date",
        # Reminders sent: _dunning_claims_sent(), for the debtors they count against.
        "partner_id.is_company",
        "partner_id.dunning_public_buyer",
        "company_id.account_fiscal_country_id",
    )
    def _compute_prescription_date(self):
        invoices = self.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.state == "posted"
                and m.invoice_date
                and m.company_id._dunning_french_law()
            )
        )
        payments, _credited = invoices._get_receivable_settlements()
        for move in self:
            if move not in invoices:
                move.prescription_date = False
                continue
            # C. civ. 2240: a payment, even partial, acknowledges the debt.
            events = [
                (day, prescription.ACKNOWLEDGEMENT)
                for line in move.line_ids
                for day, _amount in payments.get(line.id, ())
            ]
            if move.dunning_acknowledgement_date:
                events.append((move.dunning_acknowledgement_date, prescription.ACKNOWLEDGEMENT))
            if move.dunning_judicial_demand_date:
                events.append((move.dunning_judicial_demand_date, prescription.JUDICIAL_DEMAND))
            # Each reminder sent is a written claim (it counts against public
            # debtors only, loi 68-1250 art. 2): the day it was sent.
            events += [
                (sent_on, prescription.WRITTEN_CLAIM)
                for sent_on in move.dunning_action_line_ids.filtered(
                    lambda line: not line.dropped
                ).action_id.mapped("date_sent")
                if sent_on
            ]
            move.prescription_date = prescription.prescription_date(
                move._dunning_regime(), move.delivery_date or move.invoice_date, events
            )

    @api.depends(
        "invoice_date",
        "invoice_date_due",
        "move_type",
        "company_id.dunning_payment_term_method",
        "company_id.account_fiscal_country_id",
        "partner_id.is_company",
        "partner_id.dunning_public_buyer",
    )
    def _compute_legal_term_exceeded(self):
        for move in self:
            move.legal_term_exceeded = bool(
                move.move_type == "out_invoice"
                and move.invoice_date
                and move.invoice_date_due
                and move.company_id._dunning_french_law()
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
        if self.move_type != "out_invoice" or not self.company_id._dunning_french_law():
            return False
        regime = self._dunning_regime()
        if regime == "b2c":
            return False
        contractual_rate = self._get_contractual_rate()
        if regime == "public":
            return self.env._(
                "Late payment: moratory interest is due by law at the ECB "
                "refinancing rate + %(margin)s points, plus a fixed recovery indemnity of "
                "%(indemnity)s EUR (Public Procurement Code, art. L2192-13 and R2192-31).",
                margin=penalties.PUBLIC_MARGIN,
                indemnity=int(penalties.RECOVERY_INDEMNITY),
            )
        if contractual_rate:
            rate = self.env._("%s %% a year", contractual_rate)
        else:
            rate = self.env._(
                "the ECB refinancing rate + %(margin)s points", margin=penalties.B2B_MARGIN
            )
        return self.env._(
            "Late payment: penalties are due from the day after the due date, "
            "without any reminder, at %(rate)s, plus a fixed recovery indemnity of "
            "%(indemnity)s EUR per invoice (French Commercial Code, art. L441-10 and D441-5). "
            "No discount for early payment.",
            rate=rate,
            indemnity=int(penalties.RECOVERY_INDEMNITY),
        )
