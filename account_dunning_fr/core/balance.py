"""What a customer owes once its credits are set against its debts.

A payment not yet matched to an invoice, an open credit note or any other
credit on the customer's receivable account lowers what may be claimed:
nothing is claimed that is not owed. Which debt a payment settles is the
debtor's choice; failing one, C. civ. 1342-10 imputes it on the debts
already due, the oldest first (legal_fr.md 1.5, "Partial payments"). The
same order says here which listed instalments the credits cover, so that a
reminder claims the net and penalties stop where a credit paid.

Amounts are Decimal or float, all in one currency (the company's).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Debt:
    """An open instalment of an invoice: what is still due on it."""

    key: int
    due_date: date
    amount: Decimal


@dataclass(frozen=True)
class Credit:
    """An unmatched payment, open credit note or other credit (positive amount)."""

    key: int
    date: date
    amount: Decimal


def _decimal(value):
    return (value if isinstance(value, Decimal) else Decimal(str(value))).quantize(CENT)


def allocate(debts, credits):
    """Spread the credits over the debts, oldest due debt first (C. civ.
    1342-10), oldest credit first.

    Returns ({debt key: [(credit date, amount)]}, credit left over): the
    credit left over is what exceeds every debt listed.
    """
    pending = [[credit.date, _decimal(credit.amount)] for credit in sorted(credits, key=_by_date)]
    allocation = {}
    for debt in sorted(debts, key=lambda d: (d.due_date, d.key)):
        left = _decimal(debt.amount)
        for item in pending:
            if left <= 0:
                break
            on_it = min(left, item[1])
            if on_it <= 0:
                continue
            allocation.setdefault(debt.key, []).append((item[0], on_it))
            item[1] -= on_it
            left -= on_it
    return allocation, sum((amount for _day, amount in pending), Decimal(0))


def _by_date(credit):
    return (credit.date, credit.key)


def net_due(debts, credits):
    """What the debts come to once the credits are set against them
    (negative when the credits exceed them)."""
    owed = sum((_decimal(debt.amount) for debt in debts), Decimal(0))
    return owed - sum((_decimal(credit.amount) for credit in credits), Decimal(0))


def worth_claiming(net, minimum):
    """A reminder is made, and sent, only for a positive net of at least the
    company's minimum (a few euros are not worth a letter)."""
    net = _decimal(net)
    return net > 0 and net >= _decimal(minimum or 0)
