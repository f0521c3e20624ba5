from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ecb_rate_auto_fetch = fields.Boolean(
        "Fetch the ECB rates",
        config_parameter="l10n_fr_payment_delay.ecb_auto_fetch",
        help="Each month, fill the semesters whose ECB rate is missing from the ECB Data "
        "Portal. A rate entered by hand is never overwritten.",
    )
