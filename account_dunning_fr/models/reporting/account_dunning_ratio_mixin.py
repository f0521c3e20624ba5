from odoo import api, models
from odoo.tools import SQL


class AccountDunningRatioMixin(models.AbstractModel):
    """Ratio measures of a report that stay right when grouped.

    ``_ratio_fields`` maps a measure to (numerator, denominator, factor):
    a grouped row shows sum(numerator) / sum(denominator) x factor, never
    the sum or the average of the rows' ratios.
    """

    _name = "account.dunning.ratio.mixin"
    _description = "Report with ratio measures"
    _ratio_fields = {}

    @api.model
    def _ratio_sql(self, ratio, numerator, denominator):
        """The SQL of one row's ``ratio`` from the SQL expressions of its
        numerator and denominator, so that the views' rows and their grouped
        figures apply the same spec; 0 without a positive denominator."""
        factor = self._ratio_fields[ratio][2]
        return SQL(
            "CASE WHEN %(den)s > 0 THEN %(num)s / %(den)s * %(factor)s ELSE 0 END",
            num=numerator,
            den=denominator,
            factor=factor,
        )

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        aggregates = tuple(aggregates)
        needed = []
        for ratio, (numerator, denominator, _factor) in self._ratio_fields.items():
            if f"{ratio}:sum" in aggregates:
                needed += [f"{numerator}:sum", f"{denominator}:sum"]
        extra = tuple(dict.fromkeys(agg for agg in needed if agg not in aggregates))
        everything = aggregates + extra
        rows = super()._read_group(domain, groupby, everything, having, offset, limit, order)
        offset_aggs = len(groupby)
        result = []
        for row in rows:
            row = list(row)
            for ratio, (numerator, denominator, factor) in self._ratio_fields.items():
                if f"{ratio}:sum" not in aggregates:
                    continue
                num = row[offset_aggs + everything.index(f"{numerator}:sum")] or 0.0
                den = row[offset_aggs + everything.index(f"{denominator}:sum")] or 0.0
                row[offset_aggs + aggregates.index(f"{ratio}:sum")] = (
                    num / den * factor if den else 0.0
                )
            result.append(tuple(row[: offset_aggs + len(aggregates)]))
        return result
