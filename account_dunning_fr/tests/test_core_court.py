"""The court timeline's deadlines, written out by hand (weekdays checked):
CPC 641/642, CPC 1411, 1416, 1422 before and after décret n° 2026-96,
petites créances (R125-1 CPCE), créances commerciales incontestées (L126,
à vérifier) and the 750-1 CPC gate."""

from datetime import date

from odoo.tests import BaseCase, tagged

from ..core import court


@tagged("post_install", "-at_install")
class TestCoreCourt(BaseCase):
    def test_easter_and_the_movable_holidays(self):
        # Easter Sunday 5 April 2026: Monday 6 April, Ascension Thursday
        # 14 May (+39 days), Whit Monday 25 May (+50 days).
        self.assertEqual(court.easter(2026), date(2026, 4, 5))
        self.assertEqual(court.easter(2027), date(2027, 3, 28))
        holidays = court.public_holidays(2026)
        self.assertEqual(len(holidays), 11)
        for day in (date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25), date(2026, 11, 11)):
            self.assertIn(day, holidays)
        self.assertNotIn(date(2026, 4, 5), holidays)  # Easter Sunday: a Sunday anyway

    def test_month_deadline_ends_on_the_same_day_number(self):
        # 15 Oct 2026 (Thursday) + 3 months = Friday 15 Jan 2027.
        self.assertEqual(court.month_deadline(date(2026, 10, 15), 3), date(2027, 1, 15))

    def test_month_deadline_without_the_same_day_ends_on_the_last_day(self):
        # 30 Nov 2026 + 3 months: no 30 February, so 28 Feb 2027 (CPC 641),
        # a Sunday: Monday 1 March 2027 (CPC 642).
        self.assertEqual(court.add_months(date(2026, 11, 30), 3), date(2027, 2, 28))
        self.assertEqual(court.month_deadline(date(2026, 11, 30), 3), date(2027, 3, 1))

    def test_deadline_on_a_saturday_moves_to_monday(self):
        # 31 Aug 2026 + 2 months = Saturday 31 Oct 2026; Sunday 1 Nov is All
        # Saints' Day, so Monday 2 Nov 2026.
        self.assertEqual(court.month_deadline(date(2026, 8, 31), 2), date(2026, 11, 2))

    def test_deadline_on_a_public_holiday_moves_to_the_next_working_day(self):
        # 11 Oct 2026 + 1 month = Wednesday 11 Nov 2026 (Armistice): Thursday 12 Nov.
        self.assertEqual(court.month_deadline(date(2026, 10, 11), 1), date(2026, 11, 12))
        # 25 Nov 2026 + 1 month = Friday 25 Dec 2026: Monday 28 Dec.
        self.assertEqual(court.month_deadline(date(2026, 11, 25), 1), date(2026, 12, 28))

    def test_ordonnance_before_the_reform_is_served_within_six_months(self):
        # Rendered Monday 31 Aug 2026: + 6 months = Sunday 28 Feb 2027
        # (no 31 February): Monday 1 March 2027.
        self.assertEqual(court.signification_deadline(date(2026, 8, 31)), date(2027, 3, 1))

    def test_ordonnance_from_1_september_2026_is_served_within_three_months(self):
        # Rendered Tuesday 1 Sept 2026: + 3 months = Tuesday 1 Dec 2026.
        self.assertEqual(court.signification_deadline(date(2026, 9, 1)), date(2026, 12, 1))

    def test_opposition_within_one_month_of_the_signification(self):
        # Served Monday 5 Oct 2026: Thursday 5 Nov 2026.
        self.assertEqual(court.opposition_deadline(date(2026, 10, 5)), date(2026, 11, 5))

    def test_reformed_ordonnance_enforceable_two_months_after_signification(self):
        # Served Monday 5 Oct 2026 + 2 months = Saturday 5 Dec 2026, moved
        # to Monday 7 Dec: enforcement from Tuesday 8 Dec 2026.
        self.assertEqual(
            court.enforcement_date(date(2026, 9, 1), date(2026, 10, 5)), date(2026, 12, 8)
        )

    def test_old_ordonnance_enforceable_once_the_opposition_month_expired(self):
        # Same signification, ordonnance of 31 Aug 2026: the opposition month
        # ends Thursday 5 Nov 2026, enforcement from Friday 6 Nov.
        self.assertEqual(
            court.enforcement_date(date(2026, 8, 31), date(2026, 10, 5)), date(2026, 11, 6)
        )

    def test_small_claims_ceiling_is_5000_principal_and_interest(self):
        self.assertTrue(court.small_claim_eligible(5000.00))
        self.assertFalse(court.small_claim_eligible(5000.01))
        self.assertEqual(
            court.eligibility_hints(5000.01, "b2c", True, court.PETITES_CREANCES),
            [court.OVER_SMALL_CLAIM_CEILING],
        )
        self.assertEqual(court.eligibility_hints(5000.00, "b2c", True, court.PETITES_CREANCES), [])

    def test_small_claims_procedure_runs_within_one_month_of_the_invitation(self):
        # Invitation Tuesday 6 Apr 2027 + 1 month = Thursday 6 May 2027,
        # Ascension: Friday 7 May 2027.
        self.assertEqual(court.petites_creances_deadline(date(2027, 4, 6)), date(2027, 5, 7))

    def test_uncontested_commercial_claim_timeline(self):
        # Commandement Wednesday 25 Nov 2026: 1 month ends Friday 25 Dec
        # (Christmas), Monday 28 Dec 2026; PV de non-contestation from
        # Tuesday 5 Jan 2027 (8 days after); PV of Wednesday 6 Jan 2027
        # served by Tuesday 6 July 2027 (6 months).
        self.assertEqual(
            court.incontestees_contest_deadline(date(2026, 11, 25)), date(2026, 12, 28)
        )
        self.assertEqual(court.incontestees_pv_earliest(date(2026, 11, 25)), date(2027, 1, 5))
        self.assertEqual(
            court.incontestees_signification_deadline(date(2027, 1, 6)), date(2027, 7, 6)
        )

    def test_consumer_claim_by_summons_needs_an_amicable_attempt(self):
        self.assertEqual(
            court.eligibility_hints(4000, "b2c", True, court.ASSIGNATION),
            [court.AMICABLE_ATTEMPT_REQUIRED],
        )
        self.assertEqual(court.eligibility_hints(6000, "b2c", True, court.ASSIGNATION), [])

    def test_injonction_de_payer_needs_no_amicable_attempt(self):
        # Cass. 2e civ., avis 25 sept. 2025, n° 25-70.013.
        self.assertEqual(
            court.eligibility_hints(4000, "b2c", True, court.INJONCTION),
            [court.NO_AMICABLE_ATTEMPT_FOR_INJONCTION],
        )

    def test_invoiced_claim_between_merchants_points_to_l126_to_be_checked(self):
        hints = court.eligibility_hints(3000, "b2b", True, court.PETITES_CREANCES)
        self.assertEqual(hints, [court.SMALL_CLAIMS_EXCLUDE_MERCHANTS, court.PROPOSE_INCONTESTEES])
        self.assertTrue(set(hints) <= court.TO_CHECK)
        self.assertEqual(
            court.eligibility_hints(50000, "b2b", True, court.INJONCTION),
            [court.PROPOSE_INCONTESTEES],
        )

    def test_l126_route_for_a_consumer_is_flagged(self):
        self.assertEqual(
            court.eligibility_hints(3000, "b2c", True, court.INCONTESTEES),
            [court.INCONTESTEES_MERCHANTS_ONLY, court.INCONTESTEES_TO_CHECK],
        )

    def test_claim_without_contractual_cause(self):
        self.assertEqual(
            court.eligibility_hints(20000, "public", False, court.INJONCTION),
            [court.NOT_CONTRACTUAL],
        )
