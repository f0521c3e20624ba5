from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestDunningAction(DunningCase):
    def _prepare_formal_notice(self, *amounts):
        invoices = self.env["account.move"]
        for amount in amounts:
            invoice = self._invoice(self.customer, amount, days_late=45)
            self._set_level(invoice, self.level_call, days_ago=15)
            invoices |= invoice
        self._run()
        action = self._actions(self.customer)
        self.assertEqual(action.state, "to_review")
        return action, invoices

    def test_paid_between_preparation_and_sending_is_cancelled_not_sent(self):
        action, invoice = self._prepare_formal_notice(1000.0)
        self._pay(invoice)
        action.action_send()
        self.assertEqual(action.state, "cancelled")
        self.assertFalse(action.mail_id)
        self.assertTrue(action.line_ids.dropped)
        self.assertIn("paid", action.cancel_reason)
        self.assertEqual(invoice.dunning_level_id, self.level_call)

    def test_one_invoice_paid_before_sending_is_dropped_from_the_reminder(self):
        action, invoices = self._prepare_formal_notice(1000.0, 400.0)
        paid, unpaid = invoices
        self._pay(paid)
        action.action_send()
        self.assertEqual(action.state, "sent")
        self.assertEqual(action.line_ids.filtered("dropped").move_id, paid)
        self.assertEqual(action.amount_due, 400.0)
        self.assertNotIn(paid.name, action.mail_id.body_html)
        self.assertIn(unpaid.name, action.mail_id.body_html)
        self.assertEqual(unpaid.dunning_level_id, self.level_notice)
        self.assertEqual(paid.dunning_level_id, self.level_call)

    def test_partial_payment_before_sending_updates_the_amount(self):
        action, invoice = self._prepare_formal_notice(1000.0)
        self._pay(invoice, 600.0)
        action.action_send()
        # 1000 - 600 = 400 left to claim
        self.assertEqual(action.amount_due, 400.0)
        self.assertEqual(action.line_ids.amount_residual, 400.0)

    def test_excluded_after_preparation_is_dropped(self):
        action, invoice = self._prepare_formal_notice(1000.0)
        invoice._dunning_exclude("dispute")
        action.action_send()
        self.assertEqual(action.state, "cancelled")

    def test_sent_action_is_immutable_and_cannot_be_deleted(self):
        self._invoice(self.customer, 300.0, days_late=1)
        self._run()
        action = self._actions(self.customer)
        self.assertEqual(action.state, "sent")
        with self.assertRaises(UserError):
            action.write({"date": self.today.replace(day=1)})
        with self.assertRaises(UserError):
            action.unlink()
        with self.assertRaises(UserError):
            action.action_cancel()

    def test_cancel_waiting_reminder(self):
        action, invoice = self._prepare_formal_notice(1000.0)
        action.action_cancel()
        self.assertEqual(action.state, "cancelled")
        self.assertEqual(invoice.dunning_level_id, self.level_call)
        # Cancelled today: not made again today.
        self.assertFalse(self._run().action_ids)

    def test_retry_a_failed_reminder_once_the_email_is_fixed(self):
        self.customer.email = False
        self._invoice(self.customer, 300.0, days_late=1)
        self._run()
        action = self._actions(self.customer)
        self.assertEqual(action.state, "failed")
        self.customer.email = "compta@boulangerie-martin.example"
        action.action_send()
        self.assertEqual(action.state, "sent")
        self.assertFalse(action.error_message)
        self.assertEqual(action.email_to, "compta@boulangerie-martin.example")

    def test_invoicing_contact_receives_the_reminder(self):
        billing = self.env["res.partner"].create(
            {
                "name": "Service comptable",
                "type": "invoice",
                "parent_id": self.customer.id,
                "email": "factures@martin.example",
            }
        )
        self._invoice(self.customer, 300.0, days_late=1)
        self._run()
        self.assertEqual(self._actions(self.customer).mail_id.recipient_ids, billing)
