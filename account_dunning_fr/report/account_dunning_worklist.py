from odoo import fields, models
from odoo.tools import SQL


class AccountDunningWorklist(models.Model):
    """The collector's list: one line per customer needing action today.

    Priority score, highest first:
        overdue amount / 100  +  days late of the oldest overdue invoice
        + 30 per broken promise to pay
    so that 10,000 EUR overdue weighs like 100 days of delay, and a customer
    who broke a promise comes before one who never made any.
    """

    _name = "account.dunning.worklist"
    _inherit = ["account.dunning.sql.view"]
    _description = "Collector worklist"
    _auto = False
    _depends = {
        "account.dunning.action": ["state", "partner_id", "company_id"],
        "account.dunning.call": ["promise_state", "partner_id", "company_id"],
        "account.dunning.answer": ["state", "partner_id", "company_id"],
        "mail.activity": ["res_model", "res_id", "activity_type_id", "date_deadline"],
    }
    _order = "priority desc, partner_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    overdue_amount = fields.Monetary(readonly=True)
    max_days_late = fields.Integer("Days late", readonly=True)
    to_review_count = fields.Integer("Reminders to check", readonly=True)
    calls_due_count = fields.Integer("Calls due", readonly=True)
    broken_promise_count = fields.Integer("Broken promises", readonly=True)
    answer_count = fields.Integer(
        "Answers to check", readonly=True, help="Answers of the customer not checked yet."
    )
    priority = fields.Float(
        digits=(16, 1),
        readonly=True,
        help="Overdue amount / 100 + days late of the oldest overdue invoice "
        "+ 30 per broken promise to pay.",
    )

    def _view_query(self):
        return SQL(
            """
            %(ctes)s
            SELECT ROW_NUMBER() OVER (ORDER BY todo.partner_id, todo.company_id) AS id, %(columns)s
              FROM todo
              JOIN res_partner p ON p.id = todo.partner_id
              %(joins)s
            """,
            ctes=self._worklist_ctes(),
            columns=SQL(", ").join(self._worklist_columns()),
            joins=SQL("\n").join(self._worklist_joins()),
        )

    def _worklist_ctes(self):
        """The customers to act on (``todo``) and what is known of them."""
        return SQL(
            """
            WITH balance AS (
                SELECT p.commercial_partner_id AS partner_id, m.company_id,
                       COALESCE(SUM(aml.amount_residual) FILTER (
                           WHERE %(claimable)s AND aml.date_maturity < CURRENT_DATE), 0)
                       - COALESCE(SUM(-aml.amount_residual) FILTER (
                           WHERE aml.amount_residual < 0), 0) AS net,
                       MAX(CURRENT_DATE - aml.date_maturity) FILTER (
                           WHERE %(claimable)s AND aml.date_maturity < CURRENT_DATE)
                           AS max_days_late
                %(open)s
              GROUP BY p.commercial_partner_id, m.company_id
            ), overdue AS (
                -- What customers owe once their credits are set against it.
                SELECT partner_id, company_id, net AS amount, max_days_late
                  FROM balance
                 WHERE net > 0 AND max_days_late IS NOT NULL
            ), review AS (
                SELECT partner_id, company_id, COUNT(*) AS n
                  FROM account_dunning_action
                 WHERE state IN ('to_review', 'failed')
              GROUP BY partner_id, company_id
            ), calls AS (
                SELECT act.res_id AS partner_id, COUNT(*) AS n
                  FROM mail_activity act
                  JOIN mail_activity_type typ ON typ.id = act.activity_type_id
                 WHERE act.res_model = 'res.partner' AND typ.category = 'phonecall'
                   AND act.date_deadline <= CURRENT_DATE
              GROUP BY act.res_id
            ), broken AS (
                SELECT partner_id, company_id, COUNT(*) AS n
                  FROM account_dunning_call
                 WHERE promise_state = 'broken'
              GROUP BY partner_id, company_id
            ), answer AS (
                SELECT partner_id, company_id, COUNT(*) AS n
                  FROM account_dunning_answer
                 WHERE state IN ('new', 'to_review')
              GROUP BY partner_id, company_id
            ), todo AS (
                SELECT partner_id, company_id FROM review
                 UNION
                SELECT partner_id, company_id FROM answer
                 UNION
                SELECT calls.partner_id, overdue.company_id
                  FROM calls JOIN overdue ON overdue.partner_id = calls.partner_id
            )
            """,
            open=self._open_receivable_lines(),
            claimable=self._claimable(),
        )

    def _worklist_columns(self):
        """The columns of a line (hook: the payer insight add-on adds the
        payer risk and the expected loss, joined by ``_worklist_joins``)."""
        return [
            SQL("todo.partner_id"),
            SQL("todo.company_id"),
            SQL("p.user_id"),
            SQL("COALESCE(overdue.amount, 0) AS overdue_amount"),
            SQL("COALESCE(overdue.max_days_late, 0) AS max_days_late"),
            SQL("COALESCE(review.n, 0) AS to_review_count"),
            SQL("COALESCE(calls.n, 0) AS calls_due_count"),
            SQL("COALESCE(broken.n, 0) AS broken_promise_count"),
            SQL("COALESCE(answer.n, 0) AS answer_count"),
            SQL(
                """COALESCE(overdue.amount, 0) / 100.0 + COALESCE(overdue.max_days_late, 0)
                   + 30 * COALESCE(broken.n, 0) AS priority"""
            ),
        ]

    def _worklist_joins(self):
        return [
            SQL(
                """LEFT JOIN overdue ON overdue.partner_id = todo.partner_id
                                    AND overdue.company_id = todo.company_id"""
            ),
            SQL(
                """LEFT JOIN review ON review.partner_id = todo.partner_id
                                   AND review.company_id = todo.company_id"""
            ),
            SQL("LEFT JOIN calls ON calls.partner_id = todo.partner_id"),
            SQL(
                """LEFT JOIN broken ON broken.partner_id = todo.partner_id
                                   AND broken.company_id = todo.company_id"""
            ),
            SQL(
                """LEFT JOIN answer ON answer.partner_id = todo.partner_id
                                   AND answer.company_id = todo.company_id"""
            ),
        ]

    def action_log_call(self):
        self.ensure_one()
        return {
            "name": self.env._("Log a call"),
            "type": "ir.actions.act_window",
            "res_model": "account.dunning.call.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_id": self.id},
        }

    def action_open_reminders(self):
        self.ensure_one()
        return self.partner_id.action_view_dunning_actions()
