from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_score_consumers = fields.Boolean(
        related="company_id.dunning_score_consumers", readonly=False
    )
    dunning_payer_full_days = fields.Integer(
        related="company_id.dunning_payer_full_days", readonly=False
    )
