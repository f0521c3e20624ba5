from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..core import balance
from ..tools.bulk import unnest_arrays
from .account_dunning_action_tracking import TRACKING_FIELDS
from .dunning_formats import BatchFormats
from .dunning_proof import is_recording_delivery, is_writing_proof

# What the sending pipeline alone writes (dunning_proof.writing_proof()):
# the state and what sending produced.
PIPELINE_FIELDS = {
    "state",
    "date_sent",
    "sent_date",
    "sent_uid",
    "mail_id",
    "email_to",
    "letter_attachment_id",
    "letter_pending",
    "letter_error",
    "hold_reason",
    "error_message",
    "cancel_reason",
}
# What an accountant may still record once the reminder is sent: the action
# is the proof of what the customer received, the rest is frozen.
WRITABLE_WHEN_SENT = {"registered_letter_number", "receipt_date"}
CHATTER_PREFIXES = ("message_", "activity_", "website_message_", "rating_")


# The stored totals of a reminder (_compute_amounts), with their column types.
AMOUNT_COLUMNS = (
    ("amount_invoices", "numeric[]"),
    ("amount_credits", "numeric[]"),
    ("amount_due", "numeric[]"),
    ("amount_penalties", "numeric[]"),
    ("amount_indemnities", "numeric[]"),
    ("amount_claimed", "numeric[]"),
    ("invoice_count", "int[]"),
)
AMOUNT_FIELDS = tuple(name for name, _kind in AMOUNT_COLUMNS)


def claim_totals(invoices, credits, same_currency):
    """A reminder's totals from its instalments claimed, [(amount claimed,
    penalties, indemnity, invoice id)], and its credits' amounts (negative):
    the credits lower the claim; penalties and indemnities add to it when the
    claim is in the company's currency."""
    amount_invoices = sum(invoice[0] for invoice in invoices)
    amount_credits = -sum(credits)
    amount_due = amount_invoices - amount_credits
    penalties = sum(invoice[1] for invoice in invoices)
    indemnities = sum(invoice[2] for invoice in invoices)
    return {
        "amount_invoices": amount_invoices,
        "amount_credits": amount_credits,
        "amount_due": amount_due,
        "amount_penalties": penalties,
        "amount_indemnities": indemnities,
        "amount_claimed": amount_due + (penalties + indemnities if same_currency else 0.0),
        "invoice_count": len({invoice[3] for invoice in invoices}),
    }


