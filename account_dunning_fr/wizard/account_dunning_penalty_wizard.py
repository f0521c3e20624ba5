from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount


class AccountDunningPenaltyWizard(models.TransientModel):
    """Bill (or waive) the late-payment penalties and recovery indemnities
    of invoices: one customer invoice per customer, without VAT (penalties
    and the 40 EUR indemnity are damages, not the price of a supply:
    legal_fr.md 1.5 and 1.6). A period is never billed twice."""

    _name = "account.dunning.penalty.wizard"
    _description = "Bill late-payment penalties"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    until = fields.Date("Penalties until", required=True, default=fields.Date.context_today)
    mode = fields.Selection(
        [("bill", "Bill them"), ("waive", "Waive them")], required=True, default="bill"
    )
    waiver_reason = fields.Char()
    summary = fields.Html(compute="_compute_summary")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "account.move":
            values["move_ids"] = [Command.set(self.env.context.get("active_ids", []))]
        return values

    @api.depends("move_ids", "until")
    def _compute_summary(self):
        for wizard in self:
            try:
                lines = wizard._get_billable_lines()
            except UserError as error:
                wizard.summary = Markup("<p class='text-danger'>%s</p>") % error.args[0]
                continue
            currency = wizard.move_ids.company_id.currency_id[:1]
            wizard.summary = Markup("").join(
                Markup("<p>%s: <b>%s</b></p>")
                % (label, format_amount(self.env, float(amount), currency))
                for _move, _kind, label, amount in lines
            ) or Markup("<p>%s</p>") % _("Nothing left to bill.")

    def _get_billable_lines(self):
        """[(invoice, kind, label, amount)] not billed or waived yet, to ``until``."""
        self.ensure_one()
        return self.move_ids._dunning_get_billable(self.until)

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "waive":
            self.move_ids._dunning_waive_penalties(self.until, self.waiver_reason)
            return {"type": "ir.actions.act_window_close"}
        bills = self.move_ids._dunning_bill_penalties(self.until)
        if not bills:
            raise UserError(_("There is nothing left to bill or waive on these invoices."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", bills.ids)],
            "name": _("Penalty invoices"),
        }
