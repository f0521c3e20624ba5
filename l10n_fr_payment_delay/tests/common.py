"""Test fixtures of French late payments: a French company (in any
database: the French one built with ``l10n_fr_account``, or a standard
test database with Odoo's generic chart), customers, invoices, payments and
the rates of every semester to today. The dunning add-ons' fixtures build
on these."""

import logging
import time
from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase

from ..core.semesters import next_semester_start

_logger = logging.getLogger(__name__)


def make_company_french(company):
    """``company`` in France: fiscal country France, euros. Only what is
    missing is changed: in the French database nothing is. The currency can
    only change while the company has no journal item, as in a fresh
    database."""
    env = company.env
    france, euro = env.ref("base.fr"), env.ref("base.EUR")
    if company.currency_id != euro:
        euro.active = True
        company.currency_id = euro
    if company.country_id != france:
        company.country_id = france
    if company.account_fiscal_country_id != france:
        company.account_fiscal_country_id = france
    return company


def make_tax(company, type_tax_use, amount=20.0):
    """A ``amount`` % tax, excluded from prices, on invoices (not on
    payments), of ``company`` for ``type_tax_use`` ("sale" or "purchase"):
    made by the test, so the same in every chart of accounts."""
    env = company.env
    country = company.account_fiscal_country_id
    Group = env["account.tax.group"]
    group = Group.search(
        [*Group._check_company_domain(company), ("country_id", "in", (country.id, False))],
        limit=1,
    ) or Group.create({"name": "TVA", "company_id": company.id, "country_id": country.id})
    return (
        env["account.tax"]
        .with_company(company)
        .create(
            {
                "name": "TVA %s %% test %s" % (amount, type_tax_use),
                "amount": amount,
                "amount_type": "percent",
                "type_tax_use": type_tax_use,
                "price_include_override": "tax_excluded",
                "tax_exigibility": "on_invoice",
                "tax_group_id": group.id,
                "company_id": company.id,
                "country_id": country.id,
            }
        )
    )


# A class of tests takes "today" once (its invoices are so many days late),
# as PostgreSQL's CURRENT_DATE does in the reports' views, and the longest
# class runs for well under a minute: one started closer than this to
# midnight (UTC: test users have no time zone) would see two days.
MIDNIGHT_MARGIN = timedelta(minutes=5)


def seconds_before_the_day_is_safe(now):
    """How long a class of tests starting at ``now`` should wait: until
    just past midnight when midnight is less than MIDNIGHT_MARGIN away,
    else not at all. Waiting keeps Python and PostgreSQL on the same day,
    where shifting Python's clock alone would set them apart."""
    next_midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
    left = next_midnight - now
    if left < MIDNIGHT_MARGIN:
        return left.total_seconds() + 1
    return 0


class LatePaymentCase(TransactionCase):
    """A French company (the database's main one), two business customers
    and helpers to make invoices and payments."""

    @classmethod
    def setUpClass(cls):
        cls._keep_one_day()
        super().setUpClass()
        cls.company = make_company_french(cls.env.company)
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.customer = cls._customer("Boulangerie Martin SARL")
        cls.customer_2 = cls._customer("Garage Dupont SAS")

    @classmethod
    def _keep_one_day(cls):
        """Near midnight, the class waits for the next day, so that its
        tests all see the day its fixtures were made for. A CI run that
        crossed midnight failed on a penalty of 11 days where the invoice
        was made 10 days late."""
        wait = seconds_before_the_day_is_safe(datetime.utcnow())
        if wait:
            _logger.info("%s waits %.0f s for midnight to pass", cls.__name__, wait)
            time.sleep(wait)

    @classmethod
    def _customer(cls, name, **values):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": "%s@example.com" % name.split()[0].lower(),
                "lang": "en_US",
                "street": "3 place Bellecour",
                "zip": "69002",
                "city": "Lyon",
                "country_id": cls.env.ref("base.fr").id,
                **values,
            }
        )

    @classmethod
    def _invoice(cls, partner, amount, days_late, company=None):
        """A posted customer invoice of ``amount`` (no tax) whose due date is
        ``days_late`` days before today (negative: not yet due)."""
        due = cls.today - timedelta(days=days_late)
        return cls._invoice_on(partner, amount, due - timedelta(days=30), due, company)

    @classmethod
    def _pay(cls, move, amount=None, date=None):
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create(
            {"amount": amount or move.amount_residual, "payment_date": date or cls.today}
        )._create_payments()

    @classmethod
    def _invoice_on(
        cls,
        partner,
        amount,
        invoice_date,
        due_date,
        company=None,
        currency=None,
        move_type=None,
        tax=None,
    ):
        """A posted customer invoice (or credit note, or vendor bill) with the
        given dates, untaxed ``amount`` and no tax unless ``tax`` is given."""
        move = (
            cls.env["account.move"]
            .with_company(company or cls.company)
            .create(
                {
                    "move_type": move_type or "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": invoice_date,
                    "invoice_date_due": due_date,
                    **({"currency_id": currency.id} if currency else {}),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Prestation",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.set(tax.ids)] if tax else [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    @classmethod
    def _tax(cls, type_tax_use="sale", amount=20.0):
        """A test ``amount`` % tax of the company (see ``make_tax``)."""
        return make_tax(cls.company, type_tax_use, amount)

    @classmethod
    def _usd_at(cls, day, rate=2.0):
        """US dollars, active, at ``rate`` USD for 1 EUR from ``day``."""
        usd = cls.env.ref("base.USD")
        usd.active = True
        cls.env["res.currency.rate"].create(
            {"currency_id": usd.id, "name": day, "rate": rate, "company_id": cls.company.id}
        )
        return usd

    @classmethod
    def _pay_unmatched(cls, partner, amount, date=None):
        """A customer payment posted on the receivable account and not
        matched to any invoice (the accountant has not reconciled it yet)."""
        payment = cls.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": partner.id,
                "amount": amount,
                "date": date or cls.today,
                "journal_id": cls.env["account.journal"]
                .search([("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1)
                .id,
            }
        )
        payment.action_post()
        return payment

    @classmethod
    def _credit_note(cls, partner, amount, date=None):
        """An open credit note of the customer (not matched to an invoice)."""
        day = date or cls.today
        return cls._invoice_on(partner, amount, day, day, move_type="out_refund")

    def _add_test_rates_to_today(self, until=None):
        """Test fixture only: the shipped tables stop at the last verified
        semester, 2026-H1 (legal_fr.md 7.2); today's interest needs a rate for
        every semester since, whatever the day the tests run. The tests carry
        the last verified rates forward (ECB 2.15 %, legal 6.67 % / 2.62 %);
        nothing of it is shipped."""
        for model, values in (
            ("account.dunning.ecb.rate", {"rate": 2.15}),
            ("account.dunning.legal.rate", {"rate_individuals": 6.67, "rate_other": 2.62}),
        ):
            rates = self.env[model]
            day = max(rates.search([]).mapped("semester_start"))
            last = until or self.today
            while day <= last:
                day = next_semester_start(day)
                if day <= last and not rates.search_count([("semester_start", "=", day)]):
                    rates.create({"semester_start": day, **values})
