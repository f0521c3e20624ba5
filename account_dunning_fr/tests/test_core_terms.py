"""L441-10 I maximum payment terms, by hand (core/terms.py).

60 days net from the invoice date, or, when agreed, 45 days end of month by
method A (invoice date + 45 days, then the end of that month) or method B
(end of the invoice month, then + 45 days); legal_fr.md 1.1.
"""

from datetime import date

from odoo.tests import BaseCase, tagged

from ..core.terms import (
    EOM_45_A,
    EOM_45_B,
    NET_60,
    end_of_month,
    latest_legal_due_date,
    legal_term_exceeded,
)


@tagged("post_install", "-at_install")
class TestCoreTerms(BaseCase):
    def test_end_of_month(self):
        self.assertEqual(end_of_month(date(2026, 1, 1)), date(2026, 1, 31))
        self.assertEqual(end_of_month(date(2026, 4, 30)), date(2026, 4, 30))
        self.assertEqual(end_of_month(date(2026, 12, 15)), date(2026, 12, 31))
        # February: 28 days in 2025, 29 in the leap year 2024.
        self.assertEqual(end_of_month(date(2025, 2, 10)), date(2025, 2, 28))
        self.assertEqual(end_of_month(date(2024, 2, 10)), date(2024, 2, 29))

    def test_sixty_days_net_is_the_default(self):
        # 10 Jan 2026: 21 days to 31 Jan, 28 in February, 11 in March.
        self.assertEqual(latest_legal_due_date(date(2026, 1, 10)), date(2026, 3, 11))
        self.assertEqual(latest_legal_due_date(date(2026, 1, 10), NET_60), date(2026, 3, 11))

    def test_sixty_days_net_in_a_leap_year(self):
        # 10 Jan 2024: 21 + 29 (February 2024) + 10 days = 10 March.
        self.assertEqual(latest_legal_due_date(date(2024, 1, 10)), date(2024, 3, 10))

    def test_sixty_days_net_across_the_new_year(self):
        # 15 Dec 2025: 16 days to 31 Dec, 31 in January, 13 in February.
        self.assertEqual(latest_legal_due_date(date(2025, 12, 15)), date(2026, 2, 13))

    def test_sixty_days_net_limit_day_is_allowed(self):
        self.assertFalse(legal_term_exceeded(date(2024, 1, 10), date(2024, 3, 10)))
        self.assertTrue(legal_term_exceeded(date(2024, 1, 10), date(2024, 3, 11)))
        # Due on the invoice date, or even before it: never over the limit.
        self.assertFalse(legal_term_exceeded(date(2024, 1, 10), date(2024, 1, 10)))
        self.assertFalse(legal_term_exceeded(date(2024, 1, 10), date(2024, 1, 1)))

    def test_sixty_days_end_of_month_exceeds_sixty_days_net(self):
        # "60 jours fin de mois" is illegal (legal_fr.md 1.1): 10 Jan 2026
        # -> 11 Mar + end of month = 31 Mar, beyond 11 Mar.
        self.assertTrue(legal_term_exceeded(date(2026, 1, 10), date(2026, 3, 31), NET_60))

    def test_method_a_one_day_moves_the_limit_by_a_month(self):
        # 14 Jan 2026 + 45 days = 28 Feb -> end of February.
        self.assertEqual(latest_legal_due_date(date(2026, 1, 14), EOM_45_A), date(2026, 2, 28))
        # 15 Jan 2026 + 45 days = 1 Mar -> end of March.
        self.assertEqual(latest_legal_due_date(date(2026, 1, 15), EOM_45_A), date(2026, 3, 31))

    def test_method_a_in_a_leap_year(self):
        # 15 Jan 2024 + 45 days = 29 Feb 2024 -> 29 Feb; 16 Jan -> 1 Mar -> 31 Mar.
        self.assertEqual(latest_legal_due_date(date(2024, 1, 15), EOM_45_A), date(2024, 2, 29))
        self.assertEqual(latest_legal_due_date(date(2024, 1, 16), EOM_45_A), date(2024, 3, 31))

    def test_method_a_across_the_new_year(self):
        # 20 Dec 2025 + 45 days = 3 Feb 2026 -> 28 Feb 2026.
        self.assertEqual(latest_legal_due_date(date(2025, 12, 20), EOM_45_A), date(2026, 2, 28))

    def test_method_b(self):
        # 31 Jan 2026 + 45 days: 28 in February, 17 in March.
        self.assertEqual(latest_legal_due_date(date(2026, 1, 5), EOM_45_B), date(2026, 3, 17))
        # Leap year: 31 Jan 2024 + 29 (February) + 16 = 16 March.
        self.assertEqual(latest_legal_due_date(date(2024, 1, 5), EOM_45_B), date(2024, 3, 16))
        # 30 Nov 2025 + 31 (December) + 14 = 14 Jan 2026.
        self.assertEqual(latest_legal_due_date(date(2025, 11, 30), EOM_45_B), date(2026, 1, 14))
        # From the end of February: 28 Feb 2026 or 29 Feb 2024 + 45 = 14 April.
        self.assertEqual(latest_legal_due_date(date(2026, 2, 10), EOM_45_B), date(2026, 4, 14))
        self.assertEqual(latest_legal_due_date(date(2024, 2, 10), EOM_45_B), date(2024, 4, 14))

    def test_the_two_methods_differ_either_way(self):
        # Invoice on the last day of the month: A = end of March, B = 17 March.
        self.assertFalse(legal_term_exceeded(date(2026, 1, 31), date(2026, 3, 20), EOM_45_A))
        self.assertTrue(legal_term_exceeded(date(2026, 1, 31), date(2026, 3, 20), EOM_45_B))
        # Invoice on the first day of the month: A = 28 February, B = 17 March.
        self.assertTrue(legal_term_exceeded(date(2026, 1, 1), date(2026, 3, 10), EOM_45_A))
        self.assertFalse(legal_term_exceeded(date(2026, 1, 1), date(2026, 3, 10), EOM_45_B))

    def test_limit_days_of_both_methods_are_allowed(self):
        self.assertFalse(legal_term_exceeded(date(2024, 1, 15), date(2024, 2, 29), EOM_45_A))
        self.assertTrue(legal_term_exceeded(date(2024, 1, 15), date(2024, 3, 1), EOM_45_A))
        self.assertFalse(legal_term_exceeded(date(2024, 1, 5), date(2024, 3, 16), EOM_45_B))
        self.assertTrue(legal_term_exceeded(date(2024, 1, 5), date(2024, 3, 17), EOM_45_B))
