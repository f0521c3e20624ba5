"""How a customer pays, from the company's own ledger: a documented formula.

The input is one *observation* per payment matched to an invoice
instalment: ``Observation(delay, amount, age, reminders)`` where ``delay``
is the payment date minus the instalment's due date in days (negative when
paid early), ``amount`` what the payment settled (company currency),
``age`` the days between the payment and the day of the computation, and
``reminders`` the reminders sent for the invoice before that payment. A
partial payment is one observation: every figure is weighted by amount.

The figures (``profile``):

* ``average``: the amount-weighted mean delay; ``median``: the
  amount-weighted median; ``late_share``: the share of the amount paid
  after the due date; ``spread``: the amount-weighted standard deviation;
* ``recent`` / ``before``: the mean delay of the payments of the last
  ``RECENT_DAYS`` (6 months) and of the 18 months before; ``trend`` is
  ``recent - before`` (positive: worsening), when both exist;
* ``reminders``: the amount-weighted reminders needed before payment.

The expected delay (``expected``) used to date open invoices is the mean
delay with recent payments weighing more (weight ``amount * 0.5 **
(age / HALF_LIFE_DAYS)``: habits drift), then *shrunk* toward the company's
average (a Bayesian weighted mean, the company's average counting as
``PRIOR_WEIGHT`` invoices)::

    expected = (n * customer_mean + k * company_mean) / (n + k)

with ``n`` the customer's paid invoices and ``k = PRIOR_WEIGHT``: a new
customer with one invoice 60 days late in a company whose customers pay
15 days late on average is expected at (1 * 60 + 2 * 15) / 3 = 30 days,
not 60; with 20 invoices its own history dominates ((20 * 60 + 2 * 15) / 22 = 55.9).

The risk score (0 to 100, higher is riskier) adds points, each capped, so
that each part can be read in the explanation:

=====================  =====  ============================================
part                   max    points
=====================  =====  ============================================
lateness               50     50 * expected delay / 60 days (0 if early)
share paid late        10     10 * shrunk share of the amount paid late
trend                  10     10 * (trend in days) / 30, when worsening
broken promises        15     8 per broken promise to pay
disputes               10     5 per dispute
reminders              5      2.5 per reminder needed before payment
=====================  =====  ============================================

Segments: below ``WATCH_FROM`` (25) a good payer, from 25 to watch, from
``RISKY_FROM`` (50) risky.

Two adjustments date one open invoice rather than the customer, both
learnt from the company's ledger and neutral when it says nothing:

* **size**: ``size_slope`` is how many days later an invoice is paid per
  doubling of its amount against the customer's typical invoice (the
  geometric mean of its paid invoices), fitted by least squares on each
  customer's deviations from its own mean (so that a customer paying late
  does not make big invoices look late), over at least ``SIZE_MIN_INVOICES``
  invoices, capped at ``SIZE_SLOPE_MAX`` days either way. An invoice of 4
  times the typical amount with a slope of 3 days is expected 6 days later;
* **reminders**: ``reminder_lag`` is the amount-weighted median of the days
  between a payment and the last reminder before it (payments made after
  at least one, ``REMINDER_MIN_PAYMENTS`` of them at least). An invoice
  that has already received as many reminders as the customer usually
  needs before paying (at least one) is expected that many days after its
  last reminder, while that day is still ahead (``reminded_date``).
"""

import math
from collections import namedtuple
from datetime import timedelta

RECENT_DAYS = 183  # the last 6 months
WINDOW_DAYS = 730  # the 24 months the profile reads
HALF_LIFE_DAYS = 120  # a payment 4 months old weighs half a payment of today
PRIOR_WEIGHT = 2  # the company's average counts as 2 invoices
TREND_DAYS = 5  # a change of mean delay below this is no trend
MIN_SPREAD = 3.0  # days: the spread assumed for a customer paying like clockwork
WATCH_FROM = 25
RISKY_FROM = 50
SIZE_MIN_INVOICES = 30  # fewer paid invoices of customers with 2 or more: no size effect
SIZE_SLOPE_MAX = 10.0  # days per doubling of the amount, either way
REMINDER_MIN_PAYMENTS = 10  # fewer payments after a reminder: no reminder lag

