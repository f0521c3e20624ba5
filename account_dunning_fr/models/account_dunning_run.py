import logging
import time
from collections import defaultdict
from contextlib import contextmanager
from datetime import timedelta

import psycopg2
from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.tools import SQL, format_datetime, mute_logger

from ..core import balance
from ..core import levels as core_levels
from .dunning_proof import writing_proof

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
        help="Customers still due a reminder after the last batch: the scheduler "
        "goes on with them.",
    )
    batch_count = fields.Integer("Batches", readonly=True)
    # The customers due, read from the whole ledger once, by the first batch
    # of the run; the next batches read their own customers' only. Reading
    # the whole ledger again for each batch made a run's time grow with the
    # square of its size (0.6 s a batch at 2,000 customers, measured).
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
        """The daily run: one batch of customers per call.

        The scheduler calls again (committing in between) while we report
        work remaining through the progress API, so a crash loses at most
        one batch, and the next call resumes where it stopped: customers
        already handled today are recognised by their action of the day.
        "Run now" runs left unfinished are carried on here too.
        """
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
        try:
            with self.env.cr.savepoint():
                return self.with_context(dunning_defer_letters=True)._process_batch(batch_size)
        except RETRYABLE_ERRORS as error:
            _logger.info("Dunning run %s: concurrent update, retried next call: %s", self.id, error)
            return 0, 1
        except Exception as error:  # the night run never raises
            _logger.exception("Dunning run %s: batch failed", self.id)
            self._record_batch_failure(error)
            return None

    def _process_batch(self, batch_size, partners=None):
        """Make (and send, when automatic) the reminders of one batch.

        Returns (customers handled, customers still due).
        """
        self.ensure_one()
        self = self.with_company(self.company_id)
        started = time.monotonic()
        hold = self.company_id._dunning_bank_guard_reason()
        if not self.batch_count:
            self._start_of_run(partners, hold)
        if partners:
            due, skipped, covered = self._get_due_customers(partners)
            counts = {"skipped_count": len(skipped), "covered_count": len(covered)}
            candidates = dict(sorted(due.items())[:batch_size])
            left = len(due) - len(candidates)
        else:
            candidates, left, counts = self._next_due_customers(batch_size)
        # Customers another worker holds are its business: not "remaining".
        batch = self._lock_customers(candidates)
        actions = self._make_reminders(batch, hold)
        self.write(
            {
                **counts,
                "batch_count": self.batch_count + 1,
                "remaining_count": left,
                "duration": self.duration + (time.monotonic() - started),
            }
        )
        self._append_log(actions)
        return len(batch), left

    def _make_reminders(self, batch, hold):
        """Make the reminders of the locked customers of ``batch`` and send
        the automatic ones (or hold them); returns the reminders."""
        actions = self._create_actions(batch).with_context(tracking_disable=True)
        automatic = actions.filtered(lambda a: a.automatic and a.state == "to_review")
        if hold:
            automatic._hold(hold)
        else:
            # Their invoices were read unpaid under lock a moment ago, in this
            # transaction (_lock_customers): no need to read them again.
            automatic._send_checked()
        return actions

    def _start_of_run(self, partners, hold):
        """Once per run, before the first batch: plans and promises first (a
        plan breached today resumes its invoices' dunning), then the
        reminders held for late bank statements, now that they are in."""
        self.env["account.dunning.payment.plan"]._follow_up(self.company_id, self.date, partners)
        self.env["account.dunning.call"]._check_promises(self.company_id, self.date)
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
        held._send_now()

    # ------------------------------------------------------------------
    # Candidates: one query over the open receivable
    # ------------------------------------------------------------------

    def _next_due_customers(self, batch_size):
        """(due customers of the next batch, customers left after it, counts
        to record): the first batch reads the whole ledger and keeps the
        list of customers due; the next ones read again only the customers
        of their batch (one paid meanwhile is no longer due)."""
        counts = {}
        if not self.batch_count:
            due, skipped, covered = self._get_due_customers()
            self.write({"due_partner_ids": sorted(due), "due_cursor": 0})
            counts = {"skipped_count": len(skipped), "covered_count": len(covered)}
        listed = self.due_partner_ids or []  # an empty list is stored as NULL
        ids = listed[self.due_cursor : self.due_cursor + batch_size]
        if self.batch_count:
            partners = self.env["res.partner"].browse(ids)
            due = self._get_due_customers(partners)[0] if ids else {}
        self.due_cursor += len(ids)
        return (
            {partner_id: due[partner_id] for partner_id in ids if partner_id in due},
            len(listed) - self.due_cursor,
            counts,
        )

    def _get_due_customers(self, partners=None):
        """({partner id: (core plan, open lines)} of customers due a
        reminder today, ids left out (waiting for review, failed, too
        recent), ids whose credits leave too little to claim)."""
        self.ensure_one()
        today, company = self.date, self.company_id
        Level = self.env["account.dunning.level"].sudo()
        company_levels = Level.search([("company_id", "=", company.id)])
        if not company_levels:
            return {}, set(), set()
        # Courtesy levels look ahead: invoices due within the earliest one.
        horizon = today + timedelta(days=max(0, -min(company_levels.mapped("delay_days"))))
        rows = self.env["account.move.line"]._dunning_read_open_lines(
            company,
            today,
            partner_ids=partners and partners.commercial_partner_id.ids,
            due_by=horizon,
        )
        rows_by_partner = defaultdict(list)
        for row in rows:
            rows_by_partner[row.partner_id].append(row)
        reached = {
            lvl.id: lvl._to_core() for lvl in Level.browse({r.level_id for r in rows} - {None})
        }
        history = self._get_customer_history(list(rows_by_partner))
        policies = self._get_policies(list(rows_by_partner))
        levels_by_policy = {}
        due, skipped, covered = {}, set(), set()
        for partner_id, partner_rows in rows_by_partner.items():
            last_sent, pending, handled_today = history.get(partner_id, (None, False, False))
            policy = policies.get(partner_id)
            if handled_today or not policy:
                continue
            if policy.id not in levels_by_policy:
                levels_by_policy[policy.id] = [lvl._to_core() for lvl in policy.level_ids]
            invoices = [
                core_levels.InvoiceState(
                    id=row.id,
                    due_date=row.date_maturity,
                    current=reached.get(row.level_id),
                    last_date=row.last_date if row.level_id else None,
                )
                for row in partner_rows
                if row.claimable and not row.held
            ]
            plan = core_levels.plan_customer(levels_by_policy[policy.id], invoices, today)
            if plan is None:
                continue
            if pending or not core_levels.customer_can_be_reminded(
                last_sent, today, policy.min_gap_days
            ):
                skipped.add(partner_id)
                continue
            if not self._worth_claiming(plan, partner_rows):
                covered.add(partner_id)
                continue
            due[partner_id] = (plan, partner_rows)
        return due, skipped, covered

    def _worth_claiming(self, plan, rows):
        """The instalments listed, less the customer's credits, come to at
        least the company's minimum."""
        debts, credits = self.env["account.move.line"]._dunning_debts_and_credits(
            rows, plan.invoices
        )
        net = balance.net_due(debts, credits)
        return balance.worth_claiming(net, self.company_id.dunning_min_amount)

    def _get_customer_history(self, partner_ids):
        """{partner id: (last reminder sent, one waiting or failed, one made today)}."""
        if not partner_ids:
            return {}
        self.env["account.dunning.action"].flush_model(["state", "date", "date_sent"])
        rows = self.env.execute_query(
            SQL(
                """
            SELECT partner_id,
                   MAX(date_sent) FILTER (WHERE state = 'sent'),
                   BOOL_OR(state IN ('to_review', 'failed')),
                   BOOL_OR(date = %(today)s)
              FROM account_dunning_action
             WHERE company_id = %(company)s AND partner_id IN %(partners)s
          GROUP BY partner_id
            """,
                today=self.date,
                company=self.company_id.id,
                partners=tuple(partner_ids),
            )
        )
        return {row[0]: row[1:] for row in rows}

    def _get_policies(self, partner_ids):
        company = self.company_id
        # The first batch asks for every customer due: the few columns read,
        # not all of them (20,000 customers: 3.9 s and 100 MB of cache, measured).
        partners = (
            self.env["res.partner"]
            .sudo()
            .with_context(prefetch_fields=False)
            .with_company(company)
            .browse(partner_ids)
        )
        return partners._get_dunning_policies(company)

    def _lock_customers(self, batch):
        """Keep the customers of the batch no other worker is handling.

        An advisory lock per customer (taken whatever the snapshot) and the
        invoices' rows (FOR UPDATE, so that a payment cannot be recorded
        between this check and the reminder) are held until commit.
        """
        if not batch:
            return batch
        rows = self.env.execute_query(
            SQL(
                "SELECT pid FROM unnest(%s) AS pid WHERE pg_try_advisory_xact_lock(%s, pid)",
                list(batch),
                ADVISORY_LOCK_SPACE,
            )
        )
        locked_partners = {row[0] for row in rows}
        moves_of = {
            partner_id: {row.move_id for row in rows if row.id in plan.invoices}
            for partner_id, (plan, rows) in batch.items()
        }
        move_ids = tuple(
            move_id for partner_id in locked_partners for move_id in moves_of[partner_id]
        )
        locked_moves = set()
        if move_ids:
            rows = self.env.execute_query(
                SQL("SELECT id FROM account_move WHERE id IN %s FOR UPDATE SKIP LOCKED", move_ids)
            )
            locked_moves = {row[0] for row in rows}
        return {
            partner_id: batch[partner_id]
            for partner_id in batch
            if partner_id in locked_partners and moves_of[partner_id] <= locked_moves
        }

    # ------------------------------------------------------------------
    # Making the actions
    # ------------------------------------------------------------------

    def _create_actions(self, batch):
        """One action per customer, listing its open instalments and credits.

        A customer whose reminder cannot be prepared gets a failed action
        with the reason; the others go on.
        """
        if not batch:
            return self.env["account.dunning.action"]
        Level = self.env["account.dunning.level"].sudo()
        customers = {
            partner_id: (
                {
                    aml_id: Level.browse(lvl.id) if lvl else None
                    for aml_id, lvl in plan.invoices.items()
                },
                rows,
            )
            for partner_id, (plan, rows) in batch.items()
        }
        claims, failures = self._build_claims_isolated(customers)
        vals_list = []
        for partner_id, (plan, _rows) in batch.items():
            level = Level.browse(plan.level.id)
            vals = {
                "partner_id": partner_id,
                "company_id": self.company_id.id,
                "run_id": self.id,
                "level_id": level.id,
                "date": self.date,
                "automatic": level.automatic,
                **level._get_action_channel_values(),
                # The stored related values, known here, go in the INSERT:
                # computed after it, they were written by an UPDATE of every
                # reminder (about 0.1 s a 500-customer batch, measured). The totals
                # are not given: converting six monetary values per reminder
                # in create() costs more than the UPDATE that writes them
                # with the lines (_store_totals, measured).
                "policy_id": level.policy_id.id,
                "formal_notice": level.formal_notice,
                "litigation": level.litigation,
            }
            if partner_id in failures:
                vals.update(state="failed", error_message=failures[partner_id])
            else:
                vals["currency_id"] = claims[partner_id][1]
            vals_list.append(vals)
        actions = self._create_actions_once(vals_list)
        self.env["account.dunning.action.line"]._insert_claim_lines(
            {
                action: claims[action.partner_id.id][0]
                for action in actions
                if action.partner_id.id in claims
            }
        )
        return actions

    def _build_claims_isolated(self, customers):
        """The claims of the batch in one pass; when that fails, customer by
        customer, so that one customer's error only fails its own reminder."""
        Action = self.env["account.dunning.action"]
        try:
            return Action._build_claims(self.date, customers), {}
        except Exception:  # noqa: BLE001 - isolated below
            _logger.warning("Dunning run %s: claims failed as a batch, isolating", self.id)
        claims, failures = {}, {}
        for partner_id, customer in customers.items():
            try:
                claims.update(Action._build_claims(self.date, {partner_id: customer}))
            except Exception as error:  # noqa: BLE001 - recorded on the customer's action
                failures[partner_id] = self.env._("The reminder could not be prepared: %s", error)
        return claims, failures

    def _create_actions_once(self, vals_list):
        """Create the actions; a customer another worker reminded meanwhile
        (unique key on customer and day) is left out, not reminded twice."""
        # The action is itself the record: no "created" note, no tracking.
        Action = self.env["account.dunning.action"].with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
        )
        with writing_proof():  # failed actions are created failed
            try:
                with self._savepoint_for_create():
                    return Action.create(vals_list)
            except psycopg2.IntegrityError:
                _logger.info(
                    "Dunning run %s: some customers were reminded by another worker", self.id
                )
            actions = Action
            for vals in vals_list:
                try:
                    with self._savepoint_for_create():
                        actions |= Action.create(vals)
                except psycopg2.IntegrityError:
                    continue
        return actions

    @contextmanager
    def _savepoint_for_create(self):
        """A savepoint around create() that does not flush on leaving: the
        duplicate it guards against is raised by create()'s INSERT, and the
        new reminders' totals, left pending, are computed once their lines
        are in (``_insert_claim_lines``), not before on no lines as well (a
        second compute and UPDATE of every reminder of a batch)."""
        self.env.cr.flush()
        try:
            # The duplicate is expected and logged below as such, not as a
            # "bad query" error.
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                yield
        except Exception:
            # As a flushing savepoint rolls back: nothing of the failed
            # create() stays in the caches.
            self.env.cr.clear()
            raise

    # ------------------------------------------------------------------
    # Letters, in their own batches after the emails
    # ------------------------------------------------------------------

    def _generate_pending_letters(self, limit):
        """Render up to ``limit`` letters; returns (rendered, still pending)."""
        self.ensure_one()
        Action = self.env["account.dunning.action"]
        domain = [("company_id", "=", self.company_id.id), ("letter_pending", "=", True)]
        pending = Action.search(domain, limit=limit)
        failed = pending._generate_letters()
        if failed:
            self._append_log_lines(
                [
                    self.env._(
                        "  %(partner)s: %(error)s",
                        partner=action.partner_id.display_name,
                        error=action.letter_error,
                    )
                    for action in failed
                ]
            )
        return len(pending), Action.search_count(domain)

    # ------------------------------------------------------------------
    # The log
    # ------------------------------------------------------------------

    def _append_log(self, actions):
        lines = [
            self.env._(
                "%(when)s batch %(batch)s: %(created)s reminders made, %(sent)s sent, "
                "%(review)s to review (%(held)s held), %(failed)s failed, %(cancelled)s cancelled.",
                when=format_datetime(self.env, fields.Datetime.now()),
                batch=self.batch_count,
                **self._log_counts(actions),
            )
        ]
        self._append_log_lines(lines + self._log_failures(actions))

    @api.model
    def _log_counts(self, actions):
        """What the log counts of ``actions``, by state."""
        return {
            "created": len(actions),
            "sent": len(actions.filtered(lambda a: a.state == "sent")),
            "review": len(actions.filtered(lambda a: a.state == "to_review")),
            "held": len(actions.filtered("hold_reason")),
            "failed": len(actions.filtered(lambda a: a.state == "failed")),
            "cancelled": len(actions.filtered(lambda a: a.state == "cancelled")),
        }

    @api.model
    def _log_failures(self, actions):
        """One log line per failed reminder of ``actions``, with the reason."""
        return [
            self.env._(
                "  %(partner)s: failed: %(error)s",
                partner=action.partner_id.display_name,
                error=action.error_message,
            )
            for action in actions.filtered(lambda a: a.state == "failed")
        ]

    def _append_log_lines(self, lines):
        for run in self:
            run.log = "\n".join(filter(None, [run.log, *lines]))
