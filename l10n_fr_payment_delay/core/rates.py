"""The ECB rate of each semester, from the ECB Data Portal's series.

C. com. L441-10 II: "le taux applicable pendant le premier semestre de
l'année concernée est le taux en vigueur au 1er janvier de l'année en
question" (1 July for the second semester). The rate in force on a day is
the last observation of the main refinancing operations series dated on
or before it (legal_fr_addendum.md 4.1-4.2, developer note 4): series
``FM/B.U2.EUR.4F.KR.MRR_FR.LEV``, whose observations are dated from the
day a change takes effect (e.g. 12 June 2024 for the decision of 6 June).
Whether the series holds one value per change or per business day is not
verified (addendum 4.1): the last observation on or before the day is
right in both cases.

The CSV layout is read by its header (TIME_PERIOD, OBS_VALUE), never by
column position, which the addendum only infers from a third-party parser.
"""

import csv
import io
from datetime import date
from decimal import Decimal, InvalidOperation

from .semesters import next_semester_start

ECB_SERIES = "FM/B.U2.EUR.4F.KR.MRR_FR.LEV"
ECB_DATA_URL = "https://data-api.ecb.europa.eu/service/data/" + ECB_SERIES


class BadEcbData(ValueError):
    """The response is not the series expected: nothing is filled from it."""


def parse_observations(text):
    """[(date, Decimal percent)] sorted by date, from the ECB CSV."""
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"TIME_PERIOD", "OBS_VALUE"} <= set(reader.fieldnames):
        raise BadEcbData("no TIME_PERIOD / OBS_VALUE columns")
    observations = []
    for row in reader:
        if not row.get("OBS_VALUE"):
            continue
        try:
            day = date.fromisoformat(row["TIME_PERIOD"])
            rate = Decimal(row["OBS_VALUE"])
        except (TypeError, ValueError, InvalidOperation) as error:
            raise BadEcbData("unreadable observation %r" % (row,)) from error
        if not Decimal(-5) < rate < Decimal(50):
            raise BadEcbData("implausible rate %s on %s" % (rate, day))
        observations.append((day, rate))
    if not observations:
        raise BadEcbData("no observation")
    return sorted(observations)


def rate_in_force(observations, day):
    """(observation date, rate) in force on ``day``, or None when the
    series starts after it."""
    found = None
    for observed_on, rate in observations:
        if observed_on > day:
            break
        found = (observed_on, rate)
    return found


def semesters_to_fill(known_starts, today):
    """Semester starts without a rate, from the one after the latest known
    to the semester of ``today``: never a semester not begun, whose rate in
    force on its first day is not known yet."""
    if not known_starts:
        return []
    missing, start = [], next_semester_start(max(known_starts))
    while start <= today:
        missing.append(start)
        start = next_semester_start(start)
    return missing


def semester_rates(observations, starts):
    """{semester start: (observation date, rate)} for the starts the
    series covers."""
    rates = {}
    for start in starts:
        found = rate_in_force(observations, start)
        if found:
            rates[start] = found
    return rates
