"""Calendar semesters, the period of French rate tables.

The B2B penalty rate (C. com. L441-10 II) and the legal interest rate
(C. mon. fin. L313-2) are both fixed per calendar semester: the rate of
1 January for January-June, of 1 July for July-December.
"""

from datetime import date, timedelta


def semester_start(day):
    """1 January or 1 July of the semester holding ``day``."""
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def next_semester_start(day):
    start = semester_start(day)
    return date(start.year, 7, 1) if start.month == 1 else date(start.year + 1, 1, 1)


def semester_label(day):
    """'2026-H2' for any day of July-December 2026."""
    return "%s-H%s" % (day.year, 1 if day.month <= 6 else 2)


def split_by_semester(first_day, last_day, cuts=()):
    """Inclusive periods covering [first_day, last_day], cut at each
    1 January / 1 July and before each day of ``cuts``.

    Returns a list of (start, end) pairs, both inclusive; empty when
    ``last_day`` is before ``first_day``.
    """
    if last_day < first_day:
        return []
    boundaries = set()
    day = next_semester_start(first_day)
    while day <= last_day:
        boundaries.add(day)
        day = next_semester_start(day)
    boundaries.update(cut for cut in cuts if first_day < cut <= last_day)
    periods = []
    start = first_day
    for boundary in sorted(boundaries):
        periods.append((start, boundary - timedelta(days=1)))
        start = boundary
    periods.append((start, last_day))
    return periods
