from odoo import fields, models
from odoo.tools import SQL


class AccountDunningCollectionReport(models.Model):
    """Average collection time: days from the due date to the payment,
    weighted by the amount paid, per month of payment. One row per payment
    of a customer invoice, as the payer figures read them
    (account.dunning.payer.profile._invoice_payments_query): a partial
    payment counts for its amount on its own date."""

    _name = "account.dunning.collection.report"
    _inherit = ["account.dunning.sql.view", "account.dunning.ratio.mixin"]
    _description = "Average collection time"
    _auto = False
    _order = "date desc, id desc"
    _depends = {
        "account.partial.reconcile": ["debit_move_id", "credit_move_id", "amount", "max_date"],
        "account.move.line": ["date_maturity", "date", "parent_state", "account_id", "partner_id"],
        "account.move": ["move_type", "company_id"],
    }
    _ratio_fields = {"collection_days": ("weighted_days", "amount", 1)}

    move_id = fields.Many2one("account.move", "Invoice", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date("Paid on", readonly=True)
    date_due = fields.Date("Due on", readonly=True)
    amount = fields.Monetary("Amount paid", readonly=True)
    days_late = fields.Integer(
        "Days after due date", readonly=True, help="Negative when paid before the due date."
    )
    weighted_days = fields.Float("Amount x days", readonly=True)
    collection_days = fields.Float(
        "Average collection time (days)",
        digits=(16, 1),
        readonly=True,
        help="Days from the due date to the payment, weighted by the amounts paid "
        "(early payments count negative).",
    )

    def _view_query(self):
        return SQL(
            """
            SELECT pay.partial_id AS id, pay.move_id, pay.partner_id, pay.company_id,
                   pay.payment_date AS date, pay.due_date AS date_due, pay.amount,
                   pay.days_late, pay.amount * pay.days_late AS weighted_days,
                   pay.days_late AS collection_days
              FROM (%s) pay
            """,
            self.env["account.dunning.payer.profile"]._invoice_payments_query(),
        )
