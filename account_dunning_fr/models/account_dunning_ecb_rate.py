from odoo import api, fields, models


class AccountDunningEcbRate(models.Model):
    """ECB main refinancing rate in force on 1 January / 1 July.

    C. com. L441-10 II: "le taux applicable pendant le premier semestre de
    l'année concernée est le taux en vigueur au 1er janvier [...] pour le
    second semestre [...] au 1er juillet".
    """

    _name = "account.dunning.ecb.rate"
    _inherit = ["account.dunning.semester.rate"]
    _description = "ECB main refinancing rate by semester"
    _rate_fields = ("rate",)
    _rate_table = "ecb"

    rate = fields.Float(
        "ECB rate (%)", digits=(5, 2), required=True, help="Main refinancing operations rate."
    )
    late_penalty_rate = fields.Float(
        "Default B2B penalty rate (%)",
        digits=(5, 2),
        compute="_compute_derived_rates",
        help="ECB rate + 10 points (C. com. L441-10 II).",
    )
    public_interest_rate = fields.Float(
        "Public moratory interest rate (%)",
        digits=(5, 2),
        compute="_compute_derived_rates",
        help="ECB rate + 8 points (C. commande publique R2192-31).",
    )

    @api.depends("rate")
    def _compute_derived_rates(self):
        for rate in self:
            rate.late_penalty_rate = rate.rate + 10
            rate.public_interest_rate = rate.rate + 8

    @api.constrains("rate")
    def _check_rate(self):
        self._check_rates_not_negative()

    @api.model
    def _get_rate_function(self):
        return self._make_rate_function("rate")
