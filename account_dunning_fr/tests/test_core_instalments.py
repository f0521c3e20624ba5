"""Payment plan schedules, by hand (core/instalments.py)."""

from datetime import date
from decimal import Decimal

from odoo.tests import BaseCase, tagged

from ..core.instalments import (
    FORTNIGHTLY,
    allocate,
    first_breach,
    schedule_errors,
    split_schedule,
)

D = Decimal


@tagged("post_install", "-at_install")
class TestCoreInstalments(BaseCase):
    def test_last_instalment_absorbs_the_rounding(self):
        # 1000 / 3 = 333.333...: 333.33 + 333.33 + 333.34 = 1000.00
        schedule = split_schedule(1000, 3, date(2026, 1, 31))
        self.assertEqual([a for _d, a in schedule], [D("333.33"), D("333.33"), D("333.34")])
        # 31 January, then the end of February, then 31 March again.
        self.assertEqual(
            [d for d, _a in schedule], [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]
        )

    def test_fortnightly_dates(self):
        schedule = split_schedule(D("100.00"), 3, date(2026, 12, 24), FORTNIGHTLY)
        self.assertEqual(
            [d for d, _a in schedule], [date(2026, 12, 24), date(2027, 1, 7), date(2027, 1, 21)]
        )
        # 100 / 3: 33.33 + 33.33 + 33.34
        self.assertEqual(sum(a for _d, a in schedule), D("100.00"))

    def test_schedule_errors(self):
        ok = [(date(2026, 1, 1), "500.00"), (date(2026, 2, 1), "500.00")]
        self.assertEqual(schedule_errors(1000, ok), [])
        short = [(date(2026, 1, 1), "500.00"), (date(2026, 2, 1), "499.99")]
        self.assertEqual(schedule_errors(1000, short), ["sum"])
        backwards = [(date(2026, 2, 1), "500.00"), (date(2026, 1, 1), "500.00")]
        self.assertEqual(schedule_errors(1000, backwards), ["dates"])
        negative = [(date(2026, 1, 1), "1100.00"), (date(2026, 2, 1), "-100.00")]
        self.assertEqual(schedule_errors(1000, negative), ["amount"])

    def test_payments_fill_instalments_in_date_order(self):
        schedule = [(date(2026, 1, 1), D("333.33")), (date(2026, 2, 1), D("333.33"))]
        schedule.append((date(2026, 3, 1), D("333.34")))
        # 500 paid: 333.33 on the first, 500 - 333.33 = 166.67 on the second.
        self.assertEqual(
            allocate(schedule, 500),
            [(D("333.33"), D("0.00")), (D("166.67"), D("166.66")), (D("0.00"), D("333.34"))],
        )

    def test_breach_only_after_the_grace_period(self):
        schedule = [(date(2026, 1, 10), D("500.00")), (date(2026, 2, 10), D("500.00"))]
        # First instalment unpaid: 15 Jan is 5 days after, still in grace.
        self.assertIsNone(first_breach(schedule, 0, date(2026, 1, 15), 5))
        self.assertEqual(first_breach(schedule, 0, date(2026, 1, 16), 5), date(2026, 1, 10))
        # First paid: the second breaches only after 15 Feb.
        self.assertIsNone(first_breach(schedule, 500, date(2026, 2, 15), 5))
        self.assertEqual(first_breach(schedule, 500, date(2026, 2, 16), 5), date(2026, 2, 10))
