from odoo import fields, models


class AccountDunningActionLine(models.Model):
    _name = "account.dunning.action.line"
    _description = "Invoice listed in a reminder"
    _order = "action_id, date_maturity, id"

    action_id = fields.Many2one(
        "account.dunning.action", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="action_id.company_id", store=True, index=True)
    move_id = fields.Many2one("account.move", "Invoice", required=True, index=True)
    invoice_date = fields.Date()
    date_maturity = fields.Date("Due date")
    days_late = fields.Integer()
    level_id = fields.Many2one(
        "account.dunning.level", help="The level this invoice reached with this reminder."
    )
    escalated = fields.Boolean(help="The invoice climbed to this level with this reminder.")
    currency_id = fields.Many2one("res.currency", required=True)
    amount_total = fields.Monetary("Invoice total")
    amount_residual = fields.Monetary("Amount due")
    company_currency_id = fields.Many2one(
        related="action_id.currency_id", string="Company currency"
    )
    amount_residual_company = fields.Monetary(
        "Amount due (company currency)", currency_field="company_currency_id"
    )
    late_penalty_amount = fields.Monetary("Penalties to date", currency_field="company_currency_id")
    recovery_indemnity_amount = fields.Monetary(
        "Recovery indemnity", currency_field="company_currency_id"
    )
    dropped = fields.Boolean(
        "Paid before sending",
        help="Paid between the preparation and the sending of the reminder: "
        "left out of what was sent.",
    )
