from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestDunningTour(HttpCase):
    def test_worklist_send_and_partner_badge(self):
        env = self.env
        today = fields.Date.context_today(env["account.dunning.run"])
        partner = env["res.partner"].create(
            {
                "name": "Tour Client SARL",
                "is_company": True,
                "email": "tour@example.com",
                "street": "1 quai de la Fosse",
                "zip": "44000",
                "city": "Nantes",
            }
        )
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": today - timedelta(days=75),
                "invoice_date_due": today - timedelta(days=45),
                "invoice_line_ids": [
                    Command.create({"name": "Prestation", "price_unit": 1000.0, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()
        invoice._dunning_set_level(
            env.ref("account_dunning_fr.level_b2b_call"), today - timedelta(days=15)
        )
        run = env["account.dunning.run"]._run_manual(env.company, partners=partner)
        # The run asks the manager (admin) for today's missing rate: not this test's business.
        env["mail.activity"].search([("res_model", "=", "account.dunning.run")]).unlink()
        self.assertEqual(run.action_ids.state, "to_review")
        self.start_tour(
            "/odoo/action-account_dunning_fr.action_account_dunning_worklist",
            "account_dunning_fr_worklist_tour",
            login="admin",
        )
        action = run.action_ids
        action.invalidate_recordset()
        self.assertEqual(action.state, "sent")
        self.assertTrue(action.mail_id)
        self.assertEqual(
            invoice.dunning_level_id, env.ref("account_dunning_fr.level_b2b_formal_notice")
        )
