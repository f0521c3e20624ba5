import logging
import threading
import time
from collections import Counter
from contextlib import contextmanager

from psycopg2.pool import PoolError

from odoo import api, fields, models
from odoo.tools import format_datetime

from .account_dunning_run import RETRYABLE_ERRORS

_logger = logging.getLogger(__name__)

# Batches reminded at once by the scheduler's run, each in its own thread and
# transaction. The benchmark's night (1,777 customers, 2 vCPUs, PostgreSQL on
# the same machine): 6.65 s with one, 5.6 s with two, 5.8 s with three. A
# batch spends a third of its time waiting for PostgreSQL (2.1 s of SQL in a
# 6.7 s night); another thread's Python runs meanwhile, and PostgreSQL works
# on the other core. Python's own work does not add up (one interpreter
# lock): more threads give nothing more; the queue bridge's workers do.
DEFAULT_NIGHT_THREADS = 2


def _in_tests(env):
    """Odoo's tests run in one transaction that is never committed (the
    helpers' own transactions would not see their data): a helper's batch
    runs there in a savepoint instead, after the start of the run left
    uncommitted. ``testing`` is what Odoo's and pytest-odoo's runners set
    on their thread; the test mode is that of HttpCase."""
    return getattr(threading.current_thread(), "testing", False) or env.registry.in_test_mode()


class AccountDunningRun(models.Model):
    """The scheduler's run with several batches at once: the thread of the
    scheduled action reminds one batch in its transaction while helper
    threads remind the next ones, each in its own transaction, as the queue
    bridge's jobs do (same methods, same locks per customer). The run's row
    is written by the scheduler's thread only: the helpers hand back their
    counts and log lines."""

    _inherit = "account.dunning.run"

    @api.model
    def _night_threads(self):
        """Batches reminded at once (system parameter
        ``account_dunning_fr.night_threads``; 1 for one batch at a time).

        Unset, 1 in Odoo's tests: a helper cannot have a transaction of its
        own there (``_in_tests``), so two batches would only be one made in
        two parts, and the tests of one batch a call keep their meaning.
        The tests of the threads set the parameter."""
        param = self.env["ir.config_parameter"].sudo().get_param("account_dunning_fr.night_threads")
        if param and param.strip().isdigit() and int(param) > 0:
            return int(param)
        return 1 if _in_tests(self.env) else DEFAULT_NIGHT_THREADS

    def _start_for_threads(self, threads):
        """The start of the run and the list of the customers to look at, alone: the
        helpers' transactions begin after it is committed, so that they see
        the plans and promises followed up and the held reminders released."""
        self.ensure_one()
        self = self.with_company(self.company_id)
        self._start_of_run(None, self.company_id._dunning_bank_guard_reason())
        _ids, left = self._next_due_ids(0)
        self.write({"batch_count": 1, "remaining_count": left})
        self._append_log_lines(
            [
                self.env._(
                    "%(when)s %(customers)s customers to look at, %(threads)s batches at a time.",
                    when=format_datetime(self.env, fields.Datetime.now()),
                    customers=left,
                    threads=threads,
                )
            ]
        )

    def _commit_for_threads(self):
        """The scheduler's own transaction, committed where its next call
        would begin anyway (between the start and the first batch), so that
        the helpers' transactions see the run started."""
        if not _in_tests(self.env):
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _process_batch_in_threads(self, batch_size, threads):
        """``_process_batch`` of the scheduler with ``threads`` batches at
        once: the first in this transaction, the others by helpers.

        A helper's batch met by another worker (a retryable error), or
        left without a connection, is listed again: the next call starts
        from this call's first customer (those reminded are no longer
        due). Any other error of a helper is recorded on the run, as a
        failed batch is: returns None then, else (customers handled,
        customers still due).
        """
        self.ensure_one()
        self = self.with_company(self.company_id)
        started = time.monotonic()
        hold = self.company_id._dunning_bank_guard_reason()
        first = self.due_cursor
        ids, left = self._next_due_ids(batch_size * threads)
        # Dealt in turn, as cards: a call lasts as long as its longest batch,
        # and a customer with hundreds of invoices costs as much as fifty
        # small ones; in turn, each batch gets its share of the big ones
        # wherever they are in the list.
        slices = [ids[index::threads] for index in range(threads)]
        slices = [partner_ids for partner_ids in slices if partner_ids] or [[]]
        helpers = [self._start_helper(partner_ids, hold) for partner_ids in slices[1:]]
        try:
            ours = self._remind_customers(slices[0], hold)
        finally:
            theirs = [join() for join in helpers]
        outcomes = [ours, *theirs]
        done, counts, judged, failures = 0, Counter(), Counter(), []
        for outcome in outcomes:
            done += outcome.get("done", 0)
            failures += outcome.get("failures", [])
            counts.update(outcome.get("counts", {}))
            judged.update(outcome.get("judged", {}))
        judged = self._judged_counts(judged["skipped"], judged["covered"])
        if any("retry" in outcome for outcome in outcomes):
            # Listed again from this call's first: those reminded meanwhile
            # are no longer due, the others are judged (and counted) again.
            self.due_cursor = first
            left += len(ids)
            judged = {}
        self._record_batch(started, left, dict(counts), failures, judged)
        errors = [outcome["error"] for outcome in outcomes if "error" in outcome]
        if errors:
            self._record_batch_failure(errors[0])
            return None
        return done, left

    def _start_helper(self, partner_ids, hold):
        """Remind ``partner_ids`` in a thread of its own; returns the function
        that waits for it and gives its outcome (see ``_remind_apart``)."""
        outcome = {}
        if _in_tests(self.env):
            self._remind_apart(partner_ids, hold, outcome)
            return lambda: outcome
        thread = threading.Thread(
            target=self._remind_apart,
            args=(partner_ids, hold, outcome),
            name=f"dunning run {self.id}",
            daemon=True,
        )
        thread.start()

        def join():
            thread.join()
            return outcome

        return join

    def _remind_apart(self, partner_ids, hold, outcome):
        """A helper's batch, in its own transaction: ``outcome`` gets its
        counts and log lines once committed, or the error that rolled it
        back ("retry" when another worker was met). Never raises."""
        try:
            with self._own_transaction() as run:
                result = run._remind_customers(partner_ids, hold)
            outcome.update(result)
        except (*RETRYABLE_ERRORS, PoolError) as error:
            # Another worker met, or no connection left for this thread
            # (db_maxconn): the batch waits for the next call.
            _logger.info("Dunning run %s: batch retried next call: %s", self.id, error)
            outcome["retry"] = error
        except Exception as error:  # the night run never raises
            _logger.exception("Dunning run %s: batch failed", self.id)
            outcome["error"] = error

    @contextmanager
    def _own_transaction(self):
        """This run in a new cursor (committed at the end, rolled back on an
        error), or in a savepoint of this one in tests (see ``_in_tests``)."""
        if _in_tests(self.env):
            with self.env.cr.savepoint():
                yield self
            return
        current = threading.current_thread()
        current.dbname, current.uid = self.env.cr.dbname, self.env.uid  # Odoo's log lines
        with self.pool.cursor() as cr:
            # The registry given, not looked up by name: Registry(dbname)
            # takes the class lock, which Odoo's server holds while it loads
            # the registries and runs their tests (the helper waited for
            # the scheduler's thread, which waited for it).
            cr.transaction = api.Transaction(self.pool)
            yield self.with_env(self.env(cr=cr))
