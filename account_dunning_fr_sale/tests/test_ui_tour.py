from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.account_dunning_fr.tests.common import make_company_french


@tagged("post_install", "-at_install")
class TestSalespersonTour(HttpCase):
    def _invoice(self, partner, amount, days_late):
        due = self.today - timedelta(days=days_late)
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": due - timedelta(days=30),
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create({"name": "Prestation", "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()
        return invoice

    def test_salesperson_sees_status_and_quotation_banner(self):
        env = self.env
        make_company_french(env.company)
        self.today = fields.Date.context_today(env["account.dunning.run"])
        # The Sales app's menus are sale_management's (its post_init_hook
        # activates sale's); the test database may have sale alone.
        if env["ir.module.module"]._get("sale_management").state != "installed":
            menu_ids = (
                env["ir.model.data"]
                .search([("model", "=", "ir.ui.menu"), ("module", "=", "sale")])
                .mapped("res_id")
            )
            env["ir.ui.menu"].browse(menu_ids).write({"active": True})
        salesperson = new_test_user(
            env, login="tour_vendeur", groups="sales_team.group_sale_salesman", lang="en_US"
        )
        self.assertFalse(salesperson.has_group("account.group_account_invoice"))
        partner = env["res.partner"].create(
            {
                "name": "Tour Vente Client SARL",
                "is_company": True,
                "email": "vente@example.com",
                "user_id": salesperson.id,
            }
        )
        # Three invoices of the last months, each paid 30 days late.
        for days_ago in (70, 100, 130):
            paid = self._invoice(partner, 1000.0, days_ago)
            env["account.payment.register"].with_context(
                active_model="account.move", active_ids=paid.ids
            ).create(
                {"payment_date": self.today - timedelta(days=days_ago - 30)}
            )._create_payments()
        overdue = self._invoice(partner, 1200.0, 20)
        overdue._dunning_set_level(
            env.ref("account_dunning_fr.level_b2b_reminder_1"), self.today - timedelta(days=5)
        )
        partner.invalidate_recordset()
        self.assertEqual(partner.with_user(salesperson).dunning_status, "reminded")
        product = env["product.product"].create(
            {"name": "Journée de conseil", "type": "service", "list_price": 950.0}
        )
        env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": salesperson.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        self.start_tour(
            "/odoo", "account_dunning_fr_sale_salesperson_tour", login=salesperson.login
        )
