from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestPenaltyWizard(DunningCase):
    def _wizard(self, moves, until, **values):
        return (
            self.env["account.dunning.penalty.wizard"]
            .with_context(active_model="account.move", active_ids=moves.ids)
            .create({"until": until, **values})
        )

    def test_bill_penalties_and_indemnity_without_vat_on_french_accounts(self):
        # legal_fr.md 1.5 worked example: 315.52 of penalties + 40.00.
        invoice = self._invoice_on(self.customer, 10000.0, date(2025, 4, 15), date(2025, 5, 15))
        self._pay(invoice, date=date(2025, 8, 14))
        action = self._wizard(invoice, date(2025, 9, 30)).action_confirm()
        bill = self.env["account.move"].search(action["domain"])
        self.assertEqual(bill.partner_id, self.customer)
        self.assertEqual(bill.state, "posted")
        self.assertEqual(bill.amount_tax, 0.0)
        self.assertAlmostEqual(bill.amount_total, 355.52, places=2)
        by_code = {line.account_id.code: line.price_unit for line in bill.invoice_line_ids}
        self.assertEqual(by_code, {"763100": 315.52, "758100": 40.0})
        self.assertEqual(invoice.dunning_penalty_billed_until, date(2025, 9, 30))
        self.assertTrue(invoice.dunning_indemnity_billed)

    def test_the_same_period_is_never_billed_twice(self):
        invoice = self._invoice_on(self.customer, 10000.0, date(2025, 4, 15), date(2025, 5, 15))
        self._wizard(invoice, date(2025, 8, 14)).action_confirm()
        with self.assertRaisesRegex(UserError, "never billed twice"):
            self._wizard(invoice, date(2025, 8, 14)).action_confirm()
        with self.assertRaisesRegex(UserError, "never billed twice"):
            self._wizard(invoice, date(2025, 7, 1)).action_confirm()

    def test_next_bill_covers_only_the_new_days(self):
        # To 30 Jun 2025: 46 days at 13.15 % on 10,000 = 165.7260 -> 165.73
        # To 14 Aug: 315.52 in all, so 315.52 - 165.73 = 149.79 more, and no
        # second indemnity.
        invoice = self._invoice_on(self.customer, 10000.0, date(2025, 4, 15), date(2025, 5, 15))
        first = self._wizard(invoice, date(2025, 6, 30)).action_confirm()
        second = self._wizard(invoice, date(2025, 8, 14)).action_confirm()
        first_bill = self.env["account.move"].search(first["domain"])
        second_bill = self.env["account.move"].search(second["domain"])
        self.assertAlmostEqual(first_bill.amount_total, 165.73 + 40.0, places=2)
        self.assertEqual(len(second_bill.invoice_line_ids), 1)
        self.assertAlmostEqual(second_bill.amount_total, 149.79, places=2)

    def test_waiver_needs_a_reason_and_is_recorded(self):
        invoice = self._invoice_on(self.customer, 10000.0, date(2025, 4, 15), date(2025, 5, 15))
        with self.assertRaisesRegex(UserError, "why"):
            self._wizard(invoice, date(2025, 8, 14), mode="waive").action_confirm()
        self._wizard(
            invoice, date(2025, 8, 14), mode="waive", waiver_reason="Commercial gesture"
        ).action_confirm()
        self.assertEqual(invoice.dunning_penalty_billed_until, date(2025, 8, 14))
        self.assertTrue(
            invoice.message_ids.filtered(lambda m: "Commercial gesture" in (m.body or ""))
        )
        self.assertFalse(
            self.env["account.move"].search(
                [("partner_id", "=", self.customer.id), ("invoice_origin", "=", invoice.name)]
            )
        )

    def test_consumer_has_no_indemnity_and_no_penalty_before_notice(self):
        person = self.env["res.partner"].create({"name": "Jeanne Petit", "is_company": False})
        invoice = self._invoice_on(person, 1200.0, date(2025, 4, 1), date(2025, 5, 1))
        with self.assertRaisesRegex(UserError, "nothing left to bill"):
            self._wizard(invoice, date(2025, 9, 30)).action_confirm()
