from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.account_dunning_fr.tests.common import make_company_french


@tagged("post_install", "-at_install")
class TestSalespersonReadsThePayerRisk(HttpCase):
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

    def test_salesperson_reads_score_segment_and_why(self):
        env = self.env
        make_company_french(env.company)
        self.today = fields.Date.context_today(env["account.dunning.run"])
        salesperson = new_test_user(
            env,
            login="tour_risk_vendeur",
            groups="base.group_user,base.group_partner_manager",
            lang="en_US",
        )
        self.assertFalse(salesperson.has_group("account.group_account_invoice"))
        partner = env["res.partner"].create(
            {"name": "Tour Risque Client SARL", "is_company": True, "user_id": salesperson.id}
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
        env["account.dunning.payer.profile"]._refresh_company(env.company, self.today)
        # The only history of the company: its average is the prior, so
        # expected delay 30 days -> 50 * 30 / 60 = 25 points, all of it paid
        # late -> 10, no trend (no payment before 6 months), no promise,
        # dispute or reminder: 35, to watch.
        partner.invalidate_recordset()
        as_salesperson = partner.with_user(salesperson)
        self.assertEqual(as_salesperson.dunning_status, "reminded")
        self.assertEqual(as_salesperson.dunning_risk_score, 35)
        self.assertEqual(as_salesperson.dunning_risk_segment, "watch")
        self.start_tour(
            "/odoo/res.partner/%s" % partner.id,
            "account_dunning_fr_insight_salesperson_tour",
            login=salesperson.login,
        )
