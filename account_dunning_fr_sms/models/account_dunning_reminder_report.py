from odoo import api, models
from odoo.tools import SQL


class AccountDunningReminderReport(models.Model):
    _inherit = "account.dunning.reminder.report"
    _depends = {"account.dunning.action": ["send_sms"], "res.company": ["dunning_cost_sms"]}

    @api.model
    def _reminder_cost_terms(self):
        return [
            *super()._reminder_cost_terms(),
            SQL("CASE WHEN act.send_sms THEN COALESCE(rc.dunning_cost_sms, 0) ELSE 0 END"),
        ]
