"""Two jobs on two workers reaching the same customers, on committed data.

Like the core's concurrency test (whose clean-up it borrows), it commits its
customers and invoices and deletes them afterwards: tagged
``dunning_commit`` to be run apart or left out.
"""

from datetime import timedelta

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.account_dunning_fr.tests import test_concurrency as core
from odoo.addons.queue_job.exception import RetryableJobError


@tagged("post_install", "-at_install", "dunning_commit")
class TestQueueConcurrency(TransactionCase):
    # The core case's clean-up of committed customers and invoices (the
    # class is not bound to a name here, or the runners would collect it).
    _make_company_french = core.TestDunningConcurrency._make_company_french
    _restore_company = core.TestDunningConcurrency._restore_company
    _delete_committed_data = core.TestDunningConcurrency._delete_committed_data
    _count_actions = core.TestDunningConcurrency._count_actions

    def setUp(self):
        super().setUp()
        self.partner_ids, self.move_ids, self.run_ids = [], [], []
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self._make_company_french(env.company)
            today = fields.Date.context_today(env["account.dunning.run"])
            for name in ("File SARL", "Attente SAS"):
                partner = env["res.partner"].create(
                    {"name": name, "is_company": True, "email": "f@example.com"}
                )
                invoice = env["account.move"].create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_date": today - timedelta(days=30),
                        "invoice_date_due": today - timedelta(days=1),
                        "invoice_line_ids": [
                            Command.create(
                                {"name": "Prestation", "price_unit": 500.0, "tax_ids": []}
                            )
                        ],
                    }
                )
                invoice.action_post()
                self.partner_ids.append(partner.id)
                self.move_ids.append(invoice.id)
            Run = env["account.dunning.run"]
            self.run_ids = Run.create({"trigger": "cron", "date": today}).ids
            cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self._restore_company)
        self.addCleanup(self._delete_committed_data)
        self.addCleanup(self._delete_run)

    def _delete_run(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM mail_activity WHERE res_model = 'account.dunning.run'"
                " AND res_id IN %s",
                [tuple(self.run_ids)],
            )
            cr.execute("DELETE FROM account_dunning_run WHERE id IN %s", [tuple(self.run_ids)])
            cr.commit()  # pylint: disable=invalid-commit

    def _run_in(self, cr):
        """This case's run, seen from ``cr`` (a worker)."""
        return api.Environment(cr, SUPERUSER_ID, {})["account.dunning.run"].browse(self.run_ids)

    def test_a_job_meeting_another_worker_is_retried_and_reminds_once(self):
        ours = self.partner_ids
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            self._run_in(cr1)._dunning_job_remind(ours)
            # Worker 2's job reaches the same customers while worker 1 holds them.
            with self.assertRaises(RetryableJobError):
                self._run_in(cr2)._dunning_job_remind(ours)
            cr2.rollback()
            cr1.commit()
        self.assertEqual(self._count_actions(ours), 2)
        # Its retry, once worker 1 has committed, finds them reminded today.
        with self.registry.cursor() as cr3:
            self._run_in(cr3)._dunning_job_remind(ours)
            cr3.commit()  # pylint: disable=invalid-commit
        self.assertEqual(self._count_actions(ours), 2)

    def test_a_job_with_an_old_snapshot_is_retried_and_reminds_once(self):
        ours = self.partner_ids
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            self._run_in(cr2).read(["state"])  # worker 2's snapshot is taken now
            self._run_in(cr1)._dunning_job_remind(ours)
            cr1.commit()
            # Worker 2 cannot see worker 1's reminders: the invoices worker 1
            # wrote meanwhile make its job retried, never a second reminder.
            with mute_logger("odoo.sql_db"), self.assertRaises(RetryableJobError):
                self._run_in(cr2)._dunning_job_remind(ours)
            cr2.rollback()
        self.assertEqual(self._count_actions(ours), 2)
