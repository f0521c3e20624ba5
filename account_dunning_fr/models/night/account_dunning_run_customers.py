import logging
from contextlib import contextmanager
from datetime import timedelta

import psycopg2

from odoo import models
from odoo.tools import SQL, mute_logger

from ...core import balance
from ...core import levels as core_levels
from ..receivable.account_move_line import open_lines_by_customer
from ..reminder.dunning_proof import writing_proof
from .account_dunning_run import ADVISORY_LOCK_SPACE

_logger = logging.getLogger(__name__)


class AccountDunningRun(models.Model):
    """A run's customers and their reminders: who is due today, read from
    the open receivable; locked so that no other worker reminds them; their
    reminders made, each customer's failure kept on its own."""

    _inherit = "account.dunning.run"

    # ------------------------------------------------------------------
    # Candidates: one query over the open receivable
    # ------------------------------------------------------------------

    def _next_due_ids(self, count):
        """(ids of the next ``count`` customers listed, customers left after
        them): the run's first call lists the customers that may be due
        (``_list_candidate_customers``); each batch then judges its own
        (``_due_among``: one paid meanwhile is no longer due)."""
        if not self.batch_count:
            listed = sorted(self._list_candidate_customers())
            self.write({"due_partner_ids": listed, "due_cursor": 0})
        listed = self.due_partner_ids or []  # an empty list is stored as NULL
        ids = listed[self.due_cursor : self.due_cursor + count]
        self.due_cursor += len(ids)
        return ids, len(listed) - self.due_cursor

    def _due_among(self, partner_ids):
        """(({customer id: what is due} of those of ``partner_ids`` due a
        reminder today, in their order), ids left out, ids covered by their
        credits), read again in this transaction (``_get_due_customers``)."""
        if not partner_ids:
            return {}, set(), set()
        due, skipped, covered = self._get_due_customers(self.env["res.partner"].browse(partner_ids))
        due = {partner_id: due[partner_id] for partner_id in partner_ids if partner_id in due}
        return due, skipped, covered

    def _judged_counts(self, skipped, covered):
        """The run's counts once ``skipped`` and ``covered`` more customers
        were judged: each batch judges its own customers, and adds them."""
        return {
            "skipped_count": self.skipped_count + skipped,
            "covered_count": self.covered_count + covered,
        }

    def _list_candidate_customers(self):
        """{customer id: its open lines, counted} of the customers that may
        be due a reminder today, from the whole ledger, by the database
        (``_dunning_candidate_customers``): the number of lines tells what
        reminding a customer costs (the queue bridge sizes its jobs with it).
        Each batch then judges its customers on their lines, with the
        customer's history and policy (``_due_among``)."""
        self.ensure_one()
        rules = self._due_rules()
        if rules is None:
            return {}
        return self.env["account.move.line"]._dunning_candidate_customers(
            self.company_id, self.date, due_by=rules["horizon"], late_by=rules["late_by"]
        )

    def _get_due_customers(self, partners=None):
        """({partner id: (core plan, open lines)} of customers due a
        reminder today, ids left out (waiting for review, failed, too
        recent), ids whose credits leave too little to claim), among
        ``partners`` (all customers when None)."""
        self.ensure_one()
        rules = self._due_rules()
        if rules is None:
            return {}, set(), set()
        rows = self.env["account.move.line"]._dunning_read_open_lines(
            self.company_id,
            self.date,
            partner_ids=partners and partners.commercial_partner_id.ids,
            due_by=rules["horizon"],
        )
        return self._judge_customers(open_lines_by_customer(rows))

    def _due_rules(self):
        """The dates that bound the open lines the night reads, from the
        company's levels (None when the company has no level)."""
        Level = self.env["account.dunning.level"].sudo()
        company_levels = Level.search([("company_id", "=", self.company_id.id)])
        if not company_levels:
            return None
        # Courtesy levels look ahead: invoices due within the earliest one.
        # No instalment climbs a level before the shortest delay is over.
        shortest = min(company_levels.mapped("delay_days"))
        return {
            "horizon": self.date + timedelta(days=max(0, -shortest)),
            "late_by": self.date - timedelta(days=shortest),
        }

    def _judge_customers(self, rows_by_partner):
        """``_get_due_customers`` of the customers of ``rows_by_partner``
        ({partner id: open lines})."""
        today = self.date
        Level = self.env["account.dunning.level"].sudo()
        level_ids = {r.level_id for rows in rows_by_partner.values() for r in rows} - {None}
        reached = {lvl.id: lvl._to_core() for lvl in Level.browse(level_ids)}
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
        # The few columns read, not all of them: when the start judged the
        # whole ledger, 20,000 customers at once took 3.9 s and 100 MB of
        # cache that way (measured); a batch's 500 still gain from it.
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
                # The totals are not given: converting six monetary values
                # per reminder in create() costs more than the UPDATE that
                # writes them with the lines (_store_totals, measured).
            }
            if partner_id in failures:
                vals.update(state="failed", error_message=failures[partner_id])
            else:
                vals["currency_id"] = claims[partner_id][1]
            vals_list.append(vals)
        actions = self._create_actions_once(vals_list)
        with_lines = self.env["account.dunning.action.line"]._insert_claim_lines(
            {
                action: claims[action.partner_id.id][0]
                for action in actions
                if action.partner_id.id in claims
            },
            situations=True,
        )
        (actions.filtered(lambda a: a.state != "failed") - with_lines)._store_situations()
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
                    return Action._insert_reminders(vals_list)
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
