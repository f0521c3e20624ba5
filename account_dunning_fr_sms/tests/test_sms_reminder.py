from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.account_dunning_fr.tests.common import DunningCase


@tagged("post_install", "-at_install")
class TestSmsReminder(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.level_1.write(
            {
                "send_sms": True,
                "sms_body": "{{ object.company_id.name }}: {{ object.invoice_count }} invoice(s) "
                "overdue, {{ '%.2f' % object.amount_due }} EUR to pay.",
            }
        )

    def test_sms_is_queued_with_the_rendered_text(self):
        self.customer.mobile = "+33 6 12 34 56 78"
        self._invoice(self.customer, 300.0, days_late=1)
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        self.assertEqual(action.state, "sent")
        text = "%s: 1 invoice(s) overdue, 300.00 EUR to pay." % self.company.name
        self.assertEqual(action.sms_text, text)
        sms = self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual((sms.number, sms.body, sms.state), ("+33 6 12 34 56 78", text, "outgoing"))
        self.assertIn("SMS", self.level_1._channel_labels())

    def test_no_mobile_fails_that_customer_only(self):
        self.customer_2.mobile = "+33 6 98 76 54 32"
        self._invoice(self.customer, 300.0, days_late=1)
        self._invoice(self.customer_2, 300.0, days_late=1)
        self._run()
        failed = self._actions(self.customer)
        self.assertEqual(failed.state, "failed")
        self.assertIn("no mobile number", failed.error_message)
        self.assertEqual(self._actions(self.customer_2).state, "sent")

    def test_sms_text_of_a_sent_reminder_is_frozen(self):
        self.customer.mobile = "+33 6 12 34 56 78"
        self._invoice(self.customer, 300.0, days_late=1)
        self._run(partners=self.customer)
        with self.assertRaises(UserError):
            self._actions(self.customer).write({"sms_text": "Another text"})

    def test_an_sms_adds_its_cost_to_the_reminder(self):
        self.company.write({"dunning_cost_email": 1.5, "dunning_cost_sms": 0.08})
        self.customer.mobile = "+33 6 12 34 56 78"
        self._invoice(self.customer, 400.0, days_late=1)
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        self.assertTrue(action.send_email and action.send_sms)
        terms = self.env["account.dunning.action"]._cost_terms_sql()
        self.env.flush_all()
        ((cost,),) = self.env.execute_query(
            SQL(
                "SELECT %s FROM account_dunning_action act "
                "JOIN res_company rc ON rc.id = act.company_id WHERE act.id = %s",
                SQL(" + ").join(terms),
                action.id,
            )
        )
        # Email 1.50 + SMS 0.08 = 1.58.
        self.assertEqual(round(float(cost), 2), 1.58)
