"""The night always finishes; escalation never skips a step; instalments
keep their own level."""

import io
from datetime import timedelta
from unittest.mock import patch

from psycopg2 import errors as pg_errors

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from odoo.addons.base.models.ir_actions_report import IrActionsReport

from ..models.night.account_dunning_run import AccountDunningRun
from ..models.night.account_dunning_run_customers import AccountDunningRun as RunCustomers
from ..models.sending.dunning_letters import page_links
from ..tools import bulk
from .common import DunningCase


@tagged("post_install", "-at_install")
class TestDunningNight(DunningCase):
    def _due_for_a_letter(self, partner):
        invoice = self._invoice(partner, 900.0, days_late=15)
        self._set_level(invoice, self.level_1, days_ago=14)
        return invoice

    def test_a_letter_that_fails_to_render_does_not_stop_the_night(self):
        self._due_for_a_letter(self.customer)
        self._due_for_a_letter(self.customer_2)
        render = IrActionsReport._render_qweb_pdf
        broken = self.customer

        def render_or_fail(report, report_ref, res_ids=None, data=None):
            actions = self.env["account.dunning.action"].browse(res_ids or [])
            if broken in actions.partner_id:
                raise ValueError("wkhtmltopdf crashed")
            return render(report, report_ref, res_ids, data)

        with patch.object(IrActionsReport, "_render_qweb_pdf", render_or_fail):
            self._cron()
        failed, made = self._actions(self.customer), self._actions(self.customer_2)
        self.assertEqual((failed.state, made.state), ("sent", "sent"))
        self.assertTrue(failed.mail_id)
        self.assertFalse(failed.letter_attachment_id)
        self.assertIn("wkhtmltopdf crashed", failed.letter_error)
        self.assertTrue(made.letter_attachment_id)
        run = failed.run_id
        self.assertEqual(run.state, "done")
        self.assertIn(self.customer.name, run.log)
        # The accountant makes it again once fixed.
        failed.action_retry_letter()
        self.assertTrue(failed.letter_attachment_id)
        self.assertFalse(failed.letter_error)

    def test_a_failed_batch_is_recorded_and_the_scheduler_never_raises(self):
        accountant = self.env.ref("base.user_admin")
        self.company.dunning_responsible_id = accountant
        self._invoice(self.customer, 300.0, days_late=1)
        with (
            patch.object(RunCustomers, "_create_actions", side_effect=RuntimeError("disk full")),
            mute_logger("odoo.addons.account_dunning_fr.models.night.account_dunning_run"),
        ):
            self._cron()
        run = self.env["account.dunning.run"].search(
            [("trigger", "=", "cron"), ("date", "=", self.today)]
        )
        self.assertEqual(run.state, "running")
        self.assertIn("disk full", run.log)
        self.assertFalse(self._actions(self.customer))
        alert = run.activity_ids.filtered(lambda a: a.summary == "Dunning run failed")
        self.assertEqual(alert.user_id, accountant)

    def test_a_serialization_failure_is_retried_on_the_next_call(self):
        self._invoice(self.customer, 300.0, days_late=1)
        conflict = pg_errors.SerializationFailure("could not serialize access")
        with patch.object(AccountDunningRun, "_process_batch", side_effect=conflict):
            progress = self._cron()
        self.assertGreaterEqual(progress.remaining, 1)
        self.assertFalse(self._actions(self.customer))
        self._cron()
        self.assertEqual(self._actions(self.customer).state, "sent")

    def test_a_run_left_running_yesterday_is_closed_with_its_counts(self):
        stale = self.env["account.dunning.run"].create(
            {
                "company_id": self.company.id,
                "trigger": "cron",
                "date": self.today - timedelta(days=1),
            }
        )
        self._cron()
        self.assertEqual(stale.state, "done")
        self.assertTrue(stale.end_datetime)
        self.assertIn("stopped before its end", stale.log)

    def test_run_now_does_one_batch_and_leaves_the_rest_to_the_scheduler(self):
        self.env["ir.config_parameter"].sudo().set_param("account_dunning_fr.batch_size", "1")
        self._invoice(self.customer, 300.0, days_late=1)
        self._invoice(self.customer_2, 300.0, days_late=1)
        cron = self.env.ref("account_dunning_fr.ir_cron_dunning_run")
        triggers_before = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        Run = self.env["account.dunning.run"]
        run = Run.browse(Run.action_run_now()["res_id"])
        self.assertEqual((run.state, run.remaining_count, len(run.action_ids)), ("running", 1, 1))
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            triggers_before + 1,
        )
        self._cron()
        self.assertEqual(run.state, "done")
        self.assertEqual(len(run.action_ids), 2)

    def test_a_letter_without_a_postal_address_fails_with_the_reason(self):
        self.customer.write({"street": False, "city": False, "zip": False})
        self._due_for_a_letter(self.customer)
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        self.assertEqual(action.state, "failed")
        self.assertIn("no postal address", action.error_message)

    def test_the_letter_is_rendered_by_wkhtmltopdf(self):
        # wkhtmltopdf loads the letter's styles from Odoo's HTTP server: serve
        # them with this test's cursor, as HttpCase does. Under Odoo's own
        # runner the server would otherwise wait for the registry lock that
        # the running tests hold, and wkhtmltopdf forever.
        self.registry.enter_test_mode(self.cr, test_readonly_enabled=False)
        self.addCleanup(self.registry.leave_test_mode)
        self._due_for_a_letter(self.customer)
        self.env["account.dunning.run"].with_context(force_report_rendering=True)._run_manual(
            self.company, partners=self.customer
        )
        letter = self._actions(self.customer).letter_attachment_id
        self.assertEqual(letter.mimetype, "application/pdf")
        self.assertTrue(letter.raw.startswith(b"%PDF"))

    def _count_wkhtmltopdf_calls(self, orm_writes):
        """The night's letters of both customers; the bodies given to each
        wkhtmltopdf call."""
        # As test_the_letter_is_rendered_by_wkhtmltopdf: serve the styles.
        self.registry.enter_test_mode(self.cr, test_readonly_enabled=False)
        self.addCleanup(self.registry.leave_test_mode)
        self.env["ir.config_parameter"].sudo().set_param(
            bulk.ORM_WRITES_PARAM, "1" if orm_writes else "0"
        )
        self._due_for_a_letter(self.customer)
        self._due_for_a_letter(self.customer_2)
        self._due_for_a_letter(self.customer_2)  # two invoices on its letter
        run_wkhtmltopdf = IrActionsReport._run_wkhtmltopdf
        calls = []

        def counted(report, bodies, *args, **kwargs):
            calls.append(bodies)
            return run_wkhtmltopdf(report, bodies, *args, **kwargs)

        with patch.object(IrActionsReport, "_run_wkhtmltopdf", counted):
            self.env["account.dunning.run"].with_context(force_report_rendering=True)._run_manual(
                self.company, partners=self.customer | self.customer_2
            )
        return calls

    def test_with_orm_writes_each_letter_is_odoos_own_pdf(self):
        calls = self._count_wkhtmltopdf_calls(orm_writes=True)
        self.assertEqual(len(calls), 2, "one wkhtmltopdf call per letter")
        for partner in (self.customer, self.customer_2):
            letter = self._actions(partner).letter_attachment_id
            self.assertTrue(letter.raw.startswith(b"%PDF"))

    def test_letters_are_rendered_together_and_split_per_reminder(self):
        calls = self._count_wkhtmltopdf_calls(orm_writes=False)
        self.assertEqual(len(calls), 1, "one wkhtmltopdf call for both letters")
        self.assertEqual(len(calls[0]), 1, "in one document (unpatched Qt takes no more)")
        for partner in (self.customer, self.customer_2):
            action = self._actions(partner)
            letter = action.letter_attachment_id
            self.assertTrue(letter.raw.startswith(b"%PDF"))
            self.assertEqual((letter.res_id, action.letter_error), (action.id, False))
            # Each PDF holds its own letter only: its reference link on its
            # first page, no other letter's (the text of a PDF depends on the
            # fonts wkhtmltopdf could load; its links do not).
            pages = PdfFileReader(io.BytesIO(letter.raw)).pages
            links = [link for page in pages for link in page_links(page)]
            reference = action._get_letter_reference()
            self.assertTrue(any(link.endswith(reference) for link in page_links(pages[0])))
            self.assertEqual(
                {link.rsplit("=", 1)[1] for link in links if "reference=" in link},
                {reference},
            )

    def test_the_prescription_compute_does_not_flush_everything(self):
        # A stored compute that flushes all crashed the ORM when posting a new
        # company's first invoice: it reads the payments through the ORM.
        invoice = self._invoice(self.customer, 1000.0, days_late=10)
        self._pay(invoice, 100.0)
        invoice.invalidate_recordset(["prescription_date"])
        with patch.object(
            type(self.env), "flush_all", side_effect=AssertionError("flush_all in a compute")
        ):
            invoice._compute_prescription_date()
        # C. civ. 2240: the partial payment of today restarts 5 years.
        self.assertEqual(invoice.prescription_date, self.today.replace(year=self.today.year + 5))

    def test_moving_a_customer_to_a_stricter_policy_never_skips_the_formal_notice(self):
        strict = self.policy.copy({"name": "Stricter", "is_default": False})
        by_name = {level.name: level for level in strict.level_ids}
        by_name["Phone call"].delay_days = 20
        by_name["Formal notice (mise en demeure)"].delay_days = 25
        invoice = self._invoice(self.customer, 1000.0, days_late=61)
        # At the call of the default policy (D+30) ten days ago: by delays
        # alone, litigation (D+60) would come next.
        self._set_level(invoice, self.level_call, days_ago=10)
        self.customer.dunning_policy_id = strict
        self._run(partners=self.customer)
        self.assertEqual(
            self._actions(self.customer).level_id, by_name["Formal notice (mise en demeure)"]
        )

    def test_a_manager_cannot_put_the_formal_notice_before_a_reminder(self):
        with self.assertRaisesRegex(Exception, "must come later than every"):
            self.level_notice.delay_days = 20

    def test_each_instalment_keeps_its_own_level(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "Half now, half at 60 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 0}),
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 60}),
                ],
            }
        )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": self.today - timedelta(days=61),
                "invoice_payment_term_id": term.id,
                "invoice_line_ids": [
                    Command.create({"name": "Prestation", "price_unit": 2000.0, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()
        first, second = invoice.line_ids.filtered(lambda line: line.debit).sorted("date_maturity")
        self.assertEqual(second.date_maturity, self.today - timedelta(days=1))
        # The first instalment reached the formal notice 15 days ago; the
        # second just fell due.
        first.sudo().write(
            {
                "dunning_level_id": self.level_notice.id,
                "dunning_last_date": self.today - timedelta(days=15),
            }
        )
        invoice._dunning_sync_level_from_lines()
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        self.assertEqual(action.level_id, self.level_litigation)
        levels = {line.move_line_id: line.level_id for line in action.line_ids}
        self.assertEqual(levels, {first: self.level_litigation, second: self.level_1})
        action.action_send()
        self.assertEqual(
            (first.dunning_level_id, second.dunning_level_id),
            (self.level_litigation, self.level_1),
        )
        self.assertEqual(invoice.dunning_level_id, self.level_litigation)
        # 1000 + 1000, one 40 EUR indemnity for the invoice (D441-5).
        self.assertEqual(action.amount_due, 2000.0)
        self.assertEqual(action.amount_indemnities, 40.0)
