"""The daily run as queue jobs: split, retried, never twice, finished last.

The jobs are enqueued for real (queue.job records, in the test's
transaction) and performed here the way the job runner's controller does
it: load, perform, done, then the jobs that waited for it are released.
"""

import gc
import os
from datetime import timedelta
from unittest.mock import patch

from psycopg2 import errors as pg_errors

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.account_dunning_fr.models.night.account_dunning_run_customers import (
    AccountDunningRun as RunCustomers,
)
from odoo.addons.account_dunning_fr.tests.common import DunningCase
from odoo.addons.base.models.ir_actions_report import IrActionsReport
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from ..hooks import uninstall_hook

RUN_MODULE = "odoo.addons.account_dunning_fr_queue.models.account_dunning_run"


@tagged("post_install", "-at_install")
class TestQueueRun(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Run = cls.env["account.dunning.run"]
        cls.customers = cls.customer | cls.customer_2
        for name in ("Menuiserie Petit SARL", "Pressing Leroy SAS", "Fromagerie Roux SA"):
            cls.customers |= cls._customer(name)
        for customer in cls.customers:
            cls._invoice(customer, 300.0, days_late=1)

    def _enqueue(self, batch_size):
        """The scheduled action, as the scheduler starts it: returns today's
        scheduled run."""
        self.env["ir.config_parameter"].sudo().set_param(
            "account_dunning_fr.batch_size", str(batch_size)
        )
        self.env.ref("account_dunning_fr.ir_cron_dunning_run").method_direct_trigger()
        return self.Run.search(
            [
                ("company_id", "=", self.company.id),
                ("date", "=", self.today),
                ("trigger", "=", "cron"),
            ]
        )

    def _jobs(self, method_name, state=None):
        return self.env["queue.job"].search(
            [
                ("model_name", "=", "account.dunning.run"),
                ("method_name", "=", method_name),
                *([("state", "=", state)] if state else []),
            ],
            order="id",
        )

    def _perform(self, job_record):
        """Run one job as the job runner's controller does (without its
        commit): a job waiting for others is not run."""
        self.assertEqual(job_record.state, "pending", job_record.name)
        job = Job.load(self.env, job_record.uuid)
        job.set_started()
        job.set_done(result=job.perform())
        job.store()
        self.env.flush_all()
        job.enqueue_waiting()
        self.env.invalidate_all()

    def _perform_all(self):
        """Every job, the released ones included, until none is left."""
        for _round in range(10):
            pending = self.env["queue.job"].search(
                [("model_name", "=", "account.dunning.run"), ("state", "=", "pending")], order="id"
            )
            if not pending:
                return
            for job_record in pending:
                self._perform(job_record)

    def _reminders(self):
        return self.env["account.dunning.action"].search([("partner_id", "in", self.customers.ids)])

    def test_the_cron_enqueues_one_job_per_batch_on_the_dunning_channel(self):
        self.assertEqual(
            self.env.ref("account_dunning_fr.ir_cron_dunning_run").code,
            "model._cron_enqueue_dunning()",
        )
        # 5 customers due, batches of 2: ceil(5 / 2) = 3 jobs, of 2, 2 and 1.
        run = self._enqueue(batch_size=2)
        reminders = self._jobs("_dunning_job_remind")
        self.assertEqual(len(reminders), 3)
        self.assertEqual(set(reminders.mapped("channel")), {"root.dunning"})
        self.assertEqual(set(reminders.mapped("state")), {"pending"})
        self.assertEqual({job.records for job in reminders}, {run})
        ids = sorted(self.customers.ids)
        self.assertEqual(
            sorted(list(args[0]) for args in reminders.mapped("args")),
            [ids[0:2], ids[2:4], ids[4:5]],
        )
        # The cron itself reminds nobody and leaves the run open; the
        # finishing job waits for the three.
        self.assertFalse(self._reminders())
        self.assertEqual((run.state, run.jobs_enqueued, run.remaining_count), ("running", True, 5))
        finish = self._jobs("_dunning_job_finish")
        self.assertEqual(finish.state, "wait_dependencies")
        self.assertEqual(set(finish.dependencies["depends_on"]), set(reminders.mapped("uuid")))
        self._perform_all()
        self.assertEqual(self._reminders().partner_id, self.customers)
        self.assertEqual(set(self._reminders().mapped("state")), {"sent"})
        self.assertEqual((run.state, run.batch_count), ("done", 3))
        self.assertIn("3 jobs done: 5 reminders made, 5 sent", run.log)

    def test_the_jobs_count_the_customers_they_skipped_or_found_covered(self):
        # Its payment leaves 1.00 to claim (under 5.00): covered; a reminder
        # waiting for review: skipped. Both are listed, the jobs judge them.
        covered, skipped = self.customers.sorted("id")[0], self.customers.sorted("id")[3]
        self._pay_unmatched(covered, 299.0)
        self._new_reminder(skipped, date=self.today - timedelta(days=3))
        run = self._enqueue(batch_size=2)
        self.assertEqual((run.remaining_count, run.covered_count, run.skipped_count), (5, 0, 0))
        self._perform_all()
        # In the order of their customers: 2, 2 and 1 a job.
        jobs = self._jobs("_dunning_job_remind").sorted(lambda job: job.args[0][0])
        self.assertEqual(jobs.dunning_run_id, run)
        self.assertEqual(
            [(job.dunning_covered_count, job.dunning_skipped_count) for job in jobs],
            [(1, 0), (0, 1), (0, 0)],
        )
        self.assertEqual((run.state, run.covered_count, run.skipped_count), ("done", 1, 1))
        self.assertEqual(run.action_ids.partner_id, self.customers - covered - skipped)

    def test_the_cron_enqueues_a_run_once(self):
        self._enqueue(batch_size=2)
        self.Run._cron_enqueue_dunning()
        self.assertEqual(len(self._jobs("_dunning_job_remind")), 3)
        self._perform_all()
        self.assertEqual(len(self._reminders()), 5)

    def test_a_serialization_failure_retries_the_job_with_nothing_written(self):
        run = self._enqueue(batch_size=5)
        job = self._jobs("_dunning_job_remind")
        conflict = pg_errors.SerializationFailure("could not serialize access")
        # The reminders are made, then sending meets another worker.
        with (
            patch.object(
                self.registry["account.dunning.sender"], "_send_checked", side_effect=conflict
            ),
            self.assertRaises(RetryableJobError),
        ):
            self._perform(job)
        self.assertFalse(self._reminders())
        self.assertNotIn("failed", run.log)
        # The retry makes them, once.
        self._perform(job)
        self.assertEqual(len(self._reminders()), 5)
        self.assertEqual(set(self._reminders().mapped("state")), {"sent"})

    def test_a_customer_held_by_another_worker_retries_the_job(self):
        self._enqueue(batch_size=5)
        job = self._jobs("_dunning_job_remind")
        held = self.customer
        lock = RunCustomers._lock_customers

        def lock_but_one(run, batch):
            return {pid: v for pid, v in lock(run, batch).items() if pid != held.id}

        with (
            patch.object(RunCustomers, "_lock_customers", lock_but_one),
            self.assertRaises(RetryableJobError),
        ):
            self._perform(job)
        self.assertFalse(self._reminders())
        # The other worker reminds that customer; the retry does the others.
        self._run(partners=held)
        self._perform(job)
        reminders = self._reminders()
        self.assertEqual(len(reminders), 5)
        self.assertEqual(reminders.partner_id, self.customers)

    def test_two_jobs_reaching_the_same_customer_make_one_reminder(self):
        run = self._enqueue(batch_size=5)
        both = self.customer | self.customer_2
        run._dunning_job_remind(both.ids)
        run._dunning_job_remind((self.customer_2 | self.customers[2]).ids)
        run._dunning_job_remind(both.ids)
        self._perform_all()
        reminders = self._reminders()
        self.assertEqual(len(reminders), 5)
        self.assertEqual(reminders.partner_id, self.customers)

    def test_a_job_reminds_with_the_objects_alive_before_it_frozen(self):
        # account_dunning_fr/tools/heap.py: out of the full garbage collections.
        run = self._enqueue(batch_size=5)
        make = RunCustomers._create_actions
        frozen = []

        def spy(run, *args, **kwargs):
            frozen.append(gc.get_freeze_count())
            return make(run, *args, **kwargs)

        with patch.object(RunCustomers, "_create_actions", autospec=True, side_effect=spy):
            run._dunning_job_remind(self.customer.ids)
        self.assertEqual(len(frozen), 1)
        self.assertGreater(frozen[0], 1000)
        self.assertEqual(gc.get_freeze_count(), 0, "given back after the job")
        self.assertEqual(self._reminders().partner_id, self.customer)

    def test_a_failed_job_is_recorded_and_the_run_finished_after_all_jobs(self):
        accountant = self.env.ref("base.user_admin")
        self.company.dunning_responsible_id = accountant
        run = self._enqueue(batch_size=2)
        broken = self.customer
        create = RunCustomers._create_actions

        def create_or_fail(run, batch):
            if broken.id in batch:
                raise RuntimeError("disk full")
            return create(run, batch)

        finish = self._jobs("_dunning_job_finish")
        with (
            patch.object(RunCustomers, "_create_actions", create_or_fail),
            mute_logger(RUN_MODULE),
        ):
            for job in self._jobs("_dunning_job_remind"):
                self.assertEqual(finish.state, "wait_dependencies")
                self._perform(job)
                self.assertEqual(run.state, "running")
        self.assertIn("disk full", run.log)
        alert = run.activity_ids.filtered(lambda a: a.summary == "Dunning run failed")
        self.assertEqual(alert.user_id, accountant)
        failed_batch = next(
            args[0]
            for args in self._jobs("_dunning_job_remind").mapped("args")
            if broken.id in args[0]
        )
        self.assertEqual(
            self._reminders().partner_id, self.customers - self.customers.browse(failed_batch)
        )
        self.assertEqual(finish.state, "pending")
        self._perform(finish)
        self.assertEqual(run.state, "done")
        self.assertTrue(run.end_datetime)

    def test_letters_get_their_own_jobs_before_the_run_is_finished(self):
        invoice = self._invoice(self.customer, 900.0, days_late=15)
        self._set_level(invoice, self.level_1, days_ago=14)
        run = self._enqueue(batch_size=5)
        self._perform(self._jobs("_dunning_job_remind"))
        letter = self._reminders().filtered("send_letter")
        self.assertEqual((letter.partner_id, letter.letter_pending), (self.customer, True))
        self._perform(self._jobs("_dunning_job_finish"))
        self.assertEqual(run.state, "running")
        letter_job = self._jobs("_dunning_job_letters")
        self.assertEqual(
            (letter_job.channel, list(letter_job.args[0])), ("root.dunning", letter.ids)
        )
        self.assertEqual(len(self._jobs("_dunning_job_finish", "wait_dependencies")), 1)
        self._perform_all()
        self.assertTrue(letter.letter_attachment_id)
        self.assertFalse(letter.letter_pending)
        self.assertEqual(run.state, "done")

    def test_the_finishing_job_logs_each_failure_with_its_customer(self):
        # A reminder that cannot go out (no email address) and a letter that
        # fails to render: the run's log names the customer of each.
        self.customer_2.email = False
        invoice = self._invoice(self.customer, 900.0, days_late=15)
        self._set_level(invoice, self.level_1, days_ago=14)
        run = self._enqueue(batch_size=5)

        def render_fails(report, report_ref, res_ids=None, data=None):
            raise ValueError("wkhtmltopdf crashed")

        with (
            patch.object(IrActionsReport, "_render_qweb_pdf", render_fails),
            mute_logger(
                "odoo.addons.account_dunning_fr.models.sending.account_dunning_sender_letter"
            ),
        ):
            self._perform_all()
        self.assertEqual(run.state, "done")
        log = run.log.splitlines()
        self.assertIn(
            "  Garage Dupont SAS: failed: The customer has no email address "
            "(nor its invoicing contacts).",
            log,
        )
        self.assertIn(
            "  Boulangerie Martin SARL: The letter could not be made: wkhtmltopdf crashed", log
        )

    def test_a_job_that_gives_up_is_recorded_on_the_run(self):
        run = self._enqueue(batch_size=5)
        run._dunning_job_failed(exc_message="Max. retries (15) reached: lock")
        self.assertIn("Max. retries (15) reached: lock", run.log)
        self.assertTrue(run.activity_ids.filtered(lambda a: a.summary == "Dunning run failed"))
        self.assertEqual(run.state, "running")

    def test_uninstalling_gives_the_daily_run_back_to_the_core(self):
        cron = self.env.ref("account_dunning_fr.ir_cron_dunning_run")
        uninstall_hook(self.env)
        self.assertEqual(cron.code, "model._cron_run_dunning()")

    def test_jobs_are_sized_from_the_channel_capacity(self):
        param = self.env["ir.config_parameter"].sudo()
        param.set_param("account_dunning_fr_queue.job_min_customers", "1")
        param.set_param("account_dunning_fr_queue.jobs_per_worker", "1")
        # 5 customers due, a channel of 2, one job per worker: 2 jobs, of 3 and 2.
        with patch.dict(os.environ, {"ODOO_QUEUE_JOB_CHANNELS": "root:2,root.dunning:2"}):
            self.env.ref("account_dunning_fr.ir_cron_dunning_run").method_direct_trigger()
        jobs = self._jobs("_dunning_job_remind")
        self.assertEqual(sorted(len(args[0]) for args in jobs.mapped("args")), [2, 3])
        self._perform_all()
        self.assertEqual(self._reminders().partner_id, self.customers)

    def test_jobs_are_balanced_by_open_lines_and_run_in_their_order(self):
        param = self.env["ir.config_parameter"].sudo()
        param.set_param("account_dunning_fr_queue.job_min_customers", "1")
        param.set_param("account_dunning_fr_queue.jobs_per_worker", "1")
        ids = sorted(self.customers.ids)
        heavy = self.env["res.partner"].browse(ids[0])
        for _invoice in range(9):
            self._invoice(heavy, 100.0, days_late=1)
        # 5 customers, 2 jobs of 3 and 2 by count; by weight (5 + 2 an open
        # line): 25 for the one of 10 invoices, 7 for the others, 53 in
        # shares of 31.8 and 21.2; middles 12.5 and 28.5 in the first, 35.5,
        # 42.5 and 49.5 in the second.
        with patch.dict(os.environ, {"ODOO_QUEUE_JOB_CHANNELS": "root:2,root.dunning:2"}):
            run = self._enqueue(batch_size=500)
        jobs = self._jobs("_dunning_job_remind")
        by_priority = jobs.sorted(lambda job: (job.priority, job.id))
        self.assertEqual(
            [(job.priority, list(job.args[0])) for job in by_priority],
            [(10, ids[0:2]), (11, ids[2:5])],
        )
        self._perform_all()
        self.assertEqual(self._reminders().partner_id, self.customers)
        self.assertEqual(self._actions(heavy).amount_due, 1200.0)
        self.assertEqual((run.state, run.batch_count), ("done", 2))

    def test_without_a_channel_configured_the_setting_gives_the_workers(self):
        param = self.env["ir.config_parameter"].sudo()
        param.set_param("account_dunning_fr_queue.job_min_customers", "1")
        param.set_param("account_dunning_fr_queue.jobs_per_worker", "1")
        param.set_param("account_dunning_fr_queue.workers", "5")
        with patch.dict(os.environ, {"ODOO_QUEUE_JOB_CHANNELS": ""}):
            self.env.ref("account_dunning_fr.ir_cron_dunning_run").method_direct_trigger()
        self.assertEqual(len(self._jobs("_dunning_job_remind")), 5)
