from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_credit_hold = fields.Boolean(related="company_id.dunning_credit_hold", readonly=False)
    dunning_hold_overdue = fields.Boolean(related="company_id.dunning_hold_overdue", readonly=False)
    dunning_hold_formal_notice = fields.Boolean(
        related="company_id.dunning_hold_formal_notice", readonly=False
    )
    dunning_hold_litigation = fields.Boolean(
        related="company_id.dunning_hold_litigation", readonly=False
    )
