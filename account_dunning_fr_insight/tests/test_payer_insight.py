"""Payer behaviour from the company's own ledger: the figures on the
customer, the expected payment date of its open invoices, the score and
its explanation, who reads them (core formula: test_core_payer.py)."""

from datetime import timedelta
from unittest.mock import patch

from psycopg2 import errors as pg_errors

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.account_dunning_fr.tests.common import DunningCase

from ..report import account_dunning_cash_forecast as forecast_module


class PayerCase(DunningCase):
    def _paid_history(self, partner, delays, amount=1000.0):
        """One invoice per delay, due 100, 110, ... days ago, paid ``delay``
        days after its due date (the payment is the reconciled date)."""
        for index, delay in enumerate(delays):
            due = self.today - timedelta(days=100 + 10 * index)
            invoice = self._invoice_on(partner, amount, due - timedelta(days=30), due)
            self._pay(invoice, date=due + timedelta(days=delay))

    def _refresh(self):
        self.env["account.dunning.payer.profile"]._refresh_company(self.company, self.today)
        self.env.invalidate_all()

    def _night(self, partners=None):
        """The night: the dunning run, then the payer figures' refresh."""
        run = self._run(partners)
        self.env["account.dunning.payer.profile"]._cron_refresh_payer_figures()
        self.env.invalidate_all()
        return run

    def _due_in(self, partner, days, amount=1000.0):
        return self._invoice(partner, amount, days_late=-days)


