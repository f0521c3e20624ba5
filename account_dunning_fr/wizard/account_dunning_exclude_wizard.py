from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.receivable.account_move import EXCLUSION_REASONS


class AccountDunningExcludeWizard(models.TransientModel):
    _name = "account.dunning.exclude.wizard"
    _description = "Exclude invoices from dunning"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    reason = fields.Selection(EXCLUSION_REASONS, required=True, default="dispute")
    promise_date = fields.Date("Promised payment date")
    note = fields.Char()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "account.move":
            values["move_ids"] = [(6, 0, self.env.context.get("active_ids", []))]
        return values

    def action_confirm(self):
        self.ensure_one()
        if self.reason == "promise" and not self.promise_date:
            raise UserError(_("A promise to pay needs the promised date."))
        if self.reason == "promise" and self.promise_date < fields.Date.context_today(self):
            raise UserError(_("The promised payment date cannot be in the past."))
        self.move_ids._dunning_exclude(self.reason, self.promise_date, self.note)
        return {"type": "ir.actions.act_window_close"}
