"""Batch formatting gives Odoo's text, character for character
(models/dunning_formats.py), in French and English, for a currency written
after the amount (EUR) and one written before (USD)."""

from datetime import date, datetime

from odoo.tests import TransactionCase, tagged
from odoo.tools import format_amount, format_date

from odoo.addons.base.models.res_lang import intersperse

from ..tools.formats import BatchFormats, group_digits
from .common import load_french

AMOUNTS = (0.0, 1.005, 12.5, -1234.565, 1234567.891, 40.0, -0.004, -0.0, 999.995, -999999.5, 1e12)
DATES = (date(2026, 1, 31), date(2026, 7, 14), date(1999, 12, 31))


@tagged("post_install", "-at_install")
class TestBatchFormats(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        cls.eur = cls.env.ref("base.EUR")
        cls.usd = cls.env.ref("base.USD")

    def test_amounts_as_odoo_writes_them(self):
        for lang in ("fr_FR", "en_US"):
            env = self.env(context=dict(self.env.context, lang=lang))
            formats = BatchFormats(env)
            for currency in (self.eur, self.usd):
                for amount in AMOUNTS:
                    for lang_code in (False, "fr_FR", "en_US"):
                        with self.subTest(lang=lang, currency=currency.name, amount=amount):
                            self.assertEqual(
                                formats.amount(amount, currency, lang_code),
                                format_amount(env, amount, currency, lang_code or None),
                            )
        french = BatchFormats(self.env(context=dict(self.env.context, lang="fr_FR")))
        self.assertEqual(french.amount(-1234.565, self.eur), "-\ufeff1\xa0234,57\xa0€")

    def test_an_amount_written_again_is_the_same_text(self):
        # Kept per amount, currency and language (0.0 and -0.0 are one key:
        # Odoo writes both 0.00).
        env = self.env(context=dict(self.env.context, lang="fr_FR"))
        formats = BatchFormats(env)
        for amount in (0.0, -0.0, 0.0, 12.5, -0.0, 12.5):
            with self.subTest(amount=amount):
                self.assertEqual(
                    formats.amount(amount, self.eur), format_amount(env, amount, self.eur)
                )
        self.assertEqual(formats.amount(-0.0, self.eur), "0,00\xa0€")
        self.assertEqual(formats.amount(-0.004, self.eur), "-\ufeff0,00\xa0€")
        self.assertEqual(formats.amount(12.5, self.usd), "$\xa012,50")

    def test_digits_grouped_as_res_lang_groups_them(self):
        numbers = ["0", "-0", "7", "-12", "999", "1000", "-1000", "123456", "-1234567", "1" * 16]
        for grouping in ([3, 0], [3, 2, 0], [3, -1], [], [2, 3, 0]):
            for separator in ("\u202f", ",", " ", ""):
                for digits in numbers:
                    with self.subTest(digits=digits, grouping=grouping, separator=separator):
                        self.assertEqual(
                            group_digits(digits, grouping, separator),
                            intersperse(digits, grouping, separator)[0],
                        )

    def test_dates_as_odoo_writes_them(self):
        for lang in ("fr_FR", "en_US"):
            env = self.env(context=dict(self.env.context, lang=lang))
            formats = BatchFormats(env)
            for day in DATES:
                for pattern in (False, "MMMM y"):
                    with self.subTest(lang=lang, day=day, pattern=pattern):
                        self.assertEqual(
                            formats.date(day, pattern), format_date(env, day, date_format=pattern)
                        )
                        self.assertEqual(
                            formats.date(day, pattern, "en_US"),
                            format_date(env, day, lang_code="en_US", date_format=pattern),
                        )
            # Datetimes (time zone) and empty values take Odoo's own path.
            moment = datetime(2026, 3, 1, 23, 30)
            self.assertEqual(formats.date(moment), format_date(env, moment))
            self.assertEqual(formats.date(False), "")
        french = BatchFormats(self.env(context=dict(self.env.context, lang="fr_FR")))
        self.assertEqual(french.date(date(2026, 7, 14)), "14/07/2026")

    def test_render_context_replaces_the_mixin_formatters(self):
        env = self.env(context=dict(self.env.context, lang="fr_FR"))
        context = BatchFormats(env).render_context()
        self.assertEqual(context["format_amount"](12.5, self.eur), "12,50\xa0€")
        self.assertEqual(context["format_date"](date(2026, 7, 14), lang_code="en_US"), "07/14/2026")
