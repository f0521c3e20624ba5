"""Court timeline: procedural deadlines of a litigation file.

Sources: legal_fr_addendum.md section 3 and legal_fr.md section 5.3. The
statuses are the addendum's (VERIFIED / SECONDARY / UNVERIFIED); nothing
here is legal advice, and every value marked SECONDARY must be checked on
Légifrance before it is used to produce a legal act.

* Counting (CPC 641, 642): a deadline in months ends on the day of the
  same number in the last month, else on the last day of that month; a
  deadline ending on a Saturday, Sunday or public holiday moves to the next
  working day. Their application to each deadline below is the addendum's
  developer note 3 — SECONDARY (verify on Légifrance).
* Public holidays: C. trav. L3133-1 (1 January, Easter Monday, 1 May,
  8 May, Ascension, Whit Monday, 14 July, 15 August, 1 November,
  11 November, 25 December); Easter by the Gregorian computus. Local
  holidays (Alsace-Moselle, overseas) are not counted.
* Injonction de payer (CPC 1405-1425):
  - signification (1411): the ordonnance is « non avenue » if not served
    within 6 months, 3 months for ordonnances rendered from 1 September
    2026 (décret n° 2026-96 art. 9) — VERIFIED (art. 9 wording SECONDARY);
  - opposition (1416 al. 1): 1 month from the signification — VERIFIED; if
    not served « à personne » the window may reopen (1416 al. 2): the
    caller says so;
  - enforcement (1422): ordonnances from 1 September 2026, 2 months after
    the signification without opposition — rule VERIFIED, exact wording
    SECONDARY; before, once the opposition month has expired — the natural
    reading of the old 1422, not a quoted text.
* Petites créances (CPCE L125-1, R125-1): 5,000 EUR ceiling, principal and
  interest included; the procedure runs within 1 month from the invitation
  sent by the commissaire de justice — VERIFIED.
* Créances commerciales incontestées (CPCE L126-1 s., loi du 23 avril
  2026) — SECONDARY, « à vérifier »: 1 month from the commandement de payer
  to pay or contest; procès-verbal de non-contestation at the earliest 8
  days after; signification of the exécutoire PV within 6 months (L126-4).
* Prior amicable attempt (CPC 750-1): a demand before the tribunal
  judiciaire for at most 5,000 EUR needs one — VERIFIED; not for an
  injonction de payer (Cass. 2e civ., avis 25 sept. 2025, n° 25-70.013) —
  VERIFIED.
"""

from datetime import date, timedelta
from decimal import Decimal

from .periods import add_months

REFORM_DATE = date(2026, 9, 1)  # décret n° 2026-96 art. 9
SMALL_CLAIM_CEILING = Decimal("5000.00")  # R125-1 CPCE and CPC 750-1

INJONCTION = "injonction_payer"
PETITES_CREANCES = "petites_creances"
INCONTESTEES = "creances_incontestees"
ASSIGNATION = "assignation"

# Hint keys; those of SECONDARY or UNVERIFIED sources are in TO_CHECK.
OVER_SMALL_CLAIM_CEILING = "over_small_claim_ceiling"
NOT_CONTRACTUAL = "not_contractual"
AMICABLE_ATTEMPT_REQUIRED = "amicable_attempt_required"
NO_AMICABLE_ATTEMPT_FOR_INJONCTION = "no_amicable_attempt_for_injonction"
PROPOSE_INCONTESTEES = "propose_incontestees"
SMALL_CLAIMS_EXCLUDE_MERCHANTS = "small_claims_exclude_merchants"
INCONTESTEES_MERCHANTS_ONLY = "incontestees_merchants_only"
INCONTESTEES_TO_CHECK = "incontestees_to_check"
TO_CHECK = frozenset(
    {
        PROPOSE_INCONTESTEES,
        SMALL_CLAIMS_EXCLUDE_MERCHANTS,
        INCONTESTEES_MERCHANTS_ONLY,
        INCONTESTEES_TO_CHECK,
    }
)


def easter(year):
    """Easter Sunday of the Gregorian calendar (anonymous computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year):
    """The eleven public holidays of C. trav. L3133-1 in ``year``."""
    sunday = easter(year)
    return {
        date(year, 1, 1),
        sunday + timedelta(days=1),  # lundi de Pâques
        date(year, 5, 1),
        date(year, 5, 8),
        sunday + timedelta(days=39),  # Ascension
        sunday + timedelta(days=50),  # lundi de Pentecôte
        date(year, 7, 14),
        date(year, 8, 15),
        date(year, 11, 1),
        date(year, 11, 11),
        date(year, 12, 25),
    }


def is_working_day(day):
    return day.weekday() < 5 and day not in public_holidays(day.year)


def next_working_day(day):
    """CPC 642 al. 2: a deadline ending on a Saturday, Sunday or public
    holiday is extended to the first working day after."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def month_deadline(day, months):
    """Last day of a deadline of ``months`` months running from ``day``."""
    return next_working_day(add_months(day, months))


