from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

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
    dunning_action_line_ids = fields.One2many(
        "account.dunning.action.line", "move_id", "Reminders", readonly=True
    )

    @api.constrains("dunning_excluded", "dunning_exclusion_reason", "dunning_promise_date")
    def _check_dunning_exclusion(self):
        for move in self.filtered("dunning_excluded"):
            if not move.dunning_exclusion_reason:
                raise ValidationError(
                    _("Say why invoice %(move)s is excluded from dunning.", move=move.display_name)
                )
            if move.dunning_exclusion_reason == "promise" and not move.dunning_promise_date:
                raise ValidationError(
                    _(
                        "A promise to pay needs the promised date (invoice %(move)s).",
                        move=move.display_name,
                    )
                )

    def _check_dunning_exclusion_allowed(self):
        wrong = self.filtered(lambda m: m.move_type != "out_invoice" or m.state != "posted")
        if wrong:
            raise UserError(
                _(
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
            "name": _("Exclude from dunning"),
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
