"""The D441-6 payment-delay tables (C. com. L441-14, D441-6, annexe 4-1),
worked by hand on a fiscal year 1 January - 31 December 2025."""

import base64
import io
import zipfile
from datetime import date

from markupsafe import escape

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import BaseCase, tagged

from ..core import payment_delay
from .common import LatePaymentCase

CLOSING = date(2025, 12, 31)
KEYS = ["0", "1-30", "31-60", "61-90", "91+", "total"]


class PaymentDelayCase(LatePaymentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supplier = cls._customer("Imprimerie Durand SARL")
        cls.purchase_tax = cls._tax("purchase")
        cls.sale_tax = cls._tax("sale")

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @classmethod
    def _move(cls, partner, untaxed, invoice_date, due_date, move_type="out_invoice", tax=None):
        """A posted invoice, bill or credit note of ``untaxed`` (+ ``tax``)."""
        return cls._invoice_on(
            partner, untaxed, invoice_date, due_date, move_type=move_type, tax=tax
        )

    def _wizard(self, **values):
        return self.env["l10n_fr.payment.delay.report"].create(
            {"date_to": CLOSING, "tax_basis": "total", **values}
        )

    def _column(self, table, field):
        return [bracket[field] for bracket in table["brackets"]]

    def _late_customer_invoices(self):
        """One customer invoice per boundary of the brackets, issued 1 Sept.
        2025, days late at the closing date (31 Dec. 2025) = 31 Dec. - due:
          0 days  (due 31 Dec.)  100.00 -> "0"
          1 day   (due 30 Dec.)  200.00 -> 1-30
          30 days (due  1 Dec.)  300.00 -> 1-30
          31 days (due 30 Nov.)  400.00 -> 31-60
          60 days (due  1 Nov.)  500.00 -> 31-60
          61 days (due 31 Oct.)  600.00 -> 61-90
          90 days (due  2 Oct.)  700.00 -> 61-90
          91 days (due  1 Oct.)  800.00 -> 91+
        Turnover of 2025: 100 + 200 + ... + 800 = 3,600.00."""
        for days_late, amount in (
            (0, 100), (1, 200), (30, 300), (31, 400), (60, 500), (61, 600), (90, 700), (91, 800)
        ):  # fmt: skip
            due = date.fromordinal(CLOSING.toordinal() - days_late)
            self._move(self.customer, amount, date(2025, 9, 1), due)

    # ------------------------------------------------------------------
    # Table I
    # ------------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestPaymentDelayReport(PaymentDelayCase):
    def test_brackets_at_their_boundaries_related_to_turnover(self):
        self._late_customer_invoices()
        table = self._wizard(side="customer")._get_table()
        self.assertEqual([b["key"] for b in table["brackets"]], KEYS)
        # total = 1 day and more only: 7 invoices, 200+300+400+500+600+700+800 = 3,500.00
        self.assertEqual(self._column(table, "count"), [1, 2, 2, 2, 1, 7])
        self.assertEqual(
            self._column(table, "amount"), [100.0, 500.0, 900.0, 1300.0, 800.0, 3500.0]
        )
        self.assertEqual(table["denominator"], 3600.0)
        # 100/3600 = 2.78 %, 500/3600 = 13.89 %, 900/3600 = 25.00 %,
        # 1300/3600 = 36.11 %, 800/3600 = 22.22 %, 3500/3600 = 97.22 %
        self.assertEqual(self._column(table, "percent"), [2.78, 13.89, 25.0, 36.11, 22.22, 97.22])
        self.assertEqual(table["excluded"], {"count": 0, "amount": 0.0})
        # No payment term on the invoices: the legal term is the reference.
        self.assertEqual(table["reference_terms"], "Délai légal : 30 jours (C. com. L441-10 I)")

    def test_residual_as_it_stood_at_closing(self):
        # 1,000.00 due 15 Nov. 2025 (46 days late at closing): 300.00 paid
        # 10 Dec. 2025 counts, 200.00 paid 20 Jan. 2026 does not:
        # 1000 - 300 = 700.00 in 31-60.
        invoice = self._move(self.customer, 1000, date(2025, 10, 16), date(2025, 11, 15))
        self._pay(invoice, 300, date(2025, 12, 10))
        self._pay(invoice, 200, date(2026, 1, 20))
        # 500.00 due 16 Dec. 2025 (15 days late), paid in full on 1 Feb. 2026:
        # still unpaid at closing, in 1-30.
        later = self._move(self.customer, 500, date(2025, 11, 16), date(2025, 12, 16))
        self._pay(later, 500, date(2026, 2, 1))
        table = self._wizard(side="customer")._get_table()
        self.assertEqual(self._column(table, "count"), [0, 1, 1, 0, 0, 2])
        self.assertEqual(self._column(table, "amount"), [0.0, 500.0, 700.0, 0.0, 0.0, 1200.0])
        # Turnover 1,000 + 500 = 1,500: 500/1500 = 33.33 %, 700/1500 = 46.67 %,
        # 1200/1500 = 80.00 %
        self.assertEqual(self._column(table, "percent"), [0.0, 33.33, 46.67, 0.0, 0.0, 80.0])

    def test_blocked_invoice_is_disputed_in_b_not_a(self):
        self._move(self.customer, 400, date(2025, 10, 1), date(2025, 11, 30))  # 31 days
        disputed = self._move(self.customer, 250, date(2025, 10, 1), date(2025, 11, 1))
        disputed.action_toggle_block_payment()
        wizard = self._wizard(side="customer")
        table = wizard._get_table()
        self.assertEqual(self._column(table, "count"), [0, 0, 1, 0, 0, 1])
        self.assertEqual(self._column(table, "amount"), [0.0, 0.0, 400.0, 0.0, 0.0, 400.0])
        self.assertEqual(table["excluded"], {"count": 1, "amount": 250.0})
        # The turnover keeps the disputed invoice: 400/650 = 61.54 %
        self.assertEqual(table["brackets"][-1]["percent"], 61.54)
        # D441-6 IV: excluding needs a comment.
        with self.assertRaises(UserError):
            wizard.action_print_pdf()
        with self.assertRaises(UserError):
            wizard.action_export_xlsx()
        wizard.exclusion_comment = "Factures en litige exclues."
        # The report (or, on a company without a layout yet, the layout wizard first).
        self.assertIn(
            wizard.action_print_pdf()["type"], ("ir.actions.report", "ir.actions.act_window")
        )

    def test_vendor_bill_blocked_by_the_accountant_is_disputed(self):
        bill = self._move(self.supplier, 900, date(2025, 9, 1), date(2025, 10, 1), "in_invoice")
        bill.action_toggle_block_payment()
        table = self._wizard(side="supplier")._get_table()
        self.assertEqual(table["excluded"], {"count": 1, "amount": 900.0})
        self.assertEqual(table["brackets"][-1]["count"], 0)

    def _supplier_data(self):
        """Vendor bills with 20 % VAT:
          bill 1: 1,000.00 HT / 1,200.00 TTC, due 20 Nov. 2025 (41 days late),
                  600.00 paid 1 Dec. 2025: 600.00 TTC open = 500.00 HT -> 31-60
          bill 2:   500.00 HT /   600.00 TTC, due 31 Dec. 2025 (not late) -> "0"
          credit note: 100.00 HT / 120.00 TTC of 15 Dec. 2025 (16 days), open -> 1-30
        Purchases of 2025: TTC 1200 + 600 - 120 = 1,680.00; HT 1000 + 500 - 100 = 1,400.00."""
        bill = self._move(
            self.supplier, 1000, date(2025, 10, 21), date(2025, 11, 20), "in_invoice",
            self.purchase_tax,
        )  # fmt: skip
        self._pay(bill, 600, date(2025, 12, 1))
        self._move(self.supplier, 500, date(2025, 12, 1), CLOSING, "in_invoice", self.purchase_tax)
        self._move(
            self.supplier, 100, date(2025, 12, 15), date(2025, 12, 15), "in_refund",
            self.purchase_tax,
        )  # fmt: skip

    def test_vendor_bills_ttc_credit_notes_net(self):
        self._supplier_data()
        table = self._wizard(side="supplier", credit_note_mode="net")._get_table()
        self.assertEqual(table["denominator"], 1680.0)
        # The credit note is deducted in 1-30 but is not an invoice: not counted.
        self.assertEqual(self._column(table, "count"), [1, 0, 1, 0, 0, 1])
        # total = -120 + 600 = 480.00
        self.assertEqual(self._column(table, "amount"), [600.0, -120.0, 600.0, 0.0, 0.0, 480.0])
        # 600/1680 = 35.71 %, -120/1680 = -7.14 %, 480/1680 = 28.57 %
        self.assertEqual(self._column(table, "percent"), [35.71, -7.14, 35.71, 0.0, 0.0, 28.57])
        self.assertEqual(table["credit_notes"], {"count": 1, "amount": 120.0})

    def test_vendor_bills_ht_credit_notes_net(self):
        self._supplier_data()
        table = self._wizard(
            side="supplier", tax_basis="untaxed", credit_note_mode="net"
        )._get_table()
        self.assertEqual(table["denominator"], 1400.0)
        # 600 TTC open x 1000/1200 = 500.00 HT; credit note -100.00 HT
        self.assertEqual(self._column(table, "amount"), [500.0, -100.0, 500.0, 0.0, 0.0, 400.0])
        # 500/1400 = 35.71 %, -100/1400 = -7.14 %, 400/1400 = 28.57 %
        self.assertEqual(self._column(table, "percent"), [35.71, -7.14, 35.71, 0.0, 0.0, 28.57])

    def test_credit_notes_separate_or_excluded(self):
        self._supplier_data()
        separate = self._wizard(side="supplier", credit_note_mode="separate")._get_table()
        self.assertEqual(self._column(separate, "amount"), [600.0, 0.0, 600.0, 0.0, 0.0, 600.0])
        self.assertEqual(separate["credit_notes"], {"count": 1, "amount": 120.0})
        # 600/1680 = 35.71 %
        self.assertEqual(separate["brackets"][-1]["percent"], 35.71)
        excluded = self._wizard(side="supplier", credit_note_mode="excluded")._get_table()
        self.assertEqual(self._column(excluded, "amount"), [600.0, 0.0, 600.0, 0.0, 0.0, 600.0])
        self.assertEqual(excluded["credit_notes"], {"count": 0, "amount": 0.0})

    def test_customer_invoice_ht_ratio(self):
        # 1,000.00 HT / 1,200.00 TTC due 1 Dec. 2025 (30 days), 300.00 paid on
        # 5 Dec.: 900.00 TTC open = 900 x 1000/1200 = 750.00 HT. Turnover HT 1,000.00.
        invoice = self._move(
            self.customer, 1000, date(2025, 11, 1), date(2025, 12, 1), tax=self.sale_tax
        )
        self._pay(invoice, 300, date(2025, 12, 5))
        table = self._wizard(side="customer", tax_basis="untaxed")._get_table()
        self.assertEqual(table["brackets"][1]["amount"], 750.0)
        self.assertEqual(table["brackets"][1]["percent"], 75.0)

    def test_reference_terms_from_the_payment_terms(self):
        term = self.env.ref("account.account_payment_term_30days")
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": date(2025, 10, 1),
                "invoice_payment_term_id": term.id,
                "invoice_line_ids": [Command.create({"name": "X", "price_unit": 100})],
            }
        )
        invoice.action_post()
        wizard = self._wizard(side="customer")
        name = term.with_context(lang=wizard._report_lang()).name
        self.assertEqual(
            wizard._get_table()["reference_terms"],
            "Délais contractuels : conditions de paiement des factures (%s)" % name,
        )

    # ------------------------------------------------------------------
    # Table II
    # ------------------------------------------------------------------

    def test_table_two_invoices_paid_late_during_the_year(self):
        # A 1,000.00 due 31 Mar., paid 15 Apr. 2025: 15 days  -> 1-30
        # B 2,000.00 due 31 May,  paid 31 Aug. 2025: 92 days  -> 91+
        # C   500.00 due 30 Jun., paid 20 Jun. 2025: on time  -> "0"
        # D   800.00 due 30 Nov., half paid 15 Dec. 2025, rest 10 Jan. 2026: not paid in 2025
        # E   300.00 issued 2024, due 1 Dec. 2024, paid 30 Jan. 2025: 60 days -> 31-60
        # F   700.00 issued 1 Dec. 2025, unpaid: not in the table
        # Invoices issued in 2025: A B C D F = 5, 5,000.00
        for amount, issued, due, paid in (
            (1000, date(2025, 3, 1), date(2025, 3, 31), date(2025, 4, 15)),
            (2000, date(2025, 5, 1), date(2025, 5, 31), date(2025, 8, 31)),
            (500, date(2025, 6, 1), date(2025, 6, 30), date(2025, 6, 20)),
            (300, date(2024, 11, 1), date(2024, 12, 1), date(2025, 1, 30)),
        ):
            self._pay(self._move(self.customer, amount, issued, due), amount, paid)
        late = self._move(self.customer, 800, date(2025, 11, 1), date(2025, 11, 30))
        self._pay(late, 400, date(2025, 12, 15))
        self._pay(late, 400, date(2026, 1, 10))
        self._move(self.customer, 700, date(2025, 12, 1), CLOSING)
        table = self._wizard(side="customer", table_type="2")._get_table()
        self.assertEqual(self._column(table, "count"), [1, 1, 1, 0, 1, 3])
        self.assertEqual(self._column(table, "amount"), [500.0, 1000.0, 300.0, 0.0, 2000.0, 3300.0])
        self.assertEqual((table["denominator"], table["count_denominator"]), (5000.0, 5))
        # 500/5000 = 10 %, 1000/5000 = 20 %, 300/5000 = 6 %, 2000/5000 = 40 %, 3300/5000 = 66 %
        self.assertEqual(self._column(table, "percent"), [10.0, 20.0, 6.0, 0.0, 40.0, 66.0])
        # 1/5 = 20 % each, 3/5 = 60 %
        self.assertEqual(self._column(table, "count_percent"), [20.0, 20.0, 20.0, 0.0, 20.0, 60.0])

    # ------------------------------------------------------------------
    # Outputs
    # ------------------------------------------------------------------

    def test_pdf_shows_the_official_labels_and_figures(self):
        self._late_customer_invoices()
        self._supplier_data()
        wizard = self._wizard(credit_note_mode="separate")
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "l10n_fr_payment_delay.action_report_payment_delay", wizard.ids
        )
        html = html.decode()
        labels = payment_delay.LABELS
        for text in (
            labels["title_1"],
            labels["half_1_supplier"],
            labels["half_1_customer"],
            "1 à 30 jours",
            "91 jours et plus",
            "Total (1 jour et plus)",
            "Nombre de factures concernées",
            "Montant total des factures concernées TTC",
            "Pourcentage du montant total des achats de l'exercice TTC",
            "Pourcentage du chiffre d'affaires de l'exercice TTC",
            "Nombre des factures exclues",
            "Délai légal : 30 jours",
            # customer total 3,500.00 and 97.22 %; supplier 31-60 600.00, 35.71 %
            "3\u202f500,00",
            "97,22\u00a0%",
            "35,71\u00a0%",
        ):
            self.assertIn(str(escape(text)), html)
        self.assertNotIn(labels["unverified_2"], html)
        html_2, _type = self.env["ir.actions.report"]._render_qweb_html(
            "l10n_fr_payment_delay.action_report_payment_delay", self._wizard(table_type="2").ids
        )
        self.assertIn(labels["unverified_2"], html_2.decode())
        self.assertIn("Nombre cumulé de factures concernées", html_2.decode())

    def test_xlsx_export_is_an_attachment_with_the_same_figures(self):
        self._late_customer_invoices()
        wizard = self._wizard()
        action = wizard.action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3][:-14]))
        content = base64.b64decode(attachment.datas)
        self.assertTrue(zipfile.is_zipfile(io.BytesIO(content)))
        try:
            import openpyxl
        except ImportError:
            return
        sheet = openpyxl.load_workbook(io.BytesIO(content))["D441-6"]
        values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
        self.assertIn(payment_delay.LABELS["title_1"], values)
        self.assertIn(payment_delay.LABELS["half_1_customer"], values)
        self.assertIn(3500.0, values)
        self.assertIn(97.22, values)

    # ------------------------------------------------------------------
    # Supplier self-check
    # ------------------------------------------------------------------

    def test_late_supplier_bills_with_what_we_owe(self):
        # 10,000.00 due 15 May 2025, unpaid on 14 Aug. 2025 (91 days):
        # 10000 x 13.15 % x 46/365 = 165.73 + 10000 x 12.15 % x 45/365 = 149.79
        # = 315.52 (rounded once); indemnity 40.00 (D441-5).
        bill = self._move(self.supplier, 10000, date(2025, 4, 15), date(2025, 5, 15), "in_invoice")
        rows = self._wizard()._get_late_supplier_bills(date(2025, 8, 14))
        row = next(row for row in rows if row["bill"] == bill)
        self.assertEqual(row["days_late"], 91)
        self.assertEqual(row["interest"], 315.52)
        self.assertEqual(row["indemnity"], 40.0)
        self.assertFalse(row["pending"])

    def test_late_supplier_bill_semester_without_rate_is_pending(self):
        # 1,000.00 due 15 Jun 2026, on 1 Aug 2026, 2026-H2 without its rate:
        # 16-30 Jun at 2.15 + 10 = 12.15 %: 1000 x 12.15 % x 15/365 = 4.99 owed
        # now, July on pending (never 0 for the whole delay).
        self.env["account.dunning.ecb.rate"].search(
            [("semester_start", ">=", date(2026, 7, 1))]
        ).unlink()
        bill = self._move(self.supplier, 1000, date(2026, 5, 15), date(2026, 6, 15), "in_invoice")
        rows = self._wizard()._get_late_supplier_bills(date(2026, 8, 1))
        row = next(row for row in rows if row["bill"] == bill)
        self.assertEqual(row["interest"], 4.99)
        self.assertEqual(row["pending"], "2026-H2")
        self.assertEqual(row["indemnity"], 40.0)

    def test_only_the_companies_the_user_works_in(self):
        other = self.env["res.company"].create({"name": "Filiale Rennes"})
        wizard = self._wizard(company_id=other.id)
        with self.assertRaises(AccessError):
            wizard.with_context(allowed_company_ids=[self.company.id])._get_table()

    def test_fiscal_year_start_defaults_from_the_company(self):
        self.assertEqual(self._wizard().date_from, date(2025, 1, 1))


@tagged("post_install", "-at_install")
class TestPaymentDelayCore(BaseCase):
    def test_bracket_of(self):
        for days, key in (
            (-5, "0"), (0, "0"), (1, "1-30"), (30, "1-30"), (31, "31-60"), (60, "31-60"),
            (61, "61-90"), (90, "61-90"), (91, "91+"), (400, "91+"),
        ):  # fmt: skip
            self.assertEqual(payment_delay.bracket_of(days), key)

    def test_format_fr(self):
        self.assertEqual(payment_delay.format_fr(1234.5), "1\u202f234,50")
        self.assertEqual(payment_delay.format_fr(12.346, "percent"), "12,35\u00a0%")
