"""The reminder cadence, without a database (core/levels.py)."""

from datetime import date

from odoo.tests import BaseCase, tagged

from ..core.levels import (
    InvoiceState,
    Level,
    customer_can_be_reminded,
    days_late,
    next_level,
    order_errors,
    plan_customer,
)

COURTESY = Level(1, -5)
FIRST = Level(2, 1)
SECOND = Level(3, 15)
CALL = Level(4, 30)
NOTICE = Level(5, 45, formal_notice=True)
LITIGATION = Level(6, 60, litigation=True)
B2B = [NOTICE, FIRST, LITIGATION, COURTESY, CALL, SECOND]  # order does not matter

DUE = date(2026, 3, 10)


def on(day_offset):
    """The day ``day_offset`` days after the due date of 10 March 2026."""
    return date.fromordinal(DUE.toordinal() + day_offset)


@tagged("post_install", "-at_install")
class TestCoreLevels(BaseCase):
    def test_days_late_counts_from_the_due_date(self):
        self.assertEqual(days_late(DUE, date(2026, 3, 10)), 0)
        self.assertEqual(days_late(DUE, date(2026, 3, 11)), 1)
        self.assertEqual(days_late(DUE, date(2026, 3, 5)), -5)
        # March has 31 days: 10 March + 31 days = 10 April.
        self.assertEqual(days_late(DUE, date(2026, 4, 10)), 31)

    def test_not_yet_due_and_before_courtesy_window_gets_nothing(self):
        invoice = InvoiceState(10, DUE)
        self.assertIsNone(next_level(B2B, invoice, on(-6)))

    def test_courtesy_reminder_five_days_before_due_date(self):
        invoice = InvoiceState(10, DUE)
        self.assertEqual(next_level(B2B, invoice, on(-5)), COURTESY)
        self.assertEqual(next_level(B2B, invoice, on(-1)), COURTESY)

    def test_courtesy_skipped_once_due_date_reached(self):
        invoice = InvoiceState(10, DUE)
        # On the due date nothing is due yet: first reminder is D+1.
        self.assertIsNone(next_level(B2B, invoice, on(0)))
        self.assertEqual(next_level(B2B, invoice, on(1)), FIRST)

    def test_invoice_first_seen_ninety_days_late_starts_at_first_reminder(self):
        invoice = InvoiceState(10, DUE)
        self.assertEqual(next_level(B2B, invoice, on(90)), FIRST)

    def test_one_level_at_a_time_with_the_gap_between_delays(self):
        # First reminder sent at D+1; second reminder (D+15) needs 15 - 1 = 14
        # days since then: not on D+14 (13 days), yes on D+15.
        invoice = InvoiceState(10, DUE, current=FIRST, last_date=on(1))
        self.assertIsNone(next_level(B2B, invoice, on(14)))
        self.assertEqual(next_level(B2B, invoice, on(15)), SECOND)

    def test_late_first_reminder_pushes_the_next_level_back(self):
        # First reminder only sent at D+40 (invoice found late): the second
        # reminder waits 14 days, until D+54, not the formal notice at D+45.
        invoice = InvoiceState(10, DUE, current=FIRST, last_date=on(40))
        self.assertIsNone(next_level(B2B, invoice, on(53)))
        self.assertEqual(next_level(B2B, invoice, on(54)), SECOND)

    def test_after_courtesy_the_first_reminder_waits_six_days(self):
        # Courtesy at D-5, first reminder at D+1: gap 1 - (-5) = 6 days.
        invoice = InvoiceState(10, DUE, current=COURTESY, last_date=on(-2))
        self.assertIsNone(next_level(B2B, invoice, on(1)))
        self.assertIsNone(next_level(B2B, invoice, on(3)))
        self.assertEqual(next_level(B2B, invoice, on(4)), FIRST)

    def test_last_level_reached_means_nothing_more(self):
        invoice = InvoiceState(10, DUE, current=LITIGATION, last_date=on(60))
        self.assertIsNone(next_level(B2B, invoice, on(400)))

    def test_level_of_a_changed_policy_maps_by_stage_then_delay(self):
        # The invoice was at a reminder of 20 days under another policy: the
        # next one here is the first reminder with a longer delay (the call, D+30).
        invoice = InvoiceState(10, DUE, current=Level(99, 20), last_date=on(20))
        self.assertEqual(next_level(B2B, invoice, on(31)), CALL)

    def test_customer_action_takes_highest_level_and_lists_all_overdue(self):
        old = InvoiceState(1, on(-45), current=CALL, last_date=on(-15))  # due for notice
        new = InvoiceState(2, on(-1))  # first reminder
        recent = InvoiceState(3, on(-10), current=FIRST, last_date=on(-9))  # overdue, nothing new
        today = on(0)
        plan = plan_customer(B2B, [old, new, recent], today)
        self.assertEqual(plan.level, NOTICE)
        self.assertEqual(plan.invoices, {1: NOTICE, 3: None, 2: FIRST})
        # Listed oldest due date first.
        self.assertEqual(list(plan.invoices), [1, 3, 2])

    def test_customer_with_only_invoices_between_levels_gets_nothing(self):
        recent = InvoiceState(3, on(-10), current=FIRST, last_date=on(-9))
        self.assertIsNone(plan_customer(B2B, [recent], on(0)))

    def test_never_two_reminders_on_consecutive_days(self):
        self.assertTrue(customer_can_be_reminded(None, on(0), 2))
        self.assertFalse(customer_can_be_reminded(on(-1), on(0), 2))
        self.assertTrue(customer_can_be_reminded(on(-2), on(0), 2))
        # A gap below one day is read as one day: never twice the same day.
        self.assertFalse(customer_can_be_reminded(on(0), on(0), 0))

    def test_another_policy_never_skips_its_formal_notice(self):
        # Moved to a stricter policy (notice at D+20, litigation at D+40) while
        # at the call (D+30) of the old one: the next step is the formal
        # notice, though its delay is shorter than the call's, never litigation.
        strict = [
            Level(21, 1),
            Level(22, 10),
            Level(23, 20, formal_notice=True),
            Level(24, 40, litigation=True),
        ]
        invoice = InvoiceState(10, DUE, current=CALL, last_date=on(30))
        self.assertEqual(next_level(strict, invoice, on(41)), strict[2])

    def test_a_formal_notice_of_another_policy_leads_to_litigation(self):
        strict = [Level(21, 1), Level(23, 20, formal_notice=True), Level(24, 40, litigation=True)]
        invoice = InvoiceState(10, DUE, current=NOTICE, last_date=on(45))
        self.assertEqual(next_level(strict, invoice, on(60)), strict[2])

    def test_litigation_comes_after_the_formal_notice_whatever_the_delays(self):
        # Delays edited out of order: escalation still follows the stages.
        odd = [FIRST, Level(7, 20, litigation=True), Level(8, 25, formal_notice=True)]
        invoice = InvoiceState(10, DUE, current=FIRST, last_date=on(1))
        self.assertEqual(next_level(odd, invoice, on(30)), odd[2])
        self.assertEqual(order_errors(odd), ["stage_order"])

    def test_levels_in_the_order_of_their_stages_are_valid(self):
        self.assertEqual(order_errors(B2B), [])
        self.assertEqual(order_errors([Level(9, -3, formal_notice=True)]), ["stage_before_due"])
        # A formal notice no later than a reminder: refused.
        self.assertEqual(order_errors([CALL, Level(8, 30, formal_notice=True)]), ["stage_order"])
