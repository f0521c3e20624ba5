from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.account_dunning_fr.tests.common import DunningCase


@tagged("post_install", "-at_install")
class TestSaleOrderDunning(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "Pain de campagne", "type": "consu", "list_price": 100.0}
        )
        cls.salesman = new_test_user(
            cls.env, login="vendeur_sale", groups="sales_team.group_sale_salesman"
        )

    def _order(self, partner, user=None):
        order = (
            self.env["sale.order"]
            .with_user(user or self.env.user)
            .create(
                {
                    "partner_id": partner.id,
                    "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 2})],
                }
            )
        )
        return order

    def _put_under_formal_notice(self, partner, amount=1234.0):
        invoice = self._invoice(partner, amount, days_late=50)
        self._set_level(invoice, self.level_notice, days_ago=5)
        partner.invalidate_recordset()
        return invoice

    def test_banner_shows_status_and_overdue_amount(self):
        self._put_under_formal_notice(self.customer)
        order = self._order(self.customer)
        self.assertEqual(order.dunning_status, "formal_notice")
        self.assertEqual(order.dunning_overdue_amount, 1234.0)
        self.assertEqual(self._order(self.customer_2).dunning_status, "ok")

    def test_hold_off_by_default_confirm_works(self):
        self._put_under_formal_notice(self.customer)
        order = self._order(self.customer)
        self.assertFalse(order.dunning_hold)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_hold_on_blocks_formal_notice_until_a_manager_overrides(self):
        self.company.dunning_credit_hold = True
        self._put_under_formal_notice(self.customer)
        order = self._order(self.customer, user=self.salesman)
        self.assertTrue(order.dunning_hold)
        with self.assertRaisesRegex(UserError, "accounting manager's override"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        # The salesperson reads the status but cannot override.
        self.assertEqual(order.with_user(self.salesman).dunning_status, "formal_notice")
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).action_dunning_override_hold()
        manager = new_test_user(
            self.env,
            login="chef_compta",
            groups="account.group_account_manager,sales_team.group_sale_salesman_all_leads",
        )
        order.with_user(manager).action_dunning_override_hold()
        self.assertTrue(order.dunning_hold_override)
        self.assertTrue(
            order.message_ids.filtered(
                lambda m: (
                    "Credit hold overridden by" in (m.body or "") and manager.name in (m.body or "")
                )
            )
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_reminded_customer_is_not_held_by_default_statuses(self):
        self.company.dunning_credit_hold = True
        self._invoice(self.customer, 300.0, days_late=1)
        self._run()
        order = self._order(self.customer)
        self.customer.invalidate_recordset()
        self.assertEqual(order.dunning_status, "reminded")
        self.assertFalse(order.dunning_hold)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_the_override_cannot_be_written_through_the_api(self):
        self.company.dunning_credit_hold = True
        self._put_under_formal_notice(self.customer)
        order = self._order(self.customer, user=self.salesman)
        with self.assertRaisesRegex(AccessError, "accounting manager"):
            order.with_user(self.salesman).write({"dunning_hold_override": True})
        with self.assertRaisesRegex(AccessError, "accounting manager"):
            self._order(self.customer, user=self.salesman).with_user(self.salesman).copy(
                {"dunning_hold_override": True}
            )
        self.assertFalse(order.dunning_hold_override)

    def test_a_customer_who_paid_without_matching_is_not_held(self):
        # Under formal notice for 1,234.00, paid but not matched yet: the net
        # owed is nothing, the hold does not apply.
        self.company.dunning_credit_hold = True
        self._put_under_formal_notice(self.customer)
        self._pay_unmatched(self.customer, 1234.0)
        self.customer.invalidate_recordset()
        order = self._order(self.customer)
        self.assertEqual((order.dunning_status, order.dunning_overdue_amount), ("ok", 0.0))
        self.assertFalse(order.dunning_hold)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
