"""Bank statements late: automatic reminders are prepared, not sent."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestBankGuard(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1
        )
        cls.company.dunning_responsible_id = cls.env.ref("base.user_admin")

    def _statement_line_imported(self, days_ago):
        line = self.env["account.bank.statement.line"].create(
            {"journal_id": self.bank.id, "date": self.today, "payment_ref": "VIR", "amount": 10.0}
        )
        line.flush_recordset()
        self.env.cr.execute(
            "UPDATE account_bank_statement_line SET create_date = %s WHERE id = %s",
            [fields.Datetime.now() - timedelta(days=days_ago), line.id],
        )
        return line

    def test_a_journal_that_never_had_statements_is_ignored(self):
        self.assertFalse(self.company._dunning_bank_guard_reason())
        self._invoice(self.customer, 300.0, days_late=1)
        self._run(partners=self.customer)
        self.assertEqual(self._actions(self.customer).state, "sent")

    def test_fresh_statements_let_reminders_go(self):
        self._statement_line_imported(days_ago=1)
        self.assertFalse(self.company._dunning_bank_guard_reason())

    def test_late_statements_hold_automatic_reminders(self):
        self._statement_line_imported(days_ago=5)
        self._invoice(self.customer, 300.0, days_late=1)
        self._invoice(self.customer_2, 300.0, days_late=1)
        run = self._run()
        actions = self._actions(self.customer) | self._actions(self.customer_2)
        self.assertEqual(set(actions.mapped("state")), {"to_review"})
        self.assertFalse(actions.mail_id)
        self.assertIn(self.bank.name, actions[0].hold_reason)
        self.assertIn("more than 3 days ago", run.log)
        alerts = self.env["mail.activity"].search(
            [
                ("res_model", "=", "account.dunning.run"),
                ("summary", "=", "Bank statements late: automatic reminders held"),
            ]
        )
        self.assertEqual(len(alerts), 1)
        self.assertEqual(alerts.user_id, self.env.ref("base.user_admin"))
        # Sending by hand asks to confirm: "Send anyway".
        with self.assertRaisesRegex(UserError, "Send anyway"):
            actions[0].action_send()
        actions[0].action_send_anyway()
        self.assertEqual(actions[0].state, "sent")

    def test_held_reminders_go_once_the_statements_are_in(self):
        line = self._statement_line_imported(days_ago=5)
        self._invoice(self.customer, 300.0, days_late=1)
        self._run(partners=self.customer)
        held = self._actions(self.customer)
        self.assertTrue(held.hold_reason)
        self.env.cr.execute(
            "UPDATE account_bank_statement_line SET create_date = now() WHERE id = %s", [line.id]
        )
        self._run(partners=self.customer)
        self.assertEqual(held.state, "sent")
        self.assertFalse(held.hold_reason)

    def test_zero_days_turns_the_guard_off(self):
        self._statement_line_imported(days_ago=30)
        self.company.dunning_bank_guard_days = 0
        self.assertFalse(self.company._dunning_bank_guard_reason())
