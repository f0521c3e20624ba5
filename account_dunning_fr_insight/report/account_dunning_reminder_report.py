from odoo import fields, models
from odoo.tools import SQL


class AccountDunningReminderReport(models.Model):
    """What each reminder did, per level: delivered, opened, clicked, and
    whether the invoices it listed were paid within 7 and 15 days (the
    recovery report's definition), with what it cost. One row per sent
    reminder; the rates of grouped rows are recomputed from their sums."""

    _name = "account.dunning.reminder.report"
    _inherit = ["account.dunning.sql.view", "account.dunning.ratio.mixin"]
    _description = "Reminder effect per level"
    _auto = False
    _order = "date desc, id desc"
    _depends = {
        "account.dunning.action": [
            "state",
            "date_sent",
            "partner_id",
            "company_id",
            "level_id",
            "send_email",
            "send_letter",
            "create_activity",
            "formal_notice",
            "first_opened",
            "first_clicked",
            "email_undelivered",
        ],
        "account.dunning.action.line": [
            "action_id",
            "move_line_id",
            "line_type",
            "dropped",
            "amount_residual_company",
        ],
        "account.partial.reconcile": ["debit_move_id", "credit_move_id", "amount"],
        "res.company": [
            "dunning_cost_email",
            "dunning_cost_letter",
            "dunning_cost_registered_letter",
            "dunning_call_minutes",
            "dunning_hourly_cost",
        ],
    }
    _ratio_fields = {
        "open_rate": ("opened_count", "delivered_count", 100),
        "click_rate": ("clicked_count", "delivered_count", 100),
        "paid_15_rate": ("paid_15_count", "sent_count", 100),
        "cost_per_euro": ("cost", "amount_recovered", 1),
    }

    action_id = fields.Many2one("account.dunning.action", "Reminder", readonly=True)
    level_id = fields.Many2one("account.dunning.level", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date("Sent on", readonly=True)
    sent_count = fields.Integer("Sent", readonly=True)
    email_count = fields.Integer("Sent by email", readonly=True)
    delivered_count = fields.Integer(
        "Delivered", readonly=True, help="Emails sent and not returned as undelivered."
    )
    opened_count = fields.Integer("Opened", readonly=True)
    clicked_count = fields.Integer("Clicked", readonly=True)
    paid_7_count = fields.Integer(
        "Paid within 7 days",
        readonly=True,
        help="Reminders whose invoices were all paid within 7 days after sending.",
    )
    paid_15_count = fields.Integer(
        "Paid within 15 days",
        readonly=True,
        help="Reminders whose invoices were all paid within 15 days after sending.",
    )
    amount_reminded = fields.Monetary(readonly=True)
    amount_recovered_7 = fields.Monetary("Recovered within 7 days", readonly=True)
    amount_recovered = fields.Monetary("Recovered within 15 days", readonly=True)
    cost = fields.Monetary(
        readonly=True,
        help="What the reminder's channels cost, at the costs set in the settings today.",
    )
    open_rate = fields.Float(
        "Open rate (%)",
        digits=(16, 1),
        readonly=True,
        help="Opened / delivered emails. Only counts where the pixel is allowed and "
        "the mail client loads images: a floor, not the true rate.",
    )
    click_rate = fields.Float(
        "Click rate (%)", digits=(16, 1), readonly=True, help="Clicked / delivered emails."
    )
    paid_15_rate = fields.Float(
        "Paid within 15 days (%)",
        digits=(16, 1),
        readonly=True,
        help="Reminders paid in full within 15 days / reminders sent.",
    )
    cost_per_euro = fields.Float(
        "Cost per euro recovered",
        digits=(16, 4),
        readonly=True,
        help="Cost of the reminders / amount recovered within 15 days after them.",
    )

    def _view_query(self):
        return SQL(
            """
            WITH paid AS (
                SELECT action_id, SUM(amount_reminded) AS reminded,
                       SUM(amount_recovered_7) AS recovered_7,
                       SUM(amount_recovered) AS recovered
                  FROM (%(paid_lines)s) line
              GROUP BY action_id
            ), reminder AS (
                SELECT act.id, act.level_id, act.partner_id, act.company_id,
                       p.user_id, act.date_sent AS date,
                       1 AS sent_count,
                       CASE WHEN act.send_email THEN 1 ELSE 0 END AS email_count,
                       CASE WHEN act.send_email AND act.email_undelivered IS NOT TRUE
                            THEN 1 ELSE 0 END AS delivered_count,
                       CASE WHEN act.first_opened IS NOT NULL THEN 1 ELSE 0 END AS opened_count,
                       CASE WHEN act.first_clicked IS NOT NULL THEN 1 ELSE 0 END AS clicked_count,
                       CASE WHEN paid.reminded > 0 AND paid.recovered_7 >= paid.reminded
                            THEN 1 ELSE 0 END AS paid_7_count,
                       CASE WHEN paid.reminded > 0 AND paid.recovered >= paid.reminded
                            THEN 1 ELSE 0 END AS paid_15_count,
                       COALESCE(paid.reminded, 0) AS amount_reminded,
                       COALESCE(paid.recovered_7, 0) AS amount_recovered_7,
                       COALESCE(paid.recovered, 0) AS amount_recovered,
                       %(cost)s AS cost
                  FROM account_dunning_action act
                  JOIN res_company rc ON rc.id = act.company_id
                  JOIN res_partner p ON p.id = act.partner_id
             LEFT JOIN paid ON paid.action_id = act.id
                 WHERE act.state = 'sent'
            )
            SELECT reminder.*, reminder.id AS action_id,
                   %(open_rate)s AS open_rate,
                   %(click_rate)s AS click_rate,
                   %(paid_15_rate)s AS paid_15_rate,
                   %(cost_per_euro)s AS cost_per_euro
              FROM reminder
            """,
            paid_lines=self.env["account.dunning.recovery.report"]._paid_after_reminder_query(),
            cost=SQL(" + ").join(self.env["account.dunning.action"]._cost_terms_sql()),
            # The counts are integers: divided as numbers, not as integers.
            **{
                ratio: self._ratio_sql(
                    ratio, SQL("%s::numeric", SQL.identifier(num)), SQL.identifier(den)
                )
                for ratio, (num, den, _factor) in self._ratio_fields.items()
            },
        )
