"""E-invoicing lifecycle statuses and dunning: the buyer's platform says an
invoice is disputed, suspended, refused, partly approved, paid or received,
and the next runs remind, hold or stop as issue 24 says. Statuses come here
through the wizard (the alias and the endpoint have their own tests), as
real CDAR files: the standard's examples as published, or restamped with
the number, date and SIREN of the test's invoice and the day of the test."""

from datetime import date, datetime, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..core.cdar import parse_cdar
from ..core.cdar_template import restamp
from .einvoicing_common import DATA, MESSAGES, SIREN, EinvoicingCase, cdar_file


@tagged("post_install", "-at_install")
class TestEinvoicingStatuses(EinvoicingCase):
    def _late_invoice(self, partner=None, number="FA2026-0042", days_late=10):
        """A posted invoice ``days_late`` days past due."""
        due = self.today - timedelta(days=days_late)
        return self._invoice_named(
            partner or self.customer, number, due - timedelta(days=30), due_date=due
        )

    def _reminded(self, day, invoice):
        """Whether the run of ``day`` reminds ``invoice``."""
        actions = self._run_on(day, invoice.commercial_partner_id)
        return invoice in actions.line_ids.move_id

    # ------------------------------------------------------------------
    # The standard's examples
    # ------------------------------------------------------------------

    def test_the_standards_examples_match_invoices_of_the_same_number_date_and_siren(self):
        f3 = self._invoice_named(self.customer, "F202500003", date(2025, 7, 1), date(2025, 7, 31))
        f6 = self._invoice_named(self.customer_2, "F202500006", date(2025, 7, 1))
        f7 = self._invoice_named(self.customer_2, "F202500007", date(2025, 7, 2))
        names = sorted(path.name for path in DATA.glob("UC*.xml"))
        wizard = self._wizard_import([(name, cdar_file(name)) for name in names])
        self.assertEqual(len(wizard.import_ids), 11)
        self.assertEqual(set(wizard.import_ids.mapped("state")), {"matched"})
        self.assertEqual(len(f3.dunning_einvoice_status_ids), 9)
        # Dated last: the 212 of 2 August (the seller's own, which decides
        # nothing), not the highest code; the 211 of 30 July decides.
        self.assertEqual(f3.dunning_einvoice_status, "212")
        self.assertEqual(f3.dunning_einvoice_effect, "hold")
        self.assertEqual(f3.dunning_payment_announced_on, date(2025, 7, 30))
        # 30 July + 5 days: held until 4 August included.
        self.assertEqual(f3.dunning_hold_until, date(2025, 8, 4))
        self.assertEqual(f3.dunning_einvoice_received_on, date(2025, 7, 1))
        paid = f3.dunning_einvoice_status_ids.filtered(lambda s: s.code == "211")
        self.assertEqual((paid.amount, paid.currency_id.name), (12000.0, "EUR"))
        for disputed in (f6, f7):
            self.assertEqual(disputed.dunning_einvoice_status, "207")
            self.assertEqual(
                (disputed.dunning_excluded, disputed.dunning_exclusion_reason), (True, "einvoice")
            )
        # The runs of those days: held on 4 August, reminded on the 5th.
        self.assertFalse(self._reminded(date(2025, 8, 4), f3))
        self.assertTrue(self._reminded(date(2025, 8, 5), f3))
        self.assertFalse(self._reminded(date(2025, 8, 5), f6))

    # ------------------------------------------------------------------
    # Each class of code, then the runs of later days
    # ------------------------------------------------------------------

    def test_a_dispute_pauses_dunning_until_a_later_approval(self):
        invoice = self._late_invoice()
        self._receive("207", invoice, day=self.today - timedelta(days=2))
        self.assertEqual(invoice.dunning_einvoice_status, "207")
        self.assertEqual(invoice.dunning_einvoice_effect, "pause")
        self.assertEqual(
            (invoice.dunning_excluded, invoice.dunning_exclusion_reason), (True, "einvoice")
        )
        self.assertIn("TX_TVA_ERR", invoice.dunning_exclusion_note)
        self.assertIn("Taux de TVA erroné", invoice.dunning_exclusion_note)
        activity = invoice.activity_ids
        self.assertEqual(activity.user_id, self.accountant)
        self.assertIn("207 En litige", activity.summary)
        self.assertIn("New (corrective) invoice", str(activity.note))
        self.assertFalse(self._reminded(self.today + timedelta(days=1), invoice))
        # Approved later: dunning resumes.
        self._receive("205", invoice, day=self.today)
        self.assertFalse(invoice.dunning_excluded)
        self.assertEqual(invoice.dunning_einvoice_effect, "none")
        self.assertTrue(self._reminded(self.today + timedelta(days=2), invoice))

    def test_a_suspension_pauses_dunning_until_completed(self):
        invoice = self._late_invoice()
        self._receive("208", invoice, day=self.today - timedelta(days=3))
        self.assertEqual(invoice.dunning_exclusion_reason, "einvoice")
        self.assertIn("JUSTIF_ABS", invoice.dunning_exclusion_note)
        self.assertIn("Provide information", invoice.activity_ids.note)
        self.assertFalse(self._reminded(self.today + timedelta(days=1), invoice))
        self._receive("209", invoice, day=self.today - timedelta(days=1))
        self.assertFalse(invoice.dunning_excluded)
        self.assertTrue(self._reminded(self.today + timedelta(days=1), invoice))

    def test_a_refusal_stops_dunning_for_good_and_claims_no_penalty(self):
        invoice = self._late_invoice(days_late=90)
        # 90 days late: penalties and the 40 EUR indemnity were due.
        self.assertGreater(invoice.late_penalty_amount, 0)
        self.assertEqual(invoice.recovery_indemnity_amount, 40.0)
        self._receive("210", invoice, day=self.today - timedelta(days=1))
        self.assertEqual(invoice.dunning_einvoice_effect, "stop")
        self.assertEqual(invoice.late_penalty_amount, 0.0)
        self.assertEqual(invoice.recovery_indemnity_amount, 0.0)
        figures = invoice._get_dunning_figures(self.today + timedelta(days=30))[invoice.id]
        self.assertEqual((figures["interest"], figures["indemnity"]), (0, 0))
        self.assertEqual(invoice.activity_ids.summary, "Credit note or corrected invoice needed")
        self.assertIn("DOUBLON", invoice.activity_ids.note)
        self.assertFalse(self._reminded(self.today + timedelta(days=1), invoice))
        # Whatever follows: an approval dated later changes nothing.
        self._receive("205", invoice, day=self.today)
        self.assertEqual(invoice.dunning_einvoice_effect, "stop")
        self.assertFalse(self._reminded(self.today + timedelta(days=30), invoice))

    def test_a_rejection_and_a_cancellation_stop_dunning_too(self):
        for code, number in (("213", "FA2026-0213"), ("220", "FA2026-0220")):
            with self.subTest(code=code):
                partner = self._customer("Client %s SAS" % code)
                invoice = self._late_invoice(partner, number, days_late=20)
                self._receive(code, invoice, day=self.today - timedelta(days=1))
                self.assertEqual(invoice.dunning_einvoice_effect, "stop")
                self.assertEqual(invoice.recovery_indemnity_amount, 0.0)
                self.assertFalse(self._reminded(self.today + timedelta(days=3), invoice))

    def test_a_payment_transmitted_holds_for_the_days_set_then_reminds(self):
        self.assertEqual(self.company.dunning_einvoice_paid_hold_days, 5)
        invoice = self._late_invoice()
        paid_on = self.today - timedelta(days=1)
        self._receive("211", invoice, day=paid_on)
        self.assertEqual(invoice.dunning_einvoice_effect, "hold")
        self.assertEqual(invoice.dunning_payment_announced_on, paid_on)
        until = paid_on + timedelta(days=5)
        self.assertEqual(invoice.dunning_hold_until, until)
        self.assertFalse(invoice.dunning_excluded)
        self.assertFalse(self._reminded(until, invoice))
        # Still unpaid the day after: reminded, the payment announced missing.
        self.assertEqual(
            invoice._dunning_announced_payment_missing(until + timedelta(days=1)), invoice
        )
        self.assertTrue(self._reminded(until + timedelta(days=1), invoice))

    def test_the_company_chooses_how_long_a_payment_transmitted_holds(self):
        self.company.dunning_einvoice_paid_hold_days = 2
        invoice = self._late_invoice()
        self._receive("211", invoice, day=self.today)
        self.assertEqual(invoice.dunning_hold_until, self.today + timedelta(days=2))
        with self.assertRaises(UserError):
            self.company.dunning_einvoice_paid_hold_days = -1

    def test_a_dispute_after_a_payment_transmitted_pauses(self):
        invoice = self._late_invoice()
        self._receive("211", invoice, day=self.today - timedelta(days=8))
        # The hold of the 211 is over: reminded.
        self.assertTrue(invoice.dunning_hold_until < self.today)
        self._receive("207", invoice, day=self.today - timedelta(days=1))
        self.assertEqual(invoice.dunning_einvoice_effect, "pause")
        self.assertEqual(invoice.dunning_exclusion_reason, "einvoice")
        self.assertFalse(self._reminded(self.today, invoice))

    def test_statuses_in_any_order_decide_on_their_date(self):
        early, late = self.today - timedelta(days=4), self.today - timedelta(days=1)
        approved_last = self._late_invoice(self.customer, "FA2026-0001")
        # The approval, dated last, arrives first; the older dispute after it.
        self._receive("205", approved_last, day=late)
        self._receive("207", approved_last, day=early)
        self.assertEqual(approved_last.dunning_einvoice_status, "205")
        self.assertFalse(approved_last.dunning_excluded)
        disputed_last = self._late_invoice(self.customer_2, "FA2026-0002")
        self._receive("207", disputed_last, day=late)
        self._receive("205", disputed_last, day=early)
        self.assertEqual(disputed_last.dunning_einvoice_status, "207")
        self.assertTrue(disputed_last.dunning_excluded)
        self.assertTrue(self._reminded(self.today, approved_last))
        self.assertFalse(self._reminded(self.today, disputed_last))

    def test_a_partial_approval_holds_the_invoice_to_review(self):
        invoice = self._late_invoice()
        self._receive("206", invoice, day=self.today - timedelta(days=1))
        self.assertEqual(invoice.dunning_einvoice_effect, "review")
        self.assertEqual(invoice.dunning_exclusion_reason, "einvoice")
        self.assertEqual(invoice.activity_ids.summary, "Partly approved: review what is undisputed")
        self.assertFalse(self._reminded(self.today + timedelta(days=1), invoice))
        # The accountant reviewed it and resumes: the statuses do not overrule.
        invoice.with_user(self.accountant).action_dunning_include()
        self.assertFalse(invoice.dunning_einvoice_excluded)
        self._receive("204", invoice, day=self.today)
        self.assertFalse(invoice.dunning_excluded)
        self.assertTrue(self._reminded(self.today + timedelta(days=1), invoice))

    def test_the_buyer_saying_something_new_pauses_again_after_a_person_resumed(self):
        invoice = self._late_invoice()
        self._receive("207", invoice, day=self.today - timedelta(days=5))
        invoice.with_user(self.accountant).action_dunning_include()
        self._receive("208", invoice, day=self.today - timedelta(days=1))
        self.assertEqual(invoice.dunning_exclusion_reason, "einvoice")
        self.assertIn("208 Suspendue", invoice.dunning_exclusion_note)

    def test_an_approval_never_lifts_a_persons_exclusion(self):
        invoice = self._late_invoice()
        invoice.with_user(self.accountant)._dunning_exclude("dispute", note="Litige qualité")
        self._receive("207", invoice, day=self.today - timedelta(days=2))
        self.assertEqual(invoice.dunning_exclusion_reason, "dispute")
        self.assertEqual(invoice.dunning_exclusion_note, "Litige qualité")
        self.assertEqual(len(invoice.activity_ids), 1)
        self._receive("205", invoice, day=self.today)
        self.assertEqual(
            (invoice.dunning_excluded, invoice.dunning_exclusion_reason), (True, "dispute")
        )

    def test_an_exclusion_a_person_sets_over_the_pause_is_theirs(self):
        invoice = self._late_invoice()
        self._receive("207", invoice, day=self.today - timedelta(days=2))
        invoice.with_user(self.accountant)._dunning_exclude("dispute", note="Avoir promis")
        self._receive("205", invoice, day=self.today)
        self.assertEqual(invoice.dunning_exclusion_reason, "dispute")

    def test_proof_of_receipt_is_kept_and_listed_on_the_litigation_file(self):
        invoice = self._late_invoice(days_late=80)
        received_on = self.today - timedelta(days=100)
        self._receive("203", invoice, day=received_on)
        self.assertEqual(invoice.dunning_einvoice_received_on, received_on)
        self.assertEqual(invoice.dunning_einvoice_effect, False)
        self.assertFalse(invoice.dunning_excluded)
        file = self.env["account.dunning.litigation.file"].create(
            {"partner_id": self.customer.id, "invoice_ids": [Command.set(invoice.ids)]}
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account_dunning_fr.report_litigation_court_file", file.ids)[0]
            .decode()
        )
        self.assertIn("203", html)
        self.assertIn(invoice.name, html)
        self.assertIn("Mise à disposition", html)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account_dunning_fr.report_litigation_file", self.customer.ids)[0]
            .decode()
        )
        self.assertIn("Mise à disposition", html)

    def test_information_and_the_sellers_own_statuses_change_nothing(self):
        invoice = self._late_invoice()
        before = self._snapshot(invoice)
        for code in ("200", "202", "204", "212"):
            self._receive(code, invoice, day=self.today - timedelta(days=1))
        after = self._snapshot(invoice)
        self.assertEqual(after["moves"][0][:3], before["moves"][0][:3])
        self.assertEqual(after["activities"], before["activities"])
        self.assertTrue(self._reminded(self.today, invoice))

    # ------------------------------------------------------------------
    # Matching never guesses
    # ------------------------------------------------------------------

    def test_a_status_that_designates_no_single_invoice_is_kept_unmatched(self):
        invoice = self._late_invoice()
        draft = self.env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": self.customer.id, "name": "FA2026-DRAFT"}
        )
        other_day = invoice.invoice_date - timedelta(days=1)
        cases = {
            "wrong_siren": self._message("207", invoice, self.today, siren="552100554"),
            "unknown_number": restamp(
                cdar_file(MESSAGES["207"]),
                invoice_number="FA2026-9999",
                invoice_date=invoice.invoice_date,
                seller_siren=SIREN,
            ),
            "date_differs": restamp(
                cdar_file(MESSAGES["207"]),
                invoice_number=invoice.name,
                invoice_date=other_day,
                seller_siren=SIREN,
            ),
            "not_posted": restamp(
                cdar_file(MESSAGES["207"]),
                invoice_number=draft.name,
                invoice_date=invoice.invoice_date,
                seller_siren=SIREN,
            ),
        }
        before = self._snapshot(invoice, draft)
        for reason, data in cases.items():
            with self.subTest(reason=reason):
                record = self._wizard_import([("%s.xml" % reason, data)]).import_ids
                self.assertEqual(record.state, "unmatched")
                self.assertFalse(record.status_ids.move_id)
                self.assertEqual(record.status_ids.unmatched_reason, reason)
        self.assertEqual(self._snapshot(invoice, draft), before)
        unmatched = self.env["account.dunning.einvoice.status"].search(
            [("move_id", "=", False), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(
            set(unmatched.mapped("unmatched_reason")),
            {"wrong_siren", "unknown_number", "date_differs", "not_posted"},
        )
        self.assertTrue(self._reminded(self.today, invoice))

    def test_a_company_without_siren_matches_nothing(self):
        self.company.company_registry = False
        self.company.vat = False
        invoice = self._late_invoice()
        record = self._receive("207", invoice, day=self.today)
        self.assertEqual(record.status_ids.unmatched_reason, "no_siren")
        self.assertFalse(invoice.dunning_excluded)

    def test_the_siren_comes_from_the_siret_the_registry_or_the_vat_number(self):
        company = self.company
        company.company_registry = "100 000 009 00017"
        self.assertEqual(company._dunning_siren(), SIREN)
        company.company_registry = False
        company.vat = "FR88100000009"
        self.assertEqual(company._dunning_siren(), SIREN)
        company.vat = "BE0477472701"
        self.assertFalse(company._dunning_siren())

    def test_the_same_message_twice_is_kept_once(self):
        invoice = self._late_invoice()
        data = self._message("207", invoice, self.today)
        first = self._wizard_import([("a.xml", data)]).import_ids
        again = self._wizard_import([("b.xml", data)]).import_ids
        self.assertEqual(first.state, "matched")
        self.assertEqual(again.state, "duplicate")
        self.assertEqual(again.known_status_ids, first.status_ids)
        self.assertEqual(len(invoice.dunning_einvoice_status_ids), 1)
        self.assertEqual(len(invoice.activity_ids), 1)

    # ------------------------------------------------------------------
    # Connectors
    # ------------------------------------------------------------------

    def test_a_connector_records_a_status_as_if_read_from_a_message(self):
        invoice = self._late_invoice()
        when = datetime.combine(self.today, datetime.min.time())
        status = invoice._dunning_einvoice_status_received(
            "208", when, reason_code="JUSTIF_ABS", reason="BL manquant", requested_action="PIN"
        )
        self.assertEqual(
            (status.move_id, status.source, status.label), (invoice, "api", "Suspendue")
        )
        self.assertEqual(invoice.dunning_exclusion_reason, "einvoice")
        again = invoice._dunning_einvoice_status_received("208", when, reason_code="JUSTIF_ABS")
        self.assertEqual(again, status)
        self.assertEqual(len(invoice.dunning_einvoice_status_ids), 1)
        invoice._dunning_einvoice_status_received("209", self.today + timedelta(days=1))
        self.assertFalse(invoice.dunning_excluded)
        with self.assertRaises(UserError):
            invoice._dunning_einvoice_status_received("299", when)
        with self.assertRaises(UserError):
            invoice._dunning_einvoice_status_received("207", when, requested_action="PAY")
        draft = self.env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": self.customer.id}
        )
        with self.assertRaises(UserError):
            draft._dunning_einvoice_status_received("207", when)

    def test_restamping_a_message_keeps_it_valid_for_another_invoice(self):
        data = restamp(
            cdar_file(MESSAGES["211"]),
            invoice_number="INV/2026/00042",
            invoice_date=date(2026, 11, 3),
            seller_siren="334175221",
            status_datetime=datetime(2026, 12, 1, 9, 30),
        )
        (status,) = parse_cdar(data)
        self.assertEqual(
            (status.invoice_number, status.invoice_date, status.seller_siren, status.code),
            ("INV/2026/00042", date(2026, 11, 3), "334175221", "211"),
        )
        self.assertEqual(status.status_datetime, datetime(2026, 12, 1, 9, 30))

    # ------------------------------------------------------------------
    # Who reads what
    # ------------------------------------------------------------------

    def test_a_salesperson_reads_the_status_but_neither_imports_nor_reads_the_xml(self):
        invoice = self._late_invoice()
        invoice.invoice_user_id = self.salesperson
        record = self._receive("207", invoice, day=self.today)
        as_sales = invoice.with_user(self.salesperson)
        self.assertEqual(as_sales.dunning_einvoice_status, "207")
        status = as_sales.dunning_einvoice_status_ids
        self.assertEqual((status.code, status.reason_code), ("207", "TX_TVA_ERR"))
        with self.assertRaises(AccessError):
            record.attachment_id.with_user(self.salesperson).raw  # noqa: B018
        with self.assertRaises(AccessError):
            record.with_user(self.salesperson).name  # noqa: B018
        with self.assertRaises(AccessError):
            self._wizard_import(
                [("x.xml", self._message("205", invoice, self.today))], self.salesperson
            )
        with self.assertRaises(AccessError):
            self.env["account.dunning.einvoice.import"].with_user(self.salesperson)._import_files(
                self.company, [("x.xml", b"<x/>")], "file"
            )
        with self.assertRaises(AccessError):
            as_sales._dunning_einvoice_status_received("205", self.today)
        with self.assertRaises(AccessError):
            as_sales.write({"dunning_einvoice_effect": "none"})
        with self.assertRaises(AccessError):
            invoice.with_user(self.accountant).write({"dunning_einvoice_effect": "none"})

    def test_another_companys_statuses_are_invisible(self):
        other = self.env["res.company"].create({"name": "Autre Société SAS"})
        self.accountant.company_ids = [Command.link(other.id)]
        status = self.env["account.dunning.einvoice.status"].create(
            {
                "company_id": other.id,
                "code": "207",
                "label": "En litige",
                "status_datetime": datetime.now(),
                "source": "api",
                "fingerprint": "other-company",
                "invoice_number": "X1",
                "unmatched_reason": "unknown_number",
            }
        )
        Status = self.env["account.dunning.einvoice.status"].with_user(self.salesperson)
        self.assertNotIn(status, Status.search([]))
        as_accountant = self.env["account.dunning.einvoice.status"].with_user(self.accountant)
        self.assertNotIn(
            status, as_accountant.with_context(allowed_company_ids=[self.company.id]).search([])
        )
        self.assertIn(status, as_accountant.with_context(allowed_company_ids=[other.id]).search([]))

    def test_the_api_key_is_given_once_and_kept_hashed(self):
        key = self.company._dunning_einvoice_new_api_key()
        stored = self.company.sudo().dunning_einvoice_api_key_hash
        self.assertNotIn(key, stored)
        self.assertEqual(len(stored), 64)
        Company = self.env["res.company"]
        self.assertEqual(Company._dunning_einvoice_company_of_key(key), self.company)
        self.assertFalse(Company._dunning_einvoice_company_of_key(key + "x"))
        self.assertFalse(Company._dunning_einvoice_company_of_key(stored))
        newer = self.company._dunning_einvoice_new_api_key()
        self.assertFalse(Company._dunning_einvoice_company_of_key(key))
        self.assertEqual(Company._dunning_einvoice_company_of_key(newer), self.company)
        with self.assertRaises(AccessError):
            self.company.with_user(self.salesperson)._dunning_einvoice_new_api_key()
        with self.assertRaises(AccessError):
            self.company.with_user(self.accountant)._dunning_einvoice_new_api_key()
