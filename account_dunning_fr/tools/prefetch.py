"""Reading only what a computation needs.

Reading a field fetches every column of its model's prefetch group for the
whole prefetch set. The legal figures of a batch read three fields of the
invoices' receivable lines and of their payments' lines, whose other columns
made a third of the figures' time: those lines are read narrowly (measured
on 8,832 open invoices: 68 -> 35 queries, 1.33-1.74 s -> 1.18-1.47 s).
The invoices themselves are not: the reminders' contacts, emails and letters
read most of their columns afterwards, one reminder at a time, and a night
that read them narrowly made 2,442 queries instead of 679 (measured).
"""

from contextlib import suppress

from odoo.exceptions import AccessError


def fetch_only(records, field_names):
    """Read ``field_names`` of the saved ``records`` in one query. A
    record the user may not read is left to the field access, which raises
    as it does without this."""
    with suppress(AccessError):
        records.filtered("id").fetch(field_names)
