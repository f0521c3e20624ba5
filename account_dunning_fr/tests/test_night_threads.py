"""The scheduler's run with several batches at once (models/night/
account_dunning_run_threads.py).

In these tests the helpers' batches run in savepoints of the test's
transaction, one after the other (``_in_tests``): what is checked here is
how the batches are shared, counted, logged and retried. Real threads in
their own transactions, on committed data, are in test_concurrency.py.
"""

from datetime import timedelta
from unittest.mock import patch

from psycopg2 import errors as pg_errors
from psycopg2.pool import PoolError

from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.night.account_dunning_run import AccountDunningRun
from ..models.night.account_dunning_run_threads import AccountDunningRun as RunThreads
from .common import DunningCase

THREADS_LOGGER = "odoo.addons.account_dunning_fr.models.night.account_dunning_run_threads"


@tagged("post_install", "-at_install")
class TestNightThreads(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_3 = cls._customer("Fromagerie Leroy SARL")
        for customer in (cls.customer, cls.customer_2, cls.customer_3):
            cls._invoice(customer, 300.0, days_late=1)
        param = cls.env["ir.config_parameter"].sudo().set_param
        param("account_dunning_fr.batch_size", "1")
        param("account_dunning_fr.night_threads", "2")

    def _run(self):
        return self.env["account.dunning.run"].search(
            [("trigger", "=", "cron"), ("date", "=", self.today)]
        )

    def _reminded(self):
        return self.env["account.dunning.action"].search([("run_id", "=", self._run().id)])

    def _helper_slice_fails(self, error):
        """``_remind_customers`` raising ``error`` for the helper's slice
        (the second customer listed) only."""
        remind = AccountDunningRun._remind_customers
        helper_slice = [self.customer_2.id]

        def remind_or_fail(run, partner_ids, hold):
            if partner_ids == helper_slice:
                raise error
            return remind(run, partner_ids, hold)

        return patch.object(
            AccountDunningRun, "_remind_customers", autospec=True, side_effect=remind_or_fail
        )

    def test_each_call_reminds_a_batch_per_thread(self):
        progress = self._cron()
        run = self._run()
        self.assertEqual(
            self._reminded().partner_id, self.customer | self.customer_2, "1 customer per batch"
        )
        self.assertEqual((progress.done, progress.remaining), (2, 1))
        self.assertEqual((run.batch_count, run.remaining_count, run.due_cursor), (2, 1, 2))
        self.assertIn("3 customers to look at, 2 batches at a time.", run.log)
        self.assertIn("batch 2: 2 reminders made, 2 sent", run.log)
        self._cron()
        self.assertEqual(run.state, "done")
        self.assertIn("batch 3: 1 reminders made, 1 sent", run.log)
        reminded = self._reminded()
        self.assertEqual(len(reminded), 3)
        self.assertEqual(reminded.partner_id, self.customer | self.customer_2 | self.customer_3)
        self.assertEqual(set(reminded.mapped("amount_due")), {300.0})
        self.assertEqual(run.sent_count, 3)

    def test_the_customers_of_a_call_are_dealt_in_turn(self):
        # Not in consecutive ranges: a customer with hundreds of invoices
        # would make its batch the call's longest.
        self.env["ir.config_parameter"].sudo().set_param("account_dunning_fr.batch_size", "2")
        remind = AccountDunningRun._remind_customers
        slices = []

        def spy(run, partner_ids, hold):
            slices.append(partner_ids)
            return remind(run, partner_ids, hold)

        with patch.object(AccountDunningRun, "_remind_customers", autospec=True, side_effect=spy):
            self._cron()
        first, second, third = sorted((self.customer | self.customer_2 | self.customer_3).ids)
        # The helper's batch first: in tests it runs before the scheduler's.
        self.assertEqual(slices, [[second], [first, third]])
        self.assertEqual(len(self._reminded()), 3)
        self.assertEqual(self._run().state, "done")

    def test_one_thread_is_one_batch_a_call_as_before(self):
        self.env["ir.config_parameter"].sudo().set_param("account_dunning_fr.night_threads", "1")
        self._cron()
        run = self._run()
        self.assertEqual(self._reminded().partner_id, self.customer)
        self.assertIn("batch 1: 1 reminders made", run.log)
        self.assertNotIn("at a time", run.log)

    def test_a_wrong_setting_falls_back_to_the_default(self):
        Run = self.env["account.dunning.run"]
        for value in ("zero", "0", "-3", ""):
            self.env["ir.config_parameter"].sudo().set_param(
                "account_dunning_fr.night_threads", value
            )
            # Two threads out of tests; one here (see _night_threads).
            self.assertEqual(Run._night_threads(), 1, value)
            with patch(f"{RunThreads.__module__}._in_tests", return_value=False):
                self.assertEqual(Run._night_threads(), 2, value)

    def test_a_helper_that_meets_another_worker_is_retried_on_the_next_call(self):
        conflict = pg_errors.SerializationFailure("could not serialize access")
        with self._helper_slice_fails(conflict), mute_logger(THREADS_LOGGER):
            progress = self._cron()
        run = self._run()
        self.assertEqual(self._reminded().partner_id, self.customer)
        # Listed again from the call's first customer: customer_2 is due
        # again, the customer reminded is no longer.
        self.assertEqual((run.due_cursor, run.remaining_count), (0, 3))
        self.assertEqual((progress.done, progress.remaining), (1, 3))
        self.assertIn("batch 2: 1 reminders made", run.log)
        progress = self._cron()
        self.assertEqual((progress.done, progress.remaining), (1, 1))
        self.assertIn("batch 3: 1 reminders made", run.log)
        self._cron()
        reminded = self._reminded()
        self.assertEqual(len(reminded), 3, "each customer once")
        self.assertEqual(reminded.partner_id, self.customer | self.customer_2 | self.customer_3)
        self.assertEqual(run.state, "done")

    def _one_covered_one_skipped(self):
        """customer's payment leaves 1.00 to claim (under 5.00): covered;
        customer_3 has a reminder waiting for review: skipped."""
        self._pay_unmatched(self.customer, 299.0)
        self._new_reminder(self.customer_3, date=self.today - timedelta(days=3))

    def test_each_batch_counts_the_customers_it_skipped_or_found_covered(self):
        self._one_covered_one_skipped()
        self._cron()
        run = self._run()
        self.assertEqual((run.covered_count, run.skipped_count), (1, 0))
        self._cron()
        self.assertEqual(run.state, "done")
        self.assertEqual((run.covered_count, run.skipped_count), (1, 1))
        self.assertEqual(self._reminded().partner_id, self.customer_2)

    def test_a_call_retried_counts_its_customers_once(self):
        self._one_covered_one_skipped()
        conflict = pg_errors.SerializationFailure("could not serialize access")
        with self._helper_slice_fails(conflict), mute_logger(THREADS_LOGGER):
            self._cron()
        run = self._run()
        # Listed again from customer: judged (and counted) on the next call.
        self.assertEqual((run.due_cursor, run.covered_count, run.skipped_count), (0, 0, 0))
        self._cron()
        self._cron()
        self.assertEqual(run.state, "done")
        self.assertEqual((run.covered_count, run.skipped_count), (1, 1))
        self.assertEqual(self._reminded().partner_id, self.customer_2)

    def test_a_helper_without_a_connection_leaves_its_batch_to_the_next_call(self):
        full = PoolError("The Connection Pool Is Full")
        with self._helper_slice_fails(full), mute_logger(THREADS_LOGGER):
            self._cron()
        run = self._run()
        self.assertEqual(self._reminded().partner_id, self.customer)
        self.assertEqual((run.due_cursor, run.remaining_count), (0, 3))
        self.assertNotIn("A batch failed", run.log)
        self._cron()
        self._cron()
        self.assertEqual(len(self._reminded()), 3)
        self.assertEqual(run.state, "done")

    def test_a_helper_that_fails_is_recorded_and_its_customers_not_reminded(self):
        accountant = self.env.ref("base.user_admin")
        self.company.dunning_responsible_id = accountant
        with (
            self._helper_slice_fails(RuntimeError("disk full")),
            mute_logger(THREADS_LOGGER),
        ):
            progress = self._cron()
        run = self._run()
        # The scheduler's own batch is kept; the helper's was rolled back.
        self.assertEqual(self._reminded().partner_id, self.customer)
        self.assertEqual(run.state, "running", "left to tomorrow's close, as a failed batch")
        self.assertEqual(progress.remaining, 0)
        self.assertIn("A batch failed and was rolled back: disk full", run.log)
        alert = run.activity_ids.filtered(lambda a: a.user_id == accountant)
        self.assertEqual(alert.summary, "Dunning run failed")
