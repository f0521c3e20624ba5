import logging
import math
import os

from odoo import api, fields, models
from odoo.tools import config, format_datetime

from odoo.addons.account_dunning_fr.models.night.account_dunning_run import (
    LETTER_BATCH_SIZE,
    RETRYABLE_ERRORS,
)
from odoo.addons.account_dunning_fr.tools.heap import old_objects_frozen
from odoo.addons.queue_job.delay import group
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import DEFAULT_PRIORITY, identity_exact

from ..core import sizing

_logger = logging.getLogger(__name__)

# Retries of a job that met another worker: with the job functions' retry
# pattern (10 s, then 60 s, then 5 min) about 40 minutes before it gives up,
# and then it is recorded on the run (_dunning_job_failed), never dropped.
JOB_MAX_RETRIES = 15
# Workers assumed when the channel's capacity is configured nowhere this
# process can read (a scheduled action run from a shell).
DEFAULT_WORKERS = 2


class AccountDunningRun(models.Model):
    """The daily run as queue_job jobs: the scheduled action splits the
    customers due today into batches and enqueues one job per batch on the
    ``root.dunning`` channel, so that as many workers as the channel allows
    remind customers at once; letters get their own jobs after the emails,
    and the run is finished by a last job once all the others are done.

    The core's ``_cron_run_dunning`` is left untouched: it stays the path of
    "Run now" carried on by hand and of the core's own tests.
    """

    _inherit = "account.dunning.run"

    jobs_enqueued = fields.Boolean(
        "Run as queue jobs",
        readonly=True,
        help="The customers due were handed to queue jobs (channel root.dunning); "
        "the run is finished once they are all done.",
    )

    # ------------------------------------------------------------------
    # The scheduled action: enqueue, do not work
    # ------------------------------------------------------------------

    @api.model
    def _cron_enqueue_dunning(self):
        """The daily run with the job queue: each company's runs of today
        (unfinished "Run now" runs first, then the scheduled one) get their
        jobs once; the jobs do the work, in their own transactions."""
        self._close_stale_runs()
        enqueued = 0
        for company in self.env["res.company"].search([("dunning_active", "=", True)]):
            assigned = set()
            for run in self._get_runs_to_carry_on(company):
                if run.jobs_enqueued:
                    continue
                assigned |= run.with_company(company)._enqueue_jobs(exclude=assigned)
                enqueued += 1
        self.env["ir.cron"]._notify_progress(done=enqueued, remaining=0)

    def _enqueue_jobs(self, exclude=()):
        """Start the run, then enqueue one job per batch of the customers due
        (less ``exclude``, given to another run of this call) and the job
        that finishes the run after them. Returns the customers enqueued."""
        self.ensure_one()
        hold = self.company_id._dunning_bank_guard_reason()
        if not self.batch_count:  # a "Run now" run has already started
            # Letters of the reminders sent here wait for the letters' jobs,
            # as in the scheduler's path of the core.
            self.with_context(dunning_defer_letters=True)._start_of_run(None, hold)
        lines = self._list_candidate_customers()
        customers = sorted(set(lines) - set(exclude))
        ceiling = self._job_ceiling()
        batches = sizing.weighted_split(
            customers,
            [sizing.customer_weight(lines[customer]) for customer in customers],
            self._job_sizes(len(customers), ceiling),
            cap=ceiling,
        )
        self._enqueue_batch_jobs(batches)
        self.write({"jobs_enqueued": True, "remaining_count": len(customers)})
        self._append_log_lines(
            [
                self.env._(
                    "%(when)s %(customers)s customers to look at, in %(jobs)s jobs "
                    "(channel %(channel)s).",
                    when=format_datetime(self.env, fields.Datetime.now()),
                    customers=len(customers),
                    jobs=len(batches),
                    channel=self.env.ref("account_dunning_fr_queue.channel_dunning").complete_name,
                )
            ]
        )
        return set(customers)

    def _enqueue_batch_jobs(self, batches):
        """One job per batch, all at once, run in the order of ``batches``
        (the last round, half the size, last), and the finishing job after
        them."""
        finish = self._delayable_job(self.env._("Dunning: finish the run"))._dunning_job_finish(
            len(batches)
        )
        if not batches:
            finish.delay()
            return
        # queue_job creates a group's jobs in no set order and the job runner
        # starts them by priority, then creation: a half-size job meant for
        # the end ran first, and a worker waited 0.6 s for the other at the
        # end of a 4.5-second night.
        reminders = [
            self._delayable_job(
                self.env._("Dunning: remind %(count)s customers", count=len(batch)),
                priority=DEFAULT_PRIORITY + position,
            )._dunning_job_remind(batch)
            for position, batch in enumerate(batches)
        ]
        group(*reminders).on_done(finish).delay()

    @api.model
    def _job_sizes(self, customers, ceiling):
        """The customers of each job (core/sizing.py), from the capacity of
        the channel, the settings and ``ceiling`` (_job_ceiling)."""
        param = self.env["ir.config_parameter"].sudo().get_param
        return sizing.job_sizes(
            customers,
            self._dunning_channel_capacity(),
            per_worker=int(
                param("account_dunning_fr_queue.jobs_per_worker", sizing.JOBS_PER_WORKER)
            ),
            floor=int(param("account_dunning_fr_queue.job_min_customers", sizing.MIN_CUSTOMERS)),
            ceiling=ceiling,
        )

    @api.model
    def _job_ceiling(self):
        """The most customers a job reminds: the setting, and the core's
        batch size when set (it was each job's size before)."""
        param = self.env["ir.config_parameter"].sudo().get_param
        ceiling = int(param("account_dunning_fr_queue.job_max_customers", sizing.MAX_CUSTOMERS))
        if param("account_dunning_fr.batch_size"):
            ceiling = min(ceiling, self._get_batch_size())
        return ceiling

    @api.model
    def _dunning_channel_capacity(self):
        """The capacity of root.dunning as the job runner reads it (the
        environment, then the configuration file), else the setting."""
        channels = os.environ.get("ODOO_QUEUE_JOB_CHANNELS") or config.misc.get(
            "queue_job", {}
        ).get("channels")
        capacity = sizing.channel_capacity(channels)
        if capacity:
            return capacity
        param = self.env["ir.config_parameter"].sudo().get_param
        return int(param("account_dunning_fr_queue.workers", DEFAULT_WORKERS))

    @api.model
    def _split_in_batches(self, items, size):
        """``items`` in consecutive lists of ``size`` (the last one shorter)."""
        return [items[i * size : (i + 1) * size] for i in range(math.ceil(len(items) / size))]

    def _delayable_job(self, description, priority=None):
        # The channel and the retry pattern come from the job functions
        # (data/queue_job_data.xml), so that an administrator can tune them.
        return self.delayable(
            priority=priority,
            description=description,
            max_retries=JOB_MAX_RETRIES,
            identity_key=identity_exact,
        )

    # ------------------------------------------------------------------
    # The jobs
    # ------------------------------------------------------------------

    def _dunning_job_remind(self, partner_ids):
        """Remind one batch of customers (a job).

        A serialization failure or a customer held by another worker makes
        the job retried later, with nothing of it written; any other error
        is recorded on the run and the accountant alerted, as in the core.
        Nothing is written on the run otherwise: parallel jobs would collide
        on its row; the finishing job counts for all of them.
        """
        self.ensure_one()
        run = self.with_company(self.company_id).with_context(dunning_defer_letters=True)
        try:
            with self.env.cr.savepoint(), old_objects_frozen():
                outcome = run._remind_batch(partner_ids)
        except RETRYABLE_ERRORS as error:
            raise RetryableJobError(str(error)) from error
        except RetryableJobError:
            raise
        except Exception as error:  # recorded on the run, like a failed batch in the core
            _logger.exception("Dunning run %s: job failed", self.id)
            run._record_batch_failure(error)
            return "failed: %s" % error
        return "%s reminders made" % outcome["counts"]["created"]

    def _remind_batch(self, partner_ids):
        """The core's batch, for these customers only: those already handled
        today (by another job, a retry, "Run now") are no longer due.
        Returns the core's outcome (``_remind_customers``)."""
        hold = self.company_id._dunning_bank_guard_reason()
        run = self.with_context(dunning_retry_held=True)
        outcome = run._remind_customers(partner_ids, hold)
        self._count_judged(**outcome["judged"])
        return outcome

    def _leave_held_customers(self, held):
        if held and self.env.context.get("dunning_retry_held"):
            # Once the other worker has committed they are no longer due;
            # if it rolled back, they are this job's: it is retried whole.
            raise RetryableJobError("Customers %s held by another worker" % sorted(held))
        return super()._leave_held_customers(held)

    def _count_judged(self, skipped, covered):
        """Keep the customers a job skipped and found covered on its own
        queue.job row (the finishing job adds them to the run's counts); on
        the run itself when called out of a job."""
        uuid = self.env.context.get("job_uuid")
        if not uuid:
            self.write(self._judged_counts(skipped, covered))
            return
        job = self.env["queue.job"].sudo().search([("uuid", "=", uuid)])
        job.write(
            {
                "dunning_run_id": self.id,
                "dunning_skipped_count": skipped,
                "dunning_covered_count": covered,
            }
        )

    def _judged_in_jobs(self):
        """The run's counts with those its jobs kept (``_count_judged``)."""
        [(skipped, covered)] = (
            self.env["queue.job"]
            .sudo()
            ._read_group(
                [("dunning_run_id", "=", self.id)],
                aggregates=["dunning_skipped_count:sum", "dunning_covered_count:sum"],
            )
        )
        return self._judged_counts(skipped or 0, covered or 0)

    def _dunning_job_letters(self, action_ids):
        """Render the pending letters of these reminders (a job)."""
        self.ensure_one()
        run = self.with_company(self.company_id)
        try:
            pending = run._lock_pending_letters(action_ids)
            self.env["account.dunning.sender"]._generate_letters(pending)
        except RETRYABLE_ERRORS as error:
            raise RetryableJobError(str(error)) from error
        return "%s letters" % len(pending)

    def _lock_pending_letters(self, action_ids):
        """The reminders still waiting for their letter that no other job is
        rendering (a letter is never rendered twice)."""
        if not action_ids:
            return self.env["account.dunning.action"]
        self.env["account.dunning.action"].flush_model(["letter_pending"])
        self.env.cr.execute(
            "SELECT id FROM account_dunning_action"
            " WHERE id IN %s AND letter_pending FOR UPDATE SKIP LOCKED",
            [tuple(action_ids)],
        )
        return self.env["account.dunning.action"].browse(row[0] for row in self.env.cr.fetchall())

    def _dunning_job_finish(self, batch_count):
        """After the reminders' jobs: the letters in their own jobs, then
        (called again after them) the run's counts, log and end (a job)."""
        self.ensure_one()
        run = self.with_company(self.company_id)
        pending = self.env["account.dunning.action"].search(
            [("company_id", "=", self.company_id.id), ("letter_pending", "=", True)]
        )
        if pending:
            run._enqueue_letter_jobs(pending, batch_count)
            return "%s letters enqueued" % len(pending)
        run._close_after_jobs(batch_count)
        return "finished"

    def _enqueue_letter_jobs(self, pending, batch_count):
        letters = [
            self._delayable_job(
                self.env._("Dunning: render %(count)s letters", count=len(batch))
            )._dunning_job_letters(batch)
            for batch in self._split_in_batches(pending.ids, LETTER_BATCH_SIZE)
        ]
        finish = self._delayable_job(self.env._("Dunning: finish the run"))._dunning_job_finish(
            batch_count
        )
        group(*letters).on_done(finish).delay()

    def _close_after_jobs(self, batch_count):
        """The counts and the log of all the jobs at once, then the core's end
        of run (missing rates, legal alerts)."""
        # Counted and searched by the database: the run's reminders read one
        # by one took 0.5 s of this job at scale 10 (17,800 of them), while
        # the workers waited.
        Action = self.env["account.dunning.action"]
        lines = [
            self.env._(
                "%(when)s %(jobs)s jobs done: %(created)s reminders made, %(sent)s sent, "
                "%(review)s to review, %(failed)s failed, %(cancelled)s cancelled.",
                when=format_datetime(self.env, fields.Datetime.now()),
                jobs=batch_count,
                **self._run_log_counts(),
            )
        ]
        lines += self._log_failures(
            Action.search([("run_id", "=", self.id), ("state", "=", "failed")])
        )
        lines += self._log_letter_failures(
            Action.search([("run_id", "=", self.id), ("letter_error", "!=", False)])
        )
        self._append_log_lines(lines)
        # The jobs overlap: the run's duration is its wall time, not a sum.
        wall = (fields.Datetime.now() - self.start_datetime).total_seconds()
        self.write(
            {
                **self._judged_in_jobs(),
                "batch_count": self.batch_count + batch_count,
                "duration": wall,
            }
        )
        self._finish()

    def _dunning_job_failed(self, exc_info=None, exc_name=None, exc_message=None):
        """A job that gave up after its retries (queue_job's on_fail): its
        customers are not reminded today; say so on the run and alert the
        accountant. The run stays open and is closed the next day."""
        self.ensure_one()
        self._record_batch_failure(exc_message or exc_name)
