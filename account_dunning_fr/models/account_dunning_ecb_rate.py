from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core.penalties import MissingRate
from ..core.semesters import semester_label, semester_start


class AccountDunningEcbRate(models.Model):
    """ECB main refinancing rate in force on 1 January / 1 July.

    C. com. L441-10 II: "le taux applicable pendant le premier semestre de
    l'année concernée est le taux en vigueur au 1er janvier [...] pour le
    second semestre [...] au 1er juillet". Reference data shared by every
    company: the ECB rate is the same for all.
    """

    _name = "account.dunning.ecb.rate"
    _description = "ECB main refinancing rate by semester"
    _order = "semester_start desc"
    _rec_name = "semester"

    semester_start = fields.Date(required=True, help="1 January or 1 July.")
    semester = fields.Char(compute="_compute_semester", store=True)
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
    source = fields.Char()

    _sql_constraints = [
        ("semester_unique", "unique(semester_start)", "There is already a rate for this semester."),
    ]

    @api.depends("semester_start")
    def _compute_semester(self):
        for rate in self:
            rate.semester = rate.semester_start and semester_label(rate.semester_start)

    @api.depends("rate")
    def _compute_derived_rates(self):
        for rate in self:
            rate.late_penalty_rate = rate.rate + 10
            rate.public_interest_rate = rate.rate + 8

    @api.constrains("semester_start", "rate")
    def _check_semester(self):
        for rate in self:
            if rate.semester_start != semester_start(rate.semester_start):
                raise ValidationError(self.env._("A semester starts on 1 January or 1 July."))
            if rate.rate < 0:
                raise ValidationError(self.env._("A rate cannot be negative."))

    @api.model
    def _get_rate_function(self):
        return make_rate_function(self, "rate", "ecb")


def make_rate_function(model, field_name, table):
    """rate_for(semester_start) -> Decimal percent, for the core.

    Reads the whole table once; raises the core's MissingRate for a
    semester without a rate, so that it never computes as 0 %.
    """
    rates = {
        rec["semester_start"]: Decimal(str(rec[field_name]))
        for rec in model.sudo().search_read([], ["semester_start", field_name])
    }

    def rate_for(semester):
        if semester not in rates:
            raise MissingRate(semester, table)
        return rates[semester]

    return rate_for
