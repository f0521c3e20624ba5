"""One source of truth for the customer's kind; French law for French
companies only; one currency per total."""

from datetime import date, timedelta

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestRegimeAndCountry(DunningCase):
    def test_a_public_policy_on_a_private_customer_is_refused(self):
        public_policy = self.env.ref("account_dunning_fr.policy_public")
        with self.assertRaisesRegex(ValidationError, "meant for Public buyer"):
            self.customer.dunning_policy_id = public_policy
        mairie = self._customer("Mairie de Caluire", dunning_public_buyer=True)
        mairie.dunning_policy_id = public_policy
        # Unflagging the public buyer while it keeps a public policy: refused too.
        with self.assertRaises(ValidationError):
            mairie.dunning_public_buyer = False
        # A policy used by public buyers cannot become a B2B one.
        with self.assertRaises(ValidationError):
            public_policy.regime = "b2b"

    def test_choosing_a_public_policy_flags_the_public_buyer(self):
        with Form(self.customer, view="account.view_partner_property_form") as form:
            form.dunning_policy_id = self.env.ref("account_dunning_fr.policy_public")
            self.assertTrue(form.dunning_public_buyer)
        self.assertEqual(self.customer.dunning_regime, "public")

    def test_no_french_figures_for_a_company_abroad(self):
        belgium = self.env["res.company"].create(
            {"name": "Filiale Bruxelles", "country_id": self.env.ref("base.be").id}
        )
        self.assertFalse(belgium._dunning_french_law())
        self.assertFalse(belgium.dunning_active)
        self.assertTrue(self.company.dunning_active)
        # The same invoice figures, once the company is no longer French.
        invoice = self._invoice_on(self.customer, 10000.0, date(2025, 4, 15), date(2025, 5, 15))
        self.assertEqual(
            str(invoice._get_dunning_figures(date(2025, 8, 14))[invoice.id]["interest"]), "315.52"
        )
        self.company.account_fiscal_country_id = self.env.ref("base.be")
        figures = invoice._get_dunning_figures(date(2025, 8, 14))[invoice.id]
        self.assertEqual(
            (figures["interest"], figures["indemnity"], figures["warning"]), (0, 0, False)
        )
        self.assertFalse(invoice._get_late_payment_mention())
        invoice.invalidate_recordset(["legal_term_exceeded", "prescription_date"])
        self.assertFalse(invoice.prescription_date)

    def test_a_foreign_currency_claim_is_in_that_currency(self):
        day = self.today - timedelta(days=40)
        usd = self._usd_at(day)
        self._invoice_on(self.customer, 1000.0, day, self.today - timedelta(days=5), currency=usd)
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        # 1000 USD at 2 USD / EUR: the claim says 1,000.00 USD, not 500 EUR.
        self.assertEqual((action.currency_id, action.amount_due), (usd, 1000.0))
        # Penalties stay in euros: the total claimed does not add them up.
        self.assertEqual(action.amount_claimed, action.amount_due)
        self.assertIn("1,000.00", action.mail_id.body_html)

    def test_mixed_currencies_are_claimed_in_the_company_currency(self):
        day = self.today - timedelta(days=40)
        usd = self._usd_at(day)
        self._invoice_on(self.customer, 1000.0, day, self.today - timedelta(days=5), currency=usd)
        self._invoice(self.customer, 300.0, days_late=5)
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        # 500 EUR (1000 USD at the invoice's rate) + 300 EUR = 800 EUR.
        self.assertEqual((action.currency_id, action.amount_due), (self.company.currency_id, 800.0))
