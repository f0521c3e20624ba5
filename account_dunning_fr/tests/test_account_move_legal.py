"""Legal figures on invoices, computed by the core from the rate tables.

Expected figures are those of test_core_penalties, worked by hand from
../shared/legal; here they must come out of real invoices and payments.
"""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestAccountMoveLegal(DunningCase):
    def _figures(self, move, until):
        return move._get_dunning_figures(until)[move.id]

    def test_b2b_invoice_paid_late_owes_penalties_and_forty_euros(self):
        # legal_fr.md 1.5: 10,000.00 due 15 May 2025, paid 14 Aug 2025:
        # 46 days at 13.15 % + 45 days at 12.15 % = 165.73 + 149.79 = 315.52
        invoice = self._invoice_on(self.customer, 10000.0, date(2025, 4, 15), date(2025, 5, 15))
        self._pay(invoice, date=date(2025, 8, 14))
        figures = self._figures(invoice, date(2025, 12, 31))
        self.assertEqual(str(figures["interest"]), "315.52")
        self.assertEqual(str(figures["indemnity"]), "40.00")
        self.assertEqual(figures["days_late"], 91)
        # The fields show the same, computed to today: the payment closed it.
        self.assertAlmostEqual(invoice.late_penalty_amount, 315.52, places=2)
        self.assertAlmostEqual(invoice.recovery_indemnity_amount, 40.0, places=2)

    def test_unpaid_invoice_accrues_to_the_given_day(self):
        invoice = self._invoice_on(self.customer, 10000.0, date(2025, 4, 15), date(2025, 5, 15))
        self.assertEqual(str(self._figures(invoice, date(2025, 8, 14))["interest"]), "315.52")

    def test_fixed_at_start_setting(self):
        # 91 days at 13.15 %: 10000 * 13.15% * 91 / 365 = 327.85
        self.company.dunning_penalty_rate_mode = "fixed_at_start"
        invoice = self._invoice_on(self.customer, 10000.0, date(2025, 4, 15), date(2025, 5, 15))
        self.assertEqual(str(self._figures(invoice, date(2025, 8, 14))["interest"]), "327.85")

    def test_partial_payments_lower_the_base(self):
        # 10,000 due 31 Mar 2025; 4,000 paid 30 Apr; 6,000 paid 31 May:
        # 108.0822 + 67.0110 = 175.09
        invoice = self._invoice_on(self.customer, 10000.0, date(2025, 3, 1), date(2025, 3, 31))
        self._pay(invoice, 4000.0, date=date(2025, 4, 30))
        self._pay(invoice, 6000.0, date=date(2025, 5, 31))
        self.assertEqual(str(self._figures(invoice, date(2025, 9, 1))["interest"]), "175.09")

    def test_paid_on_due_date_owes_nothing(self):
        invoice = self._invoice_on(self.customer, 10000.0, date(2025, 4, 15), date(2025, 5, 15))
        self._pay(invoice, date=date(2025, 5, 15))
        figures = self._figures(invoice, date(2025, 9, 1))
        self.assertEqual(str(figures["interest"]), "0.00")
        self.assertEqual(str(figures["indemnity"]), "0")

    def test_public_buyer_fixed_rate_plus_eight(self):
        # R2192-31: 91 days at 3.15 + 8 = 11.15 %: 277.99
        mairie = self._customer("Mairie de Villeurbanne", dunning_public_buyer=True)
        invoice = self._invoice_on(mairie, 10000.0, date(2025, 4, 15), date(2025, 5, 15))
        figures = self._figures(invoice, date(2025, 8, 14))
        self.assertEqual(str(figures["interest"]), "277.99")
        self.assertEqual(str(figures["indemnity"]), "40.00")

    def test_consumer_before_and_after_the_formal_notice(self):
        person = self.env["res.partner"].create(
            {"name": "Jeanne Petit", "is_company": False, "email": "jeanne@example.com"}
        )
        invoice = self._invoice_on(person, 1200.0, date(2025, 4, 1), date(2025, 5, 1))
        before = self._figures(invoice, date(2025, 9, 30))
        self.assertEqual(str(before["interest"]), "0.00")
        # Never a recovery indemnity for a consumer (CPCE L111-8).
        self.assertEqual(str(before["indemnity"]), "0")
        # Notice received 20 Jun 2025: 10 days at 3.71 % + 92 days at 2.76 % = 9.57
        invoice.dunning_notice_date = date(2025, 6, 20)
        self.assertEqual(str(self._figures(invoice, date(2025, 9, 30))["interest"]), "9.57")

    def _drop_rates_from(self, day):
        for model in ("account.dunning.ecb.rate", "account.dunning.legal.rate"):
            self.env[model].search([("semester_start", ">=", day)]).unlink()

    def test_missing_semester_claims_the_known_part_and_says_the_rest_is_pending(self):
        # 2026-H2 has no ECB rate. 1,000.00 due 15 Jun 2026, to 1 Aug 2026:
        # 16-30 Jun: 15 days at 2.15 + 10 = 12.15 %: 1000 * 12.15% * 15 / 365 = 4.99,
        # never 0 for the whole delay; July on is pending.
        self._drop_rates_from(date(2026, 7, 1))
        invoice = self._invoice_on(self.customer, 1000.0, date(2026, 5, 15), date(2026, 6, 15))
        figures = self._figures(invoice, date(2026, 8, 1))
        self.assertEqual(str(figures["interest"]), "4.99")
        self.assertEqual(figures["pending"], ["2026-H2"])
        self.assertEqual(figures["computed_until"], date(2026, 6, 30))
        self.assertFalse(figures["warning"])
        self.assertEqual(str(figures["indemnity"]), "40.00")
        self.assertEqual(invoice.dunning_penalty_pending, "+ pending 2026-H2")
        self.assertFalse(invoice.dunning_penalty_warning)

    def test_billing_with_a_pending_semester_bills_the_known_part_once(self):
        # Billed on 1 Aug 2026 while 2026-H2 is pending: 4.99 (16-30 Jun) + 40.00,
        # penalties billed until 30 Jun only.
        self._drop_rates_from(date(2026, 7, 1))
        invoice = self._invoice_on(self.customer, 1000.0, date(2026, 5, 15), date(2026, 6, 15))
        bill = invoice._dunning_bill_penalties(date(2026, 8, 1))
        self.assertEqual(bill.amount_total, 44.99)
        self.assertIn("to 06/30/2026", bill.invoice_line_ids[0].name)
        self.assertEqual(invoice.dunning_penalty_billed_until, date(2026, 6, 30))
        # The rate is published (2.15): 1 Jul-1 Aug, 32 days at 12.15 %:
        # 1000 * 12.15% * 32 / 365 = 10.65; to date 4.9932 + 10.6521 = 15.65,
        # less the 4.99 billed: 10.66 left, the indemnity not again.
        self.env["account.dunning.ecb.rate"].create(
            {"semester_start": date(2026, 7, 1), "rate": 2.15}
        )
        figures = self._figures(invoice, date(2026, 8, 1))
        self.assertEqual(str(figures["interest"]), "10.66")
        self.assertEqual(figures["pending"], [])
        self.assertEqual(str(figures["indemnity"]), "0")

    def test_formal_notice_claims_the_known_part_and_announces_the_rest(self):
        self._drop_rates_from(date(2026, 7, 1))
        invoice = self._invoice_on(self.customer, 1000.0, date(2026, 5, 15), date(2026, 6, 15))
        self._set_level(invoice, self.level_call, days_ago=15)
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        self.assertEqual(action.level_id, self.level_notice)
        # 16-30 Jun 2026 at 12.15 %: 4.99; July on pending.
        self.assertAlmostEqual(action.amount_penalties, 4.99, places=2)
        self.assertEqual(action.penalty_pending, "2026-H2")
        self.assertEqual(action.penalty_computed_until, date(2026, 6, 30))
        action.action_send()
        body = action.mail_id.body_html
        self.assertIn("computed until 06/30/2026", body)
        self.assertIn("claimed once the rate of 2026-H2 is published", body)
        letter = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account_dunning_fr.report_dunning_letter", action.ids)[0]
            .decode()
        )
        self.assertIn("claimed once the rate of", letter)
        self.assertNotIn("missing", letter.lower())

    def test_entering_the_missing_rate_makes_it_computable(self):
        self.env["account.dunning.ecb.rate"].search(
            [("semester_start", ">=", date(2026, 7, 1))]
        ).unlink()
        self.env["account.dunning.ecb.rate"].create(
            {"semester_start": date(2026, 7, 1), "rate": 2.15}
        )
        # 1,000 due 15 Jun 2026, to 1 Aug 2026:
        # 16-30 Jun: 15 days at 12.15 %: 1000 * 12.15% * 15 / 365 = 4.9932
        # 1 Jul-1 Aug: 32 days at 12.15 %: 1000 * 12.15% * 32 / 365 = 10.6521
        # 15.6453 -> 15.65
        invoice = self._invoice_on(self.customer, 1000.0, date(2026, 5, 15), date(2026, 6, 15))
        figures = self._figures(invoice, date(2026, 8, 1))
        self.assertFalse(figures["warning"])
        self.assertEqual(str(figures["interest"]), "15.65")

    def test_contractual_rate_below_the_floor_is_flagged(self):
        # 2025-H1 legal rate (autres cas) 3.71 %: floor 3 x 3.71 = 11.13 %.
        self.customer.dunning_contractual_rate = 5.0
        invoice = self._invoice_on(self.customer, 10000.0, date(2025, 4, 15), date(2025, 5, 15))
        figures = self._figures(invoice, date(2025, 8, 14))
        self.assertIn("below the legal floor of 11.13 %", figures["warning"])
        # Still applied as agreed: 10000 * 5% * 91 / 365 = 124.66
        self.assertEqual(str(figures["interest"]), "124.66")

    def test_legal_term_exceeded_for_b2b_only(self):
        late_term = self._invoice_on(self.customer, 100.0, date(2026, 1, 10), date(2026, 3, 12))
        legal_term = self._invoice_on(self.customer, 100.0, date(2026, 1, 10), date(2026, 3, 11))
        person = self.env["res.partner"].create({"name": "Luc Blanc", "is_company": False})
        consumer = self._invoice_on(person, 100.0, date(2026, 1, 10), date(2026, 4, 30))
        self.assertTrue(late_term.legal_term_exceeded)
        self.assertFalse(legal_term.legal_term_exceeded)
        self.assertFalse(consumer.legal_term_exceeded)
        self.company.dunning_payment_term_method = "eom_45_a"
        # 10 Jan + 45 days = 24 Feb -> end of month 28 Feb 2026: 12 Mar is beyond.
        self.assertTrue(legal_term.legal_term_exceeded)
        exceeded = self.env["account.move"].search(
            [("legal_term_exceeded", "=", True), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(exceeded, late_term | legal_term)

    def test_prescription_five_years_restarted_by_a_partial_payment(self):
        invoice = self._invoice_on(self.customer, 1000.0, date(2021, 3, 15), date(2021, 4, 14))
        self.assertEqual(invoice.prescription_date, date(2026, 3, 15))
        invoice.delivery_date = date(2021, 3, 1)
        self.assertEqual(invoice.prescription_date, date(2026, 3, 1))
        # C. civ. 2240: a partial payment is an acknowledgement.
        self._pay(invoice, 100.0, date=date(2023, 5, 2))
        self.assertEqual(invoice.prescription_date, date(2028, 5, 2))
        invoice.dunning_judicial_demand_date = date(2025, 1, 20)
        self.assertEqual(invoice.prescription_date, date(2030, 1, 20))

    def test_reminders_restart_prescription_against_public_debtors_only(self):
        mairie = self._customer("Mairie de Bron", dunning_public_buyer=True)
        public = self._invoice_on(mairie, 1000.0, date(2022, 6, 10), date(2022, 7, 10))
        private = self._invoice_on(self.customer, 1000.0, date(2022, 6, 10), date(2022, 7, 10))
        # Loi 68-1250: 1 Jan 2023 + 4 years -> last day 31 Dec 2026.
        self.assertEqual(public.prescription_date, date(2026, 12, 31))
        # A reminder sent on 1 March 2024 is a written claim (loi 68-1250
        # art. 2): 4 years from 1 January 2025 -> 31 Dec 2028. Against a
        # company it changes nothing (Cass. com. 18 May 2022): 10 Jun 2027.
        with freeze_time("2024-03-01"):
            self._run(partners=mairie | self.customer)
        self.assertEqual(self._actions(mairie).date_sent, date(2024, 3, 1))
        self.assertEqual(public.prescription_date, date(2028, 12, 31))
        self.assertEqual(private.prescription_date, date(2027, 6, 10))

    def test_reminder_lists_penalties_and_indemnity(self):
        invoice = self._invoice(self.customer, 1000.0, days_late=1)
        self._run()
        line = self._actions(self.customer).line_ids
        figures = self._figures(invoice, self.today)
        self.assertAlmostEqual(line.late_penalty_amount, float(figures["interest"]), places=2)
        self.assertEqual(line.recovery_indemnity_amount, 40.0)
        action = self._actions(self.customer)
        self.assertAlmostEqual(
            action.amount_claimed,
            1000.0 + float(figures["interest"]) + 40.0,
            places=2,
        )

    def test_formal_notice_receipt_starts_consumer_interest(self):
        person = self.env["res.partner"].create(
            {"name": "Paul Durand", "is_company": False, "email": "paul.durand@example.com"}
        )
        invoice = self._invoice(person, 1200.0, days_late=31)
        notice_level = self.env.ref("account_dunning_fr.level_b2c_formal_notice")
        self._set_level(
            invoice, self.env.ref("account_dunning_fr.level_b2c_reminder_2"), days_ago=15
        )
        self._run(partners=person)
        action = self._actions(person)
        self.assertEqual(action.level_id, notice_level)
        action.action_send()
        action.write({"registered_letter_number": "1A 234 567 8901 2", "receipt_date": self.today})
        self.assertEqual(invoice.dunning_notice_date, self.today)

    def test_prescription_alerts_become_activities(self):
        old = self._invoice_on(
            self.customer,
            1000.0,
            self.today - timedelta(days=5 * 365 - 30),
            self.today - timedelta(days=5 * 365 - 60),
        )
        self.assertLessEqual(old.prescription_date, self.today + timedelta(days=90))
        self._run()
        self.assertTrue(
            old.activity_ids.filtered(lambda a: a.summary.startswith("Prescription on"))
        )

    def test_invoice_pdf_carries_the_l441_10_mentions_for_business_only(self):
        invoice = self._invoice(self.customer, 100.0, days_late=-10)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        self.assertIn("fixed recovery indemnity of 40 EUR", html)
        self.assertIn("ECB refinancing rate + 10 points", html)
        person = self.env["res.partner"].create({"name": "Luc Blanc", "is_company": False})
        consumer_invoice = self._invoice(person, 100.0, days_late=-10)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", consumer_invoice.ids)[0]
            .decode()
        )
        self.assertNotIn("40 EUR", html)

    def test_litigation_file_lists_amounts_computation_and_reminders(self):
        self._add_test_rates_to_today()
        invoice = self._invoice_on(self.customer, 10000.0, date(2025, 4, 15), date(2025, 5, 15))
        self._run()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account_dunning_fr.report_litigation_file", self.customer.ids)[0]
            .decode()
        )
        self.assertIn(invoice.name, html)
        self.assertIn("Computation of the penalties", html)
        self.assertIn("13.15</span> %", html)
        self.assertIn("First reminder", html)
        self.assertIn("L441-10", html)

    def test_litigation_file_bundles_statement_invoices_and_letters(self):
        import io
        import zipfile

        invoice = self._invoice(self.customer, 900.0, days_late=15)
        self._set_level(invoice, self.level_1, days_ago=14)
        self._run()  # second reminder: email and letter
        action = self.customer.action_print_litigation_file()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        self.assertEqual(
            (attachment.res_model, attachment.res_id), ("res.partner", self.customer.id)
        )
        names = zipfile.ZipFile(io.BytesIO(attachment.raw)).namelist()
        self.assertEqual(len(names), 3)
        self.assertTrue(names[0].startswith("00 Litigation file"))
        self.assertTrue(names[1].startswith("10 " + invoice.name.replace("/", "-")))
        self.assertTrue(names[2].startswith("20 %s Second reminder" % self.today))
