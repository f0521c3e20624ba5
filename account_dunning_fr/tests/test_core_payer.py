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
