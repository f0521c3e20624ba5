"""What a customer types in a form, read or refused (controllers/form_input.py)."""

from datetime import date
from decimal import Decimal

from werkzeug.datastructures import MultiDict

from odoo.tests import TransactionCase, tagged

from ..controllers.form_input import FormError, FormReader, valid_id


@tagged("post_install", "-at_install")
class TestFormInput(TransactionCase):
    def _reader(self, **values):
        return FormReader(self.env["res.partner"].with_context(lang="en_US").env, MultiDict(values))

    def test_ids_are_ascii_digits_within_postgresqls_integer(self):
        self.assertEqual(valid_id("42"), 42)
        self.assertEqual(valid_id(" 42 "), 42)
        for bad in ("abc", "", "0", "-5", "4.2", "٣", str(2**31), "9" * 40, None):
            self.assertIsNone(valid_id(bad), bad)

    def test_ids_from_several_values_of_one_field(self):
        form = MultiDict([("move_ids", "3"), ("move_ids", "7")])
        self.assertEqual(FormReader(self.env, form).ids(["move_ids"]), [3, 7])
        form.add("move_ids", "x")
        with self.assertRaisesRegex(FormError, "not valid"):
            FormReader(self.env, form).ids(["move_ids"])

    def test_integer_in_range_or_the_default(self):
        self.assertEqual(self._reader(n="12").integer("n", "Count", 1, 60), 12)
        self.assertEqual(self._reader(n="").integer("n", "Count", 1, 60, default=3), 3)
        for bad in ("61", "0", "1e3", "3.5", "abc", "٣"):
            with self.assertRaisesRegex(FormError, "Count: enter a whole number from 1 to 60"):
                self._reader(n=bad).integer("n", "Count", 1, 60)
        with self.assertRaisesRegex(FormError, "Count: this field is required"):
            self._reader().integer("n", "Count", 1, 60)

    def test_dates_must_exist_and_stay_within_bounds(self):
        reader = self._reader(day="2026-12-02", bad="2026-02-30", text="02/12/2026")
        self.assertEqual(reader.date("day", "Paid on"), date(2026, 12, 2))
        for name in ("bad", "text"):
            with self.assertRaisesRegex(FormError, r"Paid on: enter a date \(YYYY-MM-DD\)"):
                reader.date(name, "Paid on")
        with self.assertRaisesRegex(FormError, "cannot be after 12/01/2026"):
            reader.date("day", "Paid on", latest=date(2026, 12, 1))
        with self.assertRaisesRegex(FormError, "cannot be before 12/03/2026"):
            reader.date("day", "Paid on", earliest=date(2026, 12, 3))
        self.assertIsNone(reader.date("missing", "Paid on", required=False))

    def test_amounts_are_positive_cents_below_a_billion(self):
        reader = self._reader(a="1 234,5", b="0", c="-3", d="NaN", e="1e12", f="abc")
        self.assertEqual(reader.amount("a", "Amount"), Decimal("1234.50"))
        for name in "bcdef":
            with self.assertRaisesRegex(FormError, "Amount: enter an amount above 0"):
                reader.amount(name, "Amount")

    def test_texts_are_capped(self):
        reader = self._reader(note="x" * 4001, ok="  merci  ")
        self.assertEqual(reader.text("ok", "Note"), "merci")
        with self.assertRaisesRegex(FormError, "Note: 4000 characters at most"):
            reader.text("note", "Note")