Observation = namedtuple("Observation", "delay amount age reminders invoice size after_reminder")
Observation.__new__.__defaults__ = (0, 0, None, None, None)

Profile = namedtuple(
    "Profile",
    "invoice_count amount average median late_share spread recent before trend "
    "reminders weighted_average typical_size",
)


def weighted_mean(pairs):
    """Mean of ``(value, weight)`` pairs; None without weight."""
    total = sum(weight for _value, weight in pairs)
    if total <= 0:
        return None
    return sum(value * weight for value, weight in pairs) / total


def weighted_median(pairs):
    """The value at which half of the weight is reached (the lower one on a
    tie): for 100 EUR paid at 0 days and 300 EUR at 30, 30."""
    pairs = sorted(pair for pair in pairs if pair[1] > 0)
    total = sum(weight for _value, weight in pairs)
    if not total:
        return None
    reached = 0.0
    for value, weight in pairs:
        reached += weight
        if reached >= total / 2:
            return float(value)
    return float(pairs[-1][0])  # pragma: no cover (rounding)


def weighted_spread(pairs):
    """Amount-weighted standard deviation; None without weight."""
    mean = weighted_mean(pairs)
    if mean is None:
        return None
    return math.sqrt(weighted_mean([((value - mean) ** 2, weight) for value, weight in pairs]))


def recency_weight(age):
    """0.5 ** (age / HALF_LIFE_DAYS): recent payments say more of today's habit."""
    return 0.5 ** (max(age, 0) / HALF_LIFE_DAYS)


def profile(observations):
    """The figures of one customer (see the module's docstring)."""
    observations = [obs for obs in observations if obs.amount > 0]
    if not observations:
        return None
    pairs = [(obs.delay, obs.amount) for obs in observations]
    recent = weighted_mean([(o.delay, o.amount) for o in observations if o.age < RECENT_DAYS])
    before = weighted_mean([(o.delay, o.amount) for o in observations if o.age >= RECENT_DAYS])
    total = sum(obs.amount for obs in observations)
    invoices = {obs.invoice for obs in observations if obs.invoice is not None}
    return Profile(
        invoice_count=len(invoices) or len(observations),
        amount=total,
        average=weighted_mean(pairs),
        median=weighted_median(pairs),
        late_share=sum(obs.amount for obs in observations if obs.delay > 0) / total,
        spread=weighted_spread(pairs),
        recent=recent,
        before=before,
        trend=recent - before if recent is not None and before is not None else None,
        reminders=weighted_mean([(obs.reminders, obs.amount) for obs in observations]),
        weighted_average=weighted_mean(
            [(obs.delay, obs.amount * recency_weight(obs.age)) for obs in observations]
        ),
        typical_size=typical_size(observations),
    )


def _invoice_points(observations):
    """[(invoice size, amount-weighted delay)] of the paid invoices whose size is known."""
    by_invoice = {}
    for obs in observations:
        if obs.invoice is not None and obs.size and obs.size > 0 and obs.amount > 0:
            by_invoice.setdefault(obs.invoice, (obs.size, []))[1].append((obs.delay, obs.amount))
    return [(size, weighted_mean(pairs)) for size, pairs in by_invoice.values()]


def typical_size(observations):
    """The geometric mean of the customer's paid invoice amounts; None when unknown."""
    sizes = [size for size, _delay in _invoice_points(observations)]
    if not sizes:
        return None
    return 2 ** (sum(math.log2(size) for size in sizes) / len(sizes))


