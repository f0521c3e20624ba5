from odoo import fields, models
from odoo.tools import SQL


class AccountDunningDsoReport(models.Model):
    """Days sales outstanding, by company, customer and salesperson.

    DSO = receivables still open (the open receivable: invoices less
    unmatched payments and credit notes) / credit sales of the last 365 days
    x 365 (sales: customer invoices less credit notes, incl. VAT, dated
    within the last 365 days). The salesperson is the customer's. Grouped
    figures are recomputed from the grouped sums, never averaged.
    """

    _name = "account.dunning.dso.report"
    _inherit = ["account.dunning.sql.view", "account.dunning.ratio.mixin"]
    _description = "Days sales outstanding"
    _auto = False
    _depends = {"account.move": ["invoice_date", "amount_total_signed"]}
    _ratio_fields = {"dso": ("receivable", "sales_365", 365)}

    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    receivable = fields.Monetary("Receivables", readonly=True)
    sales_365 = fields.Monetary("Sales of the last 365 days", readonly=True)
    dso = fields.Float(
        "DSO (days)",
        digits=(16, 1),
        readonly=True,
        aggregator="sum",
        help="Receivables / sales of the last 365 days x 365.",
    )

    def _view_query(self):
        return SQL(
            """
            WITH receivable AS (
                SELECT p.commercial_partner_id AS partner_id, m.company_id,
                       SUM(aml.amount_residual) AS amount
                %(open)s
              GROUP BY p.commercial_partner_id, m.company_id
            ), sales AS (
                SELECT commercial_partner_id AS partner_id, company_id,
                       SUM(amount_total_signed) AS amount
                  FROM account_move
                 WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund')
                   AND invoice_date > CURRENT_DATE - 365
              GROUP BY commercial_partner_id, company_id
            ), figures AS (
                SELECT COALESCE(r.partner_id, s.partner_id) AS partner_id,
                       COALESCE(r.company_id, s.company_id) AS company_id,
                       COALESCE(r.amount, 0) AS receivable,
                       COALESCE(s.amount, 0) AS sales_365
                  FROM receivable r
             FULL JOIN sales s ON s.partner_id = r.partner_id AND s.company_id = r.company_id
            )
            SELECT ROW_NUMBER() OVER (ORDER BY f.partner_id, f.company_id) AS id,
                   f.partner_id, f.company_id, cp.user_id, f.receivable, f.sales_365,
                   %(dso)s AS dso
              FROM figures f
              JOIN res_partner cp ON cp.id = f.partner_id
            """,
            open=self._open_receivable_lines(),
            dso=self._ratio_sql("dso", SQL("f.receivable"), SQL("f.sales_365")),
        )
