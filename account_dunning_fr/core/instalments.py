"""Payment plans (échéanciers): schedules, allocation of payments, breach.

The content and effects of an amicable plan are practice built on the
texts (legal_fr.md section 6): the accepted plan acknowledges the debt
(C. civ. 2240, prescription restarts), and a missed instalment makes the
whole balance due (déchéance du terme clause).
"""

from datetime import timedelta
from decimal import ROUND_DOWN, Decimal
from itertools import pairwise

from .periods import add_months

MONTHLY = "monthly"
FORTNIGHTLY = "fortnightly"
WEEKLY = "weekly"
CENT = Decimal("0.01")
# A plan spreads a debt over at most five years of monthly instalments,
# whoever proposes it (the accountant's wizard or the customer's request).
MAX_INSTALMENTS = 60


def schedule_dates(first_date, count, frequency=MONTHLY):
    if frequency == MONTHLY:
        return [add_months(first_date, i, first_date.day) for i in range(count)]
    step = timedelta(days=14 if frequency == FORTNIGHTLY else 7)
    return [first_date + step * i for i in range(count)]


def split_schedule(total, count, first_date, frequency=MONTHLY):
    """Equal instalments rounded down to the cent; the last one absorbs
    the rounding so that they add up to ``total`` exactly.

    Returns [(date, Decimal amount)].
    """
    total = Decimal(str(total)).quantize(CENT)
    if count < 1:
        raise ValueError("a plan has at least one instalment")
    if total <= 0:
        raise ValueError("a plan is for a positive amount")
    share = (total / count).quantize(CENT, rounding=ROUND_DOWN)
    amounts = [share] * (count - 1) + [total - share * (count - 1)]
    return list(zip(schedule_dates(first_date, count, frequency), amounts, strict=True))


def schedule_errors(total, instalments):
    """What is wrong with a schedule: amounts that do not add up to the
    total to the cent, dates not strictly increasing, non-positive amounts.

    ``instalments`` are (date, amount) pairs in their order. Returns a list
    of error codes ('sum', 'dates', 'amount'); empty when valid.
    """
    errors = []
    amounts = [Decimal(str(amount)).quantize(CENT) for _day, amount in instalments]
    if sum(amounts, Decimal(0)) != Decimal(str(total)).quantize(CENT):
        errors.append("sum")
    days = [day for day, _amount in instalments]
    if any(later <= earlier for earlier, later in pairwise(days)):
        errors.append("dates")
    if any(amount <= 0 for amount in amounts):
        errors.append("amount")
    return errors


def allocate(instalments, paid):
    """Spread what was paid over the instalments in date order.

    Returns [(paid on it, left on it)] in the order of ``instalments``.
    """
    left_to_spread = Decimal(str(paid)).quantize(CENT)
    result = []
    for _day, amount in instalments:
        amount = Decimal(str(amount)).quantize(CENT)
        on_it = min(amount, max(left_to_spread, Decimal(0)))
        left_to_spread -= on_it
        result.append((on_it, amount - on_it))
    return result


def first_breach(instalments, paid, today, grace_days):
    """The date of the first instalment still unpaid ``grace_days`` after
    its date (déchéance du terme), or None."""
    for (day, _amount), (_on_it, left) in zip(
        instalments, allocate(instalments, paid), strict=True
    ):
        if left > 0 and (today - day).days > grace_days:
            return day
    return None
