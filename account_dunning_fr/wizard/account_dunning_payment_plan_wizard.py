from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..core import instalments


class AccountDunningPaymentPlanWizard(models.TransientModel):
    _name = "account.dunning.payment.plan.wizard"
    _description = "Propose a payment plan"

    partner_id = fields.Many2one("res.partner", "Customer", required=True)
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        required=True,
        domain="[('dunning_open', '=', True), ('commercial_partner_id', '=', partner_id)]",
    )
    include_penalties = fields.Boolean("Include penalties and indemnities")
    instalment_count = fields.Integer("Instalments", default=3, required=True)
    frequency = fields.Selection(
        [
            (instalments.MONTHLY, "Monthly"),
            (instalments.FORTNIGHTLY, "Every two weeks"),
            (instalments.WEEKLY, "Weekly"),
        ],
        default=instalments.MONTHLY,
        required=True,
    )
    first_date = fields.Date(
        "First instalment",
        required=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=30),
    )
    grace_days = fields.Integer("Grace period (days)", default=5)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        moves = self.env["account.move"]
        if context.get("active_model") == "account.move":
            moves = moves.browse(context.get("active_ids", []))
        elif context.get("active_model") == "account.dunning.action":
            moves = (
                self.env["account.dunning.action"]
                .browse(context.get("active_ids", []))
                .line_ids.move_id
            )
        elif context.get("active_model") == "res.partner":
            partner = self.env["res.partner"].browse(context.get("active_id")).commercial_partner_id
            values["partner_id"] = partner.id
            moves = partner._get_open_invoices()
        moves = moves.filtered("dunning_open")
        if moves:
            partners = moves.commercial_partner_id
            if len(partners) > 1:
                raise UserError(self.env._("A payment plan is for the invoices of one customer."))
            values["partner_id"] = partners.id
            values["move_ids"] = [Command.set(moves.ids)]
        return values

    def action_create_plan(self):
        self.ensure_one()
        if not 1 <= self.instalment_count <= instalments.MAX_INSTALMENTS:
            raise UserError(
                self.env._("Choose between 1 and %s instalments.", instalments.MAX_INSTALMENTS)
            )
        plan = self.env["account.dunning.payment.plan"].create(
            {
                "partner_id": self.partner_id.commercial_partner_id.id,
                "company_id": self.move_ids[:1].company_id.id or self.env.company.id,
                "move_ids": [Command.set(self.move_ids.ids)],
                "include_penalties": self.include_penalties,
                "grace_days": self.grace_days,
            }
        )
        plan._check_invoices()
        plan._generate_lines(self.instalment_count, self.frequency, self.first_date)
        return plan.get_formview_action()
