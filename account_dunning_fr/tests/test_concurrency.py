"""Two workers at once, on data committed by a third cursor.

The test cursor cannot be shared between connections, so this case commits
its own customer and invoice and deletes them afterwards.
"""

from datetime import timedelta

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestDunningConcurrency(TransactionCase):
    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            today = fields.Date.context_today(env["account.dunning.run"])
            partner = env["res.partner"].create(
                {"name": "Concurrence SARL", "is_company": True, "email": "c@example.com"}
            )
            invoice = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": today - timedelta(days=60),
                    "invoice_date_due": today - timedelta(days=45),
                    "invoice_line_ids": [
                        Command.create({"name": "Prestation", "price_unit": 1000.0, "tax_ids": []})
                    ],
                }
            )
            invoice.action_post()
            cr.commit()  # pylint: disable=invalid-commit
            self.partner_id, self.move_id = partner.id, invoice.id
        self.addCleanup(self._delete_committed_data)

    def _delete_committed_data(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT id, run_id FROM account_dunning_action WHERE partner_id = %s",
                [self.partner_id],
            )
            rows = cr.fetchall()
            action_ids = tuple(r[0] for r in rows) or (0,)
            run_ids = tuple(r[1] for r in rows if r[1]) or (0,)
            cr.execute(
                "DELETE FROM mail_mail WHERE mail_message_id IN (SELECT id FROM mail_message"
                " WHERE model = 'account.dunning.action' AND res_id IN %s)",
                [action_ids],
            )
            cr.execute(
                "DELETE FROM mail_message WHERE (model = 'account.dunning.action' AND res_id IN %s)"
                " OR (model = 'account.move' AND res_id = %s)"
                " OR (model = 'res.partner' AND res_id = %s)",
                [action_ids, self.move_id, self.partner_id],
            )
            cr.execute("DELETE FROM account_dunning_action WHERE id IN %s", [action_ids])
            cr.execute("DELETE FROM account_dunning_run WHERE id IN %s", [run_ids])
            cr.execute("DELETE FROM account_move WHERE id = %s", [self.move_id])
            cr.execute("DELETE FROM res_partner WHERE id = %s", [self.partner_id])
            cr.commit()  # pylint: disable=invalid-commit

    def _run_in(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {})
        partner = env["res.partner"].browse(self.partner_id)
        return env["account.dunning.run"]._run_manual(env.company, partners=partner)

    def _count_actions(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM account_dunning_action WHERE partner_id = %s",
                [self.partner_id],
            )
            return cr.fetchone()[0]

    def test_two_workers_at_the_same_time_make_one_reminder(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            run1 = self._run_in(cr1)
            self.assertEqual(len(run1.action_ids), 1)
            # Worker 2 starts while worker 1 still holds the customer.
            run2 = self._run_in(cr2)
            self.assertFalse(run2.action_ids)
            cr2.rollback()
            cr1.commit()
        self.assertEqual(self._count_actions(), 1)

    def test_worker_with_an_old_snapshot_does_not_remind_twice(self):
        # Put the invoice at the phone-call level 15 days ago, so that today
        # brings the formal notice, which waits for review.
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            call = env.ref("account_dunning_fr.level_b2b_call")
            today = fields.Date.context_today(env["account.dunning.run"])
            env["account.move"].browse(self.move_id)._dunning_set_level(
                call, today - timedelta(days=15)
            )
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            cr2.execute("SELECT 1")  # worker 2's snapshot is taken now
            run1 = self._run_in(cr1)
            self.assertEqual(run1.action_ids.state, "to_review")
            cr1.commit()
            # Worker 2 cannot see worker 1's reminder, yet makes none: its insert
            # hits the unique key (logged by the cursor) and is skipped.
            with mute_logger("odoo.sql_db"):
                run2 = self._run_in(cr2)
            self.assertFalse(run2.action_ids)
            cr2.rollback()
        self.assertEqual(self._count_actions(), 1)
        with self.registry.cursor() as cr3:
            self.assertFalse(self._run_in(cr3).action_ids)
            cr3.rollback()
        self.assertEqual(self._count_actions(), 1)
