"""Which wording a reminder takes (core/situation.py).

The reminder is made on Monday 7 December 2026; the customer's last one
went out on Monday 23 November 2026. Priority, the first that applies:
plan_breached > payment_not_received > broken_promise > partial_payment >
habitual_late > first_lateness > standard.
"""

from datetime import date
from decimal import Decimal

from odoo.tests import BaseCase, tagged

from ..core.situation import SITUATIONS, SituationFacts, situation, situation_values

TODAY = date(2026, 12, 7)
LAST_REMINDER = date(2026, 11, 23)


def facts(**values):
    """A customer reminded once on 23 November, with a middling history
    (4 paid invoices, 8 days late on average, segment watch) unless said."""
    base = {
        "today": TODAY,
        "last_reminder_on": LAST_REMINDER,
        "paid_invoice_count": 4,
        "average_days_late": 8.0,
        "expected_delay": 9.0,
        "segment": "watch",
        "reminders_last_12_months": 1,
    }
    base.update(values)
    return SituationFacts(**base)


@tagged("post_install", "-at_install")
class TestCoreSituation(BaseCase):
    def test_a_middling_payer_with_nothing_to_say_gets_the_standard_wording(self):
        self.assertEqual(situation(facts()), "standard")
        self.assertEqual(
            situation_values(facts()),
            {
                "situation": "standard",
                "date": None,
                "reference": None,
                "amount": None,
                "days_late": None,
            },
        )

    # -- plan breached
    def test_a_plan_breached_since_the_last_reminder(self):
        customer = facts(plan_breached_on=date(2026, 12, 1), plan_reference="ECH/2026/0007")
        self.assertEqual(situation(customer), "plan_breached")
        values = situation_values(customer)
        self.assertEqual(values["date"], date(2026, 12, 1))
        self.assertEqual(values["reference"], "ECH/2026/0007")

    def test_a_plan_breach_the_last_reminder_already_told_is_no_news(self):
        # Breached on 20 November, reminded on the 23rd: that reminder said it.
        self.assertEqual(situation(facts(plan_breached_on=date(2026, 11, 20))), "standard")
        # Found on the day of the last reminder: that run wrote about it.
        self.assertEqual(situation(facts(plan_breached_on=LAST_REMINDER)), "standard")

    def test_a_plan_breached_before_any_reminder(self):
        customer = facts(last_reminder_on=None, plan_breached_on=date(2026, 10, 5))
        self.assertEqual(situation(customer), "plan_breached")

    # -- payment announced, not received
    def test_an_announced_payment_whose_hold_ended_unmatched(self):
        # "Virement effectué le 02/12, réf. VIR-2026-1203", read on 3 December,
        # dunning held until 6 December: on the 7th, nothing came.
        customer = facts(
            payment_announced_on=date(2026, 12, 3),
            payment_date=date(2026, 12, 2),
            payment_reference="VIR-2026-1203",
            payment_hold_until=date(2026, 12, 6),
        )
        self.assertEqual(situation(customer), "payment_not_received")
        values = situation_values(customer)
        self.assertEqual(values["date"], date(2026, 12, 2))
        self.assertEqual(values["reference"], "VIR-2026-1203")

    def test_an_announced_payment_without_a_date_quotes_the_day_it_was_announced(self):
        # E-invoicing status 211 "paiement transmis" received on 25 November.
        customer = facts(payment_announced_on=date(2026, 11, 25), payment_hold_until=None)
        self.assertEqual(situation(customer), "payment_not_received")
        self.assertEqual(situation_values(customer)["date"], date(2026, 11, 25))

    def test_an_announced_payment_still_on_hold_or_matched_is_not_missing(self):
        on_hold = facts(payment_announced_on=date(2026, 12, 3), payment_hold_until=TODAY)
        self.assertEqual(situation(on_hold), "standard")  # the hold runs through today
        matched = facts(
            payment_announced_on=date(2026, 12, 3),
            payment_hold_until=date(2026, 12, 6),
            payment_matched=True,
        )
        self.assertEqual(situation(matched), "standard")

    def test_an_answer_on_the_day_of_the_reminder_answers_it(self):
        same_day = facts(payment_announced_on=LAST_REMINDER, payment_hold_until=date(2026, 11, 30))
        self.assertEqual(situation(same_day), "payment_not_received")
        older = facts(payment_announced_on=date(2026, 11, 2), payment_hold_until=date(2026, 11, 9))
        self.assertEqual(situation(older), "standard")

    # -- broken promise
    def test_a_promise_whose_day_passed_unpaid(self):
        customer = facts(
            promise_date=date(2026, 12, 4), promise_amount=Decimal("1234.56"), promise_broken=True
        )
        self.assertEqual(situation(customer), "broken_promise")
        values = situation_values(customer)
        self.assertEqual(values["date"], date(2026, 12, 4))
        self.assertEqual(values["amount"], Decimal("1234.56"))

    def test_a_promise_kept_or_broken_before_the_last_reminder_is_no_news(self):
        kept = facts(promise_date=date(2026, 12, 4), promise_broken=False)
        self.assertEqual(situation(kept), "standard")
        told = facts(promise_date=date(2026, 11, 15), promise_broken=True)
        self.assertEqual(situation(told), "standard")
        # Due on the day of the last reminder, broken the day after: news.
        due_that_day = facts(promise_date=LAST_REMINDER, promise_broken=True)
        self.assertEqual(situation(due_that_day), "broken_promise")

    # -- partial payment
    def test_an_invoice_partly_paid_since_it_was_issued(self):
        self.assertEqual(situation(facts(partially_paid=True)), "partial_payment")
        self.assertIsNone(situation_values(facts(partially_paid=True))["amount"])

    def test_unmatched_payments_set_against_the_claim(self):
        customer = facts(unmatched_payments=Decimal("300.00"))
        self.assertEqual(situation(customer), "partial_payment")
        self.assertEqual(situation_values(customer)["amount"], Decimal("300.00"))

    # -- habitual late payer
    def test_fifteen_days_late_on_average_over_three_invoices_is_a_habit(self):
        customer = facts(paid_invoice_count=3, average_days_late=15.0, expected_delay=12.0)
        self.assertEqual(situation(customer), "habitual_late")
        self.assertEqual(situation_values(customer)["days_late"], 15.0)

    def test_an_expected_delay_of_fifteen_days_is_a_habit_too(self):
        customer = facts(paid_invoice_count=5, average_days_late=11.0, expected_delay=15.0)
        self.assertEqual(situation(customer), "habitual_late")

    def test_two_late_invoices_are_no_habit_yet(self):
        customer = facts(paid_invoice_count=2, average_days_late=40.0, expected_delay=30.0)
        self.assertEqual(situation(customer), "standard")
        just_under = facts(paid_invoice_count=6, average_days_late=14.9, expected_delay=14.0)
        self.assertEqual(situation(just_under), "standard")

    def test_the_risky_segment_is_a_habit_whatever_the_count(self):
        customer = facts(segment="risky", paid_invoice_count=1, average_days_late=3.0)
        self.assertEqual(situation(customer), "habitual_late")

    # -- first lateness
    def test_a_good_payer_not_reminded_for_a_year(self):
        customer = facts(segment="good", average_days_late=9.0, reminders_last_12_months=0)
        self.assertEqual(situation(customer), "first_lateness")

    def test_five_days_late_on_average_is_a_good_payer_whatever_the_segment(self):
        customer = facts(average_days_late=5.0, reminders_last_12_months=0)
        self.assertEqual(situation(customer), "first_lateness")
        over = facts(average_days_late=5.5, reminders_last_12_months=0)
        self.assertEqual(situation(over), "standard")

    def test_a_new_customer_without_history(self):
        customer = SituationFacts(today=TODAY)
        self.assertEqual(situation(customer), "first_lateness")

    def test_a_good_payer_reminded_this_year_is_no_first_lateness(self):
        customer = facts(segment="good", average_days_late=2.0, reminders_last_12_months=1)
        self.assertEqual(situation(customer), "standard")

    # -- priority ties
    def test_a_breached_plan_wins_over_everything(self):
        customer = facts(
            plan_breached_on=date(2026, 12, 1),
            payment_announced_on=date(2026, 12, 2),
            payment_hold_until=date(2026, 12, 5),
            promise_date=date(2026, 11, 30),
            promise_broken=True,
            partially_paid=True,
            segment="risky",
        )
        self.assertEqual(situation(customer), "plan_breached")

    def test_an_announced_payment_wins_over_the_promise_it_followed(self):
        # Promised for 30 November, then said "paid on 2 December": nothing came.
        customer = facts(
            promise_date=date(2026, 11, 30),
            promise_broken=True,
            payment_announced_on=date(2026, 12, 2),
            payment_date=date(2026, 12, 2),
            payment_hold_until=date(2026, 12, 5),
        )
        self.assertEqual(situation(customer), "payment_not_received")

    def test_a_broken_promise_wins_over_a_partial_payment(self):
        # 1 000 EUR promised for 1 December, 400 EUR came.
        customer = facts(
            promise_date=date(2026, 12, 1),
            promise_amount=Decimal("1000.00"),
            promise_broken=True,
            partially_paid=True,
        )
        self.assertEqual(situation(customer), "broken_promise")

    def test_a_partial_payment_wins_over_the_payers_habits(self):
        habitual = facts(segment="risky", partially_paid=True)
        self.assertEqual(situation(habitual), "partial_payment")
        good = facts(segment="good", reminders_last_12_months=0, partially_paid=True)
        self.assertEqual(situation(good), "partial_payment")

    def test_a_measured_habit_wins_over_a_good_segment(self):
        customer = facts(
            segment="good",
            paid_invoice_count=4,
            average_days_late=16.0,
            reminders_last_12_months=0,
        )
        self.assertEqual(situation(customer), "habitual_late")

    def test_every_answer_is_a_known_situation(self):
        for customer in (facts(), SituationFacts(today=TODAY), facts(segment="risky")):
            self.assertIn(situation(customer), SITUATIONS)
