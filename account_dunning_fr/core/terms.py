"""Maximum B2B payment terms (C. com. L441-10 I).

60 days from the invoice date ("soixante jours nets"), or, when expressly
agreed, 45 days end of month, computed either as invoice date + 45 days
then the end of that month (method A) or as the end of the invoice month
+ 45 days (method B), as the DGCCRF accepts both (legal_fr.md 1.1).
"""

from calendar import monthrange
from datetime import date, timedelta

NET_60 = "net_60"
EOM_45_A = "eom_45_a"
EOM_45_B = "eom_45_b"


def end_of_month(day):
    return date(day.year, day.month, monthrange(day.year, day.month)[1])


def latest_legal_due_date(invoice_date, method=NET_60):
    if method == EOM_45_A:
        return end_of_month(invoice_date + timedelta(days=45))
    if method == EOM_45_B:
        return end_of_month(invoice_date) + timedelta(days=45)
    return invoice_date + timedelta(days=60)


def legal_term_exceeded(invoice_date, due_date, method=NET_60):
    return due_date > latest_legal_due_date(invoice_date, method)
