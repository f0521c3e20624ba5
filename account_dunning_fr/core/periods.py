"""Periods counted in months or years (C. proc. civ. 641 al. 2).

"Lorsque le délai est exprimé en mois ou en années, ce délai expire le
jour du dernier mois ou de la dernière année qui porte le même quantième
que le jour de l'acte [...]; à défaut d'un quantième identique, le délai
expire le dernier jour du mois." Used by prescription (years) and the
court deadlines (months).
"""

from calendar import monthrange
from datetime import date


def add_months(day, months, anchor_day=None):
    """The day of the same number ``months`` later, else the last day of
    that month. ``anchor_day`` keeps a series on its day (31 Jan, 28 Feb,
    31 Mar) instead of drifting to the shortest month's."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(anchor_day or day.day, monthrange(year, month)[1]))


def add_years(day, years):
    return add_months(day, 12 * years)
