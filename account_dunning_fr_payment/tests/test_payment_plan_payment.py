from datetime import timedelta

from odoo import Command
from odoo.tests import tagged

from odoo.addons.account_dunning_fr.tests.common import DunningCase


@tagged("post_install", "-at_install")
class TestPlanOnlinePayment(DunningCase):
    def _plan(self, invoice):
        plan = self.env["account.dunning.payment.plan"].create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(invoice.ids)],
            }
        )
        plan._generate_lines(2, "monthly", self.today + timedelta(days=10))
        plan.action_confirm()
        return plan

    def test_next_instalment_is_paid_in_the_invoice_currency(self):
        # An invoice of 1,000.00 USD at 2 USD for 1 EUR: 500.00 EUR in the
        # plan, two instalments of 250.00 EUR; the first is 500.00 USD.
        invoice_date = self.today - timedelta(days=40)
        usd = self._usd_at(invoice_date)
        invoice = self._invoice_on(self.customer, 1000.0, invoice_date, invoice_date, currency=usd)
        self.assertEqual(invoice.amount_residual_signed, 500.0)
        plan = self._plan(invoice)
        self.assertEqual(plan.line_ids.mapped("amount"), [250.0, 250.0])
        paid_on, amount = plan._get_next_instalment_payment()
        self.assertEqual((paid_on, amount), (invoice, 500.0))

    def test_nothing_to_pay_once_the_plan_is_paid(self):
        invoice = self._invoice(self.customer, 600.0, days_late=20)
        plan = self._plan(invoice)
        self._pay(invoice)
        plan.invalidate_recordset()
        self.assertEqual(plan._get_next_instalment_payment(), (False, 0.0))
