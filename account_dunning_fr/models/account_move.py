from collections import defaultdict
from decimal import Decimal

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, format_date

from odoo.addons.l10n_fr_payment_delay.core import penalties

from ..core import prescription, terms
from ..tools.bulk import flush_fields
from .account_move_line import CLOSED_PAYMENT_STATES

EXCLUSION_REASONS = [
    ("dispute", "Dispute"),
    ("promise", "Promise to pay"),
    ("other", "Other"),
]

# Dunning data only accountants change (DESIGN rule 5); salespeople, who may
# write invoices through Sales, read them.
DUNNING_ACCOUNTANT_FIELDS = {
    "dunning_level_id",
    "dunning_last_date",
    "dunning_excluded",
    "dunning_exclusion_reason",
    "dunning_promise_date",
    "dunning_exclusion_note",
    "dunning_notice_date",
    "dunning_acknowledgement_date",
    "dunning_judicial_demand_date",
    "dunning_penalty_billed_until",
    "dunning_indemnity_billed",
    "dunning_penalty_bill",
}
ACCOUNTANT_GROUP = "account.group_account_invoice"


# A portal access token, as portal.mixin's _portal_ensure_token() makes it
# (str(uuid4())), made by PostgreSQL for many invoices in one statement.
NEW_PORTAL_TOKEN = SQL("gen_random_uuid()::text")


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_level_id = fields.Many2one(
        "account.dunning.level",
        "Dunning level",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The highest reminder level its instalments received.",
    )
    dunning_last_date = fields.Date("Last reminder", copy=False, readonly=True)
    dunning_open = fields.Boolean(
        "Open receivable",
        compute="_compute_dunning_open",
        search="_search_dunning_open",
        help="A posted customer invoice still to be paid, not blocked.",
    )
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
    dunning_penalty_bill = fields.Boolean(
        "Bill of late-payment penalties",
        copy=False,
        readonly=True,
        help="This invoice bills penalties and indemnities: it bears none of its own "
        "(C. civ. 1343-2, D441-5).",
    )

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
    # Open invoices: the move side of account.move.line's definition
    # ------------------------------------------------------------------

    @api.model
    def _dunning_open_invoice_domain(self):
        """Posted customer invoices still to be paid, not closed: the
        invoices whose receivable lines ``_dunning_claimable_domain`` keeps."""
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "not in", CLOSED_PAYMENT_STATES),
        ]

    def _compute_dunning_open(self):
        open_moves = self.filtered_domain(self._dunning_open_invoice_domain())
        for move in self:
            move.dunning_open = move in open_moves

    def _search_dunning_open(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on open invoices."))
        domain = self._dunning_open_invoice_domain()
        if (operator == "=") == value:
            return domain
        return ["!", *expression.normalize_domain(domain)]

    @api.model
    def _l10n_fr_payment_delay_disputed_sql(self):
        """The D441-6 tables leave out the invoices in dispute in dunning too."""
        return SQL(
            "(%s OR (m.dunning_excluded IS TRUE AND m.dunning_exclusion_reason = 'dispute'))",
            super()._l10n_fr_payment_delay_disputed_sql(),
        )

    # ------------------------------------------------------------------
    # Who may change dunning data
    # ------------------------------------------------------------------

    def write(self, vals):
        self._check_dunning_write_access(vals)
        return super().write(vals)

    def _check_dunning_write_access(self, vals):
        if (
            DUNNING_ACCOUNTANT_FIELDS.intersection(vals)
            and not self.env.su
            and not self.env.user.has_group(ACCOUNTANT_GROUP)
        ):
            raise AccessError(
                self.env._("Only accountants can change the dunning data of an invoice.")
            )

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

    def _check_posted_customer_invoices(self, message):
        """Raise ``message`` (with %(moves)s) naming what is not a posted
        customer invoice: only those are reminded, excluded or bear penalties."""
        wrong = self.filtered(lambda m: m.move_type != "out_invoice" or m.state != "posted")
        if wrong:
            raise UserError(message % {"moves": ", ".join(wrong.mapped("display_name"))})

    def _check_dunning_exclusion_allowed(self):
        self._check_posted_customer_invoices(
            self.env._("Only posted customer invoices can be excluded from dunning: %(moves)s")
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
    # Levels: per instalment, the invoice shows the highest
    # ------------------------------------------------------------------

    def _dunning_receivable_lines(self):
        """The receivable debit lines of these invoices."""
        by_move = self._dunning_receivable_lines_by_move()
        return self.env["account.move.line"].browse(
            [line_id for lines in by_move.values() for line_id in lines._ids]
        )

    def _dunning_receivable_lines_by_move(self):
        """{move id: its receivable debit lines}, found in one search."""
        # Searched rather than read from every invoice's lines (product lines
        # too): 0.75 s -> 0.35 s for 8,800 invoices, measured. Invoices not
        # saved yet (a form's onchange) have only their lines in memory.
        stored = self.filtered("id")
        lines = self.env["account.move.line"].search(
            [
                ("move_id", "in", stored.ids),
                ("account_type", "=", "asset_receivable"),
                ("balance", ">", 0),
            ],
            order="id",
        )
        lines |= (self - stored).line_ids.filtered(
            lambda line: line.account_type == "asset_receivable" and line.balance > 0
        )
        by_move = defaultdict(list)
        for line in lines:
            by_move[line.move_id.id].append(line.id)
        AML = self.env["account.move.line"]
        return {move.id: AML.browse(by_move[move.id]).with_prefetch(lines._ids) for move in self}

    def _dunning_portal_urls(self):
        """{move id: the full URL of its portal page}, as
        ``get_base_url() + get_portal_url()`` gives it. The base URL only
        varies by website and company (website's get_base_url): read once
        per pair, not for every invoice of every reminder (13 % of rendering
        a reminder's body, measured)."""
        urls = {}
        website_of = (lambda move: move["website_id"]) if "website_id" in self else (lambda m: None)
        for moves in self.grouped(lambda move: (website_of(move), move.company_id)).values():
            base = moves[:1].get_base_url()
            urls.update((move.id, base + move.get_portal_url()) for move in moves)
        return urls

    def _dunning_set_level(self, level, date):
        """Put the open instalments of these invoices at ``level`` on ``date``
        (as if that reminder had been sent): for data imported from another
        tool, and for tests."""
        open_lines = self._dunning_receivable_lines().filtered(lambda line: not line.reconciled)
        open_lines.sudo().write({"dunning_level_id": level.id, "dunning_last_date": date})
        self.sudo().write({"dunning_level_id": level.id, "dunning_last_date": date})

    def _dunning_sync_level_from_lines(self, portal_tokens=False):
        """Each invoice shows the highest level its instalments reached (by
        the order of escalation, core/levels.py) and the last reminder day;
        with ``portal_tokens``, an invoice without a portal token gets one
        (as get_portal_url() would give it) in the same statement."""
        if not self:
            return
        rows = self.env.execute_query(
            SQL(
                "SELECT move_id, dunning_level_id, dunning_last_date FROM account_move_line "
                "WHERE move_id IN %s AND dunning_level_id IS NOT NULL %s",
                tuple(self.ids),
                flush_fields(
                    self.env["account.move.line"], "dunning_level_id", "dunning_last_date"
                ),
            )
        )
        Level = self.env["account.dunning.level"].sudo()
        levels, last_dates = defaultdict(list), defaultdict(list)
        for move_id, level_id, last_date in rows:
            levels[move_id].append(level_id)
            if last_date:
                last_dates[move_id].append(last_date)
        grouped = defaultdict(list)
        for move_id, level_ids in levels.items():
            highest = Level.browse(level_ids)._get_highest()
            grouped[(highest.id, max(last_dates[move_id], default=None))].append(move_id)
        written = ["dunning_level_id", "dunning_last_date"]
        token = SQL()
        if portal_tokens:
            written.append("access_token")
            token = SQL(
                ", access_token = CASE WHEN move_type = 'out_invoice' "
                "THEN COALESCE(access_token, %s) ELSE access_token END",
                NEW_PORTAL_TOKEN,
            )
        for (level_id, last_date), move_ids in grouped.items():
            self.env.execute_query(
                SQL(
                    "UPDATE account_move SET dunning_level_id = %s, dunning_last_date = %s%s "
                    "WHERE id IN %s %s",
                    level_id,
                    last_date,
                    token,
                    tuple(move_ids),
                    flush_fields(self, *written),
                )
            )
        self.invalidate_recordset(written)
        self.modified(written)

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
        for line in receivable_lines or self._dunning_receivable_lines():
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
        moves = self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "posted")
        today = until or fields.Date.context_today(self)
        extra_payments = extra_payments or {}
        ecb_rate_for = self.env["account.dunning.ecb.rate"]._get_rate_function()
        legal_rate_for = self.env["account.dunning.legal.rate"]._get_rate_function()
        lines_by_move = moves._dunning_receivable_lines_by_move()
        payments, credited = moves._get_receivable_settlements(
            self.env["account.move.line"].concat(*lines_by_move.values())
        )
        contractual_rates = moves._get_contractual_rates()
        plan_limits = moves._get_plan_penalty_limits()
        figures = {}
        for move in moves:
            company = move.company_id
            lines = lines_by_move[move.id]
            due_date = min(lines.mapped("date_maturity") or [move.invoice_date_due or today])
            principal = sum((Decimal(str(line.balance)) for line in lines), Decimal(0))
            principal -= sum((credited[line.id] for line in lines), Decimal(0))
            settled = [
                pay for line in lines for pay in payments[line.id] + extra_payments.get(line.id, [])
            ]
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
            figures[move.id] = result
            if not company._dunning_french_law() or not penalties.bears_penalties(
                move.dunning_penalty_bill, principal
            ):
                continue
            regime = move._dunning_regime()
            limit, waived = plan_limits.get(move.id, (None, False))
            interest_until = min(today, limit) if limit else today

            def accrued(line, to_day, move=move, regime=regime, company=company, due_date=due_date):
                return penalties.late_interest(
                    regime,
                    Decimal(str(line.balance)) - credited[line.id],
                    line.date_maturity or due_date,
                    to_day,
                    ecb_rate_for,
                    legal_rate_for,
                    payments=payments[line.id] + extra_payments.get(line.id, []),
                    notice_date=move.dunning_notice_date,
                    contractual_rate=contractual_rates[move.id],
                    mode=company.dunning_penalty_rate_mode,
                    year_basis=company.dunning_year_basis,
                    imputation=company.dunning_imputation,
                )

            billed_until = move.dunning_penalty_billed_until
            for line in lines:
                to_date = accrued(line, interest_until)
                result["results"].append(to_date)
                billed = (
                    accrued(line, min(billed_until, interest_until)).due
                    if billed_until
                    else Decimal(0)
                )
                left = Decimal(0) if waived else penalties.left_to_claim(to_date.due, billed)
                result["by_line"][line.id] = left
            result["interest"] = penalties.round_cent(sum(result["by_line"].values(), Decimal(0)))
            if not waived:
                result.update(self._dunning_pending_of(result["results"]))
            contractual_rate = contractual_rates[move.id]
            if contractual_rate:
                result["warning"] = self.env["account.dunning.legal.rate"]._get_floor_warning(
                    contractual_rate, due_date
                )
            if not move.dunning_indemnity_billed:
                result["indemnity"] = penalties.recovery_indemnity(
                    regime, due_date, fully_paid_on, today
                )
        return figures

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

    # ------------------------------------------------------------------
    # Billing or waiving penalties: the wizard and payment plans call these
    # ------------------------------------------------------------------

    def _dunning_get_billable(self, until):
        """[(invoice, kind, label, amount)] of penalties and indemnities not
        billed or waived yet, to ``until``."""
        return self._dunning_billable(until)[0]

    def _dunning_billable(self, until):
        """The billable lines, and the day each invoice's penalties are then
        billed to: ``until``, or the last day of the last semester with a
        published rate, so that the pending part is billed later, once."""
        self._check_posted_customer_invoices(
            self.env._("Only posted customer invoices have penalties: %(moves)s")
        )
        billed_again = self.filtered(
            lambda m: m.dunning_penalty_billed_until and m.dunning_penalty_billed_until >= until
        )
        if billed_again:
            raise UserError(
                self.env._(
                    "Penalties of %(moves)s are already billed or waived until %(date)s: "
                    "the same period is never billed twice.",
                    moves=", ".join(billed_again.mapped("display_name")),
                    date=format_date(
                        self.env, max(billed_again.mapped("dunning_penalty_billed_until"))
                    ),
                )
            )
        figures = self._get_dunning_figures(until)
        lines, ends = [], {}
        for move in self:
            values = figures[move.id]
            start = move.dunning_penalty_billed_until or values["due_date"]
            end = min(until, values["computed_until"] or until)
            ends[move] = max(end, move.dunning_penalty_billed_until or end)
            if values["interest"] > 0:
                lines.append(
                    (
                        move,
                        "penalty",
                        self.env._(
                            "Late-payment penalties on %(invoice)s from %(start)s to %(end)s "
                            "(C. com. L441-10 II)",
                            invoice=move.name,
                            start=format_date(self.env, start),
                            end=format_date(self.env, end),
                        ),
                        values["interest"],
                    )
                )
            if values["indemnity"] > 0:
                lines.append(
                    (
                        move,
                        "indemnity",
                        self.env._(
                            "Fixed recovery indemnity on %(invoice)s (C. com. D441-5)",
                            invoice=move.name,
                        ),
                        values["indemnity"],
                    )
                )
        return lines, ends

    def _dunning_mark_billed(self, until, lines, ends=None):
        """From now on these amounts are billed or waived: never claimed
        again. ``ends`` ({invoice: day}) bills some only to an earlier day."""
        ends = ends or {}
        for end in {ends.get(move, until) for move in self}:
            self.filtered(lambda m, end=end: ends.get(m, until) == end).sudo().write(
                {"dunning_penalty_billed_until": end}
            )
        self.browse(
            {move.id for move, kind, _label, _amount in lines if kind == "indemnity"}
        ).sudo().write({"dunning_indemnity_billed": True})

    def _dunning_bill_penalties(self, until):
        """Bill what is left: one invoice per customer, without VAT
        (penalties and the 40 EUR indemnity are damages, not the price of a
        supply: legal_fr.md 1.5 and 1.6). Returns the posted bills."""
        lines, ends = self._dunning_billable(until)
        if not lines:
            return self.browse()
        bills = self._dunning_create_penalty_bills(until, lines)
        self._dunning_mark_billed(until, lines, ends)
        return bills

    def _dunning_waive_penalties(self, until, reason):
        lines = self._dunning_get_billable(until)
        if not lines:
            raise UserError(self.env._("There is nothing left to bill or waive on these invoices."))
        if not reason:
            raise UserError(self.env._("Say why the penalties are waived."))
        self._dunning_mark_billed(until, lines)
        for move in self:
            move.message_post(
                body=self.env._(
                    "Penalties and indemnity waived until %(date)s: %(reason)s",
                    date=format_date(self.env, until),
                    reason=reason,
                )
            )

    def _dunning_create_penalty_bills(self, until, lines):
        by_partner = defaultdict(list)
        for move, kind, label, amount in lines:
            by_partner[(move.commercial_partner_id, move.company_id)].append(
                (move, kind, label, amount)
            )
        vals_list = []
        for (partner, company), partner_lines in by_partner.items():
            accounts = {
                kind: company._get_dunning_account(kind) for kind in ("penalty", "indemnity")
            }
            if not all(accounts.values()):
                raise UserError(
                    self.env._(
                        "Choose the income accounts of penalties and indemnities in the "
                        "Accounting settings (Dunning) of %(company)s.",
                        company=company.name,
                    )
                )
            vals_list.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "invoice_date": until,
                    "dunning_penalty_bill": True,
                    "invoice_origin": ", ".join(sorted({m.name for m, *_rest in partner_lines})),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": label,
                                "quantity": 1,
                                "price_unit": float(amount),
                                "account_id": accounts[kind].id,
                                "tax_ids": [Command.clear()],
                            }
                        )
                        for _move, kind, label, amount in partner_lines
                    ],
                }
            )
        bills = self.env["account.move"].create(vals_list)
        bills.action_post()
        return bills
