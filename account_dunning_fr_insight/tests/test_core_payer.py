"""Payer behaviour, expected dates and the risk score, without a database
(core/payer.py)."""

from datetime import date

from odoo.tests import BaseCase, tagged

from ..core import payer
from ..core.payer import Observation


@tagged("post_install", "-at_install")
class TestCorePayer(BaseCase):
    def test_partial_payments_are_weighted_by_amount(self):
        # 100 paid 0 days late, 300 paid 40 days late:
        # (100 * 0 + 300 * 40) / 400 = 30 days; median 40; 300 / 400 late.
        prof = payer.profile([Observation(0, 100.0, 10, 0, 1), Observation(40, 300.0, 10, 2, 1)])
        self.assertEqual(prof.invoice_count, 1)
        self.assertAlmostEqual(prof.average, 30.0)
        self.assertEqual(prof.median, 40.0)
        self.assertAlmostEqual(prof.late_share, 0.75)
        # (100 * 0 + 300 * 2) / 400 = 1.5 reminders
        self.assertAlmostEqual(prof.reminders, 1.5)
        # spread: sqrt((100 * 30^2 + 300 * 10^2) / 400) = sqrt(300) = 17.32
        self.assertAlmostEqual(prof.spread, 17.3205, places=3)

    def test_trend_compares_the_last_six_months_with_the_eighteen_before(self):
        # Paid 10 days late a year ago, 30 days late last month: +20 days.
        prof = payer.profile([Observation(10, 500.0, 365, 0, 1), Observation(30, 500.0, 30, 0, 2)])
        self.assertAlmostEqual(prof.trend, 20.0)
        self.assertEqual(payer.trend_word(prof.trend), "worsening")
        self.assertEqual(payer.trend_word(-6.0), "improving")
        self.assertIsNone(payer.trend_word(4.0))

    def test_recent_payments_weigh_more_in_the_expected_delay(self):
        # Half-life 120 days: the payment of today weighs 1, that of 240
        # days ago 0.25: (1 * 30 + 0.25 * 0) / 1.25 = 24 days.
        prof = payer.profile([Observation(0, 100.0, 240, 0, 1), Observation(30, 100.0, 0, 0, 2)])
        self.assertAlmostEqual(prof.weighted_average, 24.0)

    def test_one_invoice_is_pulled_toward_the_company_average(self):
        # One invoice 60 days late, company average 15, prior weight 2:
        # (1 * 60 + 2 * 15) / (1 + 2) = 30 days.
        prof = payer.profile([Observation(60, 1000.0, 0, 0, 1)])
        self.assertAlmostEqual(payer.expected_delay(prof, 15.0), 30.0)
        # Twenty such invoices: (20 * 60 + 2 * 15) / 22 = 55.9 days.
        many = payer.profile([Observation(60, 1000.0, 0, 0, i) for i in range(20)])
        self.assertAlmostEqual(payer.expected_delay(many, 15.0), 1230 / 22)
        # No history: the company's average.
        self.assertEqual(payer.expected_delay(None, 15.0), 15.0)

    def test_expected_date_is_due_date_plus_delay_never_before_today(self):
        today = date(2026, 6, 1)
        # Not yet due (in 10 days), pays 30 days late: due + 30.
        self.assertEqual(
            payer.expected_date(date(2026, 6, 11), today, 30.0, 0.0), date(2026, 7, 11)
        )
        # Punctual: the due date.
        self.assertEqual(payer.expected_date(date(2026, 6, 11), today, 0.0, 0.0), date(2026, 6, 11))
        # 40 days overdue for a customer expected at 30 (spread 3): still
        # unpaid, so beyond today, never before it.
        late = payer.expected_date(date(2026, 4, 22), today, 30.0, 3.0)
        self.assertGreaterEqual(late, today)
        self.assertLessEqual(late, date(2026, 6, 4))

    def test_a_promise_gives_its_own_date(self):
        today = date(2026, 6, 1)
        self.assertEqual(
            payer.expected_date(date(2026, 5, 1), today, 30.0, 3.0, override=date(2026, 6, 15)),
            date(2026, 6, 15),
        )

    def test_the_band_is_one_spread_either_side(self):
        today = date(2026, 6, 1)
        early, late = payer.band(date(2026, 7, 1), today, 20.0, 5.0)
        self.assertEqual((early, late), (date(2026, 7, 16), date(2026, 7, 26)))

    def test_score_adds_documented_parts(self):
        # 30 days late expected: 50 * 30 / 60 = 25; 80 % paid late: 8;
        # worsening by 15 days: 10 * 15 / 30 = 5; 2 broken promises:
        # min(16, 15) = 15; 1 dispute: 5; 1 reminder: 2.5. Total 60.5 -> 60 (half to even).
        score = payer.risk_score(30.0, 0.8, 15.0, 2, 1, 1.0)
        self.assertEqual(score.total, 60)
        self.assertEqual(payer.segment(score.total), "risky")
        # A punctual customer: 0 points, a good payer.
        self.assertEqual(payer.risk_score(0.0, 0.0, None, 0, 0, 0.0).total, 0)
        self.assertEqual(payer.segment(0), "good")
        self.assertEqual(payer.segment(30), "watch")

    def _sized(self, customer, size, delay):
        """One invoice of ``size`` paid whole ``delay`` days late."""
        return Observation(delay, size, 30, 0, (customer, size), size)

    def test_big_invoices_later_by_a_slope_learnt_per_doubling(self):
        # 15 customers, each with an invoice of 1,000 paid d days late and
        # one of 4,000 paid d + 6 days late (d = 0, 5, ..., 70: customers
        # paying late must not make big invoices look late). Around each
        # customer's means: log2 sizes -1 and +1, delays -3 and +3. Slope =
        # sum(x * y) / sum(x * x) = (30 * 3) / (30 * 1) = 3 days per doubling.
        customers = [
            [self._sized(c, 1000.0, 5 * c), self._sized(c, 4000.0, 5 * c + 6)] for c in range(15)
        ]
        self.assertAlmostEqual(payer.size_slope(customers), 3.0)
        # The typical invoice is the geometric mean: sqrt(1000 * 4000) = 2,000.
        self.assertAlmostEqual(payer.profile(customers[0]).typical_size, 2000.0)
        # An invoice of 8,000 for that customer: 3 * log2(8000 / 2000) = 6 days later.
        self.assertAlmostEqual(payer.size_shift(3.0, 8000.0, 2000.0), 6.0)
        self.assertAlmostEqual(payer.size_shift(3.0, 500.0, 2000.0), -6.0)
        # 28 invoices say nothing (a customer with one invoice has no
        # deviation to give); a steep slope is capped at 10 days.
        self.assertEqual(payer.size_slope([*customers[:14], customers[14][:1]]), 0.0)
        steep = [[self._sized(c, 1000.0, 0), self._sized(c, 2000.0, 40)] for c in range(15)]
        self.assertEqual(payer.size_slope(steep), payer.SIZE_SLOPE_MAX)
        # Unknown sizes: no shift.
        self.assertEqual(payer.size_shift(3.0, 8000.0, None), 0.0)

    def test_reminder_lag_is_the_weighted_median_after_the_last_reminder(self):
        # Ten payments after a reminder: 6 of 100 paid 3 days after it, 4 of
        # 100 paid 20 days after: half the amount is reached at 3 days.
        paid = [Observation(10, 100.0, 5, 1, i, 100.0, 3) for i in range(6)]
        paid += [Observation(40, 100.0, 5, 2, 10 + i, 100.0, 20) for i in range(4)]
        never = [Observation(0, 100.0, 5, 0, 20, 100.0, None)]
        self.assertEqual(payer.reminder_lag([paid, never]), 3.0)
        # Nine are too few to say.
        self.assertIsNone(payer.reminder_lag([paid[:9], never]))

    def test_a_reminder_the_customer_usually_answers_dates_the_invoice(self):
        today = date(2026, 6, 1)
        last = date(2026, 5, 28)
        # Needs 1.6 reminders (2): reminded twice, last on 28 May, lag 7 days: 4 June.
        self.assertEqual(payer.reminded_date(2, last, 1.6, 7.0, today), date(2026, 6, 4))
        # Reminded once only: the delay model decides.
        self.assertIsNone(payer.reminded_date(1, last, 1.6, 7.0, today))
        # A customer needing none still answers the first one.
        self.assertEqual(payer.reminded_date(1, last, 0.0, 7.0, today), date(2026, 6, 4))
        # Past the lag without paying, or no lag learnt: the model decides.
        self.assertIsNone(payer.reminded_date(2, last, 1.6, 3.0, today))
        self.assertIsNone(payer.reminded_date(2, last, 1.6, None, today))
        # The dates: on 4 June, one spread (5 days) either side, never before today.
        self.assertEqual(
            payer.invoice_dates(date(2026, 5, 1), today, 30.0, 5.0, reminded=date(2026, 6, 4)),
            (date(2026, 6, 4), date(2026, 6, 1), date(2026, 6, 9)),
        )
        # A promise wins.
        self.assertEqual(
            payer.invoice_dates(
                date(2026, 5, 1),
                today,
                30.0,
                5.0,
                override=date(2026, 6, 20),
                reminded=date(2026, 6, 4),
            ),
            (date(2026, 6, 20),) * 3,
        )

    def test_plan_instalments_date_the_oldest_debts_first(self):
        # Debts 600 (due March) and 400 (due April); instalments 500 on
        # 1 July and 500 on 1 August: the March debt completes with the
        # second instalment (500 < 600), the April one too.
        dates = payer.plan_dates(
            [(1, date(2026, 3, 1), 600.0), (2, date(2026, 4, 1), 400.0)],
            [(date(2026, 7, 1), 500.0), (date(2026, 8, 1), 500.0)],
        )
        self.assertEqual(dates, {1: date(2026, 8, 1), 2: date(2026, 8, 1)})
        dates = payer.plan_dates(
            [(1, date(2026, 3, 1), 400.0), (2, date(2026, 4, 1), 600.0)],
            [(date(2026, 7, 1), 500.0), (date(2026, 8, 1), 500.0)],
        )
        self.assertEqual(dates, {1: date(2026, 7, 1), 2: date(2026, 8, 1)})
