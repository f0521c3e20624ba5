"""Prescription dates and payment-term limits, by hand (core/prescription.py, core/terms.py)."""

from datetime import date

from odoo.tests import BaseCase, tagged

from ..core.prescription import (
    ACKNOWLEDGEMENT,
    JUDICIAL_DEMAND,
    WRITTEN_CLAIM,
    prescription_date,
)
from ..core.terms import EOM_45_A, EOM_45_B, NET_60, legal_term_exceeded


@tagged("post_install", "-at_install")
class TestCorePrescription(BaseCase):
    def test_b2b_five_years(self):
        # C. com. L110-4: delivered 15 Mar 2021 -> 15 Mar 2026.
        self.assertEqual(prescription_date("b2b", date(2021, 3, 15)), date(2026, 3, 15))

    def test_consumer_two_years_from_29_february(self):
        # C. consom. L218-2; no 29 Feb in 2026: the last day of February (CPC 641).
        self.assertEqual(prescription_date("b2c", date(2024, 2, 29)), date(2026, 2, 28))

    def test_public_four_years_from_next_first_of_january(self):
        # Loi 68-1250 art. 1: right arisen 10 Jun 2022 -> 1 Jan 2023 + 4 years,
        # last day 31 Dec 2026.
        self.assertEqual(prescription_date("public", date(2022, 6, 10)), date(2026, 12, 31))

    def test_partial_payment_restarts_the_full_period(self):
        # C. civ. 2240 + 2231: acknowledged 2 May 2023 -> 2 May 2028.
        events = [(date(2023, 5, 2), ACKNOWLEDGEMENT)]
        self.assertEqual(prescription_date("b2b", date(2021, 3, 15), events), date(2028, 5, 2))

    def test_reminder_or_formal_notice_does_not_interrupt(self):
        # Cass. com. 18 May 2022 n° 20-23.204.
        events = [(date(2023, 5, 2), WRITTEN_CLAIM)]
        self.assertEqual(prescription_date("b2b", date(2021, 3, 15), events), date(2026, 3, 15))

    def test_written_claim_interrupts_against_public_debtors(self):
        # Loi 68-1250 art. 2: claim 1 Mar 2024 -> from 1 Jan 2025, to 31 Dec 2028.
        events = [(date(2024, 3, 1), WRITTEN_CLAIM)]
        self.assertEqual(prescription_date("public", date(2022, 6, 10), events), date(2028, 12, 31))

    def test_judicial_demand_interrupts_and_late_events_do_not_revive(self):
        events = [(date(2022, 6, 1), ACKNOWLEDGEMENT)]
        # Expired on 10 Jan 2022: an acknowledgement after it changes nothing.
        self.assertEqual(prescription_date("b2c", date(2020, 1, 10), events), date(2022, 1, 10))
        events = [(date(2021, 12, 1), JUDICIAL_DEMAND)]
        self.assertEqual(prescription_date("b2c", date(2020, 1, 10), events), date(2023, 12, 1))

    def test_sixty_days_net(self):
        # L441-10 I: 10 Jan 2026 + 60 days = 11 Mar 2026.
        self.assertFalse(legal_term_exceeded(date(2026, 1, 10), date(2026, 3, 11), NET_60))
        self.assertTrue(legal_term_exceeded(date(2026, 1, 10), date(2026, 3, 12), NET_60))

    def test_forty_five_days_end_of_month_both_methods(self):
        # A: 20 Jan + 45 days = 6 Mar -> end of month 31 Mar.
        self.assertFalse(legal_term_exceeded(date(2026, 1, 20), date(2026, 3, 31), EOM_45_A))
        self.assertTrue(legal_term_exceeded(date(2026, 1, 20), date(2026, 4, 1), EOM_45_A))
        # B: end of January 31 Jan + 45 days = 17 Mar.
        self.assertFalse(legal_term_exceeded(date(2026, 1, 20), date(2026, 3, 17), EOM_45_B))
        self.assertTrue(legal_term_exceeded(date(2026, 1, 20), date(2026, 3, 18), EOM_45_B))
