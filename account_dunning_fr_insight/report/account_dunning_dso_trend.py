from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.account_dunning_fr.models.receivable.account_move_line import (
    SET_ASIDE_PAYMENT_STATES,
)

# Month ends shown: the current month and the 11 before it.
TREND_MONTHS = 12


class AccountDunningDsoTrend(models.Model):
    """Monthly DSO: one row per company and month end of the last 12 months.

    Receivables at a month end D are what the receivable lines still owed on
    that day: every posted receivable line of a customer dated on or before
    D, less (debit side) or plus (credit side) its partial reconciliations
    whose later line is dated on or before D (``max_date``, the date Odoo's
    aged receivable uses). Payments, credit notes and their matches dated
    after D do not count yet. Invoices set aside whatever they owe (blocked,
    legacy; ``SET_ASIDE_PAYMENT_STATES``) are left out, as from the open
    receivable. Sales are customer invoices less credit notes, incl. VAT,
    dated within the 365 days up to D. DSO = receivables / sales x 365, as
    in ``account.dunning.dso.report`` (``_ratio_sql``).

    The current month is today's figure: like the open receivable
    (``account.move.line._dunning_open_lines_sql``) it counts everything
    posted whatever its date, so it equals the DSO report's company total.

    Overdue at D: the customer's claimable lines (invoice debits still owed)
    due before D, less its unallocated credits, never below zero per
    customer, as the dunning dashboard (``account.dunning.kpi``) counts it.
    """

    _name = "account.dunning.dso.trend"
    _inherit = ["account.dunning.sql.view", "account.dunning.ratio.mixin"]
    _description = "Monthly DSO"
    _auto = False
    _order = "date, company_id"
    _depends = {
        "account.move": ["invoice_date", "amount_total_signed"],
        "account.move.line": ["balance"],
        "account.partial.reconcile": ["debit_move_id", "credit_move_id", "amount", "max_date"],
    }
    _ratio_fields = {"dso": ("receivable", "sales_365", 365)}

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date("Month end", readonly=True)
    receivable = fields.Monetary("Receivables", readonly=True)
    overdue_amount = fields.Monetary("Overdue", readonly=True)
    sales_365 = fields.Monetary("Sales of the last 365 days", readonly=True)
    dso = fields.Float(
        "DSO (days)",
        digits=(16, 1),
        readonly=True,
        help="Receivables at the month end / sales of the 365 days up to it x 365.",
    )

    def _view_query(self):
        return SQL(
            """
            WITH %(ctes)s
            SELECT f.company_id * %(months)s + f.n AS id, f.company_id, f.month_end AS date,
                   f.receivable, f.overdue_amount, f.sales_365,
                   %(dso)s AS dso
              FROM figures f
            """,
            ctes=SQL(", ").join(
                [
                    self._period_ctes(),
                    self._line_cte(),
                    self._line_at_ctes(),
                    self._receivable_ctes(),
                    self._sales_cte(),
                    self._figures_cte(),
                ]
            ),
            months=TREND_MONTHS,
            dso=self._ratio_sql("dso", SQL("f.receivable"), SQL("f.sales_365")),
        )

    def _period_ctes(self):
        """``month``: the TREND_MONTHS month ends; ``period``: the date each
        is seen at."""
        return SQL(
            """
            month AS (
                SELECT n, (date_trunc('month', CURRENT_DATE) - n * INTERVAL '1 month'
                           + INTERVAL '1 month - 1 day')::date AS month_end
                  FROM generate_series(0, %(months)s - 1) AS n
            ), period AS (
                -- The current month is as of today and, like the open
                -- receivable, counts the entries dated later too.
                SELECT n, month_end,
                       CASE WHEN n = 0 THEN 'infinity'::date ELSE month_end END AS cutoff,
                       CASE WHEN n = 0 THEN CURRENT_DATE ELSE month_end END AS as_of
                  FROM month
            )
            """,
            months=TREND_MONTHS,
        )

    def _line_cte(self):
        """``line``: the customers' receivable lines that may owe something
        at one of the month ends."""
        return SQL(
            """
            line AS (
                SELECT aml.id, aml.date, aml.date_maturity, aml.balance, m.company_id,
                       p.commercial_partner_id AS partner_id,
                       m.move_type = 'out_invoice' AS on_invoice
                %(receivable)s
                   AND m.payment_state NOT IN %(set_aside)s
                   -- Lines settled before the first month end owe nothing at
                   -- any of them: left out, so that years of history cost nothing.
                   AND (aml.reconciled IS NOT TRUE
                        OR EXISTS (SELECT 1 FROM account_partial_reconcile apr
                                    WHERE apr.debit_move_id = aml.id
                                      AND apr.max_date > (SELECT MIN(month_end) FROM month))
                        OR EXISTS (SELECT 1 FROM account_partial_reconcile apr
                                    WHERE apr.credit_move_id = aml.id
                                      AND apr.max_date > (SELECT MIN(month_end) FROM month)))
            )
            """,
            receivable=self.env["account.move.line"]._dunning_receivable_lines_sql(),
            set_aside=SET_ASIDE_PAYMENT_STATES,
        )

    def _line_at_ctes(self):
        """``line_at``: each line's residual at each month end, its
        reconciliations (``matched``) counted once their ``max_date`` is
        reached."""
        return SQL(
            """
            matched AS (
                SELECT debit_move_id AS line_id, max_date, -amount AS amount
                  FROM account_partial_reconcile
                 UNION ALL
                SELECT credit_move_id, max_date, amount
                  FROM account_partial_reconcile
            ), line_at AS (
                -- Each line as it stood at each month end.
                SELECT period.n, line.company_id, line.partner_id,
                       line.on_invoice AND line.date_maturity < period.as_of AS due,
                       line.on_invoice,
                       line.balance + COALESCE(SUM(matched.amount), 0) AS residual
                  FROM period
                  JOIN line ON line.date <= period.cutoff
             LEFT JOIN matched ON matched.line_id = line.id AND matched.max_date <= period.cutoff
              GROUP BY period.n, line.id, line.company_id, line.partner_id, line.on_invoice,
                       line.date_maturity, period.as_of, line.balance
            )
            """
        )

    def _receivable_ctes(self):
        """``receivable``: the company's receivables and overdue at each
        month end, the overdue netted per customer first (``customer_at``)."""
        return SQL(
            """
            customer_at AS (
                SELECT n, company_id, SUM(residual) AS receivable,
                       COALESCE(SUM(residual) FILTER (WHERE due AND residual > 0), 0)
                       + COALESCE(SUM(residual) FILTER (WHERE residual < 0), 0) AS net_overdue
                  FROM line_at
              GROUP BY n, company_id, partner_id
            ), receivable AS (
                SELECT n, company_id, SUM(receivable) AS amount,
                       SUM(GREATEST(net_overdue, 0)) AS overdue
                  FROM customer_at
              GROUP BY n, company_id
            )
            """
        )

    def _sales_cte(self):
        """``sales``: invoices less credit notes of the 365 days up to each
        month end."""
        return SQL(
            """
            sales AS (
                SELECT period.n, m.company_id, SUM(m.amount_total_signed) AS amount
                  FROM period
                  JOIN account_move m ON m.invoice_date > period.as_of - 365
                                     AND m.invoice_date <= period.cutoff
                 WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
              GROUP BY period.n, m.company_id
            )
            """
        )

    def _figures_cte(self):
        """``figures``: one row per company and month end, 0 where nothing
        was owed or sold."""
        return SQL(
            """
            figures AS (
                SELECT period.n, period.month_end, c.id AS company_id,
                       COALESCE(receivable.amount, 0) AS receivable,
                       COALESCE(receivable.overdue, 0) AS overdue_amount,
                       COALESCE(sales.amount, 0) AS sales_365
                  FROM period
            CROSS JOIN res_company c
             LEFT JOIN receivable ON receivable.n = period.n AND receivable.company_id = c.id
             LEFT JOIN sales ON sales.n = period.n AND sales.company_id = c.id
            )
            """
        )
