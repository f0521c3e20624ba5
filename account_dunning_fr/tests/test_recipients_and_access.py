"""The right person: the invoice's contact receives the reminder, alerts go
to a real accountant, salespeople read but never write dunning data."""

from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestRecipientsAndAccess(DunningCase):
    def test_the_invoice_contact_receives_the_reminder(self):
        self.customer.email = False  # the company itself has no email
        accounts = self.env["res.partner"].create(
            {
                "name": "Comptabilité fournisseurs",
                "type": "invoice",
                "parent_id": self.customer.id,
                "email": "fournisseurs@martin.example",
            }
        )
        invoice = self._invoice(accounts, 300.0, days_late=1)
        self.assertEqual(invoice.commercial_partner_id, self.customer)
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        self.assertEqual(action.state, "sent")
        self.assertEqual(action.partner_id, self.customer)
        self.assertEqual(action.mail_id.recipient_ids, accounts)

    def test_the_salesperson_gets_a_copy_when_asked(self):
        salesperson = new_test_user(
            self.env, login="paul.vente", groups="base.group_user", email="paul@masociete.example"
        )
        self.customer.user_id = salesperson
        self.company.dunning_cc_salesperson = True
        self._invoice(self.customer, 300.0, days_late=1)
        self._run(partners=self.customer)
        self.assertIn("paul@masociete.example", self._actions(self.customer).mail_id.email_cc)

    def test_alerts_go_to_an_accountant_never_to_odoobot_or_the_portal_user(self):
        accountant = new_test_user(
            self.env, login="claire.compta", groups="base.group_user,account.group_account_invoice"
        )
        self.company.dunning_responsible_id = accountant
        portal = new_test_user(
            self.env,
            login="client.portail",
            groups="base.group_portal",
            partner_id=self.customer.id,
        )
        invoice = self._invoice(self.customer, 1200.0, days_late=20)
        Plan = self.env["account.dunning.payment.plan"]
        request = Plan.with_user(portal)._create_portal_request(self.customer, invoice, 3)
        self.assertEqual(request.activity_ids.user_id, accountant)
        # As the night runs it (OdooBot): the call activity goes to the accountant.
        late = self._invoice(self.customer_2, 900.0, days_late=30)
        self._set_level(late, self.level_2, days_ago=15)
        self.env["account.dunning.run"].with_user(self.env.ref("base.user_root"))._run_manual(
            self.company, partners=self.customer_2
        )
        call = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.customer_2.id)]
        )
        self.assertEqual(call.user_id, accountant)

    def test_without_a_responsible_the_salesperson_accountant_then_a_manager(self):
        company = self.company
        salesperson = new_test_user(
            self.env,
            login="vendeur.comptable",
            groups="base.group_user,account.group_account_invoice",
        )
        self.customer.user_id = salesperson
        self.assertEqual(company._get_dunning_responsible(self.customer), salesperson)
        plain_seller = new_test_user(self.env, login="vendeur.seul", groups="base.group_user")
        self.customer_2.user_id = plain_seller
        manager = company._get_dunning_responsible(self.customer_2)
        self.assertTrue(manager.has_group("account.group_account_manager"))
        self.assertNotEqual(manager, self.env.ref("base.user_root"))

    def test_a_salesperson_reads_the_status_but_cannot_write_dunning_data(self):
        salesman = new_test_user(
            self.env, login="vendeur.api", groups="base.group_user,base.group_partner_manager"
        )
        invoice = self._invoice(self.customer, 500.0, days_late=3)
        self.customer.with_user(salesman).invalidate_recordset()
        self.assertEqual(self.customer.with_user(salesman).dunning_status, "overdue")
        partner = self.customer.with_user(salesman)
        for values in (
            {"dunning_public_buyer": True},
            {"dunning_contractual_rate": 3.0},
            {"dunning_policy_id": self.policy.id},
        ):
            with self.assertRaisesRegex(AccessError, "Only accountants"):
                partner.write(values)
        # Even a user whose group may write invoices (a custom "invoice clerk"
        # right) cannot change their dunning fields.
        clerks = self.env["res.groups"].create({"name": "Invoice clerks"})
        self.env["ir.model.access"].create(
            {
                "name": "invoice clerk",
                "model_id": self.env["ir.model"]._get_id("account.move"),
                "group_id": clerks.id,
                "perm_read": True,
                "perm_write": True,
            }
        )
        salesman.groups_id |= clerks | self.env.ref("account.group_account_readonly")
        self.assertTrue(invoice.with_user(salesman).has_access("write"))
        with self.assertRaisesRegex(AccessError, "Only accountants can change the dunning data"):
            invoice.with_user(salesman).write({"dunning_excluded": True})
        accountant = new_test_user(
            self.env, login="comptable.api", groups="base.group_user,account.group_account_invoice"
        )
        invoice.with_user(accountant).write(
            {"dunning_promise_date": self.today + timedelta(days=5)}
        )
