from odoo import api, fields, models
from odoo.tools import SQL


class AccountDunningAction(models.Model):
    _inherit = "account.dunning.action"

    send_sms = fields.Boolean("SMS", readonly=True)
    sms_text = fields.Text("SMS sent", readonly=True)

    @api.model
    def _cost_terms_sql(self):
        return [
            *super()._cost_terms_sql(),
            SQL("CASE WHEN act.send_sms THEN COALESCE(rc.dunning_cost_sms, 0) ELSE 0 END"),
        ]

    def _get_sms_number(self):
        self.ensure_one()
        commercial = self.partner_id.commercial_partner_id
        return commercial.mobile or commercial.phone
