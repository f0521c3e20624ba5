"""The nightly refresh of the payer figures and the forecast does the day's
work: only the customers whose ledger, reminders or calls changed since the
last refresh, a range of customers per scheduler call; a full refresh
weekly and on demand."""

from datetime import timedelta
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import SQL

from ..models import account_dunning_payer_refresh as refresh_module
from ..report.account_dunning_cash_forecast import RECEIPT_TABLE
from .test_payer_insight import PayerCase

OWN_FIGURES = ("invoice_count", "amount_paid", "average_days_late", "median_days_late")


@tagged("post_install", "-at_install")
class TestPayerRefresh(PayerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Profile = cls.env["account.dunning.payer.profile"]
        cls._paid_history(cls, cls.customer, [10, 20])
        cls._paid_history(cls, cls.customer_2, [30, 30])
        # Both owe an open invoice, so both have a forecast.
        cls._invoice(cls.customer, 500.0, days_late=5)
        cls._invoice(cls.customer_2, 700.0, days_late=5)

    def _cron(self):
        self.Profile._cron_refresh_payer_figures()
        self.env.invalidate_all()

    def _profile(self, partner):
        return self.Profile.search([("partner_id", "=", partner.id)])

    def _receipt_ids(self, partner):
        rows = self.env.execute_query(
            SQL(
                "SELECT array_agg(id ORDER BY id) FROM %s WHERE partner_id = %s",
                SQL.identifier(RECEIPT_TABLE),
                partner.id,
            )
        )
        return rows[0][0]

    def _an_hour_later(self):
        """Everything written so far was written two hours ago and the last
        refresh ran an hour ago (a test is one transaction: one now())."""
        for table in ("account_move_line", "account_move", "account_dunning_action"):
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET write_date = now() at time zone 'UTC' - interval '2 hours'",
                    SQL.identifier(table),
                )
            )
        self.company.dunning_payer_refreshed_at = self.env.cr.now() - timedelta(hours=1)
        self.env.invalidate_all()

    def test_one_customer_paid_only_its_figures_are_recomputed(self):
        self._cron()  # the first refresh is a full one
        self.assertEqual(self.company.dunning_payer_full_date, self.today)
        kept, kept_receipts = self._profile(self.customer_2), self._receipt_ids(self.customer_2)
        before = self._profile(self.customer)
        self.assertEqual(before.invoice_count, 2)
        self._an_hour_later()
        # The customer pays one more invoice, 1,234.56, six days late.
        due = self.today - timedelta(days=50)
        invoice = self._invoice_on(self.customer, 1234.56, due - timedelta(days=30), due)
        self._pay(invoice, date=due + timedelta(days=6))
        self._cron()
        after = self._profile(self.customer)
        self.assertNotEqual(after.id, before.id, "recomputed")
        self.assertEqual(after.invoice_count, 3)
        self.assertEqual(round(after.amount_paid, 2), 3234.56)
        self.assertEqual(after.median_days_late, 10.0)
        # The other customer's profile and forecast rows were left as they were.
        self.assertEqual(self._profile(self.customer_2), kept)
        self.assertEqual(self._receipt_ids(self.customer_2), kept_receipts)
        # A full refresh finds the customer's own figures the same.
        own = {name: after[name] for name in OWN_FIGURES}
        self.Profile._refresh_full(self.company, self.today)
        self.env.invalidate_all()
        self.assertEqual({name: self._profile(self.customer)[name] for name in OWN_FIGURES}, own)

    def test_a_reminder_makes_its_customer_refreshed(self):
        self._cron()
        self._an_hour_later()
        kept = self._profile(self.customer)
        self._run(self.customer_2)
        self._cron()
        self.assertEqual(self._profile(self.customer), kept)
        self.assertNotEqual(self._profile(self.customer_2).id, False)
        self.assertEqual(self.company.dunning_payer_refresh_cursor, 0)
        self.assertFalse(self.company.dunning_payer_refresh_start)

    def test_customers_are_refreshed_a_range_per_call(self):
        self._cron()
        self.company.dunning_payer_refreshed_at = self.env.cr.now() - timedelta(hours=1)
        first, second = sorted((self.customer | self.customer_2).ids)
        with patch.object(refresh_module, "REFRESH_CHUNK", 1):
            # Both changed (written within the hour): one per call, in id order.
            self.assertEqual(self.Profile._refresh_step(self.company, self.today), (1, 1))
            self.assertEqual(self.company.dunning_payer_refresh_cursor, first)
            changed = self.Profile._changed_customers(
                self.company, self.company.dunning_payer_refreshed_at, first
            )
            self.assertEqual(changed[0], second)
            self.assertEqual(self.Profile._refresh_step(self.company, self.today)[1], 0)
        self.assertEqual(self.company.dunning_payer_refresh_cursor, 0)

    def test_a_full_refresh_weekly(self):
        self._cron()
        Profile = self.Profile
        self.assertFalse(Profile._full_refresh_due(self.company, self.today + timedelta(days=6)))
        self.assertTrue(Profile._full_refresh_due(self.company, self.today + timedelta(days=7)))
        self.company.dunning_payer_full_days = 1
        self.assertTrue(Profile._full_refresh_due(self.company, self.today + timedelta(days=1)))

    def test_a_forecast_whose_day_has_passed_is_estimated_again(self):
        self._cron()
        self._an_hour_later()
        since = self.company.dunning_payer_refreshed_at
        self.assertEqual(self.Profile._changed_customers(self.company, since, today=self.today), [])
        # Tomorrow, the receipt the first customer was expected to make today
        # has not come: its forecast is no longer one, the other's still is.
        expected = self.env.execute_query(
            SQL(
                "SELECT max(LEAST(date, date_early)) FROM %s WHERE partner_id = %s",
                SQL.identifier(RECEIPT_TABLE),
                self.customer.id,
            )
        )[0][0]
        later_other = self.env.execute_query(
            SQL(
                "SELECT min(LEAST(date, date_early)) FROM %s WHERE partner_id = %s",
                SQL.identifier(RECEIPT_TABLE),
                self.customer_2.id,
            )
        )[0][0]
        self.assertGreater(later_other, expected, "the data give the customers apart")
        day_after = expected + timedelta(days=1)
        self.assertEqual(
            self.Profile._changed_customers(self.company, since, today=day_after),
            [self.customer.id],
        )
        # Re-estimated that day, none of its receipts is expected before it.
        self.Profile._refresh_customers(self.company, day_after, [self.customer.id])
        self.assertEqual(self.Profile._changed_customers(self.company, since, today=day_after), [])
