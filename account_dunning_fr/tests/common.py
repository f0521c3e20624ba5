from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase

from ..core.semesters import next_semester_start


class DunningCase(TransactionCase):
    """A French company (the database's main one, French chart) with the
    default B2B policy, and helpers to make invoices and payments."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.today = fields.Date.context_today(cls.env["account.dunning.run"])
        cls.policy = cls.env.ref("account_dunning_fr.policy_b2b")
        cls.level_courtesy = cls.env.ref("account_dunning_fr.level_b2b_courtesy")
        cls.level_1 = cls.env.ref("account_dunning_fr.level_b2b_reminder_1")
        cls.level_2 = cls.env.ref("account_dunning_fr.level_b2b_reminder_2")
        cls.level_call = cls.env.ref("account_dunning_fr.level_b2b_call")
        cls.level_notice = cls.env.ref("account_dunning_fr.level_b2b_formal_notice")
        cls.level_litigation = cls.env.ref("account_dunning_fr.level_b2b_litigation")
        cls.customer = cls._customer("Boulangerie Martin SARL")
        cls.customer_2 = cls._customer("Garage Dupont SAS")

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

    def _run(self, partners=None, company=None):
        partners = partners if partners is not None else self.customer | self.customer_2
        return self.env["account.dunning.run"]._run_manual(
            company or self.company, partners=partners
        )

    def _actions(self, partner):
        return self.env["account.dunning.action"].search([("partner_id", "=", partner.id)])

    def _set_level(self, moves, level, days_ago):
        moves._dunning_set_level(level, self.today - timedelta(days=days_ago))
