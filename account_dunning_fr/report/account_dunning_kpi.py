from odoo import fields, models
from odoo.tools import SQL


class AccountDunningKpi(models.Model):
    """The finance manager's figures, one row per company.

    DSO = receivables / sales of the last 365 days x 365; average days late
    of the invoices paid in the last 365 days (due date to last payment);
    promises kept = kept / (kept + broken).
    """

    _name = "account.dunning.kpi"
    _inherit = ["account.dunning.sql.view", "account.dunning.ratio.mixin"]
    _description = "Dunning key figures"
    _auto = False
    _depends = {
        "account.dunning.payment.plan": ["state", "move_ids"],
        "account.dunning.call": ["promise_state", "company_id"],
        "account.partial.reconcile": ["debit_move_id", "credit_move_id"],
        "account.move": ["invoice_date", "invoice_date_due", "amount_total_signed"],
    }
    _ratio_fields = {
        "dso": ("receivable", "sales_365", 365),
        "avg_days_late": ("days_late_total", "paid_late_count", 1),
        "promise_kept_rate": ("promises_kept", "promises_due", 100),
    }

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    receivable = fields.Monetary("Receivables", readonly=True)
    overdue_amount = fields.Monetary("Overdue", readonly=True)
    sales_365 = fields.Monetary("Sales of the last 365 days", readonly=True)
    dso = fields.Float("DSO (days)", digits=(16, 1), readonly=True)
    dispute_amount = fields.Monetary("In dispute", readonly=True)
    plan_amount = fields.Monetary("Under a payment plan", readonly=True)
    prescription_amount = fields.Monetary(
        "Prescription soon",
        readonly=True,
        help="Open invoices whose prescription falls within the warning period of the "
        "company (Settings > Dunning, 90 days by default).",
    )
    days_late_total = fields.Integer(readonly=True)
    paid_late_count = fields.Integer("Invoices paid (365 days)", readonly=True)
    avg_days_late = fields.Float("Average days late", digits=(16, 1), readonly=True)
    promises_kept = fields.Integer(readonly=True)
    promises_due = fields.Integer("Promises due", readonly=True)
    promise_kept_rate = fields.Float("Promises kept (%)", digits=(16, 1), readonly=True)

    def _view_query(self):
        return SQL(
            "WITH %s %s",
            SQL(", ").join(
                [
                    self._open_invoice_ctes(),
                    self._overdue_ctes(),
                    self._sales_cte(),
                    self._planned_cte(),
                    self._lateness_ctes(),
                    self._promises_cte(),
                    self._open_figures_cte(),
                ]
            ),
            self._company_figures_select(),
        )

    def _open_invoice_ctes(self):
        """``open_line``: the open receivable lines, whether claimable or
        not; ``open_invoice``: the claimable ones per invoice."""
        return SQL(
            """
            open_line AS (
                SELECT aml.move_id, m.company_id, p.commercial_partner_id AS partner_id,
                       aml.amount_residual AS residual, aml.date_maturity,
                       %(claimable)s AS claimable
                %(open)s
            ), open_invoice AS (
                SELECT line.move_id AS id, line.company_id, SUM(line.residual) AS residual,
                       BOOL_OR(m.dunning_excluded AND m.dunning_exclusion_reason = 'dispute')
                           AS dispute,
                       MIN(m.prescription_date) AS prescription_date
                  FROM open_line line
                  JOIN account_move m ON m.id = line.move_id
                 WHERE line.claimable
              GROUP BY line.move_id, line.company_id
            )
            """,
            open=self._open_receivable_lines(),
            claimable=self._claimable(),
        )

    def _overdue_ctes(self):
        """``overdue``: the company's receivables and overdue, the overdue
        netted per customer first (``customer_balance``)."""
        return SQL(
            """
            customer_balance AS (
                SELECT company_id, partner_id,
                       SUM(residual) AS receivable,
                       COALESCE(SUM(residual) FILTER (
                           WHERE claimable AND date_maturity < CURRENT_DATE), 0)
                       - COALESCE(SUM(-residual) FILTER (WHERE residual < 0), 0) AS net_overdue
                  FROM open_line
              GROUP BY company_id, partner_id
            ), overdue AS (
                -- Each customer's overdue less its credits, never below zero.
                SELECT company_id, SUM(GREATEST(net_overdue, 0)) AS amount,
                       SUM(receivable) AS receivable
                  FROM customer_balance
              GROUP BY company_id
            )
            """
        )

    def _sales_cte(self):
        """``sales``: invoices less credit notes of the last 365 days."""
        return SQL(
            """
            sales AS (
                SELECT company_id,
                       SUM(CASE WHEN invoice_date > CURRENT_DATE - 365
                                THEN amount_total_signed ELSE 0 END) AS sales_365
                  FROM account_move
                 WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund')
              GROUP BY company_id
            )
            """
        )

    def _planned_cte(self):
        """``planned``: what the open invoices under an active plan owe."""
        return SQL(
            """
            planned AS (
                SELECT inv.company_id, SUM(inv.residual) AS amount
                  FROM open_invoice inv
                 WHERE EXISTS (
                       SELECT 1 FROM account_dunning_plan_move_rel rel
                         JOIN account_dunning_payment_plan plan ON plan.id = rel.plan_id
                        WHERE rel.move_id = inv.id AND plan.state = 'active')
              GROUP BY inv.company_id
            )
            """
        )

    def _lateness_ctes(self):
        """``lateness``: the days late of the invoices paid in the last 365
        days, from the due date to the last payment (``last_payment``)."""
        return SQL(
            """
            last_payment AS (
                SELECT m.id, m.company_id, m.invoice_date_due, MAX(pay.date) AS paid_on
                  FROM account_move m
                  JOIN account_move_line aml ON aml.move_id = m.id
                  JOIN account_partial_reconcile apr ON apr.debit_move_id = aml.id
                  JOIN account_move_line pay ON pay.id = apr.credit_move_id
                 WHERE m.state = 'posted' AND m.move_type = 'out_invoice'
                   AND m.payment_state IN ('paid', 'in_payment')
              GROUP BY m.id, m.company_id, m.invoice_date_due
            ), lateness AS (
                SELECT company_id,
                       SUM(GREATEST(paid_on - invoice_date_due, 0)) AS days_late_total,
                       COUNT(*) AS paid_count
                  FROM last_payment
                 WHERE paid_on > CURRENT_DATE - 365
              GROUP BY company_id
            )
            """
        )

    def _promises_cte(self):
        """``promises``: the promises kept, and those due (kept or broken)."""
        return SQL(
            """
            promises AS (
                SELECT company_id,
                       COUNT(*) FILTER (WHERE promise_state = 'kept') AS kept,
                       COUNT(*) FILTER (WHERE promise_state IN ('kept', 'broken')) AS due
                  FROM account_dunning_call
              GROUP BY company_id
            )
            """
        )

    def _open_figures_cte(self):
        """``open_figures``: what the open invoices in dispute owe, and those
        whose prescription falls within the company's warning period."""
        return SQL(
            """
            open_figures AS (
                SELECT inv.company_id,
                       SUM(inv.residual) FILTER (WHERE inv.dispute) AS dispute,
                       SUM(inv.residual) FILTER (
                           WHERE inv.prescription_date
                                 <= CURRENT_DATE + COALESCE(rc.dunning_prescription_alert_days, 0)
                       ) AS prescription
                  FROM open_invoice inv
                  JOIN res_company rc ON rc.id = inv.company_id
              GROUP BY inv.company_id
            )
            """
        )

    def _company_figures_select(self):
        """One row per company, 0 where a CTE has nothing for it."""
        return SQL(
            """
            SELECT c.id, c.id AS company_id,
                   COALESCE(overdue.receivable, 0) AS receivable,
                   COALESCE(overdue.amount, 0) AS overdue_amount,
                   COALESCE(sales.sales_365, 0) AS sales_365,
                   %(dso)s AS dso,
                   COALESCE(open_figures.dispute, 0) AS dispute_amount,
                   COALESCE(planned.amount, 0) AS plan_amount,
                   COALESCE(open_figures.prescription, 0) AS prescription_amount,
                   COALESCE(lateness.days_late_total, 0) AS days_late_total,
                   COALESCE(lateness.paid_count, 0) AS paid_late_count,
                   CASE WHEN lateness.paid_count > 0
                        THEN lateness.days_late_total::float / lateness.paid_count
                        ELSE 0 END AS avg_days_late,
                   COALESCE(promises.kept, 0) AS promises_kept,
                   COALESCE(promises.due, 0) AS promises_due,
                   CASE WHEN promises.due > 0
                        THEN promises.kept::float / promises.due * 100 ELSE 0 END
                       AS promise_kept_rate
              FROM res_company c
         LEFT JOIN sales ON sales.company_id = c.id
         LEFT JOIN overdue ON overdue.company_id = c.id
         LEFT JOIN planned ON planned.company_id = c.id
         LEFT JOIN lateness ON lateness.company_id = c.id
         LEFT JOIN promises ON promises.company_id = c.id
         LEFT JOIN open_figures ON open_figures.company_id = c.id
            """,
            dso=self._ratio_sql("dso", SQL("overdue.receivable"), SQL("sales.sales_365")),
        )
