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
                    self._contribution_ctes(),
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

    def _counts_from_sql(self, date):
        """The oldest month end (its ``n`` in ``period``) at which something
        dated ``date`` counts: ``date`` is on or before the month end ``n``
        months back as long as its month is at least ``n`` months old; the
        current month's cutoff has no end, so everything counts at ``n = 0``.

        Month ends only add entries as they near today (a later cutoff sees
        all an earlier one saw), so each line and each reconciliation counts
        from one month end on, and each figure is a running sum
        (``_receivable_ctes``) rather than one row per line and month end
        (555,490 rows at scale 10, 4.1 s). Arithmetic rather than a
        subquery on ``period`` per line (0.2 s of 1.5 s at scale 10), with
        ``date_part`` (a float) rather than ``EXTRACT`` (a numeric, slower)."""
        return SQL(
            """LEAST(%(last)s, GREATEST(0,
                   (date_part('year', CURRENT_DATE) * 12 + date_part('month', CURRENT_DATE))::int
                   - (date_part('year', %(date)s) * 12 + date_part('month', %(date)s))::int))""",
            last=TREND_MONTHS - 1,
            date=date,
        )

    def _line_cte(self):
        """``line``: the customers' receivable lines that may owe something
        at one of the month ends, with the oldest month end each is owed at
        (``owed_from``) and, for an invoice's debit, the oldest one it is
        overdue at (``overdue_from``, NULL while not due): due before the
        month end's ``as_of``, i.e. the day after its due date counts."""
        return SQL(
            """
            line AS (
                SELECT aml.id, aml.balance, m.company_id,
                       p.commercial_partner_id AS partner_id,
                       %(owed_from)s AS owed_from,
                       CASE WHEN m.move_type = 'out_invoice' AND aml.balance >= 0
                                 AND aml.date_maturity < CURRENT_DATE
                            THEN LEAST(%(owed_from)s, %(due_from)s)
                       END AS overdue_from
                %(receivable)s
                   AND m.payment_state NOT IN %(set_aside)s
                   -- Lines settled before the first month end owe nothing at
                   -- any of them: left out, so that years of history cost
                   -- nothing. IN rather than two OR'ed EXISTS, which the
                   -- planner costs as a subquery per line (4.4 million at
                   -- scale 10, so that PostgreSQL's JIT spent 1.3 s
                   -- optimising the query).
                   AND (aml.reconciled IS NOT TRUE
                        OR aml.id IN (SELECT debit_move_id FROM account_partial_reconcile
                                       WHERE max_date > (SELECT MIN(month_end) FROM month)
                                       UNION ALL
                                      SELECT credit_move_id FROM account_partial_reconcile
                                       WHERE max_date > (SELECT MIN(month_end) FROM month)))
            )
            """,
            owed_from=self._counts_from_sql(SQL("aml.date")),
            due_from=self._counts_from_sql(SQL("(aml.date_maturity + 1)")),
            receivable=self.env["account.move.line"]._dunning_receivable_lines_sql(),
            set_aside=SET_ASIDE_PAYMENT_STATES,
        )

    def _contribution_ctes(self):
        """``contribution``: what each line and each of its reconciliations
        adds to its customer's receivable and net overdue from the month end
        ``n`` on. A reconciliation counts once its ``max_date`` (the date
        Odoo's aged receivable uses) is reached and the line is. Overdue is
        an invoice debit's residual once due, plus every credit line's
        residual (payments, credit notes not yet allocated): a debit's
        residual never goes below zero nor a credit's above, so their sums
        are the per-line ``residual > 0`` / ``< 0`` split of the KPI."""
        return SQL(
            """
            matched AS (
                -- Summed per line and month end first: a hash join on
                -- 59,160 rows at scale 10 rather than an index probe per line.
                SELECT line_id, %(counted_from)s AS counted_from, SUM(amount) AS amount
                  FROM (SELECT debit_move_id AS line_id, max_date, -amount AS amount
                          FROM account_partial_reconcile
                         UNION ALL
                        SELECT credit_move_id, max_date, amount
                          FROM account_partial_reconcile) AS side
              GROUP BY line_id, 2
            ), line_matched AS (
                SELECT line.*, matched.amount, matched.counted_from
                  FROM line
                  JOIN matched ON matched.line_id = line.id
            ), contribution AS (
                SELECT company_id, partner_id, owed_from AS n, balance AS receivable,
                       LEAST(balance, 0) AS overdue
                  FROM line
                 UNION ALL
                SELECT company_id, partner_id, overdue_from, 0, balance
                  FROM line
                 WHERE overdue_from IS NOT NULL
                 UNION ALL
                SELECT company_id, partner_id, LEAST(owed_from, counted_from), amount,
                       CASE WHEN balance < 0 THEN amount ELSE 0 END
                  FROM line_matched
                 UNION ALL
                SELECT company_id, partner_id, LEAST(overdue_from, counted_from), 0, amount
                  FROM line_matched
                 WHERE overdue_from IS NOT NULL
            )
            """,
            counted_from=self._counts_from_sql(SQL("side.max_date")),
        )

    def _receivable_ctes(self):
        """``receivable``: the company's receivables and overdue at each
        month end, the overdue netted per customer first (``customer_at``:
        a customer's figures as they stand from the month end ``n_from`` to
        the one after ``n_until``, until something more starts to count)."""
        return SQL(
            """
            customer_step AS (
                SELECT company_id, partner_id, n,
                       SUM(receivable) AS receivable, SUM(overdue) AS overdue
                  FROM contribution
              GROUP BY company_id, partner_id, n
            ), customer_at AS (
                SELECT company_id, n AS n_from,
                       COALESCE(LEAD(n) OVER customer, -1) AS n_until,
                       SUM(receivable) OVER customer AS receivable,
                       SUM(overdue) OVER customer AS net_overdue
                  FROM customer_step
                WINDOW customer AS (PARTITION BY company_id, partner_id ORDER BY n DESC)
            ), receivable AS (
                SELECT period.n, customer_at.company_id,
                       SUM(customer_at.receivable) AS amount,
                       SUM(GREATEST(customer_at.net_overdue, 0)) AS overdue
                  FROM customer_at
                  JOIN period ON period.n <= customer_at.n_from
                             AND period.n > customer_at.n_until
              GROUP BY period.n, customer_at.company_id
            )
            """
        )

    def _sales_cte(self):
        """``sales``: invoices less credit notes of the 365 days up to each
        month end, summed per day first (a few hundred rows to join with the
        month ends rather than every invoice: 0.27 s to 0.06 s at scale 10)."""
        return SQL(
            """
            sales_day AS (
                SELECT m.company_id, m.invoice_date, SUM(m.amount_total_signed) AS amount
                  FROM account_move m
                 WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.invoice_date > (SELECT MIN(as_of) FROM period) - 365
              GROUP BY m.company_id, m.invoice_date
            ), sales AS (
                SELECT period.n, sales_day.company_id, SUM(sales_day.amount) AS amount
                  FROM period
                  JOIN sales_day ON sales_day.invoice_date > period.as_of - 365
                                AND sales_day.invoice_date <= period.cutoff
              GROUP BY period.n, sales_day.company_id
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
