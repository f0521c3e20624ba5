"""Which dunning level an invoice, then a customer, reaches on a given day.

The cadence of reminders is practice, not law (legal_fr.md section 5.1):
no statute fixes the number or spacing of reminders, but repeated pressure
can become harassment (section 10). The rules below are therefore the
product's promise of a polite collector:

* an invoice climbs one level at a time, never skipping one. Levels are
  ordered by stage first (courtesy, reminders, formal notice, litigation),
  then by delay: a manager who edits a delay, or moves a customer to
  another policy, can never make an invoice skip the formal notice. A level
  of another policy is placed by the same order;
* a level is due once its delay after the due date is reached *and* at
  least the gap between its delay and the previous level's delay has passed
  since the previous reminder;
* courtesy levels (negative delay, before the due date) only make sense
  while the invoice is not yet due: an invoice already due when first seen
  starts at the first level whose delay is zero or more;
* a customer gets one message per run, at the highest level due among its
  invoices, never on two consecutive days.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

COURTESY, REMINDER, FORMAL_NOTICE, LITIGATION = range(4)


@dataclass(frozen=True)
class Level:
    """One step of a policy, reduced to what the cadence needs."""

    id: int
    delay_days: int
    formal_notice: bool = False
    litigation: bool = False

    @property
    def is_courtesy(self):
        return self.delay_days < 0

    @property
    def stage(self):
        if self.is_courtesy:
            return COURTESY
        if self.litigation:
            return LITIGATION
        return FORMAL_NOTICE if self.formal_notice else REMINDER

    @cached_property
    def rank(self):
        """The place of the level in any policy: stage, then delay. Kept
        once computed (the level cannot change): a night asks it of each
        level for each open invoice, twice."""
        return (self.stage, self.delay_days)


@dataclass(frozen=True)
class InvoiceState:
    """The dunning state of one open invoice (or instalment) on the day of the run.

    ``current`` is the level it last received, of this policy or another
    (None when it was never reminded), ``last_date`` the day it was sent.
    """

    id: int
    due_date: date
    current: Level | None = None
    last_date: date | None = None


@dataclass
class CustomerPlan:
    """What one customer gets today: the action's level and its invoices.

    ``invoices`` maps each listed invoice id to the level it reaches today,
    or None when it is listed (overdue) without climbing a level.
    """

    level: Level
    invoices: dict = field(default_factory=dict)


def days_late(due_date, today):
    """Days past the due date (negative before it, 0 on the due date)."""
    return (today - due_date).days


def next_level(levels, invoice, today):
    """The level ``invoice`` reaches today, or None.

    ``levels`` are the policy's levels; their order does not matter.
    """
    return _next_in_order(_by_rank(levels), invoice, today)


def _by_rank(levels):
    """(rank, level) of ``levels``, in the order of their ranks."""
    return sorted(((lvl.rank, lvl) for lvl in levels), key=lambda pair: pair[0])


def _next_in_order(ranked, invoice, today):
    """``next_level`` with the levels ranked once (``_by_rank``): a night
    asks it for each open invoice, twice (the list of customers due, then
    each batch), and sorting the levels each time was half its cost."""
    late = days_late(invoice.due_date, today)
    reached = invoice.current.rank if invoice.current else None
    candidate = next(
        (
            lvl
            for rank, lvl in ranked
            if (reached is None or rank > reached) and not (lvl.is_courtesy and late >= 0)
        ),
        None,
    )
    if candidate is None or late < candidate.delay_days:
        return None
    if not _gap_elapsed(invoice, candidate, today):
        return None
    return candidate


def _gap_elapsed(invoice, candidate, today):
    if invoice.last_date is None or invoice.current is None:
        return True
    gap = max(candidate.delay_days - invoice.current.delay_days, 1)
    return (today - invoice.last_date).days >= gap


def order_errors(levels):
    """What is wrong with the order of a policy's levels, as error codes.

    'stage_before_due': a formal notice or a litigation level before the due
    date; 'stage_order': a later stage (formal notice, litigation) whose delay
    is not longer than that of every earlier stage's level, so that the
    order of the delays and the order of escalation would disagree.
    """
    errors = []
    if any(lvl.is_courtesy and (lvl.formal_notice or lvl.litigation) for lvl in levels):
        errors.append("stage_before_due")
    ordered = sorted(levels, key=lambda lvl: lvl.rank)
    if any(
        later.stage > earlier.stage and later.delay_days <= earlier.delay_days
        for index, earlier in enumerate(ordered)
        for later in ordered[index + 1 :]
    ):
        errors.append("stage_order")
    return errors


def customer_can_be_reminded(last_reminder_date, today, min_gap_days):
    """False when the customer was reminded too recently.

    ``min_gap_days`` = 2 is the "never on two consecutive days" rule.
    """
    if last_reminder_date is None:
        return True
    return (today - last_reminder_date).days >= max(min_gap_days, 1)


def plan_customer(levels, invoices, today):
    """The reminder one customer gets today, or None when nothing is due.

    Invoices that climb a level today are listed with their new level; the
    customer's other overdue invoices are listed too (one letter states the
    whole debt), without a new level. The action's level is the highest one
    reached today.
    """
    ranked = _by_rank(levels)
    reached = {inv.id: _next_in_order(ranked, inv, today) for inv in invoices}
    climbing = [lvl for lvl in reached.values() if lvl is not None]
    if not climbing:
        return None
    plan = CustomerPlan(level=max(climbing, key=lambda lvl: lvl.rank))
    for inv in sorted(invoices, key=lambda i: (i.due_date, i.id)):
        if reached[inv.id] is not None or days_late(inv.due_date, today) > 0:
            plan.invoices[inv.id] = reached[inv.id]
    return plan
