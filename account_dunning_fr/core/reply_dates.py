"""The dates a customer's reply states, read against the day it is read.

Customers write dates as they speak: "02/12", "2/12/26", "2 déc. 2026",
"1er décembre", "December 2, 2026", "le 15", "lundi prochain", "demain",
"fin du mois", "sous 8 jours", "within 10 days". Each mention found is
read twice, because the same words name a different day in "nous avons
payé le 15" and in "nous paierons le 15":

* ``past``: the day of something done, the latest such day not after today
  ("le 15" read on 5 December 2026 is 15 November);
* ``future``: the day of something to do, the next such day not before
  today ("le 15" is 15 December).

A reading that cannot be (tomorrow as a past day, a stated year on the
wrong side of today) is None. Vague spans ("la semaine prochaine", "last
week", "early January") are no date: the accountant reads them.

Day and month in figures: French customers write DD/MM, and so do British
ones. A figure above 12 settles the order (12/15 is 15 December, 15/12
too). When both are 12 or less the reply is read DD/MM, unless it is in
English and clearly American: it writes another date month first, or
amounts in dollars or a company form "Inc."/"LLC"/"Corp.", or only the
month-first reading falls within ``NEAR_DAYS`` of today (a reply answers a
reminder about a recent or coming payment: "12/10" read on 5 December
2026 is 10 December, not 12 October 2027).

Invoice numbers (FAC/2026/0012, INV-2026-0012), times (09:00), phone
numbers and percentages are not dates: a date in figures stands alone,
not glued to other digits, slashes or letters.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

NEAR_DAYS = 62

MONTHS = {
    "janvier": 1, "janv": 1, "january": 1, "jan": 1,
    "fevrier": 2, "fevr": 2, "fev": 2, "february": 2, "feb": 2,
    "mars": 3, "march": 3, "mar": 3,
    "avril": 4, "avr": 4, "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juin": 6, "june": 6, "jun": 6,
    "juillet": 7, "juil": 7, "july": 7, "jul": 7,
    "aout": 8, "august": 8, "aug": 8,
    "septembre": 9, "september": 9, "sept": 9, "sep": 9,
    "octobre": 10, "october": 10, "oct": 10,
    "novembre": 11, "november": 11, "nov": 11,
    "decembre": 12, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
    "dimanche": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}  # fmt: skip
NUMBER_WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "dix": 10, "quinze": 15, "vingt": 20, "trente": 30, "one": 1, "two": 2,
    "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8, "ten": 10, "fifteen": 15,
    "thirty": 30,
}  # fmt: skip
RELATIVE_DAYS = {
    "avant-hier": -2, "avant hier": -2, "day before yesterday": -2, "hier": -1,
    "yesterday": -1, "aujourd'hui": 0, "aujourdhui": 0, "ce jour": 0, "ce matin": 0,
    "ce midi": 0, "cet apres-midi": 0, "ce soir": 0, "today": 0, "this morning": 0,
    "this afternoon": 0, "this evening": 0, "tonight": 0, "right now": 0, "tout de suite": 0,
    "apres-demain": 2, "apres demain": 2, "day after tomorrow": 2, "demain": 1, "tomorrow": 1,
}  # fmt: skip


def _alternation(words):
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


MONTH = r"(?P<month>%s)\b\.?" % _alternation(MONTHS)
ORDINAL = r"(?:er|eme|st|nd|rd|th)?"
ISO_DATE = re.compile(r"(?<![\w/.-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\w/-])")
NUMERIC_DATE = re.compile(
    r"(?<![\w/.,-])(?P<a>\d{1,2})(?P<sep>[/-])(?P<b>\d{1,2})(?:(?P=sep)(?P<y>\d{4}|\d{2}))?"
    r"(?![\w/]|[.,-]\d)"
    r"|(?<![\w/.,-])(?P<a2>\d{1,2})\.(?P<b2>\d{1,2})\.(?P<y2>\d{4})(?![\w/]|[.,-]\d)"
)
DAY_MONTH = re.compile(
    r"(?<![\w/.,-])(?P<day>\d{1,2})%s\s+(?:of\s+)?%s(?:\s+(?P<year>\d{4})\b)?" % (ORDINAL, MONTH)
)
MONTH_DAY = re.compile(
    r"\b%s\s+(?P<day>\d{1,2})%s\b(?![/.:]\d)(?:,?\s+(?P<year>\d{4})\b)?" % (MONTH, ORDINAL)
)
END_OF_MONTH = re.compile(
    r"\b(?:fin\s+(?:du\s+|de\s+)?(?:ce\s+)?mois(?:\s+(?:courant|en\s+cours))?"
    r"|(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month|month[- ]end)\b"
)
END_OF_NAMED_MONTH = re.compile(
    r"\b(?:fin\s+(?:du\s+mois\s+de\s+|(?:de\s+|d'))?|(?:the\s+)?end\s+of\s+)%s"
    r"(?:\s+(?P<year>\d{4})\b)?" % MONTH
)
RELATIVE = re.compile(r"(?<![\w'])(?:%s)\b" % _alternation(RELATIVE_DAYS))
WEEKDAY = re.compile(
    r"\b(?:(?P<before>next|last|this|coming)\s+)?(?P<weekday>%s)\b"
    r"(?:\s+(?P<after>prochain|dernier|qui\s+vient))?(?!\s+\d)" % _alternation(WEEKDAYS)
)
WITHIN = re.compile(
    r"\b(?:sous|dans|d'ici|within|in)\s+(?:un\s+delai\s+de\s+|the\s+next\s+)?"
    r"(?P<n>\d{1,3}|%s)\s*(?P<working>(?:working|business)\s+)?(?P<unit>jours?|days?|semaines?|weeks?)"
    r"(?P<working2>\s+(?:ouvres|ouvrables))?\b"
    r"|\bsous\s+(?P<word>huitaine|quinzaine)\b" % _alternation(NUMBER_WORDS)
)
DAY_ONLY = re.compile(
    r"(?:\b(?:le|au|du)\s+(?P<day>\d{1,2})(?:er)?|\bthe\s+(?P<day2>\d{1,2})(?:st|nd|rd|th))\b"
    r"(?!\s*(?:[/.:h,-]\d|%|€|\$|\d|eur|euros?\b|jours?\b|days?\b|mois\b|months?\b|ans?\b"
    r"|years?\b|semaines?\b|weeks?\b|heures?\b|hours?\b|h\b|fois\b|times\b|de\s+chaque\b"
    r"|of\s+(?:each|every)\b|pieces?\b|articles?\b|colis\b|unites?\b|items?\b))"
)
US_MARKERS = re.compile(r"\$|\busd\b|\bdollars?\b|\binc\b|\bllc\b|\bcorp\b")


@dataclass(frozen=True)
class DateMention:
    """A date stated at ``[start, end)`` of the text, read as a past and as
    a future day (None when it cannot be one)."""

    start: int
    end: int
    past: date | None
    future: date | None

    def reading(self, tense):
        """``past`` or ``future`` as ``tense`` says."""
        return self.past if tense == "past" else self.future


def end_of_month(day):
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _valid(year, month, day):
    try:
        return date(year, month, day)
    except ValueError:
        return None


def latest(month, day, today):
    """The latest ``day``/``month`` not after ``today``."""
    for year in range(today.year, today.year - 9, -1):
        found = _valid(year, month, day)
        if found and found <= today:
            return found
    return None


def following(month, day, today):
    """The next ``day``/``month`` not before ``today``."""
    for year in range(today.year, today.year + 9):
        found = _valid(year, month, day)
        if found and found >= today:
            return found
    return None


def latest_day(day, today):
    """The latest day of the month numbered ``day`` not after ``today``."""
    year, month = today.year, today.month
    for _step in range(13):
        found = _valid(year, month, day)
        if found and found <= today:
            return found
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def following_day(day, today):
    """The next day of the month numbered ``day`` not before ``today``."""
    year, month = today.year, today.month
    for _step in range(13):
        found = _valid(year, month, day)
        if found and found >= today:
            return found
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return None


def _readings(month, day, year, today):
    """(past, future) of a day and month, with or without a stated year."""
    if year is None:
        return latest(month, day, today), following(month, day, today)
    found = _valid(year, month, day)
    if found is None:
        return None, None
    return (found if found <= today else None), (found if found >= today else None)


def _year(text):
    if not text:
        return None
    return int(text) + 2000 if len(text) == 2 else int(text)


def _numeric(found, today, month_first):
    """(past, future) of a date in figures, ordered as the module's docstring says."""
    a = int(found["a"] or found["a2"])
    b = int(found["b"] or found["b2"])
    year = _year(found["y"] or found["y2"])
    day_first = _readings(b, a, year, today) if 1 <= b <= 12 and 1 <= a <= 31 else (None, None)
    month_first_ = _readings(a, b, year, today) if 1 <= a <= 12 and 1 <= b <= 31 else (None, None)
    if a > 12 or b > 12 or month_first == "never":
        return day_first if any(day_first) else month_first_
    if month_first == "always":
        return month_first_
    return tuple(_near_one(dm, md, today) for dm, md in zip(day_first, month_first_, strict=True))


