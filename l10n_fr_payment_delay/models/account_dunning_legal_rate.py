from decimal import Decimal

from odoo import api, fields, models

from ..core.penalties import CONTRACT_FLOOR_FACTOR, contractual_rate_below_floor
from ..core.semesters import semester_start


class AccountDunningLegalRate(models.Model):
    """French legal interest rate (taux de l'intérêt légal) by semester.

    C. mon. fin. L313-2: two rates, for creditors who are individuals not
    acting for their business, and for all other cases. A company dunning
    uses the "other cases" rate: for consumers' interest after a formal
    notice (C. civ. 1231-6), and for the floor of a contractual B2B rate
    (3 x that rate, C. com. L441-10 II).
    """

    _name = "account.dunning.legal.rate"
    _inherit = ["account.dunning.semester.rate"]
    _description = "French legal interest rate by semester"
    _rate_fields = ("rate_individuals", "rate_other")
    _rate_table = "legal"

    rate_individuals = fields.Float(
        "Rate, creditor an individual (%)", digits=(5, 2), required=True
    )
    rate_other = fields.Float("Rate, other cases (%)", digits=(5, 2), required=True)
    contract_floor_rate = fields.Float(
        "Floor of a contractual B2B rate (%)",
        digits=(5, 2),
        compute="_compute_contract_floor_rate",
        help="3 x the rate for other cases (C. com. L441-10 II).",
    )

    @api.depends("rate_other")
    def _compute_contract_floor_rate(self):
        for rate in self:
            rate.contract_floor_rate = float(CONTRACT_FLOOR_FACTOR) * rate.rate_other

    @api.constrains("rate_individuals", "rate_other")
    def _check_rates(self):
        self._check_rates_not_negative()

    @api.model
    def _get_floor_warning(self, contractual_rate, day):
        """A warning when a contractual B2B rate is below 3 x the legal rate
        ("autres cas") of the semester of ``day`` (C. com. L441-10 II)."""
        legal = self.sudo().search([("semester_start", "=", semester_start(day))], limit=1)
        if legal and contractual_rate_below_floor(contractual_rate, Decimal(str(legal.rate_other))):
            return self.env._(
                "The contractual rate %(rate)s %% is below the legal floor of %(floor)s %% "
                "(3 x the legal interest rate of %(semester)s, C. com. L441-10 II).",
                rate=contractual_rate,
                floor="%.2f" % legal.contract_floor_rate,
                semester=legal.semester,
            )
        return False

    @api.model
    def _get_rate_function(self):
        return self._make_rate_function("rate_other")