def size_slope(observations_by_customer):
    """Days of delay per doubling of the invoice amount (see the module's
    docstring); 0.0 when the ledger is too thin to say."""
    xs, ys = [], []
    for observations in observations_by_customer:
        points = _invoice_points(observations)
        if len(points) < 2:
            continue
        logs = [math.log2(size) for size, _delay in points]
        mean_log = sum(logs) / len(logs)
        mean_delay = sum(delay for _size, delay in points) / len(points)
        xs += [log - mean_log for log in logs]
        ys += [delay - mean_delay for _size, delay in points]
    sxx = sum(x * x for x in xs)
    if len(xs) < SIZE_MIN_INVOICES or sxx < 1e-9:
        return 0.0
    slope = sum(x * y for x, y in zip(xs, ys, strict=True)) / sxx
    return max(-SIZE_SLOPE_MAX, min(slope, SIZE_SLOPE_MAX))


def size_shift(slope, size, typical):
    """Days added to the expected delay of an invoice of ``size`` for a
    customer whose typical invoice is ``typical``."""
    if not slope or not size or not typical or size <= 0 or typical <= 0:
        return 0.0
    return slope * math.log2(size / typical)


def reminder_lag(observations_by_customer):
    """The amount-weighted median days from the last reminder to the
    payment; None when the ledger is too thin to say."""
    pairs = [
        (obs.after_reminder, obs.amount)
        for observations in observations_by_customer
        for obs in observations
        if obs.reminders and obs.after_reminder is not None and obs.amount > 0
    ]
    if len(pairs) < REMINDER_MIN_PAYMENTS:
        return None
    # At least a day: a payment on the reminder's own day was often on its
    # way already.
    return max(weighted_median(pairs), 1.0)


def reminded_date(sent, last_sent, needed, lag, today):
    """The day an invoice reminded ``sent`` times, last on ``last_sent``, is
    expected to be paid once reminded as often as the customer needs
    (``needed``, at least one): ``lag`` days after the last reminder, if that
    day is not past. None otherwise (the delay model decides)."""
    if lag is None or not sent or not last_sent or sent < max(round(needed or 0.0), 1):
        return None
    day = last_sent + timedelta(days=round(lag))
    return day if day >= today else None


def shrink(value, count, prior, weight=PRIOR_WEIGHT):
    """Bayesian weighted mean: ``(count * value + weight * prior) / (count +
    weight)``; the prior alone without history."""
    if value is None or not count:
        return prior
    return (count * value + weight * prior) / (count + weight)


def company_prior(profiles):
    """The company's averages (delay, late share, spread), each customer's
    figure weighted by its amount paid: what a customer without history is
    assumed to do."""
    profiles = [p for p in profiles if p is not None]
    if not profiles:
        return 0.0, 0.0, MIN_SPREAD
    delay = weighted_mean([(p.weighted_average, p.amount) for p in profiles])
    share = weighted_mean([(p.late_share, p.amount) for p in profiles])
    spread = weighted_mean([(p.spread, p.amount) for p in profiles])
    return delay, share, max(spread, MIN_SPREAD)


def expected_delay(prof, prior_delay):
    """The shrunk expected delay in days (see the module's docstring)."""
    if prof is None:
        return prior_delay
    return shrink(prof.weighted_average, prof.invoice_count, prior_delay)


def remaining_delay(expected, spread, elapsed):
    """The expected delay of an instalment still unpaid ``elapsed`` days
    after its due date (negative: not yet due).

    The customer's delays are taken as normal around ``expected`` with its
    ``spread`` (at least ``MIN_SPREAD``); knowing the instalment is still
    unpaid, its delay is beyond ``elapsed``: the mean of the truncated
    normal, ``expected + spread * pdf(a) / (1 - cdf(a))`` with ``a =
    (elapsed - expected) / spread``. Far before the due date this is the
    expected delay; once past it, it is a little after today.
    """
    spread = max(spread or 0.0, MIN_SPREAD)
    a = (elapsed - expected) / spread
    tail = 0.5 * math.erfc(a / math.sqrt(2))
    if tail < 1e-9:
        return elapsed + spread / max(a, 1.0)  # the tail's limit: just after today
    pdf = math.exp(-a * a / 2) / math.sqrt(2 * math.pi)
    return expected + spread * pdf / tail


