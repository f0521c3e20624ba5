"""Credits set against debts, without a database (core/balance.py)."""

from datetime import date
from decimal import Decimal

from odoo.tests import BaseCase, tagged

from ..core.balance import Credit, Debt, allocate, net_due, worth_claiming


@tagged("post_install", "-at_install")
class TestCoreBalance(BaseCase):
    def test_credits_go_to_the_oldest_debt_first(self):
        # C. civ. 1342-10: the debts due, the oldest first.
        debts = [
            Debt(2, date(2026, 3, 31), Decimal("500.00")),
            Debt(1, date(2026, 2, 28), Decimal("300.00")),
        ]
        credits = [Credit(9, date(2026, 4, 10), Decimal("450.00"))]
        allocation, left = allocate(debts, credits)
        # 300.00 settles the February debt, 450 - 300 = 150.00 goes to March's.
        self.assertEqual(
            allocation,
            {
                1: [(date(2026, 4, 10), Decimal("300.00"))],
                2: [(date(2026, 4, 10), Decimal("150.00"))],
            },
        )
        self.assertEqual(left, Decimal("0.00"))

    def test_older_credits_are_used_first_and_the_excess_is_left_over(self):
        debts = [Debt(1, date(2026, 1, 31), Decimal("100.00"))]
        credits = [
            Credit(8, date(2026, 3, 1), Decimal("80.00")),
            Credit(7, date(2026, 2, 1), Decimal("60.00")),
        ]
        allocation, left = allocate(debts, credits)
        # The credit of 1 February (60.00) first, then 40.00 of 1 March's:
        # 80.00 - 40.00 = 40.00 left over.
        self.assertEqual(
            allocation[1],
            [(date(2026, 2, 1), Decimal("60.00")), (date(2026, 3, 1), Decimal("40.00"))],
        )
        self.assertEqual(left, Decimal("40.00"))

    def test_net_due_and_the_minimum_worth_a_reminder(self):
        debts = [Debt(1, date(2026, 1, 31), 1000.0), Debt(2, date(2026, 2, 28), 250.5)]
        credits = [Credit(9, date(2026, 3, 1), 1247.5)]
        # 1000.00 + 250.50 - 1247.50 = 3.00
        net = net_due(debts, credits)
        self.assertEqual(net, Decimal("3.00"))
        self.assertFalse(worth_claiming(net, 5))
        self.assertTrue(worth_claiming(net, 3))
        self.assertTrue(worth_claiming(net, 0))
        self.assertFalse(worth_claiming(Decimal("-20.00"), 0))
        self.assertFalse(worth_claiming(Decimal("0.00"), 0))
