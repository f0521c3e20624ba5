from odoo import api, fields, models
from odoo.tools import SQL

RECOVERY_DAYS = 15
QUICK_RECOVERY_DAYS = 7


class AccountDunningRecoveryReport(models.Model):
    """What each reminder level brings back: the share of the amount
    reminded that is paid within 15 days after the reminder."""

    _name = "account.dunning.recovery.report"
    _inherit = ["account.dunning.sql.view", "account.dunning.ratio.mixin"]
    _description = "Recovery rate per level"
    _auto = False
    _depends = {
        "account.dunning.action": ["state", "date_sent", "partner_id", "company_id"],
        "account.dunning.action.line": [
            "action_id",
            "move_line_id",
            "move_id",
            "level_id",
            "line_type",
            "dropped",
            "amount_residual_company",
        ],
        "account.partial.reconcile": ["debit_move_id", "credit_move_id", "amount"],
    }
    _ratio_fields = {"recovery_rate": ("amount_recovered", "amount_reminded", 100)}

    action_id = fields.Many2one("account.dunning.action", "Reminder", readonly=True)
    move_id = fields.Many2one("account.move", "Invoice", readonly=True)
    level_id = fields.Many2one("account.dunning.level", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    date = fields.Date("Reminder date", readonly=True)
    amount_reminded = fields.Monetary(readonly=True)
    amount_recovered_7 = fields.Monetary("Paid within 7 days", readonly=True)
    amount_recovered = fields.Monetary("Paid within 15 days", readonly=True)
    recovery_rate = fields.Float(
        "Recovery rate (%)",
        digits=(16, 1),
        readonly=True,
        help="Paid within 15 days after the reminder / amount reminded.",
    )

    @api.model
    def _paid_after_reminder_query(self):
        """Per invoice line of a sent reminder: the amount reminded and what
        was paid on it within 7 and within 15 days after the reminder was
        sent (never more than the amount reminded). The one definition of
        "paid after the reminder": this report and the reminder report
        (account.dunning.reminder.report) read it."""
        return SQL(
            """
            WITH paid AS (
                SELECT line.id AS line_id,
                       SUM(apr.amount) FILTER (WHERE pay.date <= act.date_sent + %(quick)s)
                           AS quick,
                       SUM(apr.amount) AS amount
                  FROM account_dunning_action_line line
                  JOIN account_dunning_action act ON act.id = line.action_id
                  JOIN account_move_line aml ON aml.id = line.move_line_id
                  JOIN account_partial_reconcile apr ON apr.debit_move_id = aml.id
                  JOIN account_move_line pay ON pay.id = apr.credit_move_id
                 WHERE pay.date > act.date_sent AND pay.date <= act.date_sent + %(days)s
              GROUP BY line.id
            )
            SELECT line.id AS line_id, line.action_id,
                   line.amount_residual_company AS amount_reminded,
                   LEAST(COALESCE(paid.quick, 0), line.amount_residual_company)
                       AS amount_recovered_7,
                   LEAST(COALESCE(paid.amount, 0), line.amount_residual_company)
                       AS amount_recovered
              FROM account_dunning_action_line line
              JOIN account_dunning_action act ON act.id = line.action_id
         LEFT JOIN paid ON paid.line_id = line.id
             WHERE act.state = 'sent' AND line.dropped IS NOT TRUE AND line.line_type = 'invoice'
            """,
            quick=QUICK_RECOVERY_DAYS,
            days=RECOVERY_DAYS,
        )

    def _view_query(self):
        return SQL(
            """
            SELECT line.id, line.action_id, line.move_id, line.level_id,
                   act.partner_id, act.company_id, m.invoice_user_id AS user_id,
                   act.date_sent AS date,
                   paid.amount_reminded, paid.amount_recovered_7, paid.amount_recovered,
                   %s AS recovery_rate
              FROM (%s) paid
              JOIN account_dunning_action_line line ON line.id = paid.line_id
              JOIN account_dunning_action act ON act.id = line.action_id
              JOIN account_move m ON m.id = line.move_id
            """,
            self._ratio_sql(
                "recovery_rate", SQL("paid.amount_recovered"), SQL("paid.amount_reminded")
            ),
            self._paid_after_reminder_query(),
        )
