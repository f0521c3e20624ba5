"""Late interest and the 40 EUR indemnity, worked by hand (core/penalties.py).

Rates are those of ../shared/legal (ecb_semester_rates.csv,
taux_interet_legal.csv): the ECB main refinancing rate on 1 January /
1 July, and the legal rate "autres cas" (the creditor is a company).
"""

from datetime import date
from decimal import Decimal

from odoo.tests import BaseCase, tagged

from ..core import penalties
from ..core.penalties import (
    FIXED_AT_START,
    INTEREST_FIRST,
    MissingRate,
    contractual_rate_below_floor,
    late_interest,
    recovery_indemnity,
)

ECB = {  # ecb_semester_rates.csv
    date(2023, 7, 1): "4.00",
    date(2024, 1, 1): "4.50",
    date(2024, 7, 1): "4.25",
    date(2025, 1, 1): "3.15",
    date(2025, 7, 1): "2.15",
    date(2026, 1, 1): "2.15",
}
LEGAL_AUTRES = {  # taux_interet_legal.csv, rate_autres_percent
    date(2024, 1, 1): "5.07",
    date(2025, 1, 1): "3.71",
    date(2025, 7, 1): "2.76",
    date(2026, 1, 1): "2.62",
}


def ecb_rate(semester):
    if semester not in ECB:
        raise MissingRate(semester)
    return ECB[semester]


def legal_rate(semester):
    if semester not in LEGAL_AUTRES:
        raise MissingRate(semester, "legal")
    return LEGAL_AUTRES[semester]


def interest(regime, amount, due, until, **kwargs):
    return late_interest(regime, amount, due, until, ecb_rate, legal_rate, **kwargs)