def expected_date(due_date, today, expected, spread, override=None):
    """When an open instalment due on ``due_date`` is expected to be paid:
    a promise or a plan instalment (``override``) gives its own date;
    otherwise the due date plus the remaining expected delay, rounded to
    the day, never before ``today``."""
    if override:
        return max(override, today)
    delay = remaining_delay(expected, spread, (today - due_date).days)
    return max(due_date + timedelta(days=round(delay)), today)


def invoice_dates(due_date, today, expected, spread, override=None, reminded=None):
    """(expected, optimistic, pessimistic) dates of one open instalment: a
    promise or a plan instalment (``override``) fixes all three; a reminder
    the customer usually answers (``reminded``, from ``reminded_date``)
    gives the expected date, one spread either side; otherwise the delay
    model (``expected_date`` and ``band``)."""
    if reminded and not override:
        shift = timedelta(days=round(max(spread or 0.0, MIN_SPREAD)))
        return reminded, max(reminded - shift, today), reminded + shift
    return (
        expected_date(due_date, today, expected, spread, override),
        *band(due_date, today, expected, spread, override),
    )


def band(due_date, today, expected, spread, override=None):
    """(optimistic, pessimistic) dates: one spread earlier and later."""
    if override:
        day = max(override, today)
        return day, day
    spread = max(spread or 0.0, MIN_SPREAD)
    return (
        expected_date(due_date, today, expected - spread, spread),
        expected_date(due_date, today, expected + spread, spread),
    )


Score = namedtuple("Score", "total lateness late_share trend promises disputes reminders")


def risk_score(expected, late_share, trend, broken_promises, disputes, reminders):
    """The risk score and its parts (see the table in the docstring)."""
    parts = {
        "lateness": 50 * min(max(expected, 0.0), 60.0) / 60.0,
        "late_share": 10 * min(max(late_share or 0.0, 0.0), 1.0),
        "trend": 10 * min(max(trend or 0.0, 0.0), 30.0) / 30.0,
        "promises": min(8 * broken_promises, 15),
        "disputes": min(5 * disputes, 10),
        "reminders": min(2.5 * (reminders or 0.0), 5),
    }
    total = round(sum(parts.values()))  # half to even: 60.5 -> 60
    return Score(total=max(0, min(total, 100)), **parts)


def segment(score):
    """``good`` below WATCH_FROM, ``watch`` below RISKY_FROM, else ``risky``."""
    if score < WATCH_FROM:
        return "good"
    return "watch" if score < RISKY_FROM else "risky"


def trend_word(trend):
    """``worsening`` / ``improving`` when the recent mean moved by at least
    TREND_DAYS, else None."""
    if trend is None or abs(trend) < TREND_DAYS:
        return None
    return "worsening" if trend > 0 else "improving"


def plan_dates(debts, instalments):
    """Payment-plan instalments as the expected dates of the plan's debts.

    ``debts``: (key, due date, amount) of the plan's open instalments,
    paid oldest first; ``instalments``: (date, amount) still to pay. Each
    debt is expected on the date of the instalment that completes it;
    what no instalment covers is expected on the last one.
    """
    schedule = sorted(instalments)
    if not schedule:
        return {}
    dates, paid_until, index, covered = {}, 0.0, 0, schedule[0][1]
    for key, _due, amount in sorted(debts, key=lambda d: (d[1], d[0])):
        paid_until += amount
        while covered + 0.005 < paid_until and index < len(schedule) - 1:
            index += 1
            covered += schedule[index][1]
        dates[key] = schedule[index][0]
    return dates
