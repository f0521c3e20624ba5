import logging
import time
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.tools import format_date, format_datetime

from ..core import levels as core_levels
from ..core.semesters import semester_label, semester_start

_logger = logging.getLogger(__name__)

# Key space of the advisory locks taken per customer while a reminder is made
# (first int of pg_try_advisory_xact_lock(int, int)).
ADVISORY_LOCK_SPACE = 741_115
DEFAULT_BATCH_SIZE = 200
LETTER_BATCH_SIZE = 20
# What a reminder claims for an invoice not yet due (courtesy): its
# instalments falling due within a year.
OPEN_AMOUNT_HORIZON = timedelta(days=366)


class AccountDunningRun(models.Model):
    _name = "account.dunning.run"
    _inherit = ["mail.thread", "mail.activity.mixin"]
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
    batch_count = fields.Integer("Batches", readonly=True)
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
        """
        budget = self._get_batch_size()
        done = remaining = 0
        for company in self.env["res.company"].search([]):
            run = self._get_open_run(company, "cron")
            if budget <= 0:
                remaining += 1
                continue
            batch_done, batch_remaining = run.with_context(
                dunning_defer_letters=True
            )._process_batch(budget)
            budget -= batch_done
            done += batch_done
            if not batch_remaining and budget > 0:
                letters_done, letters_left = run._generate_pending_letters(LETTER_BATCH_SIZE)
                done += letters_done
                budget -= letters_done
                batch_remaining += letters_left
            remaining += batch_remaining
            if not batch_remaining:
                run._finish()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.model
    def _run_manual(self, company, partners=None, date=None):
        """Run now, in this transaction, for one company (or some customers)."""
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
            if not remaining:
                break
        run._finish()
        return run

    def action_run_now(self):
        run = self._run_manual(self.env.company)
        return run._get_form_action()

    def action_view_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_fr.action_account_dunning_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {}
        return action

    def _get_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # The batch
    # ------------------------------------------------------------------

    @api.model
    def _get_batch_size(self):
        param = self.env["ir.config_parameter"].sudo().get_param("account_dunning_fr.batch_size")
        return int(param) if param and param.isdigit() and int(param) > 0 else DEFAULT_BATCH_SIZE

    @api.model
    def _get_open_run(self, company, trigger):
        today = fields.Date.context_today(self)
        run = self.search(
            [
                ("company_id", "=", company.id),
                ("date", "=", today),
                ("trigger", "=", trigger),
                ("state", "=", "running"),
            ],
            limit=1,
        )
        return run or self.create({"company_id": company.id, "trigger": trigger, "date": today})

    def _process_batch(self, batch_size, partners=None):
        """Make (and send, when automatic) the reminders of one batch.

        Returns (customers handled, customers still due).
        """
        self.ensure_one()
        self = self.with_company(self.company_id)
        started = time.monotonic()
        if not self.batch_count:
            # Plans first: a plan breached today resumes its invoices' dunning.
            self.env["account.dunning.payment.plan"]._follow_up(
                self.company_id, self.date, partners
            )
            self.env["account.dunning.call"]._check_promises(self.company_id, self.date)
        due, skipped = self._get_due_plans(partners)
        # Customers another worker holds are its business: not "remaining".
        candidates = dict(sorted(due.items())[:batch_size])
        batch = self._lock_customers(candidates)
        actions = self._create_actions(batch).with_context(tracking_disable=True)
        automatic = actions.filtered("automatic")
        # Their invoices were read unpaid under lock a moment ago, in this
        # transaction (_lock_customers): no need to read them again.
        automatic._send_checked()
        self.write(
            {
                "batch_count": self.batch_count + 1,
                "skipped_count": len(skipped),
                "duration": self.duration + (time.monotonic() - started),
            }
        )
        self._append_log(actions)
        return len(batch), len(due) - len(candidates)

    def _finish(self):
        self.write({"state": "done", "end_datetime": fields.Datetime.now()})
        for run in self:
            run._check_missing_rates()
            run._raise_legal_alerts()

    # ------------------------------------------------------------------
    # Alerts for the accountants
    # ------------------------------------------------------------------

    def _get_alert_user(self, record=None):
        """Who gets an alert: the invoice's salesperson-accountant if any,
        else an accounting manager of the company, else the run's user."""
        user = record and "invoice_user_id" in record and record.invoice_user_id
        if user and user.has_group("account.group_account_invoice"):
            return user
        manager = self.env["res.users"].search(
            [
                ("groups_id", "in", self.env.ref("account.group_account_manager").id),
                ("company_ids", "in", self.company_id.id),
                ("share", "=", False),
                ("id", "!=", self.env.ref("base.user_root").id),
            ],
            limit=1,
        )
        return manager or self.user_id or self.env.user

    def _schedule_alerts(self, records, summary_by_record, note_by_record=None):
        """One activity per record and summary, never twice while open."""
        if not records:
            return
        existing = self.env["mail.activity"].search(
            [("res_model", "=", records._name), ("res_id", "in", records.ids)]
        )
        open_keys = {(act.res_id, act.summary) for act in existing}
        model_id = self.env["ir.model"]._get_id(records._name)
        todo_type = self.env.ref("mail.mail_activity_data_todo")
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": record.id,
                "activity_type_id": todo_type.id,
                "summary": summary_by_record[record.id],
                "note": (note_by_record or {}).get(record.id, False),
                "user_id": self._get_alert_user(record).id,
                "date_deadline": self.date,
            }
            for record in records
            if (record.id, summary_by_record[record.id]) not in open_keys
        ]
        self.env["mail.activity"].sudo().create(vals_list)

    def _check_missing_rates(self):
        """A semester without a rate never computes as 0 %: tell the
        accounting manager to enter it."""
        self.ensure_one()
        start = semester_start(self.date)
        missing = []
        if (
            not self.env["account.dunning.ecb.rate"]
            .sudo()
            .search_count([("semester_start", "=", start)])
        ):
            missing.append(self.env._("ECB rate"))
        if (
            not self.env["account.dunning.legal.rate"]
            .sudo()
            .search_count([("semester_start", "=", start)])
        ):
            missing.append(self.env._("legal interest rate"))
        if not missing:
            return
        summary = self.env._("Rate missing for %s", semester_label(self.date))
        self.log = "\n".join(
            filter(
                None,
                [
                    self.log,
                    self.env._(
                        "%(summary)s (%(rates)s): penalties of that semester are not "
                        "computed until it is entered in Accounting > Configuration > Dunning.",
                        summary=summary,
                        rates=", ".join(missing),
                    ),
                ],
            )
        )
        runs = self.search([("company_id", "=", self.company_id.id)])
        already = self.env["mail.activity"].search_count(
            [("res_model", "=", self._name), ("res_id", "in", runs.ids), ("summary", "=", summary)]
        )
        if not already:
            self._schedule_alerts(self, {self.id: summary})

    def _raise_legal_alerts(self):
        """Activities for prescription soon, terms beyond the legal maximum
        and formal notices still without an acknowledgement of receipt."""
        self.ensure_one()
        company = self.company_id
        open_invoice_domain = [
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "not in", ("paid", "in_payment", "reversed")),
        ]
        horizon = self.date + timedelta(days=company.dunning_prescription_alert_days)
        expiring = self.env["account.move"].search(
            [*open_invoice_domain, ("prescription_date", "<=", horizon)]
        )
        self._schedule_alerts(
            expiring,
            {
                move.id: self.env._(
                    "Prescription on %s", format_date(self.env, move.prescription_date)
                )
                for move in expiring
            },
        )
        exceeded = self.env["account.move"].search(
            [*open_invoice_domain, ("legal_term_exceeded", "=", True)]
        )
        self._schedule_alerts(
            exceeded,
            {move.id: self.env._("Payment term beyond the legal maximum") for move in exceeded},
        )
        notice_limit = self.date - timedelta(days=company.dunning_notice_receipt_alert_days)
        unreceived = self.env["account.dunning.action"].search(
            [
                ("company_id", "=", company.id),
                ("formal_notice", "=", True),
                ("state", "=", "sent"),
                ("receipt_date", "=", False),
                ("date", "<=", notice_limit),
            ]
        )
        self._schedule_alerts(
            unreceived,
            {
                action.id: self.env._("Formal notice without acknowledgement of receipt")
                for action in unreceived
            },
        )

    def _append_log(self, actions):
        lines = [
            self.env._(
                "%(when)s batch %(batch)s: %(created)s reminders made, %(sent)s sent, "
                "%(review)s to review, %(failed)s failed, %(cancelled)s cancelled.",
                when=format_datetime(self.env, fields.Datetime.now()),
                batch=self.batch_count,
                created=len(actions),
                sent=len(actions.filtered(lambda a: a.state == "sent")),
                review=len(actions.filtered(lambda a: a.state == "to_review")),
                failed=len(actions.filtered(lambda a: a.state == "failed")),
                cancelled=len(actions.filtered(lambda a: a.state == "cancelled")),
            )
        ]
        lines += [
            self.env._(
                "  %(partner)s: failed: %(error)s",
                partner=action.partner_id.display_name,
                error=action.error_message,
            )
            for action in actions.filtered(lambda a: a.state == "failed")
        ]
        self.log = "\n".join(filter(None, [self.log, *lines]))

    # ------------------------------------------------------------------
    # Candidates: one query over the receivable lines
    # ------------------------------------------------------------------

    @api.model
    def _query_open_invoices(self, today, horizon, company=None, partner_ids=None, move_ids=None):
        """Open customer invoices with what is due on them, one row each.

        Instalments of a payment term count on their own due date: the
        invoice's due date is its oldest open instalment, and what is due is
        the residual of the instalments due by ``today`` (or, for a courtesy
        reminder before any is due, of those due by ``horizon``). Excluded
        invoices are left out, except promises to pay whose date has passed:
        dunning resumes by itself.
        """
        self.env.flush_all()
        where = []
        params = {"today": today, "horizon": horizon}
        if company:
            where.append("m.company_id = %(company)s")
            params["company"] = company.id
        if partner_ids:
            where.append("m.commercial_partner_id IN %(partners)s")
            params["partners"] = tuple(partner_ids)
        if move_ids is not None:
            where.append("m.id IN %(moves)s")
            params["moves"] = tuple(move_ids) or (0,)
        extra = "".join(f" AND {clause}" for clause in where)
        self.env.cr.execute(
            f"""
            SELECT m.id,
                   m.commercial_partner_id,
                   MIN(aml.date_maturity),
                   SUM(aml.amount_residual_currency)
                       FILTER (WHERE aml.date_maturity <= %(today)s),
                   SUM(aml.amount_residual) FILTER (WHERE aml.date_maturity <= %(today)s),
                   SUM(aml.amount_residual_currency),
                   SUM(aml.amount_residual),
                   m.dunning_level_id,
                   m.dunning_last_date
              FROM account_move_line aml
              JOIN account_move m ON m.id = aml.move_id
              JOIN account_account acc ON acc.id = aml.account_id
             WHERE m.state = 'posted'
               AND m.move_type = 'out_invoice'
               AND m.payment_state NOT IN ('paid', 'in_payment', 'reversed')
               AND acc.account_type = 'asset_receivable'
               AND aml.reconciled IS NOT TRUE
               AND aml.amount_residual > 0
               AND aml.date_maturity <= %(horizon)s
               AND (m.dunning_excluded IS NOT TRUE
                    OR (m.dunning_exclusion_reason = 'promise'
                        AND m.dunning_promise_date < %(today)s))
               AND NOT EXISTS (
                    SELECT 1
                      FROM account_dunning_plan_move_rel rel
                      JOIN account_dunning_payment_plan plan ON plan.id = rel.plan_id
                     WHERE rel.move_id = m.id AND plan.state = 'active')
               {extra}
          GROUP BY m.id
            """,  # noqa: S608 - only fixed clauses are interpolated
            params,
        )
        return self.env.cr.fetchall()

    @api.model
    def _get_open_amounts(self, moves, today):
        """{invoice id: (amount due, amount due in company currency)}."""
        rows = self._query_open_invoices(today, today + OPEN_AMOUNT_HORIZON, move_ids=moves.ids)
        result = {}
        for move_id, _partner, _due, due_cur, due_comp, all_cur, all_comp, _lvl, _last in rows:
            result[move_id] = (due_cur or all_cur, due_comp or all_comp)
        return result

    def _get_due_plans(self, partners=None):
        """{partner id: core plan} of customers due a reminder today, and the
        ids of those left out (waiting for review, failed, too recent)."""
        self.ensure_one()
        today, company = self.date, self.company_id
        Level = self.env["account.dunning.level"].sudo()
        company_levels = Level.search([("company_id", "=", company.id)])
        if not company_levels:
            return {}, set()
        # Courtesy levels look ahead: invoices due within the earliest one.
        horizon = today + timedelta(days=max(0, -min(company_levels.mapped("delay_days"))))
        rows = self._query_open_invoices(
            today, horizon, company=company, partner_ids=partners and partners.ids
        )
        delay_by_level = {lvl.id: lvl.delay_days for lvl in company_levels}
        invoices_by_partner = {}
        for move_id, partner_id, due_date, *_amounts, level_id, last_date in rows:
            invoices_by_partner.setdefault(partner_id, []).append(
                core_levels.InvoiceState(
                    id=move_id,
                    due_date=due_date,
                    current_delay=delay_by_level.get(level_id),
                    last_date=last_date if level_id else None,
                )
            )
        history = self._get_customer_history(list(invoices_by_partner))
        policies = self._get_policies(list(invoices_by_partner))
        levels_by_policy = {}
        due, skipped = {}, set()
        for partner_id, invoices in invoices_by_partner.items():
            last_sent, pending, handled_today = history.get(partner_id, (None, False, False))
            policy = policies.get(partner_id)
            if handled_today or not policy:
                continue
            if policy.id not in levels_by_policy:
                levels_by_policy[policy.id] = [
                    lvl._to_core() for lvl in policy._get_sorted_levels()
                ]
            plan = core_levels.plan_customer(levels_by_policy[policy.id], invoices, today)
            if plan is None:
                continue
            if pending or not core_levels.customer_can_be_reminded(
                last_sent, today, policy.min_gap_days
            ):
                skipped.add(partner_id)
                continue
            due[partner_id] = plan
        return due, skipped

    def _get_customer_history(self, partner_ids):
        """{partner id: (last reminder sent, one waiting or failed, one made today)}."""
        if not partner_ids:
            return {}
        self.env.cr.execute(
            """
            SELECT partner_id,
                   MAX(date) FILTER (WHERE state = 'sent'),
                   BOOL_OR(state IN ('to_review', 'failed')),
                   BOOL_OR(date = %(today)s)
              FROM account_dunning_action
             WHERE company_id = %(company)s AND partner_id IN %(partners)s
          GROUP BY partner_id
            """,
            {"today": self.date, "company": self.company_id.id, "partners": tuple(partner_ids)},
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    def _get_policies(self, partner_ids):
        company = self.company_id
        defaults = self.env["account.dunning.policy"]._get_default_policies(company)
        partners = self.env["res.partner"].sudo().with_company(company).browse(partner_ids)
        return {
            partner.id: partner.dunning_policy_id or defaults.get(partner.dunning_regime)
            for partner in partners
        }

    def _lock_customers(self, batch):
        """Keep the customers of the batch no other worker is handling.

        An advisory lock per customer (taken whatever the snapshot) and the
        invoices' rows (FOR UPDATE, so that a payment cannot be recorded
        between this check and the reminder) are held until commit.
        """
        if not batch:
            return batch
        self.env.cr.execute(
            "SELECT pid FROM unnest(%s) AS pid WHERE pg_try_advisory_xact_lock(%s, pid)",
            [list(batch), ADVISORY_LOCK_SPACE],
        )
        locked_partners = {row[0] for row in self.env.cr.fetchall()}
        move_ids = tuple(
            move_id for partner_id in locked_partners for move_id in batch[partner_id].invoices
        )
        locked_moves = set()
        if move_ids:
            self.env.cr.execute(
                "SELECT id FROM account_move WHERE id IN %s FOR UPDATE SKIP LOCKED", [move_ids]
            )
            locked_moves = {row[0] for row in self.env.cr.fetchall()}
        return {
            partner_id: plan
            for partner_id, plan in batch.items()
            if partner_id in locked_partners and set(plan.invoices) <= locked_moves
        }

    # ------------------------------------------------------------------
    # Making the actions
    # ------------------------------------------------------------------

    def _create_actions(self, batch):
        """One action per customer, with a line per listed invoice."""
        if not batch:
            return self.env["account.dunning.action"]
        today = self.date
        moves = self.env["account.move"].browse(
            [move_id for plan in batch.values() for move_id in plan.invoices]
        )
        amounts = {
            row[0]: row
            for row in self._query_open_invoices(
                today, today + OPEN_AMOUNT_HORIZON, move_ids=moves.ids
            )
        }
        figures = moves._get_dunning_figures(today)
        Level = self.env["account.dunning.level"].sudo()
        vals_list = []
        for partner_id, plan in batch.items():
            level = Level.browse(plan.level.id)
            vals_list.append(
                {
                    "partner_id": partner_id,
                    "company_id": self.company_id.id,
                    "run_id": self.id,
                    "level_id": level.id,
                    "date": today,
                    "send_email": level.send_email,
                    "send_letter": level.send_letter,
                    "send_sms": level.send_sms,
                    "create_activity": level.create_activity,
                    "automatic": level.automatic,
                    "line_ids": [
                        (
                            0,
                            0,
                            self._prepare_line(
                                moves.browse(move_id), reached, amounts, today, figures
                            ),
                        )
                        for move_id, reached in plan.invoices.items()
                    ],
                }
            )
        return self._create_actions_once(vals_list)

    @api.model
    def _prepare_line_figures(self, figures):
        """Penalties and indemnity of an invoice, as written on a reminder."""
        if not figures:
            return {"late_penalty_amount": 0.0, "recovery_indemnity_amount": 0.0}
        return {
            "late_penalty_amount": float(figures["interest"]),
            "recovery_indemnity_amount": float(figures["indemnity"]),
        }

    def _prepare_line(self, move, reached, amounts, today, figures):
        _id, _partner, due_date, due_cur, due_comp, all_cur, all_comp, level_id, _last = amounts[
            move.id
        ]
        return {
            **self._prepare_line_figures(figures.get(move.id)),
            "move_id": move.id,
            "invoice_date": move.invoice_date,
            "date_maturity": due_date,
            "days_late": core_levels.days_late(due_date, today),
            "level_id": reached.id if reached else level_id,
            "escalated": bool(reached),
            "currency_id": move.currency_id.id,
            "amount_total": move.amount_total,
            "amount_residual": due_cur or all_cur,
            "amount_residual_company": due_comp or all_comp,
        }

    def _create_actions_once(self, vals_list):
        """Create the actions; a customer another worker reminded meanwhile
        (unique key on customer and day) is left out, not reminded twice."""
        # The action is itself the record: no "created" note, no tracking.
        Action = self.env["account.dunning.action"].with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
        )
        try:
            with self.env.cr.savepoint():
                return Action.create(vals_list)
        except psycopg2.IntegrityError:
            _logger.info("Dunning run %s: some customers were reminded by another worker", self.id)
        actions = Action
        for vals in vals_list:
            try:
                with self.env.cr.savepoint():
                    actions |= Action.create(vals)
            except psycopg2.IntegrityError:
                continue
        return actions

    # ------------------------------------------------------------------
    # Letters, in their own batches after the emails
    # ------------------------------------------------------------------

    def _generate_pending_letters(self, limit):
        """Render up to ``limit`` letters; returns (rendered, still pending)."""
        self.ensure_one()
        Action = self.env["account.dunning.action"]
        domain = [("company_id", "=", self.company_id.id), ("letter_pending", "=", True)]
        pending = Action.search(domain, limit=limit)
        pending._generate_letters()
        return len(pending), Action.search_count(domain)
