from odoo import api, models


class AccountDunningEcbRate(models.Model):
    _inherit = "account.dunning.ecb.rate"

    @api.model
    def _get_rate_alert_users(self):
        """The dunning responsible of each French company the dunning runs
        for: the penalties it claims wait for the rate."""
        companies = self.env["res.company"].sudo().search([("dunning_active", "=", True)])
        users = {
            company._get_dunning_responsible()
            for company in companies
            if company._dunning_french_law()
        }
        return (users - {self.env["res.users"]}) or super()._get_rate_alert_users()
