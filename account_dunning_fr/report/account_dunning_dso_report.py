from odoo import fields, models
from odoo.tools import SQL


class AccountDunningDsoReport(models.Model):
    """Days sales outstanding, by company, customer and salesperson.

    DSO = receivables still open / credit sales of the last 365 days x 365
    (sales: customer invoices less credit notes, incl. VAT, dated within
    the last 365 days). Grouped figures are recomputed from the grouped
    sums, never averaged.
    """

    _name = "account.dunning.dso.report"
    _inherit = ["account.dunning.sql.view", "account.dunning.ratio.mixin"]
    _description = "Days sales outstanding"
    _auto = False
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
            WITH figures AS (
                SELECT m.commercial_partner_id AS partner_id, m.company_id,
                       m.invoice_user_id AS user_id,
                       SUM(m.amount_residual_signed) AS receivable,
                       SUM(CASE WHEN m.invoice_date > CURRENT_DATE - 365
                                THEN m.amount_total_signed ELSE 0 END) AS sales_365
                  FROM account_move m
                 WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
              GROUP BY m.commercial_partner_id, m.company_id, m.invoice_user_id
            )
            SELECT ROW_NUMBER() OVER (ORDER BY partner_id, company_id, user_id) AS id,
                   partner_id, company_id, user_id, receivable, sales_365,
                   CASE WHEN sales_365 > 0 THEN receivable / sales_365 * 365 ELSE 0 END AS dso
              FROM figures
            """
        )