def _near_one(day_first, month_first, today):
    """The month-first reading when it alone falls within NEAR_DAYS of today."""

    def near(day):
        return day is not None and abs((day - today).days) <= NEAR_DAYS

    return month_first if near(month_first) and not near(day_first) else day_first


def _month_first_rule(folded, english):
    """``always``, ``when near`` or ``never`` (see the module's docstring)."""
    if not english:
        return "never"
    for found in NUMERIC_DATE.finditer(folded):
        if found["a"] and int(found["a"]) <= 12 < int(found["b"]) <= 31:
            return "always"
    return "always" if US_MARKERS.search(folded) else "when near"


def _weekday(found, today):
    weekday = WEEKDAYS[found["weekday"]]
    ahead = (weekday - today.weekday()) % 7
    behind = (today.weekday() - weekday) % 7
    if found["before"] in ("next", "coming") or found["after"] in ("prochain", "qui vient"):
        return None, today + timedelta(days=ahead or 7)
    if found["before"] == "last" or found["after"] == "dernier":
        return today - timedelta(days=behind or 7), None
    return today - timedelta(days=behind), today + timedelta(days=ahead)


def _end_of_named_month(found, today):
    month, year = MONTHS[found["month"]], _year(found["year"])
    if year is not None:
        return _readings(month, calendar.monthrange(year, month)[1], year, today)
    ends = [end_of_month(date(y, month, 1)) for y in range(today.year - 1, today.year + 2)]
    past = max((end for end in ends if end <= today), default=None)
    future = min((end for end in ends if end >= today), default=None)
    return past, future


