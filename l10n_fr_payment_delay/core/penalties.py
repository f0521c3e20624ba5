"""Late-payment interest and the recovery indemnity (legal_fr.md sections 1-3).

* B2B (C. com. L441-10 II): penalties run from the day after the due date,
  without any reminder, at the ECB main refinancing rate of the semester
  + 10 points ("le taux applicable pendant le premier semestre ... est le
  taux en vigueur au 1er janvier"), split at 1 January and 1 July by
  default, or fixed at the rate of the starting semester (a setting, the
  wording being disputed, legal_fr.md 1.4). A contractual rate replaces it;
  it may not be below 3 x the legal interest rate (L441-10 II).
* Public buyers (C. commande publique R2192-31): ECB rate in force on the
  first day of the semester in which the interest started + 8 points, fixed
  for the whole delay.
* Consumers (C. civ. 1231-6, 1344-1): legal interest rate ("autres cas":
  the creditor is a company, C. mon. fin. L313-2) from the formal notice
  only; nothing before.
* Simple interest on the amount incl. VAT still due, day by day, from the
  day after the start to the payment day inclusive, over 365 days (or the
  days of the year, a setting: legal_fr.md 1.5 reports both practices),
  rounded to the cent once at the end (rounding is not regulated).
* A partial payment lowers the base from the day after it. By default it
  pays the principal, as Odoo reconciles; C. civ. 1343-1 imputes it on the
  interest first (a setting).
* A semester whose rate is not known yet is never computed as 0 %, nor
  does it hide what is known: interest is computed up to the last day of
  the last semester with a rate, and the semesters after it are reported
  as pending, to be claimed once their rate is published.
* Recovery indemnity (C. com. L441-10 II, D441-5; C. commande publique
  D2192-35): 40 EUR per invoice not fully paid at its due date, B2B and
  public buyers only, never consumers (CPCE L111-8).
"""

from calendar import isleap
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .semesters import semester_label, semester_start, split_by_semester

CENT = Decimal("0.01")
# D441-5 C. com. (decree 2012-1115) and D2192-35 C. commande publique.
RECOVERY_INDEMNITY = Decimal("40.00")
# Points added to the ECB rate: L441-10 II (B2B) and R2192-31 (public).
B2B_MARGIN = Decimal("10")
PUBLIC_MARGIN = Decimal("8")
# Floor of a contractual B2B rate: 3 x the legal rate (L441-10 II).
CONTRACT_FLOOR_FACTOR = Decimal("3")

PER_SEMESTER = "per_semester"
FIXED_AT_START = "fixed_at_start"
PRINCIPAL_FIRST = "principal_first"
INTEREST_FIRST = "interest_first"


class MissingRate(Exception):
    """No rate is known for a semester: never compute it as 0 %."""

    def __init__(self, semester_day, table="ecb"):
        self.semester = semester_label(semester_day)
        self.table = table
        super().__init__("rate missing for %s" % self.semester)


@dataclass(frozen=True)
class Segment:
    start: date
    end: date
    base: Decimal
    rate: Decimal  # percent
    amount: Decimal  # not rounded

    @property
    def days(self):
        return (self.end - self.start).days + 1


@dataclass
class InterestResult:
    segments: list = field(default_factory=list)
    interest_paid: Decimal = Decimal(0)
    principal_remaining: Decimal = Decimal(0)
    # First day not computed for want of a rate, and the semesters from it
    # on that would bear interest ('2026-H2', ...): claimed once known.
    pending_from: date = None
    pending: list = field(default_factory=list)

    @property
    def computed_until(self):
        """Last day the figures cover (None: every day asked for)."""
        return self.pending_from - timedelta(days=1) if self.pending_from else None

    @property
    def accrued(self):
        return round_cent(sum((s.amount for s in self.segments), Decimal(0)))

    @property
    def due(self):
        """Interest still owed: accrued, less what payments imputed on it."""
        return round_cent(sum((s.amount for s in self.segments), Decimal(0)) - self.interest_paid)