@tagged("post_install", "-at_install")
class TestCorePenalties(BaseCase):
    def test_b2b_worked_example_spans_two_semesters(self):
        # legal_fr.md 1.5: 10,000.00 due 15 May 2025, paid 14 Aug 2025.
        # 16 May-30 Jun: 46 days at 3.15 + 10 = 13.15 %: 10000 * 13.15% * 46 / 365 = 165.73
        # 1 Jul-14 Aug:  45 days at 2.15 + 10 = 12.15 %: 10000 * 12.15% * 45 / 365 = 149.79
        result = interest("b2b", 10000, date(2025, 5, 15), date(2025, 8, 14))
        self.assertEqual([s.days for s in result.segments], [46, 45])
        self.assertEqual([s.rate for s in result.segments], [Decimal("13.15"), Decimal("12.15")])
        # 165.7260 + 149.7945 = 315.5205 -> 315.52 (rounded once, at the end)
        self.assertEqual(result.accrued, Decimal("315.52"))

    def test_b2b_fixed_at_starting_semester(self):
        # 91 days at 13.15 %: 10000 * 13.15% * 91 / 365 = 327.849 -> 327.85
        result = interest("b2b", 10000, date(2025, 5, 15), date(2025, 8, 14), mode=FIXED_AT_START)
        self.assertEqual(result.accrued, Decimal("327.85"))

    def test_public_buyer_ecb_plus_eight_fixed_for_the_whole_delay(self):
        # R2192-31: 3.15 + 8 = 11.15 % for 91 days, although H2 changed:
        # 10000 * 11.15% * 91 / 365 = 277.986 -> 277.99
        result = interest("public", 10000, date(2025, 5, 15), date(2025, 8, 14))
        self.assertEqual(result.accrued, Decimal("277.99"))

    def test_b2b_delay_across_new_year(self):
        # 5,000 due 15 Dec 2023, paid 14 Jan 2024.
        # 16-31 Dec: 16 days at 14.00 %: 5000 * 14% * 16 / 365 = 30.6849
        # 1-14 Jan:  14 days at 14.50 %: 5000 * 14.5% * 14 / 365 = 27.8082
        # 58.4931 -> 58.49
        result = interest("b2b", 5000, date(2023, 12, 15), date(2024, 1, 14))
        self.assertEqual(result.accrued, Decimal("58.49"))

    def test_leap_year_basis_is_a_setting(self):
        # 10,000 due 15 Feb 2024, paid 16 Mar 2024: 14 days of Feb + 16 of
        # March = 30 days at 14.50 %.
        # 365: 10000 * 14.5% * 30 / 365 = 119.178 -> 119.18
        # 366: 10000 * 14.5% * 30 / 366 = 118.852 -> 118.85
        due, paid = date(2024, 2, 15), date(2024, 3, 16)
        self.assertEqual(interest("b2b", 10000, due, paid).accrued, Decimal("119.18"))
        self.assertEqual(
            interest("b2b", 10000, due, paid, year_basis="actual").accrued, Decimal("118.85")
        )

    def test_paid_on_the_due_date_owes_nothing(self):
        result = interest("b2b", 10000, date(2025, 5, 15), date(2025, 5, 15))
        self.assertEqual(result.accrued, Decimal("0.00"))
        self.assertEqual(
            recovery_indemnity("b2b", date(2025, 5, 15), date(2025, 5, 15), date(2025, 9, 1)),
            Decimal(0),
        )

    def test_partial_payment_lowers_the_base_from_the_next_day(self):
        # 10,000 due 31 Mar 2025; 4,000 paid 30 Apr, 6,000 paid 31 May; 13.15 %.
        # 1-30 Apr: 30 days on 10,000: 10000 * 13.15% * 30 / 365 = 108.0822
        # 1-31 May: 31 days on  6,000:  6000 * 13.15% * 31 / 365 =  67.0110
        # 175.0932 -> 175.09
        result = interest(
            "b2b",
            10000,
            date(2025, 3, 31),
            date(2025, 5, 31),
            payments=[(date(2025, 4, 30), 4000), (date(2025, 5, 31), 6000)],
        )
        self.assertEqual([s.base for s in result.segments], [Decimal(10000), Decimal(6000)])
        self.assertEqual(result.accrued, Decimal("175.09"))
        self.assertEqual(result.principal_remaining, Decimal(0))

    def test_partial_payment_imputed_on_interest_first(self):
        # C. civ. 1343-1. Same invoice, 4,000 paid 30 Apr, computed to 31 May.
        # Interest to 30 Apr: 108.0822, paid first; principal paid:
        # 4000 - 108.0822 = 3891.9178; base from 1 May: 6108.0822.
        # 1-31 May: 6108.0822 * 13.15% * 31 / 365 = 68.2181 -> 68.22 still due
        result = interest(
            "b2b",
            10000,
            date(2025, 3, 31),
            date(2025, 5, 31),
            payments=[(date(2025, 4, 30), 4000)],
            imputation=INTEREST_FIRST,
        )
        self.assertEqual(penalties.round_cent(result.interest_paid), Decimal("108.08"))
        self.assertEqual(penalties.round_cent(result.principal_remaining), Decimal("6108.08"))
        self.assertEqual(result.due, Decimal("68.22"))
        # 108.0822 + 68.2181 = 176.3003 accrued in all
        self.assertEqual(result.accrued, Decimal("176.30"))

    def test_consumer_owes_nothing_before_the_formal_notice(self):
        result = interest("b2c", 1200, date(2025, 5, 1), date(2025, 9, 30))
        self.assertEqual(result.accrued, Decimal("0.00"))
        self.assertFalse(result.segments)

    def test_consumer_legal_interest_from_the_formal_notice(self):
        # legal_fr.md 3: 1,200.00, notice received 20 Jun 2025, paid 30 Sep.
        # 21-30 Jun: 10 days at 3.71 %: 1200 * 3.71% * 10 / 365 = 1.2197
        # 1 Jul-30 Sep: 92 days at 2.76 %: 1200 * 2.76% * 92 / 365 = 8.3480
        # 9.5677 -> 9.57
        result = interest(
            "b2c", 1200, date(2025, 5, 1), date(2025, 9, 30), notice_date=date(2025, 6, 20)
        )
        self.assertEqual([s.days for s in result.segments], [10, 92])
        self.assertEqual(result.accrued, Decimal("9.57"))

    def test_missing_semester_stops_the_figures_not_the_whole_delay(self):
        # 2026-H2 is not in the tables. 10,000.00 due 15 June 2026, on 1 Aug:
        # 16-30 Jun: 15 days at 2.15 + 10 = 12.15 %: 10000 * 12.15% * 15 / 365 = 49.93
        # 1 Jul-1 Aug: pending until the 2026-H2 rate is known, never 0 %.
        result = interest("b2b", 10000, date(2026, 6, 15), date(2026, 8, 1))
        self.assertEqual(result.accrued, Decimal("49.93"))
        self.assertEqual(result.pending, ["2026-H2"])
        self.assertEqual(result.pending_from, date(2026, 7, 1))
        self.assertEqual(result.computed_until, date(2026, 6, 30))

    def test_every_semester_after_the_gap_is_pending(self):
        # Due 20 Dec 2025, on 15 Jan 2027, 2026-H1 known, 2026-H2 and 2027-H1 not:
        # 21-31 Dec 2025: 11 days at 2.15 + 10 = 12.15 %: 1000 * 12.15% * 11 / 365 = 3.6616
        # 2026-H1: 181 days at 12.15 %: 1000 * 12.15% * 181 / 365 = 60.2507
        # 3.6616 + 60.2507 = 63.9123 -> 63.91; then 2026-H2 and 2027-H1 pending.
        result = interest("b2b", 1000, date(2025, 12, 20), date(2027, 1, 15))
        self.assertEqual(result.accrued, Decimal("63.91"))
        self.assertEqual(result.pending, ["2026-H2", "2027-H1"])

    def test_payment_in_a_pending_semester_still_lowers_what_is_left(self):
        # 1,000.00 due 15 June 2026, 400.00 paid 10 July 2026, on 1 Aug:
        # 16-30 Jun: 15 days at 12.15 %: 1000 * 12.15% * 15 / 365 = 4.99;
        # the rest is pending and 600.00 of principal is left.
        result = interest(
            "b2b", 1000, date(2026, 6, 15), date(2026, 8, 1), payments=[(date(2026, 7, 10), 400)]
        )
        self.assertEqual(result.accrued, Decimal("4.99"))
        self.assertEqual(result.pending, ["2026-H2"])
        self.assertEqual(result.principal_remaining, Decimal("600"))

    def test_nothing_pending_once_paid_before_the_gap(self):
        # Paid in full on 30 June 2026: 16-30 Jun only, nothing pending.
        result = interest(
            "b2b", 1000, date(2026, 6, 15), date(2026, 8, 1), payments=[(date(2026, 6, 30), 1000)]
        )
        self.assertEqual(result.accrued, Decimal("4.99"))
        self.assertEqual(result.pending, [])

    def test_public_buyer_rate_of_a_missing_starting_semester_is_all_pending(self):
        # R2192-31 fixes the rate of the starting semester (2026-H2): unknown,
        # so nothing is computed and nothing is claimed as 0.
        result = interest("public", 1000, date(2026, 7, 10), date(2026, 8, 1))
        self.assertEqual(result.accrued, Decimal("0.00"))
        self.assertEqual(result.pending, ["2026-H2"])
        self.assertEqual(result.computed_until, date(2026, 7, 10))

    def test_contractual_rate_replaces_the_default(self):
        # 15 % agreed: 10000 * 15% * 91 / 365 = 373.973 -> 373.97
        result = interest("b2b", 10000, date(2025, 5, 15), date(2025, 8, 14), contractual_rate="15")
        self.assertEqual(result.accrued, Decimal("373.97"))

    def test_contractual_rate_below_three_times_legal_rate(self):
        # 2024-H1: 3 x 5.07 = 15.21 %; 2026-H1: 3 x 2.62 = 7.86 %.
        self.assertTrue(contractual_rate_below_floor("15.00", LEGAL_AUTRES[date(2024, 1, 1)]))
        self.assertFalse(contractual_rate_below_floor("8.00", LEGAL_AUTRES[date(2026, 1, 1)]))
        self.assertTrue(contractual_rate_below_floor("7.85", LEGAL_AUTRES[date(2026, 1, 1)]))

    def test_recovery_indemnity_forty_euros_b2b_and_public_never_consumers(self):
        due, today = date(2025, 5, 15), date(2025, 9, 1)
        self.assertEqual(recovery_indemnity("b2b", due, None, today), Decimal("40.00"))
        self.assertEqual(
            recovery_indemnity("public", due, date(2025, 5, 16), today), Decimal("40.00")
        )
        self.assertEqual(recovery_indemnity("b2c", due, None, today), Decimal(0))
        # Not yet late: nothing.
        self.assertEqual(recovery_indemnity("b2b", due, None, date(2025, 5, 15)), Decimal(0))

    def test_a_bill_of_penalties_and_a_cancelled_invoice_bear_nothing(self):
        # C. civ. 1343-2 (no interest on interest by default) and D441-5 (the
        # indemnity is due on the commercial invoice): legal_fr_addendum.md 2.2.
        self.assertFalse(penalties.bears_penalties(True, Decimal("165.73")))
        # An invoice entirely cancelled by a credit note was never owed.
        self.assertFalse(penalties.bears_penalties(False, Decimal("0")))
        self.assertTrue(penalties.bears_penalties(False, Decimal("10000")))

    def test_what_was_billed_is_never_claimed_again(self):
        # 315.52 accrued to 14 Aug 2025, 165.73 of it billed to 30 June:
        # 315.52 - 165.73 = 149.79 left to claim (legal_fr.md 1.5 example).
        self.assertEqual(
            penalties.left_to_claim(Decimal("315.52"), Decimal("165.73")), Decimal("149.79")
        )
        # Never below zero, whatever was waived.
        self.assertEqual(penalties.left_to_claim(Decimal("10"), Decimal("12")), Decimal("0"))
