from odoo import fields, models
from odoo.tools import SQL


class AccountDunningAgeingReport(models.Model):
    """Open receivables by age: one row per open instalment of an invoice,
    and the customer's unallocated credits (unmatched payments, open credit
    notes) as negative rows, so that the total is what customers owe."""

    _name = "account.dunning.ageing.report"
    _inherit = ["account.dunning.sql.view"]
    _description = "Overdue ageing"
    _auto = False
    _order = "date_maturity"

    move_id = fields.Many2one("account.move", "Invoice", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    date_maturity = fields.Date("Due date", readonly=True)
    days_late = fields.Integer(readonly=True, aggregator="max")
    bucket = fields.Selection(
        [
            ("0_not_due", "Not due"),
            ("1_30", "1-30 days"),
            ("2_60", "31-60 days"),
            ("3_90", "61-90 days"),
            ("4_over_90", "Over 90 days"),
            ("5_credit", "Unallocated credits"),
        ],
        "Age",
        readonly=True,
    )
    amount_residual = fields.Monetary("Amount due", readonly=True)

    def _view_query(self):
        return SQL(
            """
                SELECT aml.id, aml.move_id, p.commercial_partner_id AS partner_id,
                       m.company_id, m.invoice_user_id AS user_id, aml.date_maturity,
                       CASE WHEN aml.amount_residual > 0
                            THEN GREATEST(CURRENT_DATE - aml.date_maturity, 0) ELSE 0
                       END AS days_late,
                       CASE
                           WHEN aml.amount_residual < 0 THEN '5_credit'
                           WHEN aml.date_maturity >= CURRENT_DATE THEN '0_not_due'
                           WHEN CURRENT_DATE - aml.date_maturity <= 30 THEN '1_30'
                           WHEN CURRENT_DATE - aml.date_maturity <= 60 THEN '2_60'
                           WHEN CURRENT_DATE - aml.date_maturity <= 90 THEN '3_90'
                           ELSE '4_over_90'
                       END AS bucket,
                       aml.amount_residual
                %s
            """,
            self._open_receivable_lines(),
        )