def _within(found, today):
    if found["word"]:
        return None, today + timedelta(days=8 if found["word"] == "huitaine" else 15)
    count = found["n"]
    count = int(count) if count.isdigit() else NUMBER_WORDS[count]
    if found["unit"].startswith(("semaine", "week")):
        return None, today + timedelta(days=7 * count)
    if found["working"] or found["working2"]:
        return None, working_days_after(today, count)
    return None, today + timedelta(days=count)


def working_days_after(day, count):
    """The day ``count`` working days (Monday to Friday) after ``day``."""
    while count > 0:
        day += timedelta(days=1)
        count -= day.weekday() < 5
    return day


def _end_of_this_month(today):
    end = end_of_month(today)
    past = end if end <= today else today.replace(day=1) - timedelta(days=1)
    return past, end


def find_dates(folded, today, english=False):
    """Every date stated in the folded text, in order, as DateMention."""
    month_first = _month_first_rule(folded, english)
    readers = (
        (ISO_DATE, lambda f: _readings(int(f["m"]), int(f["d"]), int(f["y"]), today)),
        (NUMERIC_DATE, lambda f: _numeric(f, today, month_first)),
        (END_OF_NAMED_MONTH, lambda f: _end_of_named_month(f, today)),
        (
            DAY_MONTH,
            lambda f: _readings(MONTHS[f["month"]], int(f["day"]), _year(f["year"]), today),
        ),
        (
            MONTH_DAY,
            lambda f: _readings(MONTHS[f["month"]], int(f["day"]), _year(f["year"]), today),
        ),
        (END_OF_MONTH, lambda f: _end_of_this_month(today)),
        (WITHIN, lambda f: _within(f, today)),
        (RELATIVE, lambda f: _relative(f, folded, today)),
        (WEEKDAY, lambda f: _weekday(f, today)),
        (DAY_ONLY, lambda f: _day_only(int(f["day"] or f["day2"]), today)),
    )
    mentions, taken = [], []
    for pattern, read in readers:
        for found in pattern.finditer(folded):
            start, end = found.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            past, future = read(found)
            if past or future:
                mentions.append(DateMention(start, end, past, future))
                taken.append((start, end))
    return sorted(mentions, key=lambda mention: mention.start)


def _relative(found, folded, today):
    words = re.sub(r"\s+", " ", found.group(0))
    if words == "ce jour" and folded[: found.start()].endswith(("a ", "qu'a ")):
        return None, None  # "à ce jour", "jusqu'à ce jour": so far, not a day
    shift = RELATIVE_DAYS[words]
    day = today + timedelta(days=shift)
    return (day if shift <= 0 else None), (day if shift >= 0 else None)


def _day_only(day, today):
    if not 1 <= day <= 31:
        return None, None
    return latest_day(day, today), following_day(day, today)
