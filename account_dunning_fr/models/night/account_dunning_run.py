import logging
import time
from collections import Counter

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.tools import format_datetime

from ...tools.heap import old_objects_frozen

_logger = logging.getLogger(__name__)

# Key space of the advisory locks taken per customer while a reminder is made
# (first int of pg_try_advisory_xact_lock(int, int)).
ADVISORY_LOCK_SPACE = 741_115
DEFAULT_BATCH_SIZE = 200
LETTER_BATCH_SIZE = 20
# Two workers on the same rows: the later one retries on the next call.
RETRYABLE_ERRORS = (pg_errors.SerializationFailure, pg_errors.LockNotAvailable)


class AccountDunningRun(models.Model):
    """One execution of the dunning (the nightly cron, or "Run now").

    An orchestrator: it picks the customers due today from the open
    receivable (account.move.line), has their reminders made and sent
    (account.dunning.action), in batches that the scheduler calls one by
    one, and never raises: a customer's failure is recorded on its
    reminder, a batch's on the run.
    """

    _name = "account.dunning.run"
    _inherit = ["mail.thread", "mail.activity.mixin", "account.dunning.alert.mixin"]
    _description = "Dunning Run"
    _order = "date desc, id desc"
    _check_company_auto = True

    date = fields.Date(required=True, index=True, readonly=True, default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda s: s.env.company
    )
    trigger = fields.Selection(
        [("cron", "Scheduled"), ("manual", "Manual")],
        required=True,
        default="manual",
        readonly=True,
    )
    user_id = fields.Many2one("res.users", readonly=True, default=lambda s: s.env.user)
    state = fields.Selection(
        [("running", "Running"), ("done", "Done")], default="running", required=True, readonly=True
    )
    action_ids = fields.One2many("account.dunning.action", "run_id", readonly=True)
    action_count = fields.Integer("Created", compute="_compute_counts")
    sent_count = fields.Integer("Sent", compute="_compute_counts")
    to_review_count = fields.Integer("To review", compute="_compute_counts")
    failed_count = fields.Integer("Failed", compute="_compute_counts")
    cancelled_count = fields.Integer("Cancelled", compute="_compute_counts")
    skipped_count = fields.Integer(
        "Skipped",
        readonly=True,
        help="Customers with something due that were left out: a reminder "
        "already waiting for review or failed, or reminded too recently.",
    )
    covered_count = fields.Integer(
        "Covered by credits",
        readonly=True,
        help="Customers with overdue invoices whose unmatched payments and credit "
        "notes leave less than the minimum to claim: not reminded.",
    )
    remaining_count = fields.Integer(
        "Customers left",
        readonly=True,
        help="Customers still to look at after the last batch: the scheduler goes on with them.",
    )
    batch_count = fields.Integer("Batches", readonly=True)
    # The customers that may be due, listed from the whole ledger once, by
    # the first batch of the run; each batch then reads and judges its own
    # customers only. Reading the whole ledger again for each batch made a
    # run's time grow with the square of its size (0.6 s a batch at 2,000
    # customers, measured).
    due_partner_ids = fields.Json("Customers due", readonly=True, copy=False)
    due_cursor = fields.Integer("Customers due handled", readonly=True, copy=False)
    start_datetime = fields.Datetime("Started", readonly=True, default=fields.Datetime.now)
    end_datetime = fields.Datetime("Ended", readonly=True)
    duration = fields.Float("Duration (s)", readonly=True, digits=(16, 2))
    log = fields.Text(readonly=True)

    @api.depends("action_ids.state")
    def _compute_counts(self):
        groups = self.env["account.dunning.action"]._read_group(
            [("run_id", "in", self.ids)], ["run_id", "state"], ["__count"]
        )
        counts = {}
        for run, state, count in groups:
            counts.setdefault(run.id, {})[state] = count
        for run in self:
            by_state = counts.get(run.id, {})
            run.action_count = sum(by_state.values())
            run.sent_count = by_state.get("sent", 0)
            run.to_review_count = by_state.get("to_review", 0)
            run.failed_count = by_state.get("failed", 0)
            run.cancelled_count = by_state.get("cancelled", 0)

    @api.depends("date", "company_id", "trigger")
    def _compute_display_name(self):
        for run in self:
            run.display_name = self.env._(
                "Dunning run of %(date)s (%(trigger)s)",
                date=run.date,
                trigger=dict(self._fields["trigger"]._description_selection(self.env)).get(
                    run.trigger
                ),
            )

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------

    @api.model
    def _cron_run_dunning(self):
        """The daily run: one batch of customers per call, or as many at once
        as ``account_dunning_fr.night_threads`` (account_dunning_run_threads).

        The scheduler calls again (committing in between) while we report
        work remaining through the progress API, so a crash loses at most
        one batch, and the next call resumes where it stopped: customers
        already handled today are recognised by their action of the day.
        "Run now" runs left unfinished are carried on here too.
        """
        # The registry's objects kept out of the full garbage collections
        # the batches trigger (tools/heap.py: 0.3 s of 4.5 s of CPU).
        with old_objects_frozen():
            self._run_due_batches()

    @api.model
    def _run_due_batches(self):
        self._close_stale_runs()
        budget = self._get_batch_size()
        done = remaining = 0
        for company in self.env["res.company"].search([("dunning_active", "=", True)]):
            for run in self._get_runs_to_carry_on(company):
                if budget <= 0:
                    remaining += 1
                    continue
                result = run._process_batch_safely(budget)
                if result is None:  # failed and recorded: left to tomorrow's close
                    continue
                run_done, run_remaining = result
                budget -= run_done
                done += run_done
                if not run_remaining and budget > 0:
                    letters_done, letters_left = run._generate_pending_letters(LETTER_BATCH_SIZE)
                    done += letters_done
                    budget -= letters_done
                    run_remaining += letters_left
                remaining += run_remaining
                if not run_remaining:
                    run._finish()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.model
    def _run_manual(self, company, partners=None, date=None):
        """Run now, for one company (or some customers).

        For some customers, everything is done in this transaction. For the
        whole company, one batch is done here and, when more is due, the
        scheduler carries on in its own transactions (progress on the run):
        invoice locks are never held for minutes by a button.
        """
        run = self.create(
            {
                "company_id": company.id,
                "trigger": "manual",
                "date": date or fields.Date.context_today(self),
            }
        )
        batch_size = self._get_batch_size()
        for _batch in range(10_000):
            _done, remaining = run._process_batch(batch_size, partners=partners)
            if not remaining or not partners:
                break
        run.remaining_count = remaining
        if remaining:
            self.env.ref("account_dunning_fr.ir_cron_dunning_run")._trigger()
        else:
            run._finish()
        return run

    def action_run_now(self):
        run = self._run_manual(self.env.company)
        return run.get_formview_action()

    def action_view_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_fr.action_account_dunning_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Runs: today's, those left by a crash
    # ------------------------------------------------------------------

    @api.model
    def _get_batch_size(self):
        param = self.env["ir.config_parameter"].sudo().get_param("account_dunning_fr.batch_size")
        return int(param) if param and param.isdigit() and int(param) > 0 else DEFAULT_BATCH_SIZE

    @api.model
    def _get_runs_to_carry_on(self, company):
        """Today's unfinished "Run now" runs, then today's scheduled run
        (made on the first call of the day, resumed on the next ones)."""
        today = fields.Date.context_today(self)
        runs = self.search(
            [("company_id", "=", company.id), ("date", "=", today)], order="trigger desc, id"
        )
        if not runs.filtered(lambda r: r.trigger == "cron"):
            runs |= self.create({"company_id": company.id, "trigger": "cron", "date": today})
        return runs.filtered(lambda r: r.state == "running")

    @api.model
    def _close_stale_runs(self):
        """A run still "running" from a previous day stopped before its end
        (a crash): close it with its counts and its alerts."""
        stale = self.search(
            [("state", "=", "running"), ("date", "<", fields.Date.context_today(self))]
        )
        for run in stale:
            run._append_log_lines(
                [self.env._("Closed the next day: the run stopped before its end.")]
            )
            run.with_company(run.company_id)._finish()

    def _finish(self):
        self.write({"state": "done", "end_datetime": fields.Datetime.now(), "remaining_count": 0})
        for run in self:
            run._check_missing_rates()
            run._raise_legal_alerts()

    # ------------------------------------------------------------------
    # The batch
    # ------------------------------------------------------------------

    def _process_batch_safely(self, batch_size):
        """``_process_batch`` in the scheduler's path, which never raises.

        A serialization failure or a lock held by another worker is retried
        on the scheduler's next call (reported as remaining); any other error
        is recorded on the run and the accountant alerted, and the night goes
        on with the other companies. Returns (done, remaining), or None when
        the batch failed.
        """
        self.ensure_one()
        run = self.with_context(dunning_defer_letters=True)
        threads = self._night_threads()
        try:
            if threads > 1 and not self.batch_count:
                with self.env.cr.savepoint():
                    run._start_for_threads(threads)
                run._commit_for_threads()
            with self.env.cr.savepoint():
                return run._process_batch(batch_size, threads=threads)
        except RETRYABLE_ERRORS as error:
            _logger.info("Dunning run %s: concurrent update, retried next call: %s", self.id, error)
            return 0, 1
        except Exception as error:  # the night run never raises
            _logger.exception("Dunning run %s: batch failed", self.id)
            self._record_batch_failure(error)
            return None

    def _process_batch(self, batch_size, partners=None, threads=1):
        """Make (and send, when automatic) the reminders of one batch, or of
        ``threads`` batches at once once the run has started (the
        scheduler's path, ``_process_batch_in_threads``).

        Returns (customers handled, customers still due).
        """
        self.ensure_one()
        if threads > 1 and not partners and self.batch_count:
            return self._process_batch_in_threads(batch_size, threads)
        self = self.with_company(self.company_id)
        started = time.monotonic()
        hold = self.company_id._dunning_bank_guard_reason()
        if not self.batch_count:
            self._start_of_run(partners, hold)
        if partners:
            due, skipped, covered = self._get_due_customers(partners)
            chosen = dict(sorted(due.items())[:batch_size])
            left = len(due) - len(chosen)
            outcome = self._remind_due(chosen, hold)
            # Each call judges all of them again: the counts are replaced.
            judged = {"skipped_count": len(skipped), "covered_count": len(covered)}
        else:
            ids, left = self._next_due_ids(batch_size)
            outcome = self._remind_customers(ids, hold)
            judged = self._judged_counts(**outcome["judged"])
        self._record_batch(started, left, outcome["counts"], outcome["failures"], judged)
        return outcome["done"], left

    def _remind_customers(self, partner_ids, hold):
        """``_remind_due`` of those of ``partner_ids`` due a reminder today
        (``_due_among``), with the customers judged among them: "judged"
        gives how many were skipped and how many covered by their credits."""
        due, skipped, covered = self._due_among(partner_ids)
        return {
            **self._remind_due(due, hold),
            "judged": {"skipped": len(skipped), "covered": len(covered)},
        }

    def _remind_due(self, due, hold):
        """Remind the customers of ``due`` ({customer id: what is due}) held
        by no other worker. Returns what the run records of it, as plain
        values (a helper thread's outcome outlives its cursor): the
        customers handled ("done"), the log's counts and failures."""
        batch = self._lock_customers(due)
        self._leave_held_customers(set(due) - set(batch))
        actions = self._make_reminders(batch, hold)
        return {
            "done": len(batch),
            "counts": self._log_counts(actions),
            "failures": self._log_failures(actions),
        }

    def _leave_held_customers(self, held):
        """Customers of a batch that another worker holds are its business:
        they are neither reminded here nor counted as remaining (the queue
        bridge retries its job instead)."""

    def _make_reminders(self, batch, hold):
        """Make the reminders of the locked customers of ``batch`` and send
        the automatic ones (or hold them); returns the reminders."""
        actions = self._create_actions(batch).with_context(tracking_disable=True)
        automatic = actions.filtered(lambda a: a.automatic and a.state == "to_review")
        Sender = self.env["account.dunning.sender"]
        if hold:
            Sender._hold(automatic, hold)
        else:
            # Their invoices were read unpaid under lock a moment ago, in this
            # transaction (_lock_customers): no need to read them again.
            Sender._send_checked(automatic)
        return actions

    def _start_of_run(self, partners, hold):
        """Once per run, before the first batch: plans and promises first (a
        plan breached today resumes its invoices' dunning), then the
        reminders held for late bank statements, now that they are in."""
        self.env["account.dunning.payment.plan"]._follow_up(self.company_id, self.date, partners)
        self.env["account.dunning.call"]._check_promises(self.company_id, self.date)
        self.env["account.dunning.answer"]._follow_up_answers(self.company_id)
        if hold:
            self._append_log_lines([hold])
            self._alert_bank_statements(hold)
            return
        held = self.env["account.dunning.action"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "to_review"),
                ("automatic", "=", True),
                ("hold_reason", "!=", False),
            ]
        )
        if partners:
            held = held.filtered(lambda a: a.partner_id in partners.commercial_partner_id)
        self.env["account.dunning.sender"]._send(held)

    # ------------------------------------------------------------------
    # Letters, in their own batches after the emails
    # ------------------------------------------------------------------

    def _generate_pending_letters(self, limit):
        """Render up to ``limit`` letters; returns (rendered, still pending)."""
        self.ensure_one()
        Action = self.env["account.dunning.action"]
        domain = [("company_id", "=", self.company_id.id), ("letter_pending", "=", True)]
        pending = Action.search(domain, limit=limit)
        failed = self.env["account.dunning.sender"]._generate_letters(pending)
        self._append_log_lines(self._log_letter_failures(failed))
        return len(pending), Action.search_count(domain)

    # ------------------------------------------------------------------
    # The log
    # ------------------------------------------------------------------

    def _record_batch(self, started, left, log_counts, failures, counts=None):
        """A batch done, on the run: ``counts`` (fields of the run), the
        customers still due, the time since ``started``, and its log line
        (``log_counts`` as ``_log_counts`` gives them) followed by one line
        per failed reminder."""
        self.write(
            {
                **(counts or {}),
                "batch_count": self.batch_count + 1,
                "remaining_count": left,
                "duration": self.duration + (time.monotonic() - started),
            }
        )
        lines = [
            self.env._(
                "%(when)s batch %(batch)s: %(created)s reminders made, %(sent)s sent, "
                "%(review)s to review (%(held)s held), %(failed)s failed, %(cancelled)s cancelled.",
                when=format_datetime(self.env, fields.Datetime.now()),
                batch=self.batch_count,
                **log_counts,
            )
        ]
        self._append_log_lines(lines + failures)

    @api.model
    def _log_counts(self, actions):
        """What the log counts of ``actions``, by state."""
        return self._log_counts_of(
            Counter(actions.mapped("state")), len(actions.filtered("hold_reason"))
        )

    def _run_log_counts(self):
        """``_log_counts`` of all the run's reminders, counted by the
        database: read one by one, a night of 17,800 reminders took 0.44 s
        of the queue's finishing job (measured at scale 10)."""
        self.ensure_one()
        Action = self.env["account.dunning.action"]
        domain = [("run_id", "=", self.id)]
        by_state = Counter(dict(Action._read_group(domain, ["state"], ["__count"])))
        held = Action.search_count([*domain, ("hold_reason", "!=", False)])
        return self._log_counts_of(by_state, held)

    @api.model
    def _log_counts_of(self, by_state, held):
        """The log counts of reminders counted ``by_state`` ({state: count}),
        ``held`` of them held."""
        return {
            "created": sum(by_state.values()),
            "sent": by_state["sent"],
            "review": by_state["to_review"],
            "held": held,
            "failed": by_state["failed"],
            "cancelled": by_state["cancelled"],
        }

    @api.model
    def _log_failures(self, actions):
        """One log line per failed reminder of ``actions``, with the reason."""
        # The stored name, not display_name: computed partner by partner,
        # the names of 430 failed reminders took 78 ms of the queue's
        # finishing job at scale 10, while the workers waited.
        return [
            self.env._(
                "  %(partner)s: failed: %(error)s",
                partner=action.partner_id.complete_name,
                error=action.error_message,
            )
            for action in actions.filtered(lambda a: a.state == "failed")
        ]

    @api.model
    def _log_letter_failures(self, actions):
        """One log line per reminder of ``actions``, whose letter failed
        (``letter_error`` set: both callers pass only those)."""
        return [
            self.env._(
                "  %(partner)s: %(error)s",
                partner=action.partner_id.complete_name,
                error=action.letter_error,
            )
            for action in actions
        ]

    def _append_log_lines(self, lines):
        if not lines:
            return
        for run in self:
            run.log = "\n".join(filter(None, [run.log, *lines]))
