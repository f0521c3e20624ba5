from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestPartnerStatus(DunningCase):
    def test_status_follows_the_invoices(self):
        self.assertEqual(self.customer.dunning_status, "ok")
        self._invoice(self.customer, 300.0, days_late=-3)
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.dunning_status, "ok")
        invoice = self._invoice(self.customer, 500.0, days_late=3)
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.dunning_status, "overdue")
        self.assertEqual(self.customer.overdue_amount, 500.0)
        self._run()
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.dunning_status, "reminded")
        self.assertEqual(self.customer.dunning_level_id, self.level_1)
        self._set_level(invoice, self.level_notice, days_ago=0)
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.dunning_status, "formal_notice")
        self._set_level(invoice, self.level_litigation, days_ago=0)
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.dunning_status, "litigation")

    def test_dispute_status(self):
        invoice = self._invoice(self.customer, 500.0, days_late=3)
        invoice._dunning_exclude("dispute")
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.dunning_status, "dispute")

    def test_paid_customer_is_up_to_date(self):
        invoice = self._invoice(self.customer, 500.0, days_late=3)
        self._pay(invoice)
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.dunning_status, "ok")
        self.assertEqual(self.customer.overdue_amount, 0.0)

    def test_search_by_status(self):
        self._invoice(self.customer, 500.0, days_late=3)
        Partner = self.env["res.partner"]
        overdue = Partner.search([("dunning_status", "=", "overdue")])
        self.assertIn(self.customer, overdue)
        self.assertNotIn(self.customer_2, overdue)
        ok = Partner.search([("dunning_status", "=", "ok"), ("id", "in", self.customer_2.ids)])
        self.assertEqual(ok, self.customer_2)

    def test_contact_shows_the_company_status(self):
        contact = self.env["res.partner"].create(
            {"name": "Marc Martin", "parent_id": self.customer.id}
        )
        self._invoice(self.customer, 500.0, days_late=3)
        self.assertEqual(contact.dunning_status, "overdue")

    def test_salesperson_reads_status_but_cannot_change_dunning_data(self):
        salesman = new_test_user(
            self.env, login="vendeur", groups="base.group_user,base.group_partner_manager"
        )
        invoice = self._invoice(self.customer, 500.0, days_late=3)
        self._run()
        partner = self.customer.with_user(salesman)
        partner.invalidate_recordset()
        self.assertEqual(partner.dunning_status, "reminded")
        self.assertEqual(partner.overdue_amount, 500.0)
        self.assertEqual(partner.dunning_level_id.name, "First reminder")
        with self.assertRaises(AccessError):
            self.level_1.with_user(salesman).write({"delay_days": 2})
        with self.assertRaises(AccessError):
            self.env["account.dunning.action"].with_user(salesman).search([])
        with self.assertRaises(AccessError):
            invoice.with_user(salesman).write({"dunning_excluded": True})

    def test_accountant_handles_actions_but_cannot_configure_policies(self):
        accountant = new_test_user(
            self.env, login="comptable", groups="base.group_user,account.group_account_invoice"
        )
        self._invoice(self.customer, 500.0, days_late=45)
        self._set_level(self.customer.invoice_ids, self.level_call, days_ago=15)
        self._run()
        action = self._actions(self.customer).with_user(accountant)
        action.action_send()
        self.assertEqual(action.state, "sent")
        with self.assertRaises(AccessError):
            self.policy.with_user(accountant).write({"min_gap_days": 3})

    def test_company_isolation(self):
        other_company = self.env["res.company"].create({"name": "Filiale Nantes"})
        user = new_test_user(
            self.env,
            login="comptable_nantes",
            groups="base.group_user,account.group_account_manager",
            company_id=other_company.id,
            company_ids=[(6, 0, other_company.ids)],
        )
        self._invoice(self.customer, 500.0, days_late=1)
        self._run()
        Action = self.env["account.dunning.action"].with_user(user)
        self.assertFalse(Action.search([]))
        policies = self.env["account.dunning.policy"].with_user(user).search([])
        self.assertEqual(policies.company_id, other_company)
        runs = self.env["account.dunning.run"].with_user(user).search([])
        self.assertFalse(runs)

    def test_invoice_shows_its_customers_status(self):
        invoice = self._invoice(self.customer, 500.0, days_late=3)
        other = self._invoice(self.customer, 200.0, days_late=-20)
        self.assertEqual((invoice | other).mapped("dunning_partner_status"), ["overdue", "overdue"])