@tagged("post_install", "-at_install")
class TestPayerInsight(PayerCase):
    def test_customer_always_30_days_late(self):
        self._paid_history(self.customer, [30, 30, 30, 30])
        invoice = self._due_in(self.customer, 10)
        self._refresh()
        self.assertAlmostEqual(self.customer.dunning_average_days_late, 30.0)
        self.assertAlmostEqual(self.customer.dunning_median_days_late, 30.0)
        self.assertAlmostEqual(self.customer.dunning_late_share, 100.0)
        self.assertEqual(self.customer.dunning_paid_invoice_count, 4)
        # Due in 10 days, paid 30 days after: today + 40 (+/- 3 days).
        expected = invoice.invoice_date_due + timedelta(days=30)
        self.assertLessEqual(abs((invoice.dunning_expected_payment_date - expected).days), 3)
        self.assertIn("pays 30 days late on average", self.customer.dunning_risk_explanation)

    def test_punctual_customer_is_expected_on_the_due_date(self):
        self._paid_history(self.customer, [0, 0, 0, 0])
        invoice = self._due_in(self.customer, 10)
        self._refresh()
        self.assertEqual(self.customer.dunning_average_days_late, 0.0)
        self.assertEqual(invoice.dunning_expected_payment_date, invoice.invoice_date_due)
        self.assertEqual(self.customer.dunning_risk_segment, "good")
        self.assertIn("pays on time on average", self.customer.dunning_risk_explanation)

    def test_one_invoice_is_pulled_toward_the_company_average(self):
        # Four invoices of 1000 paid 30 days late, one of 1000 paid on time
        # by a new customer. Company average, weighted by amount paid:
        # (4000 * 30 + 1000 * 0) / 5000 = 24 days. The new customer counts
        # 1 invoice against the company's 2: (1 * 0 + 2 * 24) / 3 = 16 days.
        self._paid_history(self.customer, [30, 30, 30, 30])
        self._paid_history(self.customer_2, [0])
        invoice = self._due_in(self.customer_2, 10)
        self._refresh()
        self.assertAlmostEqual(self.company.dunning_payer_prior_delay, 24.0)
        self.assertEqual(self.customer_2.dunning_average_days_late, 0.0)
        self.assertAlmostEqual(self.customer_2.dunning_expected_delay, 16.0)
        self.assertEqual(
            invoice.dunning_expected_payment_date,
            invoice.invoice_date_due + timedelta(days=16),
        )
        # The regular late payer keeps its own figure: (4 * 30 + 2 * 24) / 6 = 28.
        self.assertAlmostEqual(self.customer.dunning_expected_delay, 28.0)
        self.assertIn("short history", self.customer_2.dunning_risk_explanation)

    def test_customer_without_history_takes_the_company_average(self):
        self._paid_history(self.customer, [20, 20])
        self._refresh()
        self.assertAlmostEqual(self.customer_2.dunning_expected_delay, 20.0)
        self.assertIn("No payment history", self.customer_2.dunning_risk_explanation)

    def test_a_larger_invoice_is_expected_later_by_the_learnt_slope(self):
        # Always 30 days late on invoices of 1,000: expected 30 days, typical
        # invoice 1,000. With a slope of 3 days per doubling (as if learnt),
        # an invoice of 4,000 due in 10 days: 30 + 3 * log2(4) = 36 days
        # after its due date; one of 1,000: 30 days.
        self._paid_history(self.customer, [30, 30, 30, 30])
        big = self._due_in(self.customer, 10, amount=4000.0)
        usual = self._due_in(self.customer, 10, amount=1000.0)
        self._refresh()
        profile = self.env["account.dunning.payer.profile"]._get_profiles(
            self.customer.ids, self.company
        )
        self.assertAlmostEqual(profile[self.customer.id].typical_size, 1000.0)
        self.assertEqual(self.company.dunning_payer_size_slope, 0.0)  # 4 invoices say nothing
        self.company.sudo().dunning_payer_size_slope = 3.0
        self.env.invalidate_all()
        self.assertEqual(
            big.dunning_expected_payment_date, big.invoice_date_due + timedelta(days=36)
        )
        self.assertEqual(
            usual.dunning_expected_payment_date, usual.invoice_date_due + timedelta(days=30)
        )

    def test_an_invoice_reminded_as_usual_is_expected_after_the_usual_lag(self):
        # A customer 30 days late, paying without reminders: one reminder is
        # enough to expect the payment 5 days after it (lag as if learnt),
        # not at the due date + 30.
        self._paid_history(self.customer, [30, 30, 30])
        invoice = self._invoice(self.customer, 800.0, days_late=3)
        self._night(self.customer)
        action = self._actions(self.customer)
        self.assertEqual(action.state, "sent")
        self.company.sudo().dunning_payer_reminder_lag = 5.0
        self.env.invalidate_all()
        self.assertEqual(invoice.dunning_expected_payment_date, action.date + timedelta(days=5))
        # Without a lag learnt, the delay model dates it later.
        self.company.sudo().dunning_payer_reminder_lag = 0.0
        self.env.invalidate_all()
        self.assertGreater(invoice.dunning_expected_payment_date, action.date + timedelta(days=20))

    def test_a_promise_overrides_the_expected_date(self):
        self._paid_history(self.customer, [30, 30, 30])
        invoice = self._invoice(self.customer, 800.0, days_late=5)
        promised = self.today + timedelta(days=4)
        invoice._dunning_exclude("promise", promise_date=promised)
        self._refresh()
        self.assertEqual(invoice.dunning_expected_payment_date, promised)

    def test_overdue_invoice_is_never_expected_before_today(self):
        self._paid_history(self.customer, [0, 0, 0])
        invoice = self._invoice(self.customer, 800.0, days_late=20)
        self._refresh()
        self.assertGreaterEqual(invoice.dunning_expected_payment_date, self.today)

    def test_score_orders_customers_as_the_explanation_says(self):
        self._paid_history(self.customer, [0, 0, 0])
        self._paid_history(self.customer_2, [30, 30, 30])
        disputed = self._invoice(self.customer_2, 300.0, days_late=40)
        disputed._dunning_exclude("dispute")
        Call = self.env["account.dunning.call"]
        for days in (60, 30):
            Call.create(
                {
                    "partner_id": self.customer_2.id,
                    "date": self.today - timedelta(days=days),
                    "outcome": "promise",
                    "promise_date": self.today - timedelta(days=days - 10),
                    "promise_state": "broken",
                }
            )
        self._refresh()
        good, risky = self.customer, self.customer_2
        self.assertLess(good.dunning_risk_score, risky.dunning_risk_score)
        # Company average: (3000 * 0 + 3000 * 30) / 6000 = 15 days, half of
        # the amount paid late. The late payer: expected (3 * 30 + 2 * 15) / 5
        # = 24 days -> 50 * 24 / 60 = 20; share late (3 * 1 + 2 * 0.5) / 5 =
        # 0.8 -> 8; 2 broken promises -> min(16, 15) = 15; 1 dispute -> 5:
        # 20 + 8 + 15 + 5 = 48, to watch.
        self.assertEqual(risky.dunning_risk_score, 48)
        self.assertEqual(risky.dunning_risk_segment, "watch")
        # The punctual one: (3 * 0 + 2 * 15) / 5 = 6 days -> 5; share
        # (3 * 0 + 2 * 0.5) / 5 = 0.2 -> 2: 7, a good payer.
        self.assertEqual(good.dunning_risk_score, 7)
        self.assertEqual(good.dunning_risk_segment, "good")
        self.assertEqual(
            risky.dunning_risk_explanation,
            "pays 30 days late on average; 2 broken promises; 1 dispute",
        )
        self.assertEqual(good.dunning_risk_explanation, "pays on time on average")

    def _watch_history(self):
        """customer_2 to watch (score 48, see the test above), customer good (7)."""
        self._paid_history(self.customer, [0, 0, 0])
        self._paid_history(self.customer_2, [30, 30, 30])
        self._invoice(self.customer_2, 300.0, days_late=40)._dunning_exclude("dispute")
        for days in (60, 30):
            self.env["account.dunning.call"].create(
                {
                    "partner_id": self.customer_2.id,
                    "date": self.today - timedelta(days=days),
                    "outcome": "promise",
                    "promise_date": self.today - timedelta(days=days - 10),
                    "promise_state": "broken",
                }
            )

    def test_a_segment_gets_its_own_default_policy(self):
        self._watch_history()
        watch = self.policy.copy(
            {"name": "Customers to watch", "payer_segment": "watch", "is_default": True}
        )
        newcomer = self._customer("Fromagerie Neuve")
        # Before the figures exist, everyone follows the default policy.
        self.assertEqual(self.customer_2._get_dunning_policy(), self.policy)
        self._refresh()
        self.assertEqual(self.customer_2.dunning_risk_segment, "watch")
        self.assertEqual(self.customer_2._get_dunning_policy(), watch)
        self.assertEqual(self.customer._get_dunning_policy(), self.policy)
        self.assertEqual(newcomer._get_dunning_policy(), self.policy)
        # A policy of its own wins over the segment.
        own = self.policy.copy({"name": "Agreed cadence", "is_default": False})
        self.customer_2.dunning_policy_id = own
        self.assertEqual(self.customer_2._get_dunning_policy(), own)
        self.customer_2.dunning_policy_id = False
        # The daily run reminds with the segment's levels.
        self._invoice(self.customer_2, 500.0, days_late=3)
        self._run(self.customer_2)
        action = self._actions(self.customer_2)
        self.assertEqual(len(action), 1)
        self.assertEqual(action.level_id.policy_id, watch)
        self.assertEqual(action.level_id.delay_days, 1)

    def test_segment_policies_are_defaults_one_per_segment(self):
        self.policy.copy({"name": "Risky", "payer_segment": "risky", "is_default": True})
        with self.assertRaisesRegex(ValidationError, "kind of customer and payer segment"):
            self.policy.copy({"name": "Risky 2", "payer_segment": "risky", "is_default": True})
        with self.assertRaisesRegex(ValidationError, "must be the default"):
            self.policy.copy({"name": "Good", "payer_segment": "good", "is_default": False})

    def test_explanation_in_the_users_language(self):
        self._paid_history(self.customer, [30, 30, 30])
        self._refresh()
        french = self.customer.with_context(lang="fr_FR")
        self.assertEqual(french.dunning_risk_explanation, "paie en moyenne 30 jours en retard")

    def test_the_nightly_refresh_follows_the_run(self):
        self._paid_history(self.customer, [12, 12])
        self._run()
        self.env.invalidate_all()
        # The dunning run leaves the figures to their own scheduled action.
        self.assertFalse(self.customer.dunning_paid_invoice_count)
        self.env.ref("account_dunning_fr_insight.ir_cron_payer_refresh").method_direct_trigger()
        self.env.invalidate_all()
        self.assertAlmostEqual(self.customer.dunning_average_days_late, 12.0)
        profile = self.env["account.dunning.payer.profile"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(profile.date, self.today)
        self.assertEqual(self.company.dunning_payer_date, self.today)

    def test_salesperson_reads_the_figures(self):
        self._paid_history(self.customer, [30, 30, 30])
        self._refresh()
        salesman = new_test_user(
            self.env, login="vendeur_payer", groups="base.group_user,base.group_partner_manager"
        )
        partner = self.customer.with_user(salesman)
        self.assertAlmostEqual(partner.dunning_average_days_late, 30.0)
        self.assertTrue(partner.dunning_risk_explanation)
        profiles = self.env["account.dunning.payer.profile"].with_user(salesman)
        self.assertEqual(len(profiles.search([("partner_id", "=", self.customer.id)])), 1)
        with self.assertRaises(AccessError):
            profiles.search([]).write({"risk_score": 0})

    def test_other_company_figures_are_not_mixed(self):
        other = self.env["res.company"].create({"name": "Filiale Nantes"})
        Profile = self.env["account.dunning.payer.profile"].sudo()
        Profile.create(
            {
                "partner_id": self.customer.id,
                "company_id": other.id,
                "average_days_late": 90.0,
                "risk_score": 99,
                "segment": "risky",
                "invoice_count": 5,
            }
        )
        self._paid_history(self.customer, [0, 0, 0])
        self._refresh()
        # The refresh of this company leaves the other's figures alone.
        self.assertEqual(Profile.search_count([("company_id", "=", other.id)]), 1)
        self.assertEqual(self.customer.dunning_average_days_late, 0.0)
        self.assertEqual(self.customer.with_company(other).dunning_average_days_late, 90.0)
        self.assertEqual(self.customer.with_company(other).dunning_risk_score, 99)
        # A user of this company alone does not see the other's profile.
        user = new_test_user(self.env, login="vendeur_lyon", groups="base.group_user")
        seen = self.env["account.dunning.payer.profile"].with_user(user).search([])
        self.assertEqual(seen.company_id, self.company)

    def test_a_failed_refresh_never_stops_the_night_and_says_why(self):
        run = self._run(self.customer)
        Profile = self.env["account.dunning.payer.profile"]
        logger = "odoo.addons.account_dunning_fr_insight.models.account_dunning_payer_refresh"
        Method = type(Profile)
        # Another worker's snapshot: said on the run, no error logged.
        with (
            patch.object(
                Method, "_refresh_company_figures", side_effect=pg_errors.SerializationFailure()
            ),
            self.assertNoLogs(logger, "ERROR"),
        ):
            Profile._cron_refresh_payer_figures()
        self.assertIn("left to the worker refreshing them now", run.log)
        # Anything else: said on the run and logged as an error, the run goes on.
        with (
            patch.object(Method, "_refresh_company_figures", side_effect=ValueError("boom")),
            self.assertLogs(logger, "ERROR"),
        ):
            Profile._cron_refresh_payer_figures()
        self.assertIn("not refreshed: boom", run.log)

    def test_forecast_written_a_few_customers_at_a_time_is_the_same(self):
        self._paid_history(self.customer, [30, 30])
        self._due_in(self.customer, 5, 1000.0)
        self._invoice(self.customer_2, 250.0, days_late=3)
        self._pay_unmatched(self.customer_2, 100.0)
        self._refresh()
        Forecast = self.env["account.dunning.cash.forecast"]
        fields = ["partner_id", "move_id", "date", "scenario", "amount", "segment", "override"]

        def rows():
            found = Forecast.search([("company_id", "=", self.company.id)])
            return sorted(tuple(str(row[name]) for name in fields) for row in found.read(fields))

        Forecast._refresh_company(self.company, self.today)
        whole = rows()
        with patch.object(forecast_module, "FORECAST_CHUNK", 1):
            self.assertEqual(Forecast._refresh_company(self.company, self.today), 6)
        self.assertEqual(len(whole), 6)
        self.assertEqual(rows(), whole)

    def test_forecast_leaves_an_invoice_reset_to_draft_at_once(self):
        kept = self._due_in(self.customer, 5, 1000.0)
        reset = self._due_in(self.customer, 9, 300.0)
        self._refresh()
        Forecast = self.env["account.dunning.cash.forecast"]
        self.assertEqual(Forecast._refresh_company(self.company, self.today), 6)
        self.assertEqual(len(Forecast.search([("move_id", "=", reset.id)])), 3)
        reset.button_draft()
        self.env.flush_all()
        rows = Forecast.search([("company_id", "=", self.company.id)])
        self.assertEqual(rows.move_id, kept)
        self.assertEqual(sorted(rows.mapped("scenario")), ["expected", "optimistic", "pessimistic"])
        self.assertEqual(len(set(rows.ids)), 3)

    def test_forecast_weekly_sums_equal_the_expected_receipts(self):
        self._paid_history(self.customer, [30, 30])
        self._paid_history(self.customer_2, [0, 0])
        late_payer = self._due_in(self.customer, 5, 1000.0)
        punctual = self._due_in(self.customer_2, 12, 400.0)
        overdue = self._invoice(self.customer_2, 250.0, days_late=3)
        # 100 paid but not matched: set against the oldest debt, 250 - 100 = 150.
        self._pay_unmatched(self.customer_2, 100.0)
        self._refresh()
        Forecast = self.env["account.dunning.cash.forecast"]
        Forecast._refresh_company(self.company, self.today)
        receipts = {late_payer: 1000.0, punctual: 400.0, overdue: 150.0}
        groups = Forecast._read_group(
            [("scenario", "=", "expected"), ("company_id", "=", self.company.id)],
            ["date:week"],
            ["amount:sum"],
        )
        self.assertTrue(groups)
        for week_start, amount in groups:
            week_end = week_start + timedelta(days=7)
            expected = sum(
                value
                for move, value in receipts.items()
                if week_start <= move.dunning_expected_payment_date < week_end
            )
            self.assertAlmostEqual(amount, expected)
        for scenario in ("expected", "optimistic", "pessimistic"):
            rows = Forecast.search([("scenario", "=", scenario)])
            self.assertAlmostEqual(sum(rows.mapped("amount")), 1550.0)
        # The optimistic date is never after the expected one, the pessimistic never before.
        for move in receipts:
            dates = {row.scenario: row.date for row in Forecast.search([("move_id", "=", move.id)])}
            self.assertLessEqual(dates["optimistic"], dates["expected"])
            self.assertLessEqual(dates["expected"], dates["pessimistic"])
            self.assertEqual(dates["expected"], move.dunning_expected_payment_date)

    def test_forecast_is_kept_to_its_company(self):
        other = self.env["res.company"].create({"name": "Filiale Nantes"})
        Forecast = self.env["account.dunning.cash.forecast"].sudo()
        invoice = self._due_in(self.customer, 5, 1000.0)
        self._refresh()
        Forecast._refresh_company(self.company, self.today)
        # A receipt of the other company (on this invoice: the view only
        # needs a posted one).
        line = invoice.line_ids.filtered(lambda aml: aml.account_type == "asset_receivable")
        receipt = forecast_module.ExpectedReceipt(
            line, self.customer.id, invoice.id, 10.0, self.today, self.today, self.today, None
        )
        self.assertEqual(Forecast._insert_receipts(other, [receipt]), 3)
        accountant = new_test_user(
            self.env, login="comptable_lyon", groups="base.group_user,account.group_account_invoice"
        )
        seen = self.env["account.dunning.cash.forecast"].with_user(accountant).search([])
        self.assertEqual(seen.company_id, self.company)
        self.assertEqual(Forecast.search_count([("company_id", "=", other.id)]), 3)

    def test_credit_notes_cancel_they_do_not_pay(self):
        # 1000 invoiced, 400 cancelled by a credit note on the invoice date,
        # 600 paid 30 days late: the customer paid 600, 30 days late.
        due = self.today - timedelta(days=100)
        invoice = self._invoice_on(self.customer, 1000.0, due - timedelta(days=30), due)
        refund = self._invoice_on(
            self.customer, 400.0, due - timedelta(days=30), due, move_type="out_refund"
        )
        (invoice.line_ids | refund.line_ids).filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        self._pay(invoice, date=due + timedelta(days=30))
        self._refresh()
        profile = self.env["account.dunning.payer.profile"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertAlmostEqual(profile.amount_paid, 600.0)
        self.assertAlmostEqual(profile.average_days_late, 30.0)

    def test_a_supplier_bill_we_dispute_is_no_customer_dispute(self):
        # A customer that also supplies us: its bill, which we dispute, says
        # nothing of how it pays us, and gives it no profile.
        bill = self._invoice_on(
            self.customer_2,
            500.0,
            self.today - timedelta(days=40),
            self.today - timedelta(days=10),
            move_type="in_invoice",
        )
        bill.write({"dunning_excluded": True, "dunning_exclusion_reason": "dispute"})
        self._refresh()
        self.assertFalse(
            self.env["account.dunning.payer.profile"].search(
                [("partner_id", "=", self.customer_2.id)]
            )
        )
        self.assertEqual(self.customer_2.dunning_dispute_count, 0)


@tagged("post_install", "-at_install")
class TestConsumerScoring(PayerCase):
    """Scoring private individuals is profiling (GDPR art. 4(4), 21, 22): off
    unless the company turns it on, and then for accountants' eyes only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consumer = cls._customer("Marie Durand", is_company=False)
        cls.accountant = new_test_user(
            cls.env, login="compta_rgpd", groups="base.group_user,account.group_account_invoice"
        )
        cls.salesman = new_test_user(
            cls.env, login="vendeur_rgpd", groups="base.group_user,base.group_partner_manager"
        )

    def setUp(self):
        super().setUp()
        self._paid_history(self.consumer, [30, 30, 30])
        self._paid_history(self.customer, [30, 30, 30])

    def _profile(self, partner):
        return self.env["account.dunning.payer.profile"].search(
            [("partner_id", "=", partner.id), ("company_id", "=", self.company.id)]
        )

    def test_off_by_default_consumers_keep_their_plain_figures_only(self):
        self.assertFalse(self.company.dunning_score_consumers)
        self._refresh()
        profile = self._profile(self.consumer)
        self.assertEqual(profile.invoice_count, 3)
        self.assertAlmostEqual(profile.average_days_late, 30.0)
        self.env.cr.execute(
            "SELECT risk_score, segment FROM account_dunning_payer_profile WHERE id = %s",
            [profile.id],
        )
        self.assertEqual(self.env.cr.fetchall(), [(None, None)])
        for user in (self.accountant, self.salesman):
            consumer = self.consumer.with_user(user)
            self.assertFalse(consumer.dunning_risk_scored)
            self.assertEqual(consumer.dunning_risk_score, 0)
            self.assertFalse(consumer.dunning_risk_segment)
            self.assertFalse(consumer.dunning_risk_explanation)
            self.assertAlmostEqual(consumer.dunning_average_days_late, 30.0)
            self.assertEqual(consumer.dunning_paid_invoice_count, 3)
        # A business is scored as before, and salespeople read it.
        business = self.customer.with_user(self.salesman)
        self.assertTrue(business.dunning_risk_scored)
        self.assertGreater(business.dunning_risk_score, 0)
        self.assertIn("pays 30 days late on average", business.dunning_risk_explanation)

    def test_on_consumers_are_scored_for_accountants_only(self):
        self.company.dunning_score_consumers = True
        self._refresh()
        business_score = self._profile(self.customer).risk_score
        self.assertEqual(self._profile(self.consumer).risk_score, business_score)
        consumer = self.consumer.with_user(self.accountant)
        self.assertTrue(consumer.dunning_risk_scored)
        self.assertEqual(consumer.dunning_risk_score, business_score)
        self.assertIn("pays 30 days late on average", consumer.dunning_risk_explanation)
        seen_by_sales = self.consumer.with_user(self.salesman)
        self.assertFalse(seen_by_sales.dunning_risk_scored)
        self.assertEqual(seen_by_sales.dunning_risk_score, 0)
        self.assertFalse(seen_by_sales.dunning_risk_explanation)
        self.assertTrue(self.customer.with_user(self.salesman).dunning_risk_scored)

    def test_salespeople_cannot_read_scores_from_the_profiles(self):
        self.company.dunning_score_consumers = True
        self._refresh()
        profiles = self.env["account.dunning.payer.profile"].with_user(self.salesman)
        profile = profiles.search([("partner_id", "=", self.consumer.id)])
        self.assertAlmostEqual(profile.average_days_late, 30.0)
        with self.assertRaises(AccessError):
            profile.read(["risk_score"])
        with self.assertRaises(AccessError):
            profile.read(["segment"])

    def test_an_unscored_consumer_follows_the_plain_default_policy(self):
        b2c = self.env.ref("account_dunning_fr.policy_b2c")
        self.company.dunning_score_consumers = True
        self._refresh()
        segment = self._profile(self.consumer).segment
        self.assertTrue(segment)
        by_segment = b2c.copy(
            {"name": "Consumers of a segment", "payer_segment": segment, "is_default": True}
        )
        self.assertEqual(self.consumer._get_dunning_policy(self.company), by_segment)
        self.company.dunning_score_consumers = False
        self._refresh()
        self.assertEqual(self.consumer._get_dunning_policy(self.company), b2c)

    def test_the_setting_says_why(self):
        help_text = self.env["res.company"]._fields["dunning_score_consumers"].help
        self.assertIn("GDPR", help_text)
        self.assertIn("accountants only", help_text)
