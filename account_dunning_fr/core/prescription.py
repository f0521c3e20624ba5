"""When a debt expires (prescription), legal_fr.md section 4.

* B2B: 5 years (C. com. L110-4); consumers: 2 years (C. consom. L218-2),
  both from the delivery or the end of the service, not the invoice date
  (Cass. com. 26 Feb 2020 n° 18-25.036); the invoice date is the fallback.
* Public debtors: 4 years from 1 January of the year after the one in
  which the right arose (loi 68-1250 art. 1).
* A new full period starts (C. civ. 2231) at each acknowledgement by the
  debtor (C. civ. 2240: partial payment, accepted payment plan, signed
  acknowledgement, request for time to pay) and at a judicial demand
  (C. civ. 2241). A reminder or a formal notice does not interrupt it
  (Cass. com. 18 May 2022 n° 20-23.204), except against public debtors,
  where any written claim does (loi 68-1250 art. 2).
* A period in years ends on the day of the same number in the last month,
  or the last day of that month when it has none (C. proc. civ. 641).
"""

from datetime import date

from .periods import add_years

YEARS = {"b2b": 5, "b2c": 2, "public": 4}
ACKNOWLEDGEMENT = "acknowledgement"
JUDICIAL_DEMAND = "judicial_demand"
WRITTEN_CLAIM = "written_claim"


def _deadline_from(regime, start):
    """The last day on which the creditor can still act."""
    if regime == "public":
        # Four years from 1 January of the following year: to 31 December
        # of the fourth year after the one the right arose in.
        return date(start.year + YEARS["public"], 12, 31)
    return add_years(start, YEARS[regime])


def interrupts(regime, kind):
    """Does an event of this kind restart the clock for this debtor?"""
    if kind in (ACKNOWLEDGEMENT, JUDICIAL_DEMAND):
        return True
    return regime == "public" and kind == WRITTEN_CLAIM


def prescription_date(regime, start, events=()):
    """The last day on which the claim can be brought.

    ``events`` are (date, kind) pairs; only those that interrupt for this
    debtor and happen before the claim expired restart the period.
    """
    deadline = _deadline_from(regime, start)
    for day, kind in sorted(events):
        if day < start or day > deadline or not interrupts(regime, kind):
            continue
        deadline = _deadline_from(regime, day)
    return deadline
