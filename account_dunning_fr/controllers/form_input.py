"""What a customer typed in a form of the add-on, read or refused.

Every route reads its form through ``FormReader``: a value that is not what
the field wants (letters for a number, an id beyond PostgreSQL's integer, a
date that does not exist, a text too long) raises ``FormError`` with a
message in the customer's language, which the route shows on its page; the
route creates nothing. Never a traceback, never a 500.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from odoo.tools.misc import format_date

from ..tools.bulk import MAX_ID

# ASCII digits only: int() takes "٣" and " 3 ".
DIGITS = re.compile(r"[0-9]{1,12}", re.ASCII)
# A free text longer than this is not a message to an accountant.
MAX_TEXT = 4000
# The largest amount a form takes: beyond it, a typing error.
MAX_AMOUNT = Decimal("1000000000")


class FormError(ValueError):
    """Bad input, with the message to show the customer."""


def valid_id(value):
    """``value`` as a record id, or None when it cannot be one."""
    value = str(value).strip()
    number = int(value) if DIGITS.fullmatch(value) else 0
    return number if 0 < number <= MAX_ID else None


class FormReader:
    """Typed values of a submitted form: ``form`` is the request's
    ``MultiDict`` (a field may carry several values) or a plain dict."""

    def __init__(self, env, form):
        self.env = env
        self.form = form

    def _raw(self, name):
        value = self.form.get(name)
        if isinstance(value, str):
            value = value.strip()
        return value

    def integer(self, name, label, minimum, maximum, default=None):
        value = self._raw(name)
        if value in (None, ""):
            if default is None:
                raise FormError(self.env._("%(field)s: this field is required.", field=label))
            return default
        number = int(value) if isinstance(value, str) and DIGITS.fullmatch(value) else None
        if number is None or not minimum <= number <= maximum:
            raise FormError(
                self.env._(
                    "%(field)s: enter a whole number from %(min)s to %(max)s.",
                    field=label,
                    min=minimum,
                    max=maximum,
                )
            )
        return number

    def ids(self, names):
        """The record ids given under ``names`` (field names, each with one
        or several values), refused if any is not an id."""
        ids = []
        for name in names:
            if hasattr(self.form, "getlist"):
                values = self.form.getlist(name)
            else:
                values = [self.form[name]] if name in self.form else []
            for value in values:
                record_id = valid_id(value)
                if record_id is None:
                    raise FormError(self.env._("One of the invoices chosen is not valid."))
                ids.append(record_id)
        return ids

    def text(self, name, label, max_length=MAX_TEXT):
        value = self._raw(name) or ""
        if not isinstance(value, str):
            raise FormError(self.env._("%(field)s: enter text.", field=label))
        if len(value) > max_length:
            raise FormError(
                self.env._(
                    "%(field)s: %(max)s characters at most.",
                    field=label,
                    max=max_length,
                )
            )
        return value or False

    def date(self, name, label, required=True, earliest=None, latest=None):
        value = self._raw(name)
        if value in (None, ""):
            if required:
                raise FormError(self.env._("%(field)s: this field is required.", field=label))
            return None
        try:
            day = date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            day = None
        if day is None:
            raise FormError(self.env._("%(field)s: enter a date (YYYY-MM-DD).", field=label))
        if earliest and day < earliest:
            raise FormError(
                self.env._(
                    "%(field)s: the date cannot be before %(day)s.",
                    field=label,
                    day=format_date(self.env, earliest),
                )
            )
        if latest and day > latest:
            raise FormError(
                self.env._(
                    "%(field)s: the date cannot be after %(day)s.",
                    field=label,
                    day=format_date(self.env, latest),
                )
            )
        return day

    def amount(self, name, label, required=True, maximum=MAX_AMOUNT):
        value = self._raw(name)
        if value in (None, ""):
            if required:
                raise FormError(self.env._("%(field)s: this field is required.", field=label))
            return None
        try:
            number = Decimal(str(value).replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or not 0 < number <= maximum:
            raise FormError(
                self.env._(
                    "%(field)s: enter an amount above 0 and at most %(max)s.",
                    field=label,
                    max=maximum,
                )
            )
        return number.quantize(Decimal("0.01"))
