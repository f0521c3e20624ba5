"""The court timeline: a litigation file per customer, its procedural
deadlines, the judicial demand that restarts prescription (C. civ. 2241),
the activities before each deadline, the request's statement and exhibits."""

from datetime import date, timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestLitigationFile(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.File = cls.env["account.dunning.litigation.file"]
        cls.accountant = new_test_user(
            cls.env,
            login="claire.contentieux",
            groups="base.group_user,account.group_account_invoice",
        )
        cls.company.dunning_responsible_id = cls.accountant

    def _file(self, partner=None, **values):
        return self.File.create({"partner_id": (partner or self.customer).id, **values})

    def test_file_opened_when_the_litigation_reminder_is_sent(self):
        invoice = self._invoice(self.customer, 1500.0, days_late=70)
        self._set_level(invoice, self.level_notice, days_ago=15)
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        self.assertEqual(action.level_id, self.level_litigation)
        self.assertFalse(self.File.search([("partner_id", "=", self.customer.id)]))
        action.action_send()
        court_file = self.File.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(court_file), 1)
        self.assertEqual(court_file.state, "draft")
        self.assertEqual(court_file.invoice_ids, invoice)
        # Opening it from the customer's form gives the same file.
        opened = self.customer.action_open_litigation_court_file()
        self.assertEqual(opened["res_id"], court_file.id)
        self.assertEqual(self.File.search_count([("partner_id", "=", self.customer.id)]), 1)

    def test_deadlines_are_stored_next_one_first(self):
        court_file = self._file(date_filed=date(2026, 8, 20), date_ordonnance=date(2026, 9, 1))
        # Reformed order (from 1 Sept 2026): served within 3 months, Tue 1 Dec 2026.
        self.assertEqual(court_file.state, "ordered")
        self.assertEqual(court_file.deadline_signification, date(2026, 12, 1))
        self.assertEqual(court_file.next_deadline, date(2026, 12, 1))
        self.assertEqual(court_file.next_deadline_label, "deadline_signification")
        # Served Mon 5 Oct 2026: opposition until Thu 5 Nov; enforcement from
        # Tue 8 Dec (2 months end Sat 5 Dec, moved to Mon 7 Dec).
        court_file.write(
            {"date_signification": date(2026, 10, 5), "signification_a_personne": True}
        )
        self.assertEqual(court_file.state, "served")
        self.assertEqual(court_file.deadline_opposition, date(2026, 11, 5))
        self.assertEqual(court_file.date_enforcement_from, date(2026, 12, 8))
        self.assertEqual(
            (court_file.next_deadline, court_file.next_deadline_label),
            (date(2026, 11, 5), "deadline_opposition"),
        )
        found = self.File.search(
            [("next_deadline", "=", date(2026, 11, 5)), ("id", "=", court_file.id)]
        )
        self.assertEqual(found, court_file)
        court_file.date_opposition = date(2026, 11, 2)
        self.assertEqual(court_file.state, "opposed")
        self.assertFalse(court_file.next_deadline)

    def test_order_before_the_reform_has_six_months(self):
        # Mon 31 Aug 2026 + 6 months = Sun 28 Feb 2027: Mon 1 March 2027.
        court_file = self._file(date_ordonnance=date(2026, 8, 31))
        self.assertEqual(court_file.deadline_signification, date(2027, 3, 1))

    def test_service_of_the_order_restarts_prescription(self):
        # B2B invoice of 10 March 2022: prescription 10 March 2027 (5 years,
        # C. com. L110-4).
        invoice = self._invoice_on(self.customer, 1000.0, date(2022, 3, 10), date(2022, 4, 9))
        self.assertEqual(invoice.prescription_date, date(2027, 3, 10))
        court_file = self._file(invoice_ids=[(6, 0, invoice.ids)], date_ordonnance=date(2026, 9, 1))
        # The order alone does not interrupt (Cass. 10 juil. 1990).
        self.assertFalse(invoice.dunning_judicial_demand_date)
        self.assertEqual(invoice.prescription_date, date(2027, 3, 10))
        # Served on 5 Oct 2026: a new 5-year period, to 5 Oct 2031 (C. civ. 2241, 2231).
        court_file.date_signification = date(2026, 10, 5)
        self.assertEqual(invoice.dunning_judicial_demand_date, date(2026, 10, 5))
        self.assertEqual(invoice.prescription_date, date(2031, 10, 5))

    def test_summons_restarts_prescription_too(self):
        invoice = self._invoice_on(self.customer, 1000.0, date(2022, 3, 10), date(2022, 4, 9))
        self._file(
            invoice_ids=[(6, 0, invoice.ids)],
            route="assignation",
            date_assignation=date(2026, 7, 1),
        )
        self.assertEqual(invoice.prescription_date, date(2031, 7, 1))

    def test_activity_before_a_deadline_once(self):
        court_file = self._file(date_ordonnance=date(2026, 9, 1))  # serve by 1 Dec 2026
        Activity = self.env["mail.activity"]
        domain = [("res_model", "=", self.File._name), ("res_id", "=", court_file.id)]
        # 10 Nov: 1 Dec is 21 days ahead, beyond the 14 days of notice.
        self.File._raise_deadline_alerts(date(2026, 11, 10), self.company)
        self.assertFalse(Activity.search(domain))
        self.File._raise_deadline_alerts(date(2026, 11, 20), self.company)
        activity = Activity.search(domain)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.accountant)
        self.assertEqual(activity.date_deadline, date(2026, 12, 1))
        self.assertIn("Serve the order", activity.summary)
        self.File._raise_deadline_alerts(date(2026, 11, 21), self.company)
        self.assertEqual(len(Activity.search(domain)), 1)
        # Done, it does not come back the next day.
        activity.action_feedback(feedback="Commissaire de justice instructed")
        self.File._raise_deadline_alerts(date(2026, 11, 22), self.company)
        self.assertFalse(Activity.search(domain))

    def test_the_daily_run_raises_deadline_activities(self):
        # An order served within 3 months, rendered 85 days ago: its deadline
        # falls within the next 14 days whatever today is.
        court_file = self._file(date_ordonnance=self.today - timedelta(days=85))
        self.assertLessEqual(court_file.next_deadline, self.today + timedelta(days=14))
        self._run(partners=self.customer)
        self.assertEqual(len(court_file.activity_ids), 1)
        self._run(partners=self.customer)
        self.assertEqual(len(court_file.activity_ids), 1)

    def _hand_built_claim(self):
        """1,000 EUR 10 days late and 2,500 EUR 20 days late, a 300 EUR
        credit note; the rate of the semester: ECB 2.15 % + 10 = 12.15 %."""
        self._add_test_rates_to_today()
        first = self._invoice(self.customer, 1000.0, days_late=10)
        second = self._invoice(self.customer, 2500.0, days_late=20)
        self._credit_note(self.customer, 300.0)
        return first | second

    def test_statement_figures_to_the_cent(self):
        invoices = self._hand_built_claim()
        court_file = self._file()
        self.assertEqual(court_file.invoice_ids, invoices)
        data = court_file._get_file_data()
        penalties = {row["invoice"]: row["interest"] for row in data["rows"]}
        self.assertEqual(court_file.amount_principal, 3500.0)
        self.assertEqual(court_file.amount_credits, 300.0)
        # 40 EUR per invoice (C. com. D441-5).
        self.assertEqual(court_file.amount_indemnities, 80.0)
        # Penalties per invoice: see the figures below.
        self.assertAlmostEqual(penalties[invoices[0]], self.expected_first, places=2)
        self.assertAlmostEqual(penalties[invoices[1]], self.expected_second, places=2)
        self.assertAlmostEqual(
            court_file.amount_total,
            3500.0 - 300.0 + self.expected_first + self.expected_second + 80.0,
            places=2,
        )
        self.assertAlmostEqual(court_file.amount_total, 3299.97, places=2)

    # 1,000 x 12.15 % x 10 / 365 = 3.33 and 2,500 x 12.15 % x 20 / 365 =
    # 16.64: the credit note of today stops no penalty that ran before it.
    # Total: 3,500 - 300 + 3.33 + 16.64 + 80 = 3,299.97.
    expected_first = 3.33
    expected_second = 16.64

    def test_statement_and_exhibits_in_french(self):
        invoices = self._hand_built_claim()
        court_file = self._file()
        notice = self.env["ir.attachment"].create(
            {
                "name": "Conditions générales de vente.pdf",
                "raw": b"%PDF-1.4",
                "res_model": self.File._name,
                "res_id": court_file.id,
            }
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account_dunning_fr.report_litigation_court_file", court_file.ids)[0]
            .decode()
        )
        self.assertIn("Décompte de la créance", html)
        self.assertIn("Bordereau des pièces", html)
        self.assertIn("Pénalités de retard", html)
        self.assertIn("Indemnités forfaitaires", html)
        for invoice in invoices:
            self.assertIn(invoice.name, html)
        self.assertIn(notice.name, html)
        pdf, report_type = self.env["ir.actions.report"]._render_qweb_pdf(
            "account_dunning_fr.report_litigation_court_file", court_file.ids
        )
        self.assertIn(report_type, ("pdf", "html"))
        self.assertTrue(pdf)

    def test_exhibits_list_the_formal_notice_and_its_receipt(self):
        invoice = self._invoice(self.customer, 1200.0, days_late=50)
        self._set_level(invoice, self.level_call, days_ago=15)
        self._run(partners=self.customer)
        notice = self._actions(self.customer)
        self.assertEqual(notice.level_id, self.level_notice)
        notice.action_send()
        notice.write({"registered_letter_number": "1A 234 567 8901 2", "receipt_date": self.today})
        court_file = self._file()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account_dunning_fr.report_litigation_court_file", court_file.ids)[0]
            .decode()
        )
        self.assertIn("Mise en demeure envoyée le", html)
        self.assertIn("1A 234 567 8901 2", html)
        self.assertIn("avis de réception signé le", html)
        self.assertNotIn("Aucune mise en demeure", html)

    def test_hints_mark_what_is_to_be_checked(self):
        court_file = self._file(route="creances_incontestees")
        hints = court_file.with_context(lang="fr_FR").hints
        self.assertIn("à vérifier", hints)
        consumer = self._customer("Luc Blanc", is_company=False)
        self._invoice(consumer, 800.0, days_late=40)
        summons = self._file(consumer, route="assignation", jurisdiction="tj")
        self.assertIn("750-1", summons.hints)

    def test_salesperson_cannot_read_files(self):
        court_file = self._file()
        salesperson = new_test_user(self.env, login="paul.vendeur", groups="base.group_user")
        with self.assertRaises(AccessError):
            court_file.with_user(salesperson).read(["name"])
        self.assertEqual(court_file.with_user(self.accountant).name, court_file.name)

    def test_each_company_sees_its_own_files(self):
        other_company = self.env["res.company"].create({"name": "Filiale Rennes"})
        other_file = self.File.with_company(other_company).create(
            {"partner_id": self.customer.id, "company_id": other_company.id}
        )
        own_file = self._file()  # one open file per customer and company
        user = new_test_user(
            self.env,
            login="comptable_rennes",
            groups="base.group_user,account.group_account_invoice",
            company_id=other_company.id,
            company_ids=[(6, 0, other_company.ids)],
        )
        self.assertEqual(self.File.with_user(user).search([]), other_file)
        with self.assertRaises(AccessError):
            own_file.with_user(user).read(["name"])

    def test_bad_input_is_refused(self):
        court_file = self._file(date_ordonnance=date(2026, 9, 1))
        cases = [
            (court_file, {"date_signification": date(2026, 8, 1)}, "cannot be before"),
            (court_file, {"date_invitation": date(2026, 9, 2)}, "another procedure"),
        ]
        for record, values, message in cases:
            with self.assertRaises(ValidationError) as caught:
                record.write(values)
            self.assertIn(message, str(caught.exception))
        with self.assertRaises(ValidationError) as caught:
            self._file()
        self.assertIn("already has an open litigation file", str(caught.exception))
        other = self._invoice(self.customer_2, 100.0, days_late=5)
        with self.assertRaises(ValidationError):
            court_file.invoice_ids = other
        court_file.action_close()
        self.assertEqual(court_file.state, "closed")
        self.assertTrue(self._file())
