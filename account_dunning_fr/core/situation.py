"""Which wording a reminder takes: the customer's situation, in one word.

A reminder that ignores what the customer said or did reads as a machine's
and gets ignored in turn: the customer who announced a transfer, broke a
promise or a payment plan expects the next letter to speak of it, and a
good customer late for once should not get the tone meant for a habitual
late payer. The templates read the word and the values to quote from here
(``situation``, ``situation_values``); this is the one place that decides.

The situations, the first that applies winning:

1. ``plan_breached``: a payment plan of the customer was breached since
   the last reminder. A plan is a signed commitment that replaced earlier
   promises, and its breach makes dunning resume (often the whole balance
   falls due): the strongest and latest fact, and the customer signed it.
2. ``payment_not_received``: since the last reminder the customer
   announced a payment (an answer read as "paid", or the e-invoicing
   status 211 "paiement transmis"), the hold this put on dunning is over,
   and no payment was matched. The customer believes it paid: a "you broke
   your promise" letter would offend one whose transfer is lost or in
   flight; this wording quotes its date and reference and asks for proof.
   It comes before a broken promise because one announces a payment after
   promising it: the announcement is the customer's latest word.
3. ``broken_promise``: the day the customer promised to pay passed unpaid,
   on or after the last reminder (before it, the last reminder said so).
4. ``partial_payment``: at least one listed invoice was partly paid since
   it was issued, or unmatched payments of the customer are set against
   the claim: the letter thanks for what came in and claims the rest. A
   fact about this claim, so it comes before the payer's habits.
5. ``habitual_late``: the payer is late by habit: an expected delay or an
   average lateness of at least ``HABIT_DAYS`` over at least
   ``HABIT_INVOICES`` paid invoices, or the risk segment ``risky``
   (``payer.segment``). Measured habit comes before the segment's label,
   so a "good" segment paying 15 days late on average is habitual.
6. ``first_lateness``: a good payer late for once: no reminder in the last
   12 months, and the segment ``good``, an average lateness of at most
   ``GOOD_DAYS``, or no paid invoice yet to judge by.
7. ``standard`` otherwise.

Facts 1 to 3 are news only once: each counts when it happened since the
last reminder, which spoke of the older ones.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

SITUATIONS = (
    "plan_breached",
    "payment_not_received",
    "broken_promise",
    "partial_payment",
    "habitual_late",
    "first_lateness",
    "standard",
)
HABIT_DAYS = 15  # average or expected days late from which lateness is a habit
HABIT_INVOICES = 3  # paid invoices needed to call it a habit
GOOD_DAYS = 5  # average days late up to which a payer is a good one


@dataclass(frozen=True)
class SituationFacts:
    """What is known of the customer on the day its reminder is made.

    ``today``: that day. ``last_reminder_on``: the day of the customer's
    last reminder sent, None if never reminded.

    ``plan_breached_on``: the day a payment plan of the customer was
    breached (its first missed instalment), None if none;
    ``plan_reference``: that plan's name, to quote.

    ``payment_announced_on``: the day the customer announced a payment
    (answer "paid", e-invoicing status 211), None if it did not;
    ``payment_date``: the day it said it paid, when it said so;
    ``payment_reference``: the reference it gave; ``payment_hold_until``:
    the last day of the hold the announcement put on dunning (None: no
    hold); ``payment_matched``: the announced payment was received and
    matched.

    ``promise_date``: the day the customer promised to pay, None if no
    promise; ``promise_amount``: the amount promised, when said;
    ``promise_broken``: that day passed and the promised amount is unpaid.

    ``partially_paid``: at least one invoice listed on the reminder was
    partly paid since it was issued; ``unmatched_payments``: the
    customer's payments not matched to an invoice and set against the
    claim (``balance.net_due``).

    ``paid_invoice_count``: the customer's paid invoices in the payer
    profile's window; ``average_days_late`` and ``expected_delay``: its
    average and expected delay in days (``payer.profile``,
    ``payer.expected_delay``), None when unknown; ``segment``: ``good``,
    ``watch`` or ``risky`` (``payer.segment``), None when not scored;
    ``reminders_last_12_months``: the reminders sent to it in the last 12
    months.
    """

    today: date
    last_reminder_on: date | None = None
    plan_breached_on: date | None = None
    plan_reference: str | None = None
    payment_announced_on: date | None = None
    payment_date: date | None = None
    payment_reference: str | None = None
    payment_hold_until: date | None = None
    payment_matched: bool = False
    promise_date: date | None = None
    promise_amount: Decimal | None = None
    promise_broken: bool = False
    partially_paid: bool = False
    unmatched_payments: Decimal = Decimal(0)
    paid_invoice_count: int = 0
    average_days_late: float | None = None
    expected_delay: float | None = None
    segment: str | None = None
    reminders_last_12_months: int = 0


def _since_last_reminder(day, facts, same_day=True):
    """``day`` is news for this reminder: on (or, without ``same_day``,
    strictly after) the day of the last reminder, or no reminder yet."""
    if day is None:
        return False
    last = facts.last_reminder_on
    return last is None or day > last or (same_day and day == last)


def plan_breached(facts):
    """Rule 1; a breach found on the day of the last reminder was its news."""
    return _since_last_reminder(facts.plan_breached_on, facts, same_day=False)


def payment_not_received(facts):
    """Rule 2; an answer on the day of the last reminder answers it."""
    hold_over = facts.payment_hold_until is None or facts.payment_hold_until < facts.today
    return (
        _since_last_reminder(facts.payment_announced_on, facts)
        and hold_over
        and not facts.payment_matched
    )


def broken_promise(facts):
    """Rule 3; a promise due on the day of the last reminder broke after it."""
    return facts.promise_broken and _since_last_reminder(facts.promise_date, facts)


def partial_payment(facts):
    """Rule 4."""
    return facts.partially_paid or (facts.unmatched_payments or 0) > 0


def habitual_late(facts):
    """Rule 5."""
    if facts.segment == "risky":
        return True
    delays = [d for d in (facts.expected_delay, facts.average_days_late) if d is not None]
    return facts.paid_invoice_count >= HABIT_INVOICES and any(d >= HABIT_DAYS for d in delays)


def first_lateness(facts):
    """Rule 6."""
    if facts.reminders_last_12_months:
        return False
    no_history = not facts.paid_invoice_count
    on_time = facts.average_days_late is not None and facts.average_days_late <= GOOD_DAYS
    return facts.segment == "good" or on_time or no_history


RULES = (
    ("plan_breached", plan_breached),
    ("payment_not_received", payment_not_received),
    ("broken_promise", broken_promise),
    ("partial_payment", partial_payment),
    ("habitual_late", habitual_late),
    ("first_lateness", first_lateness),
)


def situation(facts):
    """The wording of the customer's next reminder: one of SITUATIONS."""
    return next((name for name, applies in RULES if applies(facts)), "standard")


def situation_values(facts):
    """What the template quotes: ``situation``, and the ``date``,
    ``reference``, ``amount`` and ``days_late`` of the fact it speaks of
    (None when it has none):

    * plan_breached: the day of the breach and the plan's reference;
    * payment_not_received: the day the customer said it paid (else the
      day it announced it) and its reference;
    * broken_promise: the promised day and amount;
    * partial_payment: the unmatched payments set against the claim;
    * habitual_late: the average days late (else the expected delay);
    * first_lateness, standard: nothing.
    """
    name = situation(facts)
    day = reference = amount = days_late = None
    if name == "plan_breached":
        day, reference = facts.plan_breached_on, facts.plan_reference
    elif name == "payment_not_received":
        day = facts.payment_date or facts.payment_announced_on
        reference = facts.payment_reference
    elif name == "broken_promise":
        day, amount = facts.promise_date, facts.promise_amount
    elif name == "partial_payment":
        amount = facts.unmatched_payments or None
    elif name == "habitual_late":
        late = facts.average_days_late
        days_late = late if late is not None else facts.expected_delay
    return {
        "situation": name,
        "date": day,
        "reference": reference,
        "amount": amount,
        "days_late": days_late,
    }