class AccountDunningAction(models.Model):
    _name = "account.dunning.action"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "account.dunning.action.sending",
        "account.dunning.action.chatter",
        "account.dunning.action.tracking",
    ]
    _description = "Dunning Action"
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        readonly=True,
        tracking=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda s: s.env.company
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company currency"
    )
    currency_id = fields.Many2one(
        "res.currency",
        "Currency",
        required=True,
        readonly=True,
        default=lambda s: s.env.company.currency_id,
        help="Every amount claimed is in this currency: the invoices' when they "
        "share one, else the company's. Penalties and indemnities are in the "
        "company's currency.",
    )
    run_id = fields.Many2one(
        "account.dunning.run", "Run", index=True, readonly=True, check_company=True
    )
    level_id = fields.Many2one(
        "account.dunning.level",
        required=True,
        ondelete="restrict",
        readonly=True,
        tracking=True,
        check_company=True,
    )
    policy_id = fields.Many2one(related="level_id.policy_id", store=True)
    date = fields.Date(
        "Prepared on",
        required=True,
        index=True,
        readonly=True,
        default=fields.Date.context_today,
    )
    date_sent = fields.Date(
        "Sent on",
        readonly=True,
        index=True,
        help="The reminder counts from this day: cadence, levels of the invoices, "
        "written claims against public debtors.",
    )
    send_email = fields.Boolean("Email", readonly=True)
    send_letter = fields.Boolean("Letter", readonly=True)
    create_activity = fields.Boolean("Phone call", readonly=True)
    automatic = fields.Boolean(readonly=True)
    formal_notice = fields.Boolean(related="level_id.formal_notice", store=True)
    litigation = fields.Boolean(related="level_id.litigation", store=True)
    line_ids = fields.One2many(
        "account.dunning.action.line", "action_id", "Invoices and credits", readonly=True
    )
    amount_invoices = fields.Monetary("Invoices due", compute="_compute_amounts", store=True)
    amount_credits = fields.Monetary(
        "Unallocated credits",
        compute="_compute_amounts",
        store=True,
        help="Payments not matched yet, open credit notes and other credits of the "
        "customer, set against the invoices.",
    )
    amount_due = fields.Monetary(
        "Net amount due",
        compute="_compute_amounts",
        store=True,
        help="Invoices due less the unallocated credits.",
    )
    amount_penalties = fields.Monetary(
        "Penalties to date",
        compute="_compute_amounts",
        store=True,
        currency_field="company_currency_id",
    )
    amount_indemnities = fields.Monetary(
        "Recovery indemnities",
        compute="_compute_amounts",
        store=True,
        currency_field="company_currency_id",
    )
    amount_claimed = fields.Monetary(
        "Total claimed",
        compute="_compute_amounts",
        store=True,
        help="Net amount due plus penalties and indemnities, when they are in the "
        "same currency; else the net amount due alone.",
    )
    penalty_warning = fields.Char(
        compute="_compute_penalty_warning",
        help="A contractual rate below the legal floor, in the reader's language.",
    )
    penalty_pending = fields.Char(
        "Penalties pending",
        compute="_compute_penalty_warning",
        help="Semesters whose rate is not published yet: the penalties claimed stop at "
        "the day before and the rest follows once the rate is known.",
    )
    penalty_computed_until = fields.Date(
        "Penalties computed until", compute="_compute_penalty_warning"
    )
    registered_letter_number = fields.Char(
        "Registered letter number", tracking=True, help="Numéro de lettre recommandée."
    )
    receipt_date = fields.Date(
        "Acknowledgement of receipt",
        tracking=True,
        help="Date on the acknowledgement of receipt of the formal notice; for "
        "consumers, interest runs from it (C. civ. 1231-6, 1344-1).",
    )
    invoice_count = fields.Integer(compute="_compute_amounts", store=True)
    state = fields.Selection(
        [
            ("to_review", "To review"),
            ("sent", "Sent"),
            ("cancelled", "Cancelled"),
            ("failed", "Failed"),
        ],
        default="to_review",
        required=True,
        index=True,
        readonly=True,
        tracking=True,
    )
    email_to = fields.Char("Sent to", readonly=True)
    mail_id = fields.Many2one("mail.mail", "Queued email", readonly=True, ondelete="set null")
    letter_attachment_id = fields.Many2one(
        "ir.attachment", "Letter file", readonly=True, ondelete="restrict"
    )
    letter_pending = fields.Boolean(readonly=True, index="btree_not_null")
    letter_error = fields.Text(
        readonly=True, help="Why the letter could not be made (the email went out)."
    )
    error_message = fields.Text("Error", readonly=True)
    cancel_reason = fields.Char(readonly=True)
    hold_reason = fields.Char(
        "Held because",
        readonly=True,
        help="Why this automatic reminder was prepared but not sent.",
    )
    sent_date = fields.Datetime(readonly=True)
    sent_uid = fields.Many2one("res.users", "Sent by", readonly=True)

    _sql_constraints = [
        (
            "partner_date_unique",
            "unique(company_id, partner_id, date)",
            "A customer gets at most one reminder a day.",
        ),
    ]

    @api.depends(
        "line_ids.amount_claim",
        "line_ids.line_type",
        "line_ids.dropped",
        "line_ids.late_penalty_amount",
        "line_ids.recovery_indemnity_amount",
        "currency_id",
        "company_currency_id",
    )
    def _compute_amounts(self):
        for action in self:
            invoices, credits = action._get_invoice_lines(), action._get_credit_lines()
            action.update(
                claim_totals(
                    [
                        (line.amount_claim, line.late_penalty_amount,
                         line.recovery_indemnity_amount, line.move_id.id)
                        for line in invoices
                    ],
                    credits.mapped("amount_claim"),
                    action.currency_id == action.company_currency_id,
                )
            )  # fmt: skip

    def _store_totals(self, totals):
        """Write the totals of new reminders, ``{action: claim_totals()}``,
        in one statement, rounded as the compute stores them, in place of
        the compute: assigning six monetary fields per reminder, then
        flushing them, took 1.2 s of a 2,000-customer night (measured)."""
        for fname in AMOUNT_FIELDS:
            self.env.remove_to_compute(self._fields[fname], self)
        self.invalidate_recordset(AMOUNT_FIELDS)
        rows = []
        for action, values in totals.items():
            amounts = []
            for fname in AMOUNT_FIELDS[:-1]:
                currency = action[self._fields[fname].get_currency_field(action)]
                amounts.append(currency.round(values[fname]) if currency else values[fname])
            rows.append((action.id, *amounts, values["invoice_count"]))
        if rows:
            names, arrays = unnest_arrays((("id", "int[]"), *AMOUNT_COLUMNS), rows)
            self.env.execute_query(
                SQL(
                    "UPDATE account_dunning_action a SET %s FROM unnest(%s) AS t(%s) "
                    "WHERE a.id = t.id",
                    SQL(", ").join(
                        SQL("%s = t.%s", SQL.identifier(fname), SQL.identifier(fname))
                        for fname in AMOUNT_FIELDS
                    ),
                    arrays,
                    names,
                )
            )

    @api.depends("line_ids.move_id", "date")
    def _compute_penalty_warning(self):
        for action in self:
            moves = action._get_invoice_lines().move_id
            figures = moves._get_dunning_figures(action.date) if moves else {}
            warnings = sorted({f["warning"] for f in figures.values() if f["warning"]})
            action.penalty_warning = "; ".join(warnings) or False
            pending = self.env["account.move"]._dunning_pending_of(
                [result for f in figures.values() for result in f["results"]]
            )
            action.penalty_pending = ", ".join(pending["pending"]) or False
            action.penalty_computed_until = pending["computed_until"]

    @api.constrains("receipt_date", "date_sent")
    def _check_receipt_date(self):
        for action in self.filtered("receipt_date"):
            if action.receipt_date < (action.date_sent or action.date):
                raise ValidationError(
                    self.env._("The letter cannot have been received before it was sent.")
                )

    def _record_notice_receipt(self):
        """A formal notice received starts the consumer's interest
        (C. civ. 1344-1): record its date on the invoices it covered."""
        for action in self.filtered(lambda a: a.formal_notice and a.receipt_date):
            action._get_invoice_lines().move_id.sudo().write(
                {"dunning_notice_date": action.receipt_date}
            )

    @api.depends_context("lang")
    @api.depends("partner_id", "level_id", "date", "date_sent")
    def _compute_display_name(self):
        formats = BatchFormats(self.env)
        for action in self:
            day = action.date_sent or action.date
            action.display_name = " - ".join(
                filter(
                    None,
                    [
                        action.partner_id.display_name,
                        action.level_id.name,
                        day and formats.date(day),
                    ],
                )
            )

    # ------------------------------------------------------------------
    # The proof: a sent reminder never changes
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not is_writing_proof():
            for vals in vals_list:
                self._check_pipeline_fields(vals)
                self._check_tracking_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        if not is_writing_proof():
            self._check_pipeline_fields(vals)
            self._check_tracking_fields(vals)
            # What the customer did with the reminder is not its proof.
            frozen = {
                name
                for name in vals
                if name not in WRITABLE_WHEN_SENT
                and name not in TRACKING_FIELDS
                and not name.startswith(CHATTER_PREFIXES)
            }
            sent = self.filtered(lambda a: a.state == "sent")
            if frozen and sent:
                raise UserError(
                    self.env._(
                        "A sent reminder is the proof of what the customer received "
                        "and cannot be changed: %(actions)s",
                        actions=", ".join(sent.mapped("display_name")),
                    )
                )
        result = super().write(vals)
        if "receipt_date" in vals:
            self._record_notice_receipt()
        return result

    def _check_pipeline_fields(self, vals):
        written = PIPELINE_FIELDS.intersection(vals)
        if written - {"state"} or vals.get("state", "to_review") != "to_review":
            raise UserError(
                self.env._(
                    "The status of a reminder and what sending produced change through "
                    "its buttons only (%(fields)s).",
                    fields=", ".join(sorted(written)),
                )
            )

    def _check_tracking_fields(self, vals):
        written = TRACKING_FIELDS.intersection(vals)
        if written and not is_recording_delivery():
            raise UserError(
                self.env._(
                    "What became of a reminder email (opened, clicked, undelivered) is "
                    "recorded by the tracking and the mail server only (%(fields)s).",
                    fields=", ".join(sorted(written)),
                )
            )

    def _message_receive_bounce(self, email, partner):
        """The mail gateway received a bounce of this reminder's email."""
        result = super()._message_receive_bounce(email, partner)
        self.filtered(lambda a: a.state == "sent")._mark_undelivered(
            self.env._("the email to %s bounced", email)
        )
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(action.state == "sent" for action in self):
            raise UserError(
                self.env._("A sent reminder cannot be deleted: it is the proof of the dunning.")
            )

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_send(self):
        """Send reminders waiting for review (or retry failed ones), unless
        the bank statements are late: then "Send anyway" is the choice."""
        for company in self.company_id:
            reason = company._dunning_bank_guard_reason()
            if reason:
                raise UserError(
                    self.env._(
                        "%(reason)s The customer may have paid already: import the "
                        "statements first, or use Send anyway.",
                        reason=reason,
                    )
                )
        return self.action_send_anyway()

    def action_send_anyway(self):
        """Send now. Residuals and credits are read again under lock: an
        invoice paid since the reminder was prepared is dropped, and a
        reminder left with nothing to claim is cancelled."""
        actions = self.filtered(lambda a: a.state in ("to_review", "failed"))
        if actions:
            actions._send_now()
        return True

    def action_cancel(self):
        sent = self.filtered(lambda a: a.state == "sent")
        if sent:
            raise UserError(self.env._("A sent reminder cannot be cancelled."))
        self._set_state(
            "cancelled", cancel_reason=self.env._("Cancelled by %s", self.env.user.name)
        )
        return True

    def action_reset_to_review(self):
        self.filtered(lambda a: a.state in ("failed", "cancelled"))._set_state("to_review")
        return True

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", self._get_invoice_lines().move_id.ids)]
        action["context"] = {"create": False}
        return action

    def action_print_letter(self):
        return self.env.ref("account_dunning_fr.action_report_dunning_letter").report_action(self)

    # ------------------------------------------------------------------
    # What a reminder claims: its lines, built from the open receivable
    # ------------------------------------------------------------------

    @api.model
    def _build_claims(self, today, customers):
        """The lines of each customer's reminder, with the credits set against
        the instalments listed (core/balance.py) and the penalties of each.

        ``customers``: {partner id: (listed, rows)}, ``listed`` mapping the
        open instalments to list to the level they reach today (or None),
        ``rows`` the customer's open receivable lines (OpenLine). Returns
        {partner id: (line values, claim currency id, net due in company
        currency)}.
        """
        extra_payments, plans = {}, {}
        AML = self.env["account.move.line"]
        for partner_id, (listed, rows) in customers.items():
            debts, credits = AML._dunning_debts_and_credits(rows, listed)
            allocation, _left = balance.allocate(debts, credits)
            extra_payments.update(allocation)
            plans[partner_id] = (debts, credits)
        listed_ids = [row_id for listed, _rows in customers.values() for row_id in listed]
        amls = self.env["account.move.line"].browse(listed_ids)
        figures = amls.move_id._get_dunning_figures(today, extra_payments)
        claims = {}
        for partner_id, (listed, rows) in customers.items():
            debts, credits = plans[partner_id]
            claims[partner_id] = self._claim_lines(today, listed, rows, figures)
            claims[partner_id] += (balance.net_due(debts, credits),)
        return claims

    @api.model
    def _claim_lines(self, today, listed, rows, figures):
        """(line values, claim currency id) of one customer."""
        vals_list, indemnity_given = [], set()
        company_currency = self.env.company.currency_id
        kept_rows = [r for r in rows if r.id in listed or r.residual < 0]
        currencies = {r.currency_id for r in kept_rows}
        for row in kept_rows:
            if row.residual < 0:
                vals_list.append(self._credit_line_vals(row))
                continue
            aml = self.env["account.move.line"].browse(row.id)
            move_figures = figures.get(row.move_id, {})
            indemnity = 0.0
            if row.move_id not in indemnity_given:
                indemnity_given.add(row.move_id)
                indemnity = float(move_figures.get("indemnity", 0))
            reached = listed[row.id]
            vals_list.append(
                {
                    "line_type": "invoice",
                    "move_line_id": row.id,
                    "move_id": row.move_id,
                    "name": row.move_name,
                    "invoice_date": aml.move_id.invoice_date,
                    "date_maturity": row.date_maturity,
                    "days_late": (today - row.date_maturity).days,
                    "level_id": reached.id if reached else row.level_id,
                    "escalated": bool(reached),
                    "currency_id": row.currency_id,
                    "amount_total": abs(aml.amount_currency),
                    "amount_residual": row.residual_currency,
                    "amount_residual_company": row.residual,
                    "late_penalty_amount": float(
                        move_figures.get("by_line", {}).get(row.id, Decimal(0))
                    ),
                    "recovery_indemnity_amount": indemnity,
                }
            )
        currency_id = currencies.pop() if len(currencies) == 1 else company_currency.id
        return vals_list, currency_id

    @api.model
    def _credit_line_vals(self, row):
        if row.move_type == "out_refund":
            line_type = "credit_note"
        elif row.payment:
            line_type = "payment"
        else:
            line_type = "credit"
        return {
            "line_type": line_type,
            "move_line_id": row.id,
            "move_id": row.move_id,
            "name": row.move_name,
            "date": row.date,
            "currency_id": row.currency_id,
            "amount_residual": row.residual_currency,
            "amount_residual_company": row.residual,
        }

    # ------------------------------------------------------------------
    # Helpers for templates and letters
    # ------------------------------------------------------------------

    def _get_invoice_lines(self):
        """The instalments claimed (what was paid before sending left out)."""
        return self.line_ids.filtered(lambda line: not line.dropped and line.line_type == "invoice")

    def _get_credit_lines(self):
        """The customer's credits set against the claim."""
        return self.line_ids.filtered(lambda line: not line.dropped and line.line_type != "invoice")

    def _get_letter_reference(self):
        """The reminder's reference printed on its letter: unique, and never
        the shape of an invoice number (INV/2026/00012)."""
        self.ensure_one()
        return "DUN-%06d" % self.id

    def _get_letter_url(self, base_url=None):
        """Where the letter's reference links to: the customer's invoices
        online, the reference in the query (dunning_letters.py finds each
        letter of a batch by it)."""
        self.ensure_one()
        return "%s/my/invoices?reference=%s" % (
            base_url or self.get_base_url(),
            self._get_letter_reference(),
        )

    def _get_legal_regime(self):
        """The customer's regime when French law applies to the company (the
        letters' legal paragraphs depend on it), else False: no French
        figures or mentions for a company abroad."""
        self.ensure_one()
        if not self.company_id._dunning_french_law():
            return False
        return self.partner_id.commercial_partner_id.dunning_regime

    def _get_previous_reminders(self):
        """Reminders sent to this customer before this one (a formal notice
        recalls them, legal_fr.md 8.2)."""
        self.ensure_one()
        return self.search(
            [
                ("partner_id", "=", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("state", "=", "sent"),
                ("id", "!=", self.id),
                ("date_sent", "<=", self.date_sent or self.date),
            ],
            order="date_sent, id",
        )

    @api.model
    def _cost_terms_sql(self):
        """What one reminder ``act`` of the company ``rc`` costs, one SQL term
        per channel, for the reports of the cost per euro recovered (hook: a
        channel bridge adds its own)."""
        return [
            SQL("CASE WHEN act.send_email THEN COALESCE(rc.dunning_cost_email, 0) ELSE 0 END"),
            # Formal notices go by registered letter.
            SQL(
                """CASE WHEN NOT act.send_letter THEN 0
                        WHEN act.formal_notice THEN COALESCE(rc.dunning_cost_registered_letter, 0)
                        ELSE COALESCE(rc.dunning_cost_letter, 0) END"""
            ),
            SQL(
                """CASE WHEN act.create_activity
                        THEN COALESCE(rc.dunning_call_minutes, 0)::numeric / 60
                             * COALESCE(rc.dunning_hourly_cost, 0)
                        ELSE 0 END"""
            ),
        ]

    def _get_payment_instructions(self):
        """Bank account the customer should pay to, from the company."""
        self.ensure_one()
        return self.company_id.partner_id.bank_ids[:1]
