from odoo import fields, models, tools
from odoo.tools import SQL

from odoo.addons.account_dunning_fr.models.receivable.account_move_line import (
    SET_ASIDE_PAYMENT_STATES,
)

# Month ends shown: the current month and the 11 before it.
TREND_MONTHS = 12

# The view reads its rows from this function, so that the settings below
# hold for its query alone (a function's SET clauses end with the call).
# At scale 10, each is worth what is said, the three together 1.15 s to
# 0.9 s: the planner, which takes the receivable account for one of 657
# alike, expects 2,229 receivable lines out of 132,450 and probes the moves
# and partners line by line (nested loops, 0.2 s); with realistic row
# counts its cost passes jit_above_cost and JIT compiles for 1.4 s; and the
# hash of 132,450 lines spills to disk in 4 MB (0.1 s).
FIGURES_FUNCTION = "account_dunning_dso_trend_figures"
FIGURES_SETTINGS = SQL("SET jit = off SET enable_nestloop = off SET work_mem = '64MB'")


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

    def init(self):
        """The view over the figures' function (FIGURES_FUNCTION), made
        again with it: the view depends on the function."""
        cr = self.env.cr
        tools.drop_view_if_exists(cr, self._table)
        cr.execute(SQL("DROP FUNCTION IF EXISTS %s()", SQL.identifier(FIGURES_FUNCTION)))
        figures = self._figures_query()
        cr.execute(
            SQL(
                """CREATE FUNCTION %(name)s()
                   RETURNS TABLE (id integer, company_id integer, date date,
                                  receivable numeric, overdue_amount numeric,
                                  sales_365 numeric, dso numeric)
                   LANGUAGE sql STABLE %(settings)s
                   AS %(body)s""",
                name=SQL.identifier(FIGURES_FUNCTION),
                settings=FIGURES_SETTINGS,
                body=cr.mogrify(figures.code, figures.params).decode(),
            )
        )
        return super().init()

    def _view_query(self):
        return SQL("SELECT * FROM %s()", SQL.identifier(FIGURES_FUNCTION))

    def _figures_query(self):
        """One row per company and month end (the function's body)."""
        return SQL(
            """
            WITH %(ctes)s
            SELECT (f.company_id * %(months)s + f.n)::integer AS id, f.company_id,
                   f.month_end AS date, f.receivable::numeric, f.overdue_amount::numeric,
                   f.sales_365::numeric, (%(dso)s)::numeric AS dso
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
        is seen at; ``month_start``: the months' first days
        (``_counts_from_sql``)."""
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
            ), month_start AS (
                -- The first days of the months after the oldest, in order.
                SELECT array_agg(month_end + 1 ORDER BY n DESC) AS starts
                  FROM month
                 WHERE n > 0
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
        (555,490 rows at scale 10, 4.1 s). ``width_bucket`` finds the month
        among the months' first days (``month_start``) by bisection: 0.2 s
        less than month arithmetic with ``date_part`` for the lines alone at
        scale 10, and no subquery on ``period`` per line."""
        return SQL(
            "%(last)s - width_bucket(%(date)s, (SELECT starts FROM month_start))",
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
        month end. Receivables add up across customers as they are: a
        running sum of the company's contributions (``company_step``).
        Overdue is netted per customer first, never below zero
        (``customer_at``: a customer's net overdue as it stands from the
        month end ``n_from`` to the one after ``n_until``, until something
        more starts to count); only the contributions that move it are
        grouped per customer (``overdue != 0``: 176,050 of 305,630 rows at
        scale 10)."""
        return SQL(
            """
            company_step AS (
                SELECT company_id, n, SUM(receivable) AS receivable
                  FROM contribution
              GROUP BY company_id, n
            ), customer_step AS (
                SELECT company_id, partner_id, n, SUM(overdue) AS overdue
                  FROM contribution
                 WHERE overdue != 0
              GROUP BY company_id, partner_id, n
            ), customer_at AS (
                SELECT company_id, n AS n_from,
                       COALESCE(LEAD(n) OVER customer, -1) AS n_until,
                       SUM(overdue) OVER customer AS net_overdue
                  FROM customer_step
                WINDOW customer AS (PARTITION BY company_id, partner_id ORDER BY n DESC)
            ), overdue AS (
                SELECT period.n, customer_at.company_id,
                       SUM(customer_at.net_overdue) AS amount
                  FROM customer_at
                  JOIN period ON period.n <= customer_at.n_from
                             AND period.n > customer_at.n_until
                 -- Never below zero per customer: the others count 0.
                 WHERE customer_at.net_overdue > 0
              GROUP BY period.n, customer_at.company_id
            ), receivable AS (
                SELECT period.n, company_step.company_id,
                       SUM(company_step.receivable) AS amount
                  FROM company_step
                  JOIN period ON period.n <= company_step.n
              GROUP BY period.n, company_step.company_id
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
                       COALESCE(overdue.amount, 0) AS overdue_amount,
                       COALESCE(sales.amount, 0) AS sales_365
                  FROM period
            CROSS JOIN res_company c
             LEFT JOIN receivable ON receivable.n = period.n AND receivable.company_id = c.id
             LEFT JOIN overdue ON overdue.n = period.n AND overdue.company_id = c.id
             LEFT JOIN sales ON sales.n = period.n AND sales.company_id = c.id
            )
            """
        )
