"""Two workers at once, and a worker that dies, on data committed by
another cursor.

The test cursor cannot be shared between connections, so this case commits
its own customers and invoices and deletes them afterwards. It is tagged
``dunning_commit`` to be run apart or left out: Odoo's runner
``--test-tags /account_dunning_fr,-dunning_commit`` (make odoo-tests:
``ODOO_TESTS_EXCLUDE=dunning_commit``), pytest ``-m "not dunning_commit"``
(``bash scripts/test.sh -m "not dunning_commit"``).
"""

from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..models.night.account_dunning_run import AccountDunningRun
from ..models.night.account_dunning_run_customers import AccountDunningRun as RunCustomers
from ..models.night.account_dunning_run_threads import AccountDunningRun as RunThreads


@tagged("post_install", "-at_install", "dunning_commit")
class TestDunningConcurrency(TransactionCase):
    def setUp(self):
        super().setUp()
        self.partner_ids, self.move_ids = [], []
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self._make_company_french(env.company)
            today = fields.Date.context_today(env["account.dunning.run"])
            for name in ("Concurrence SARL", "Reprise SAS"):
                partner = env["res.partner"].create(
                    {"name": name, "is_company": True, "email": "c@example.com"}
                )
                invoice = env["account.move"].create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_date": today - timedelta(days=60),
                        "invoice_date_due": today - timedelta(days=45),
                        "invoice_line_ids": [
                            Command.create(
                                {"name": "Prestation", "price_unit": 1000.0, "tax_ids": []}
                            )
                        ],
                    }
                )
                invoice.action_post()
                self.partner_ids.append(partner.id)
                self.move_ids.append(invoice.id)
            cr.commit()  # pylint: disable=invalid-commit
        self.partner_id, self.move_id = self.partner_ids[0], self.move_ids[0]
        self.addCleanup(self._restore_company)
        self.addCleanup(self._delete_committed_data)

    def _make_company_french(self, company):
        """In a standard test database the company is not French: give it the
        fiscal country France (the French law, the daily run) for this test
        only, committed with its data; ``_restore_company`` undoes it."""
        self.company_before = {
            "account_fiscal_country_id": company.account_fiscal_country_id.id,
            "dunning_active": company.dunning_active,
        }
        france = company.env.ref("base.fr")
        if company.account_fiscal_country_id != france:
            company.account_fiscal_country_id = france
        if not company.dunning_active:
            company.dunning_active = True

    def _restore_company(self):
        with self.registry.cursor() as cr:
            company = api.Environment(cr, SUPERUSER_ID, {}).company
            before = self.company_before
            if company.account_fiscal_country_id.id != before["account_fiscal_country_id"]:
                company.account_fiscal_country_id = before["account_fiscal_country_id"]
            if company.dunning_active != before["dunning_active"]:
                company.dunning_active = before["dunning_active"]
            cr.commit()  # pylint: disable=invalid-commit

    def _delete_committed_data(self):
        with self.registry.cursor() as cr:
            partners, moves = tuple(self.partner_ids), tuple(self.move_ids)
            cr.execute(
                "SELECT id, run_id FROM account_dunning_action WHERE partner_id IN %s", [partners]
            )
            rows = cr.fetchall()
            action_ids = tuple(r[0] for r in rows) or (0,)
            cr.execute(
                "SELECT DISTINCT run_id FROM account_dunning_action WHERE partner_id IN %s",
                [partners],
            )
            run_ids = tuple(r[0] for r in cr.fetchall() if r[0]) or (0,)
            cr.execute(
                "DELETE FROM mail_mail WHERE mail_message_id IN (SELECT id FROM mail_message"
                " WHERE model = 'account.dunning.action' AND res_id IN %s)",
                [action_ids],
            )
            cr.execute(
                "DELETE FROM mail_message WHERE (model = 'account.dunning.action' AND res_id IN %s)"
                " OR (model = 'account.move' AND res_id IN %s)"
                " OR (model = 'res.partner' AND res_id IN %s)",
                [action_ids, moves, partners],
            )
            cr.execute(
                "DELETE FROM mail_activity"
                " WHERE res_model = 'account.dunning.run' AND res_id IN %s",
                [run_ids],
            )
            cr.execute("DELETE FROM account_dunning_action WHERE id IN %s", [action_ids])
            cr.execute("DELETE FROM account_dunning_run WHERE id IN %s", [run_ids])
            cr.execute("DELETE FROM account_move WHERE id IN %s", [moves])
            cr.execute("DELETE FROM res_partner WHERE id IN %s", [partners])
            cr.commit()  # pylint: disable=invalid-commit

    def _run_in(self, cr, partner_ids=None):
        env = api.Environment(cr, SUPERUSER_ID, {})
        partners = env["res.partner"].browse(partner_ids or [self.partner_id])
        return env["account.dunning.run"]._run_manual(env.company, partners=partners)

    def _count_actions(self, partner_ids=None):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM account_dunning_action WHERE partner_id IN %s",
                [tuple(partner_ids or [self.partner_id])],
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

    def test_a_worker_killed_mid_batch_is_resumed_the_same_day(self):
        """The scheduler commits each batch; a worker killed during the next
        one loses that batch only (rolled back), and the scheduler's next call
        resumes the same run, reminding nobody twice."""

        # Only this case's customers, one per scheduler call.
        self._night_on_our_customers(threads=1)
        with self.registry.cursor() as cr:
            env = self._cron_call(cr)
            run = env["account.dunning.run"].search(
                [("trigger", "=", "cron"), ("state", "=", "running")], limit=1
            )
            run_id = run.id
            cr.commit()  # pylint: disable=invalid-commit
        self.assertEqual(self._count_actions(self.partner_ids), 1)
        with self.registry.cursor() as cr:
            self._cron_call(cr)
            cr.rollback()  # the worker dies before its commit
        self.assertEqual(self._count_actions(self.partner_ids), 1)
        with self.registry.cursor() as cr:
            env = self._cron_call(cr)
            cr.commit()  # pylint: disable=invalid-commit
        self.assertEqual(self._count_actions(self.partner_ids), 2)
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT partner_id, run_id FROM account_dunning_action WHERE partner_id IN %s",
                [tuple(self.partner_ids)],
            )
            rows = cr.fetchall()
        self.assertEqual(sorted(r[0] for r in rows), sorted(self.partner_ids))
        self.assertEqual({r[1] for r in rows}, {run_id})

    def _night_on_our_customers(self, threads):
        """For the rest of the test, the daily run lists only this case's
        customers, one customer a batch, ``threads`` batches at once; beyond
        one, in real threads (``_in_tests`` would run a helper in a
        savepoint of the scheduler's transaction)."""
        ours = set(self.partner_ids)
        list_due = RunCustomers._list_candidate_customers

        def _list_ours(run):
            return {pid: lines for pid, lines in list_due(run).items() if pid in ours}

        patches = [
            patch.object(
                RunCustomers, "_list_candidate_customers", autospec=True, side_effect=_list_ours
            ),
            patch.object(AccountDunningRun, "_get_batch_size", return_value=1),
            patch.object(RunThreads, "_night_threads", return_value=threads),
        ]
        if threads > 1:
            patches.append(patch(f"{RunThreads.__module__}._in_tests", return_value=False))
        for patcher in patches:
            patcher.start()
            self.addCleanup(patcher.stop)

    def _cron_call(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["account.dunning.run"]._cron_run_dunning()
        return env

    def test_each_thread_reminds_its_batch_in_its_own_transaction(self):
        self._night_on_our_customers(threads=2)
        with self.registry.cursor() as cr:
            env = self._cron_call(cr)
            run = env["account.dunning.run"].search(
                [("trigger", "=", "cron"), ("date", "=", fields.Date.context_today(env.user))]
            )
            # The helper's reminder is already committed, ours not yet.
            self.assertEqual(self._count_actions([self.partner_ids[1]]), 1)
            self.assertEqual(self._count_actions([self.partner_ids[0]]), 0)
            self.assertIn("batch 2: 2 reminders made, 2 sent", run.log)
            self.assertEqual((run.batch_count, run.due_cursor, run.state), (2, 2, "done"))
            cr.commit()  # pylint: disable=invalid-commit
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT partner_id, run_id, xmin::text FROM account_dunning_action"
                " WHERE partner_id IN %s",
                [tuple(self.partner_ids)],
            )
            rows = cr.fetchall()
        self.assertEqual(sorted(r[0] for r in rows), sorted(self.partner_ids))
        self.assertEqual(len({r[1] for r in rows}), 1, "one run")
        self.assertEqual(len({r[2] for r in rows}), 2, "two transactions")

    def test_a_scheduler_killed_after_its_helper_committed_reminds_nobody_twice(self):
        self._night_on_our_customers(threads=2)
        with self.registry.cursor() as cr:
            self._cron_call(cr)
            cr.rollback()  # the scheduler's worker dies before its commit
        # The start of the run was committed before the helpers began, and
        # the helper's batch on its own.
        self.assertEqual(self._count_actions([self.partner_ids[1]]), 1)
        self.assertEqual(self._count_actions([self.partner_ids[0]]), 0)
        with self.registry.cursor() as cr:
            env = self._cron_call(cr)
            run = env["account.dunning.run"].search(
                [("trigger", "=", "cron"), ("date", "=", fields.Date.context_today(env.user))]
            )
            self.assertEqual(run.state, "done")
            cr.commit()  # pylint: disable=invalid-commit
        self.assertEqual(self._count_actions(self.partner_ids), 2, "each customer once")

    def test_a_helper_thread_that_fails_rolls_back_its_own_transaction_only(self):
        self._night_on_our_customers(threads=2)
        remind = AccountDunningRun._remind_customers
        helper_slice = [self.partner_ids[1]]

        def remind_or_fail(run, partner_ids, hold):
            actions = remind(run, partner_ids, hold)
            if partner_ids == helper_slice:
                raise RuntimeError("disk full")
            return actions

        with (
            patch.object(
                AccountDunningRun, "_remind_customers", autospec=True, side_effect=remind_or_fail
            ),
            mute_logger(RunThreads.__module__),
            self.registry.cursor() as cr,
        ):
            env = self._cron_call(cr)
            run = env["account.dunning.run"].search(
                [("trigger", "=", "cron"), ("date", "=", fields.Date.context_today(env.user))]
            )
            self.assertIn("A batch failed and was rolled back: disk full", run.log)
            self.assertEqual(run.state, "running")
            cr.commit()  # pylint: disable=invalid-commit
        # The helper's reminder was made, then rolled back with its thread's
        # transaction; the scheduler's is committed.
        self.assertEqual(self._count_actions([self.partner_ids[1]]), 0)
        self.assertEqual(self._count_actions([self.partner_ids[0]]), 1)