def round_cent(amount):
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def _decimal(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _year_days(day, year_basis):
    return 366 if year_basis == "actual" and isleap(day.year) else 365


def compute_interest(
    principal,
    start_date,
    until,
    rate_for,
    payments=(),
    mode=PER_SEMESTER,
    year_basis="365",
    imputation=PRINCIPAL_FIRST,
):
    """Simple interest on ``principal`` from the day after ``start_date``
    to ``until`` inclusive.

    ``rate_for(day)`` gives the annual rate in percent for the semester of
    ``day`` (raising MissingRate when unknown: that period and the later ones
    are then reported pending); in FIXED_AT_START mode it is
    asked once, for the first day of interest. ``payments`` are (date,
    amount) pairs: each lowers the base from the next day.
    """
    principal = _decimal(principal)
    first_day = start_date + timedelta(days=1)
    base, paid_from = _split_payments(principal, payments, first_day, until)
    result = InterestResult()
    if first_day > until:
        result.principal_remaining = base
        return result
    fixed_rate = None
    if mode == FIXED_AT_START:
        try:
            fixed_rate = _decimal(rate_for(first_day))
        except MissingRate:
            result.pending_from = first_day
    pending_interest = Decimal(0)
    for start, end in split_by_semester(first_day, until, paid_from):
        on_principal, pending_interest = _impute_payment(
            result, paid_from.get(start, Decimal(0)), pending_interest, imputation
        )
        base = max(base - on_principal, Decimal(0))
        if base <= 0:
            continue
        rate = _rate_or_pending(result, start, fixed_rate, rate_for)
        if rate is None:
            continue
        segment = _segment(start, end, base, rate, year_basis)
        pending_interest += segment.amount
        result.segments.append(segment)
    # A payment made on the last day lowers what is left, not the interest.
    paid_on_last_day = paid_from.get(until + timedelta(days=1), Decimal(0))
    result.principal_remaining = max(base - paid_on_last_day, Decimal(0))
    return result


def _split_payments(principal, payments, first_day, until):
    """(base when interest starts, {day: amount} of the payments lowering
    it later), leaving out the payments made after ``until``."""
    # A payment lowers the base from the day after it; one made before
    # interest started only lowers the principal.
    paid_from = {}
    base = principal
    for day, amount in payments:
        if not amount or day > until:
            continue
        if day < first_day:
            base -= _decimal(amount)
        else:
            next_day = day + timedelta(days=1)
            paid_from[next_day] = paid_from.get(next_day, Decimal(0)) + _decimal(amount)
    return base, paid_from


def _impute_payment(result, amount, pending_interest, imputation):
    """(part of ``amount`` that pays the principal, interest still unpaid):
    all of it by default, as Odoo reconciles; the interest first under
    INTEREST_FIRST, recorded in ``result.interest_paid``."""
    if amount and imputation == INTEREST_FIRST:
        # C. civ. 1343-1: a partial payment goes to the interest first.
        on_interest = min(amount, pending_interest)
        result.interest_paid += on_interest
        pending_interest -= on_interest
        amount -= on_interest
    return amount, pending_interest


def _segment(start, end, base, rate, year_basis):
    """The interest of one period at a constant base and rate, not rounded."""
    days = (end - start).days + 1
    interest = base * rate / Decimal(100) * days / _year_days(start, year_basis)
    return Segment(start, end, base, rate, interest)


def _rate_or_pending(result, start, fixed_rate, rate_for):
    """The rate of the period starting on ``start``, or None when it is
    not known yet: the period and every later one are then pending, so
    that the figures stop at the last known semester, never in a gap."""
    if result.pending_from is None:
        try:
            return fixed_rate if fixed_rate is not None else _decimal(rate_for(start))
        except MissingRate:
            result.pending_from = start
    label = semester_label(start)
    if label not in result.pending:
        result.pending.append(label)
    return None


def b2b_rate_for(ecb_rate_for, contractual_rate=None):
    """The L441-10 II rate function: contract rate, else ECB + 10 points."""
    if contractual_rate is not None:
        return lambda day: _decimal(contractual_rate)
    return lambda day: _decimal(ecb_rate_for(semester_start(day))) + B2B_MARGIN


def public_rate_for(ecb_rate_for):
    """R2192-31: ECB rate of the semester the interest started + 8 points
    (to use with FIXED_AT_START)."""
    return lambda day: _decimal(ecb_rate_for(semester_start(day))) + PUBLIC_MARGIN


def contractual_rate_below_floor(contractual_rate, legal_rate_autres):
    """L441-10 II: a contractual rate may not be below 3 x the legal rate."""
    return _decimal(contractual_rate) < CONTRACT_FLOOR_FACTOR * _decimal(legal_rate_autres)


def late_interest(
    regime,
    amount,
    due_date,
    until,
    ecb_rate_for,
    legal_rate_for,
    payments=(),
    notice_date=None,
    contractual_rate=None,
    mode=PER_SEMESTER,
    year_basis="365",
    imputation=PRINCIPAL_FIRST,
):
    """Late interest owed on one invoice, by kind of debtor.

    ``ecb_rate_for(semester_start)`` and ``legal_rate_for(semester_start)``
    give the ECB main refinancing rate and the legal interest rate ("autres
    cas") in percent, raising MissingRate when unknown.
    """
    if regime == "b2c":
        # C. civ. 1231-6, 1344-1: nothing before the formal notice.
        if not notice_date:
            return InterestResult(principal_remaining=_decimal(amount))
        start = max(notice_date, due_date)
        rate_for = lambda day: _decimal(legal_rate_for(semester_start(day)))  # noqa: E731
        mode = PER_SEMESTER
    elif regime == "public":
        # R2192-31: the rate of the starting semester, for the whole delay.
        start, rate_for, mode = due_date, public_rate_for(ecb_rate_for), FIXED_AT_START
    else:
        start, rate_for = due_date, b2b_rate_for(ecb_rate_for, contractual_rate)
    return compute_interest(amount, start, until, rate_for, payments, mode, year_basis, imputation)


def bears_penalties(is_penalty_bill, principal):
    """Does this receivable bear late interest and the indemnity at all?

    Not a bill of penalties: interest bears no interest of its own unless a
    contract or a judge says so, for interest due a full year (C. civ.
    1343-2), and the 40 EUR indemnity is due on the commercial invoice paid
    late, not on the penalties billed for it (D441-5; legal_fr_addendum.md
    2.2). Not an invoice cancelled by credit notes either: nothing was owed.
    """
    return not is_penalty_bill and _decimal(principal) > 0


def left_to_claim(accrued, already_billed):
    """Penalties billed or waived are never claimed again: what accrued to
    date, less what accrued to the day they were billed or waived to."""
    return max(round_cent(accrued) - round_cent(already_billed), Decimal(0))


def recovery_indemnity(regime, due_date, fully_paid_on, today):
    """40 EUR per invoice not fully paid at its due date (B2B and public).

    Once per invoice, whatever the length of the delay; never for
    consumers (CPCE L111-8).
    """
    if regime not in ("b2b", "public"):
        return Decimal(0)
    last_day = fully_paid_on or today
    return RECOVERY_INDEMNITY if last_day > due_date else Decimal(0)
