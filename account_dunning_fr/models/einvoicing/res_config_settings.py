from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_einvoice_paid_hold_days = fields.Integer(
        related="company_id.dunning_einvoice_paid_hold_days", readonly=False
    )
    dunning_einvoice_allowed_senders = fields.Char(
        related="company_id.dunning_einvoice_allowed_senders", readonly=False
    )
    dunning_einvoice_api_key_date = fields.Datetime(
        related="company_id.dunning_einvoice_api_key_date"
    )
    dunning_einvoice_alias_name = fields.Char(
        "Alias for e-invoicing statuses",
        compute="_compute_dunning_einvoice_alias_name",
        store=True,
        readonly=False,
    )
    dunning_einvoice_alias_domain = fields.Char(related="company_id.alias_domain_id.name")

    @api.depends("company_id.dunning_einvoice_alias_id.alias_name")
    def _compute_dunning_einvoice_alias_name(self):
        for settings in self:
            settings.dunning_einvoice_alias_name = (
                settings.company_id.sudo().dunning_einvoice_alias_id.alias_name
            )

    def set_values(self):
        result = super().set_values()
        company = self.company_id
        if (self.dunning_einvoice_alias_name or False) != (
            company.sudo().dunning_einvoice_alias_id.alias_name or False
        ):
            company._dunning_einvoice_set_alias(self.dunning_einvoice_alias_name)
        return result

    def action_dunning_einvoice_new_api_key(self):
        """A new key for the company's HTTP endpoint, shown once."""
        self.ensure_one()
        key = self.company_id._dunning_einvoice_new_api_key()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.dunning.einvoice.key.show",
            "name": self.env._("E-invoicing API key"),
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_key": key,
                "default_endpoint": self.company_id.get_base_url() + "/dunning/einvoicing/cdar",
            },
        }
