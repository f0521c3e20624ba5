from collections import Counter
from datetime import timedelta
from unittest.mock import patch

from markupsafe import Markup

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.night.account_dunning_run_customers import AccountDunningRun as RunCustomers
from ..models.reminder.dunning_proof import writing_proof
from ..tools import bulk
from .common import DunningCase


@tagged("post_install", "-at_install")
class TestDunningRun(DunningCase):
    def test_first_reminder_day_after_due_date_is_sent_and_queued(self):
        invoice = self._invoice(self.customer, 1200.0, days_late=1)
        run = self._run()
        action = self._actions(self.customer)
        self.assertEqual(len(action), 1)
        self.assertEqual(action.level_id, self.level_1)
        self.assertEqual(action.state, "sent")
        self.assertEqual(action.amount_due, 1200.0)
        self.assertEqual(action.run_id, run)
        # The email is queued, not sent inline.
        self.assertTrue(action.mail_id)
        self.assertEqual(action.mail_id.state, "outgoing")
        self.assertEqual(action.mail_id.recipient_ids, self.customer)
        self.assertIn(invoice.name, action.mail_id.body_html)
        self.assertEqual(invoice.dunning_level_id, self.level_1)
        self.assertEqual(invoice.dunning_last_date, self.today)
        self.assertEqual(run.sent_count, 1)

    def test_invoice_not_yet_due_outside_courtesy_window_gets_nothing(self):
        self._invoice(self.customer, 500.0, days_late=-10)
        self._run()
        self.assertFalse(self._actions(self.customer))

    def test_courtesy_reminder_before_due_date(self):
        invoice = self._invoice(self.customer, 500.0, days_late=-5)
        self._run()
        action = self._actions(self.customer)
        self.assertEqual(action.level_id, self.level_courtesy)
        self.assertEqual(action.line_ids.days_late, -5)
        self.assertEqual(invoice.dunning_level_id, self.level_courtesy)

    def test_invoice_already_late_when_first_seen_starts_at_first_reminder(self):
        invoice = self._invoice(self.customer, 800.0, days_late=90)
        self._run()
        self.assertEqual(self._actions(self.customer).level_id, self.level_1)
        self.assertEqual(invoice.dunning_level_id, self.level_1)

    def test_one_action_per_customer_at_highest_level_listing_all_overdue(self):
        old = self._invoice(self.customer, 1000.0, days_late=46)
        self._set_level(old, self.level_call, days_ago=16)
        new = self._invoice(self.customer, 250.0, days_late=2)
        between = self._invoice(self.customer, 300.0, days_late=8)
        self._set_level(between, self.level_1, days_ago=7)
        not_due = self._invoice(self.customer, 999.0, days_late=-20)
        self._run()
        action = self._actions(self.customer)
        self.assertEqual(len(action), 1)
        self.assertEqual(action.level_id, self.level_notice)
        self.assertEqual(action.line_ids.move_id, old | between | new)
        self.assertNotIn(not_due, action.line_ids.move_id)
        levels = {line.move_id: (line.level_id, line.escalated) for line in action.line_ids}
        self.assertEqual(levels[old], (self.level_notice, True))
        self.assertEqual(levels[new], (self.level_1, True))
        self.assertEqual(levels[between], (self.level_1, False))
        # 1000 + 250 + 300 = 1550
        self.assertEqual(action.amount_due, 1550.0)

    def test_formal_notice_waits_for_review_and_invoices_keep_their_level(self):
        invoice = self._invoice(self.customer, 1000.0, days_late=45)
        self._set_level(invoice, self.level_call, days_ago=15)
        self._run()
        action = self._actions(self.customer)
        self.assertEqual(action.state, "to_review")
        self.assertFalse(action.mail_id)
        self.assertEqual(invoice.dunning_level_id, self.level_call)
        action.action_send()
        self.assertEqual(action.state, "sent")
        self.assertTrue(action.mail_id)
        self.assertTrue(action.letter_attachment_id)
        self.assertEqual(invoice.dunning_level_id, self.level_notice)

    def test_the_run_writes_reminders_with_the_values_their_computes_give(self):
        """The run gives the reminders' related values and tracking token to
        their INSERT, and writes their totals with their lines, rather than
        computing and writing them after: they must be what the computes
        store, and nothing left to write."""
        self._add_test_rates_to_today()
        invoice = self._invoice(self.customer, 1000.0, days_late=45)
        self._set_level(invoice, self.level_call, days_ago=15)
        self._invoice(self.customer, 250.0, days_late=3)
        self._pay_unmatched(self.customer, 123.456)
        self._credit_note(self.customer, 100.0)
        self._run()
        action = self._actions(self.customer)
        self.assertEqual(action.level_id, self.level_notice)
        self.assertFalse(self.env.cache.get_dirty_records(action, action._fields["amount_due"]))
        totals = ["amount_invoices", "amount_credits", "amount_due", "amount_penalties"]
        totals += ["amount_indemnities", "amount_claimed", "invoice_count"]
        related = ["policy_id", "formal_notice", "litigation"]
        self.env.invalidate_all()
        stored = action.read(totals + related, load=None)[0]
        fields = [action._fields[name] for name in totals + related]
        with self.env.protecting(fields, action):
            action._compute_amounts()
            for name in related:
                action._fields[name]._compute_related(action)
            computed = action._read_format(totals + related, load=None)[0]
        self.assertEqual(stored, computed)
        # 1000 + 250 due, less 123.46 paid and 100 credited; two indemnities.
        self.assertEqual(stored["amount_due"], 1026.54)
        self.assertEqual(stored["amount_indemnities"], 80.0)
        self.assertGreater(stored["amount_penalties"], 0)
        self.assertTrue(stored["formal_notice"])
        self.assertEqual(stored["policy_id"], self.level_notice.policy_id.id)
        self.assertEqual(len(action.sudo().tracking_token), 64)

    def test_waiting_review_blocks_new_reminders_for_that_customer(self):
        invoice = self._invoice(self.customer, 1000.0, days_late=45)
        self._set_level(invoice, self.level_call, days_ago=15)
        self._run()
        pending = self._actions(self.customer)
        pending.write({"date": self.today - timedelta(days=3)})
        self._invoice(self.customer, 100.0, days_late=1)
        run = self._run()
        self.assertEqual(self._actions(self.customer), pending)
        self.assertEqual(run.skipped_count, 1)

    def test_paid_and_in_payment_invoices_are_left_out(self):
        paid = self._invoice(self.customer, 400.0, days_late=3)
        self._pay(paid)
        self.assertIn(paid.payment_state, ("paid", "in_payment"))
        self._run()
        self.assertFalse(self._actions(self.customer))

    def test_partial_payment_reminds_only_the_residual(self):
        invoice = self._invoice(self.customer, 1000.0, days_late=3)
        self._pay(invoice, 350.0)
        self.assertEqual(invoice.payment_state, "partial")
        self._run()
        action = self._actions(self.customer)
        # 1000 - 350 = 650
        self.assertEqual(action.amount_due, 650.0)
        self.assertEqual(action.line_ids.amount_total, 1000.0)

    def test_dispute_exclusion_leaves_invoice_out(self):
        disputed = self._invoice(self.customer, 700.0, days_late=5)
        other = self._invoice(self.customer, 200.0, days_late=5)
        disputed._dunning_exclude("dispute", note="Quantity disputed")
        self._run()
        action = self._actions(self.customer)
        self.assertEqual(action.line_ids.move_id, other)
        self.assertEqual(action.amount_due, 200.0)

    def test_promise_to_pay_excludes_until_its_date_then_resumes(self):
        invoice = self._invoice(self.customer, 700.0, days_late=5)
        invoice._dunning_exclude("promise", promise_date=self.today)
        self._run()
        self.assertFalse(self._actions(self.customer))
        # The promised day has passed and the invoice is still unpaid.
        invoice.dunning_promise_date = self.today - timedelta(days=1)
        self._run()
        self.assertEqual(self._actions(self.customer).line_ids.move_id, invoice)

    def test_same_day_twice_makes_nothing_twice(self):
        self._invoice(self.customer, 300.0, days_late=1)
        self._invoice(self.customer_2, 300.0, days_late=50)
        self._run()
        first = self.env["account.dunning.action"].search(
            [("partner_id", "in", (self.customer | self.customer_2).ids)]
        )
        self.assertEqual(len(first), 2)
        mails_before = self.env["mail.mail"].search_count([])
        second_run = self._run()
        self.assertFalse(second_run.action_ids)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before)

    def test_a_customer_reminded_by_another_worker_meanwhile_is_left_out(self):
        self._invoice(self.customer, 300.0, days_late=1)
        self._invoice(self.customer_2, 450.0, days_late=3)
        self._invoice(self.customer_2, 250.0, days_late=2)
        build = RunCustomers._build_claims_isolated
        theirs = self.env["account.dunning.action"]

        def another_worker_first(run, customers):
            # Between reading the candidates and creating the reminders.
            nonlocal theirs
            with writing_proof():
                theirs = self.env["account.dunning.action"].create(
                    {
                        "partner_id": self.customer.id,
                        "company_id": self.company.id,
                        "level_id": self.level_1.id,
                        "date": self.today,
                    }
                )
            return build(run, customers)

        with patch.object(RunCustomers, "_build_claims_isolated", another_worker_first):
            run = self._run()
        self.assertEqual(self._actions(self.customer), theirs)
        ours = self._actions(self.customer_2)
        self.assertEqual(run.action_ids, ours)
        self.assertEqual(ours.state, "sent")
        # Its totals, computed once its lines were in.
        self.assertEqual(len(ours.line_ids), 2)
        self.assertEqual(ours.amount_due, 700.0)
        self.assertEqual(ours.invoice_count, 2)
        self.assertIn("700", ours.mail_id.body_html)

    def test_never_two_reminders_on_consecutive_days(self):
        # Yesterday's reminder for invoice A; invoice B reaches D+1 today.
        yesterday_invoice = self._invoice(self.customer, 300.0, days_late=2)
        self._run()
        yesterday = self.today - timedelta(days=1)
        self.env.cr.execute(
            "UPDATE account_dunning_action SET date = %s WHERE partner_id = %s",
            [yesterday, self.customer.id],
        )
        self.env["account.dunning.action"].invalidate_model()
        yesterday_invoice.dunning_last_date = yesterday
        self._invoice(self.customer, 150.0, days_late=1)
        run = self._run()
        self.assertFalse(run.action_ids)
        self.assertEqual(run.skipped_count, 1)

    def test_phone_call_level_creates_an_activity_for_the_salesperson(self):
        salesperson = self.env["res.users"].create(
            {"name": "Paul Vendeur", "login": "paul.vendeur", "email": "paul@example.com"}
        )
        self.customer.user_id = salesperson
        invoice = self._invoice(self.customer, 900.0, days_late=30)
        self._set_level(invoice, self.level_2, days_ago=15)
        self._run()
        action = self._actions(self.customer)
        self.assertEqual(action.level_id, self.level_call)
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
        )
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, salesperson)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        self.assertEqual(activity.date_deadline, self.today)

    def test_second_reminder_attaches_a_letter(self):
        invoice = self._invoice(self.customer, 900.0, days_late=15)
        self._set_level(invoice, self.level_1, days_ago=14)
        self._run()
        action = self._actions(self.customer)
        self.assertEqual(action.level_id, self.level_2)
        self.assertEqual(action.letter_attachment_id.res_model, "account.dunning.action")
        self.assertEqual(action.letter_attachment_id.res_id, action.id)
        self.assertIn(invoice.name, action.letter_attachment_id.raw.decode())

    def _run_with_a_customer_without_email(self):
        """The run of two customers due, the first without an email address."""
        self.customer.email = False
        self._invoice(self.customer, 300.0, days_late=1)
        self._invoice(self.customer_2, 300.0, days_late=1)
        return self._run()

    def test_customer_without_email_fails_with_reason_and_run_goes_on(self):
        run = self._run_with_a_customer_without_email()
        failed = self._actions(self.customer)
        self.assertEqual(failed.state, "failed")
        self.assertIn("no email address", failed.error_message)
        self.assertEqual(self._actions(self.customer_2).state, "sent")
        self.assertEqual((run.failed_count, run.sent_count), (1, 1))
        self.assertIn(self.customer.name, run.log)

    def test_the_runs_counts_read_by_the_database_are_those_of_its_reminders(self):
        run = self._run_with_a_customer_without_email()
        sent = self._actions(self.customer_2)
        # A held reminder (late bank statements) is counted apart.
        self.env.cr.execute(
            "UPDATE account_dunning_action SET hold_reason = 'statements' WHERE id = %s", [sent.id]
        )
        self.env.invalidate_all()
        counts = run._run_log_counts()
        self.assertEqual(counts, run._log_counts(run.action_ids))
        self.assertEqual(
            counts,
            {"created": 2, "sent": 1, "review": 0, "held": 1, "failed": 1, "cancelled": 0},
        )
        self.assertEqual(
            self.env["account.dunning.run"].browse()._log_counts_of(Counter(), 0)["created"], 0
        )

    def test_template_error_fails_only_that_customer(self):
        broken = self.level_1.mail_template_id.copy(
            {"body_html": "<p><t t-out='object.no_such_field'/></p>"}
        )
        other_policy = self.policy.copy({"name": "Broken", "is_default": False})
        other_policy.level_ids.filtered(lambda lvl: lvl.delay_days == 1).mail_template_id = broken
        self.customer.dunning_policy_id = other_policy
        self._invoice(self.customer, 300.0, days_late=1)
        self._invoice(self.customer_2, 300.0, days_late=1)
        self._run()
        self.assertEqual(self._actions(self.customer).state, "failed")
        self.assertIn("could not be sent", self._actions(self.customer).error_message)
        self.assertEqual(self._actions(self.customer_2).state, "sent")

    def test_chatter_notes_on_customer_and_invoice(self):
        invoice = self._invoice(self.customer, 300.0, days_late=1)
        self._run()
        for record in (self.customer, invoice):
            notes = record.message_ids.filtered(lambda m: "First reminder" in (m.body or ""))
            self.assertTrue(notes, record)

    def test_batches_resume_where_a_crash_stopped(self):
        partners = self.customer | self.customer_2
        for partner in partners:
            self._invoice(partner, 300.0, days_late=1)
        Run = self.env["account.dunning.run"]
        run = Run.create({"company_id": self.company.id, "trigger": "cron"})
        done, remaining = run._process_batch(1, partners=partners)
        self.assertEqual((done, remaining), (1, 1))
        # The worker dies here; the next call picks the same run up again.
        self.assertEqual(Run._get_runs_to_carry_on(self.company), run)
        done, remaining = run._process_batch(1, partners=partners)
        self.assertEqual((done, remaining), (1, 0))
        done, remaining = run._process_batch(1, partners=partners)
        self.assertEqual((done, remaining), (0, 0))
        self.assertEqual(run.action_ids.partner_id, partners)
        self.assertEqual(len(run.action_ids), 2)

    def test_the_ledger_is_read_once_a_run_then_each_batch_its_own_customers(self):
        third = self._customer("Transports Girard SAS")
        partners = self.customer | self.customer_2 | third
        invoices = {partner: self._invoice(partner, 300.0, days_late=1) for partner in partners}
        Run = self.env["account.dunning.run"]
        run = Run.create({"company_id": self.company.id, "trigger": "cron"})
        read, list_due = RunCustomers._get_due_customers, RunCustomers._list_candidate_customers
        calls = []

        def spy(run, partners=None):
            calls.append(partners and partners.ids)
            return read(run, partners)

        def spy_list(run):
            calls.append("ledger")
            return list_due(run)

        with (
            patch.object(RunCustomers, "_get_due_customers", autospec=True, side_effect=spy),
            patch.object(
                RunCustomers, "_list_candidate_customers", autospec=True, side_effect=spy_list
            ),
        ):
            run._process_batch(1)
            listed = run.due_partner_ids
            self.assertLessEqual(set(partners.ids), set(listed))
            ours = [pid for pid in listed if pid in partners.ids]
            # The next customer of ours pays before its batch: not reminded.
            second = self.env["res.partner"].browse(ours[1])
            self._pay(invoices[second])
            for _batch in range(len(listed)):
                run._process_batch(1)
        self.assertEqual(calls[0], "ledger", "the first batch lists who is due on the whole ledger")
        self.assertEqual(calls[1:], [[pid] for pid in listed], "then one customer a batch")
        self.assertEqual(run.remaining_count, 0)
        self.assertEqual(run.due_cursor, len(listed))
        reminded = run.action_ids.partner_id & partners
        self.assertEqual(reminded, partners - second)

    def test_the_start_lists_who_may_be_due_and_the_batches_judge_and_count_them(self):
        """The start lists, by the database, the customers with an instalment
        old enough to reach a level, each with its open lines counted; the
        batches judge them on all their lines and count those covered."""
        third, fourth, fifth = (
            self._customer(name)
            for name in ("Transports Girard SAS", "Boulangerie Morel", "Imprimerie Faure")
        )
        for partner in (self.customer, self.customer_2):
            self._invoice(partner, 300.0, days_late=20)
            self._invoice(partner, 200.0, days_late=10)
        # Its payment leaves 2.00 to claim (under 5.00): listed, then covered.
        self._pay_unmatched(self.customer_2, 498.0)
        self._invoice(third, 100.0, days_late=-3)  # the courtesy level (D-5) is reached
        self._invoice(fourth, 100.0, days_late=-10)  # no level before D-5
        disputed = self._invoice(fifth, 100.0, days_late=20)
        disputed.write({"dunning_excluded": True, "dunning_exclusion_reason": "dispute"})
        ours = {self.customer.id, self.customer_2.id, third.id, fourth.id, fifth.id}
        run = self.env["account.dunning.run"].create(
            {"company_id": self.company.id, "trigger": "cron"}
        )
        candidates = run._list_candidate_customers()
        listed = {pid: n for pid, n in candidates.items() if pid in ours}
        # Two invoices each, and customer_2's payment: 2, 3 and 1 lines.
        self.assertEqual(listed, {self.customer.id: 2, self.customer_2.id: 3, third.id: 1})
        due, _skipped, covered = run._get_due_customers()
        self.assertLessEqual(set(due), set(candidates))
        for partner_id, (_plan, rows) in due.items():
            self.assertEqual(len(rows), candidates[partner_id])
        self.assertEqual(
            (set(due) & ours, covered & ours), ({self.customer.id, third.id}, {self.customer_2.id})
        )

        with patch.object(
            RunCustomers, "_list_candidate_customers", autospec=True, return_value=listed
        ):
            while run._process_batch(1)[1]:
                pass
        self.assertEqual((run.covered_count, run.skipped_count), (1, 0))
        self.assertEqual(run.action_ids.partner_id, self.customer | third)

    def test_no_customer_is_listed_before_the_shortest_delay_of_the_levels(self):
        """Without the courtesy levels the first one is at D+1: an invoice
        due today or later cannot reach a level, and its customer is not
        listed; one day late, it is."""
        self.env["account.dunning.level"].search(
            [("company_id", "=", self.company.id), ("delay_days", "<", 0)]
        ).unlink()
        shortest = min(
            self.env["account.dunning.level"]
            .search([("company_id", "=", self.company.id)])
            .mapped("delay_days")
        )
        self.assertEqual(shortest, 1)
        self._invoice(self.customer, 300.0, days_late=0)
        self._invoice(self.customer_2, 300.0, days_late=1)
        run = self.env["account.dunning.run"].create(
            {"company_id": self.company.id, "trigger": "cron"}
        )
        listed = run._list_candidate_customers()
        self.assertNotIn(self.customer.id, listed)
        self.assertEqual(listed.get(self.customer_2.id), 1)
        due = run._get_due_customers(self.customer | self.customer_2)[0]
        self.assertEqual(set(due), {self.customer_2.id})

    def test_cron_reports_progress_and_defers_letters(self):
        invoice = self._invoice(self.customer, 900.0, days_late=15)
        self._set_level(invoice, self.level_1, days_ago=14)
        cron = self.env.ref("account_dunning_fr.ir_cron_dunning_run")
        cron_with_progress, progress = cron._add_progress()
        self.env["account.dunning.run"].with_context(
            ir_cron_progress_id=progress.id
        )._cron_run_dunning()
        self.assertGreaterEqual(progress.done, 1)
        action = self._actions(self.customer)
        self.assertEqual(action.state, "sent")
        self.assertTrue(action.mail_id)
        # Letters come in their own batches once the emails are queued.
        self.assertFalse(action.letter_pending)
        self.assertTrue(action.letter_attachment_id)
        self.assertTrue(cron_with_progress)

    def test_run_is_limited_to_its_company(self):
        other_company = self.env["res.company"].create({"name": "Filiale Lyon"})
        self.assertTrue(
            self.env["account.dunning.policy"].search([("company_id", "=", other_company.id)])
        )
        self._invoice(self.customer, 300.0, days_late=1)
        run = self._run(company=other_company)
        self.assertFalse(run.action_ids)
        self.assertFalse(self._actions(self.customer))

    def test_company_check_of_a_batch_is_odoos(self):
        # account.dunning.action._check_company reads the records of each
        # field once per company: it rejects what Odoo's check rejects, with
        # Odoo's message, and accepts the rest.
        self.env["ir.config_parameter"].sudo().set_param(bulk.ORM_WRITES_PARAM, "0")
        other_company = self.env["res.company"].create({"name": "Filiale Nantes"})
        other_level = (
            self.env["account.dunning.policy"]
            .search([("company_id", "=", other_company.id)], limit=1)
            .level_ids[:1]
        )
        foreign = self._customer("Client Nantes SAS", company_id=other_company.id)
        Action, Partner = self.env["account.dunning.action"], type(self.env["res.partner"])

        def vals(partner, level, days_ago):
            return {
                "partner_id": partner.id,
                "company_id": self.company.id,
                "level_id": level.id,
                "date": self.today - timedelta(days=days_ago),
            }

        real_filtered_domain, checks = Partner.filtered_domain, []

        def counted(partners, domain):
            checks.append(len(partners))
            return real_filtered_domain(partners, domain)

        with writing_proof(), patch.object(Partner, "filtered_domain", counted):
            good = Action.create(
                [vals(self.customer, self.level_1, 1), vals(self.customer_2, self.level_1, 1)]
            )
        self.assertEqual(len(good), 2)
        # Both customers checked in one go, not one by one.
        self.assertEqual(checks, [2])
        for wrong in (
            [vals(self.customer, self.level_1, 2), vals(self.customer_2, other_level, 2)],
            [vals(foreign, self.level_1, 3), vals(self.customer_2, self.level_1, 3)],
        ):
            messages = []
            for orm in ("0", "1"):
                self.env["ir.config_parameter"].sudo().set_param(bulk.ORM_WRITES_PARAM, orm)
                with self.assertRaises(UserError) as caught, writing_proof():
                    with self.env.cr.savepoint():
                        Action.create(wrong)
                messages.append(str(caught.exception))
            self.assertEqual(messages[0], messages[1])
            self.assertIn("belongs to another company", messages[0])
        self.assertEqual(Action.search_count([("partner_id", "=", foreign.id)]), 0)

    def test_email_in_the_customers_language(self):
        self.customer.lang = "fr_FR"
        self.customer_2.lang = "en_US"
        self._invoice(self.customer, 300.0, days_late=1)
        self._invoice(self.customer_2, 300.0, days_late=1)
        self._run()
        french = self._actions(self.customer).mail_id
        english = self._actions(self.customer_2).mail_id
        self.assertEqual(french.subject, "%s : relance de paiement" % self.company.name)
        self.assertIn("Sauf erreur de notre part", french.body_html)
        self.assertEqual(english.subject, "%s: payment reminder" % self.company.name)

    def test_chatter_notes_are_the_notes_message_log_batch_makes(self):
        """The run logs its notes in one INSERT (speed, see bulk.log_notes):
        each carries the fields Odoo's own _message_log_batch gives a note."""
        invoice = self._invoice(self.customer, 300.0, days_late=1)
        self._run(partners=self.customer)
        ours = self.env["mail.message"].search(
            [("model", "=", "account.move"), ("res_id", "=", invoice.id)],
            order="id desc",
            limit=1,
        )
        self.assertIn("Reminder sent", ours.body)
        odoos = invoice._message_log_batch({invoice.id: Markup("<p>Odoo's note</p>")})
        fields_compared = [
            "model", "res_id", "message_type", "subtype_id", "author_id", "email_from",
            "is_internal", "email_add_signature", "reply_to", "record_name",
            "record_company_id", "record_alias_domain_id", "subject", "parent_id",
        ]  # fmt: skip
        self.assertEqual(
            [ours[name] for name in fields_compared], [odoos[name] for name in fields_compared]
        )
        self.assertTrue(ours.message_id.startswith("<"))
        # An internal note: on the invoice's chatter, notifying nobody.
        self.assertIn(ours, invoice.message_ids)
        self.assertFalse(ours.notification_ids)
