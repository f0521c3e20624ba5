from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core.penalties import MissingRate
from ..core.semesters import semester_label, semester_start


class AccountDunningSemesterRate(models.AbstractModel):
    """A rate table by calendar semester (1 January, 1 July), as French
    rates are published: the ECB rate for L441-10 II and the legal
    interest rate of C. mon. fin. L313-2. Reference data shared by every
    company."""

    _name = "account.dunning.semester.rate"
    _description = "Rate by semester"
    _order = "semester_start desc"
    _rec_name = "semester"
    _rate_fields = ()  # the percent fields, checked not negative
    _rate_table = ""  # the name MissingRate reports

    semester_start = fields.Date(required=True, help="1 January or 1 July.")
    semester = fields.Char(compute="_compute_semester", store=True)
    source = fields.Char()

    _sql_constraints = [
        ("semester_unique", "unique(semester_start)", "There is already a rate for this semester."),
    ]

    @api.depends("semester_start")
    def _compute_semester(self):
        for rate in self:
            rate.semester = rate.semester_start and semester_label(rate.semester_start)

    @api.constrains("semester_start")
    def _check_semester_start(self):
        for rate in self:
            if rate.semester_start != semester_start(rate.semester_start):
                raise ValidationError(self.env._("A semester starts on 1 January or 1 July."))

    def _check_rates_not_negative(self):
        for rate in self:
            if any(rate[name] < 0 for name in self._rate_fields):
                raise ValidationError(self.env._("A rate cannot be negative."))

    @api.model
    def _make_rate_function(self, field_name):
        """rate_for(semester_start) -> Decimal percent, for the core.

        Reads the whole table once; raises the core's MissingRate for a
        semester without a rate, so that it never computes as 0 %.
        """
        rates = {
            rec["semester_start"]: Decimal(str(rec[field_name]))
            for rec in self.sudo().search_read([], ["semester_start", field_name])
        }

        def rate_for(semester):
            if semester not in rates:
                raise MissingRate(semester, self._rate_table)
            return rates[semester]

        return rate_for