def day_deadline(day, days):
    """Last day of a deadline of ``days`` days (CPC 641 al. 1: the day of
    the event does not count)."""
    return next_working_day(day + timedelta(days=days))


# ----------------------------------------------------------------------
# Injonction de payer
# ----------------------------------------------------------------------


def reformed(ordonnance_date):
    """Is the ordonnance under décret n° 2026-96 (rendered from 1 Sept 2026)?"""
    return ordonnance_date >= REFORM_DATE


def signification_deadline(ordonnance_date):
    """CPC 1411: last day to serve the ordonnance, else it is « non avenue »."""
    return month_deadline(ordonnance_date, 3 if reformed(ordonnance_date) else 6)


def opposition_deadline(signification_date):
    """CPC 1416 al. 1: last day for the debtor's opposition."""
    return month_deadline(signification_date, 1)


def enforcement_date(ordonnance_date, signification_date):
    """First day the creditor may enforce if no opposition was received.

    Reformed ordonnances: the day after 2 months from the signification
    (new CPC 1422). Older ones: the day after the opposition month (old
    CPC 1422, natural reading).
    """
    months = 2 if reformed(ordonnance_date) else 1
    return month_deadline(signification_date, months) + timedelta(days=1)


# ----------------------------------------------------------------------
# Petites créances (L125-1, R125-1 CPCE) and créances commerciales
# incontestées (L126-1 s. CPCE, SECONDARY: à vérifier)
# ----------------------------------------------------------------------


def small_claim_eligible(amount_with_interest):
    """R125-1 CPCE: at most 5,000 EUR, principal and interest included."""
    return Decimal(str(amount_with_interest)).quantize(Decimal("0.01")) <= SMALL_CLAIM_CEILING


def petites_creances_deadline(invitation_date):
    """The procedure runs within 1 month from the invitation."""
    return month_deadline(invitation_date, 1)


def incontestees_contest_deadline(commandement_date):
    """L126 (SECONDARY): 1 month from the commandement to pay or contest."""
    return month_deadline(commandement_date, 1)


def incontestees_pv_earliest(commandement_date):
    """L126 (SECONDARY): the PV de non-contestation at the earliest 8 days
    after the month to contest has expired."""
    return incontestees_contest_deadline(commandement_date) + timedelta(days=8)


def incontestees_signification_deadline(pv_date):
    """L126-4 (SECONDARY): serve the exécutoire PV within 6 months."""
    return month_deadline(pv_date, 6)


# ----------------------------------------------------------------------
# Which route fits
# ----------------------------------------------------------------------


def eligibility_hints(amount_with_interest, regime, contractual, route, invoiced=True):
    """Hint keys for the route chosen.

    ``regime``: ``b2b`` (the debtor is a business: taken as a commerçant,
    which the user must confirm), ``b2c`` (consumer, non-commerçant) or
    ``public``; ``contractual``: the claim has a contractual or statutory
    cause (CPC 1405, CPCE L125-1); ``invoiced``: the claim was invoiced.
    """
    hints = []
    small = small_claim_eligible(amount_with_interest)
    if route == PETITES_CREANCES and not small:
        hints.append(OVER_SMALL_CLAIM_CEILING)
    if route in (INJONCTION, PETITES_CREANCES) and not contractual:
        hints.append(NOT_CONTRACTUAL)
    if regime == "b2c" and small:
        if route == ASSIGNATION:
            hints.append(AMICABLE_ATTEMPT_REQUIRED)
        elif route == INJONCTION:
            hints.append(NO_AMICABLE_ATTEMPT_FOR_INJONCTION)
    merchants = regime == "b2b" and invoiced
    if route == PETITES_CREANCES and merchants:
        hints.append(SMALL_CLAIMS_EXCLUDE_MERCHANTS)
    if route in (INJONCTION, PETITES_CREANCES, ASSIGNATION) and merchants and contractual:
        hints.append(PROPOSE_INCONTESTEES)
    if route == INCONTESTEES:
        if not merchants:
            hints.append(INCONTESTEES_MERCHANTS_ONLY)
        hints.append(INCONTESTEES_TO_CHECK)
    return hints
