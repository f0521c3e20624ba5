"""Batch formatting gives Odoo's text, character for character
(models/dunning_formats.py), in French and English, for a currency written
after the amount (EUR) and one written before (USD)."""

from datetime import date, datetime

from odoo.tests import TransactionCase, tagged
from odoo.tools import format_amount, format_date

from ..tools.formats import BatchFormats
from .common import load_french

AMOUNTS = (0.0, 1.005, 12.5, -1234.565, 1234567.891, 40.0, -0.004)
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
