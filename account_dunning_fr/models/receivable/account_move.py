from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from ...tools import bulk
from ...tools.bulk import flush_fields
from .account_move_line import CLOSED_PAYMENT_STATES

EXCLUSION_REASONS = [
    ("dispute", "Dispute"),
    ("promise", "Promise to pay"),
    ("einvoice", "E-invoicing status"),
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
    "dunning_hold_until",
    "dunning_payment_announced_on",
    "dunning_payment_paid_on",
    "dunning_payment_announced_ref",
}
ACCOUNTANT_GROUP = "account.group_account_invoice"


class AccountMove(models.Model):
    _inherit = "account.move"

    # Not indexed: the night rewrites the level of every instalment and
    # invoice it reminds, and a row none of whose indexed columns changes is
    # updated in place (HOT) rather than in each of the table's twenty-odd
    # indexes (scale 1, 14,972 rows: 63 % of these updates HOT instead of
    # none, their SQL time about 610 ms to 380 ms, two nights each).
    # Deleting a level scans the table instead: rare.
    dunning_level_id = fields.Many2one(
        "account.dunning.level",
        "Dunning level",
        copy=False,
        readonly=True,
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
    # A payment the customer announced (its answer "paid", or the buyer's
    # e-invoicing status 211 "Paiement transmis"): the invoice waits a few
    # days for it; unmatched by then, dunning resumes and says so.
    dunning_hold_until = fields.Date(
        "Held until",
        copy=False,
        tracking=True,
        help="Dunning waits for the payment announced until this day, then resumes if the "
        "invoice is still unpaid.",
    )
    dunning_payment_announced_on = fields.Date("Payment announced on", copy=False)
    dunning_payment_paid_on = fields.Date(
        "Paid on, as announced", copy=False, help="The day the customer says it paid."
    )
    dunning_payment_announced_ref = fields.Char("Payment reference announced", copy=False)
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

    @api.model
    def _dunning_exclusion_values(self, reason, promise_date=False, note=False):
        """The values of an exclusion for ``reason``; a promise keeps its date."""
        return {
            "dunning_excluded": True,
            "dunning_exclusion_reason": reason,
            "dunning_promise_date": promise_date if reason == "promise" else False,
            "dunning_exclusion_note": note or False,
        }

    @api.model
    def _dunning_inclusion_values(self):
        """The values of an invoice dunned again: no exclusion left."""
        return {
            "dunning_excluded": False,
            "dunning_exclusion_reason": False,
            "dunning_promise_date": False,
            "dunning_exclusion_note": False,
        }

    def _dunning_exclude(self, reason, promise_date=False, note=False):
        self._check_dunning_exclusion_allowed()
        self.write(self._dunning_exclusion_values(reason, promise_date, note))

    def _dunning_hold_for_announced_payment(
        self, day, until, reference=False, note=False, paid_on=None
    ):
        """On ``day`` the customer announced it paid these invoices (on
        ``paid_on``, default ``day``): dunning waits until ``until``
        (included) for the payment to be matched, and a later reminder can
        say the payment announced was not received."""
        self._check_dunning_exclusion_allowed()
        self.sudo().write(
            {
                "dunning_hold_until": until,
                "dunning_payment_announced_on": day,
                "dunning_payment_paid_on": paid_on or day,
                "dunning_payment_announced_ref": reference or False,
            }
        )
        if note:
            self.sudo()._message_log_batch(bodies=dict.fromkeys(self.ids, note))

    def _dunning_announced_payment_missing(self, today):
        """The invoices whose announced payment is overdue: the hold ended
        before ``today`` and they are still open."""
        return self.filtered(
            lambda m: (
                m.dunning_hold_until
                and m.dunning_hold_until < today
                and m.dunning_payment_announced_on
                and m.payment_state not in CLOSED_PAYMENT_STATES
            )
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
        self.write(self._dunning_inclusion_values())

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
        # Only what the legal figures read: the lines' other columns made half
        # of this search's time (measured).
        lines = self.env["account.move.line"].search_fetch(
            [
                ("move_id", "in", stored.ids),
                ("account_type", "=", "asset_receivable"),
                ("balance", ">", 0),
            ],
            ["move_id", "balance", "date_maturity"],
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
        # Ids gathered, then browsed once a group: a recordset union per
        # invoice is quadratic in the group's size (0.45 s of a night).
        grouped_ids = defaultdict(list)
        # Each level ranked once, not once per invoice it is on (1 % of a night).
        ranks = Level.browse({level_id for ids in levels.values() for level_id in ids})._ranks()
        for move_id, level_ids in levels.items():
            highest_id = Level._highest_id(level_ids, ranks)
            grouped_ids[(highest_id, max(last_dates[move_id], default=None))].append(move_id)
        grouped = {key: self.browse(ids) for key, ids in grouped_ids.items()}
        bulk.write_move_levels(grouped, portal_tokens=portal_tokens)
