"""Penalties and indemnities are claimed once: never again once billed or
waived, never on a bill of penalties, never on what a credit note
cancelled, and as the payment plan says."""

from datetime import date, timedelta

from odoo import Command
from odoo.tests import tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestPenaltiesClaimedOnce(DunningCase):
    def _figures(self, move, until):
        return move._get_dunning_figures(until)[move.id]

    def _old_invoice(self, amount=10000.0):
        # legal_fr.md 1.5: due 15 May 2025, 13.15 % to 30 June, 12.15 % after.
        return self._invoice_on(self.customer, amount, date(2025, 4, 15), date(2025, 5, 15))

    def test_billed_penalties_are_not_claimed_again(self):
        # To 14 Aug 2025: 315.52 in all; 165.73 billed to 30 June, so
        # 315.52 - 165.73 = 149.79 left to claim, and no second indemnity.
        invoice = self._old_invoice()
        invoice._dunning_bill_penalties(date(2025, 6, 30))
        figures = self._figures(invoice, date(2025, 8, 14))
        self.assertEqual((str(figures["interest"]), figures["indemnity"]), ("149.79", 0))

    def test_reminder_lists_only_what_is_not_billed(self):
        self._add_test_rates_to_today()
        invoice = self._old_invoice()
        accrued = self._figures(invoice, self.today)["interest"]
        invoice._dunning_bill_penalties(date(2025, 6, 30))
        invoice.invalidate_recordset()
        self._run(partners=self.customer)
        line = self._actions(self.customer).line_ids.filtered(lambda line: line.move_id == invoice)
        # Whatever today is: all accrued to today less the 165.73 billed.
        self.assertAlmostEqual(line.late_penalty_amount, float(accrued) - 165.73, places=2)
        self.assertEqual(line.recovery_indemnity_amount, 0.0)
        self.assertAlmostEqual(invoice.late_penalty_amount, line.late_penalty_amount, places=2)

    def test_waived_penalties_are_not_claimed_again(self):
        self._add_test_rates_to_today()
        invoice = self._old_invoice()
        invoice._dunning_waive_penalties(self.today, "Commercial gesture")
        self._run(partners=self.customer)
        line = self._actions(self.customer).line_ids.filtered(lambda line: line.move_id == invoice)
        self.assertEqual((line.late_penalty_amount, line.recovery_indemnity_amount), (0.0, 0.0))

    def test_a_bill_of_penalties_bears_no_penalties_nor_indemnity(self):
        # C. civ. 1343-2 and D441-5 (legal_fr_addendum.md 2.2): the bill of
        # 165.73 + 40.00 due 30 June 2025, unpaid a year on, owes nothing more.
        invoice = self._old_invoice()
        bill = invoice._dunning_bill_penalties(date(2025, 6, 30))
        self.assertTrue(bill.dunning_penalty_bill)
        self.assertAlmostEqual(bill.amount_total, 205.73, places=2)
        figures = self._figures(bill, date(2026, 6, 30))
        self.assertEqual((figures["interest"], figures["indemnity"]), (0, 0))
        # It is still owed, so still reminded, for its principal alone.
        self.assertTrue(bill.dunning_open)

    def test_an_invoice_reversed_by_a_credit_note_bears_nothing(self):
        invoice = self._old_invoice()
        invoice._reverse_moves(cancel=True)
        self.assertEqual(invoice.payment_state, "reversed")
        figures = self._figures(invoice, date(2025, 8, 14))
        self.assertEqual((figures["interest"], figures["indemnity"]), (0, 0))

    def test_a_partial_credit_note_lowers_the_base_from_the_start(self):
        # 4,000 of the 10,000 credited on 1 Aug 2025: the 6,000 left bears
        # interest from the due date; the 4,000 never did (it was never owed).
        # 6000 x 13.15 % x 46 / 365 = 99.4356; 6000 x 12.15 % x 45 / 365 = 89.8767
        # 99.4356 + 89.8767 = 189.3123 -> 189.31
        invoice = self._old_invoice()
        refund = self._invoice_on(
            self.customer, 4000.0, date(2025, 8, 1), date(2025, 8, 1), move_type="out_refund"
        )
        (invoice.line_ids | refund.line_ids).filtered(
            lambda line: line.account_type == "asset_receivable"
        ).reconcile()
        self.assertEqual(invoice.amount_residual, 6000.0)
        figures = self._figures(invoice, date(2025, 8, 14))
        self.assertEqual(str(figures["interest"]), "189.31")
        self.assertEqual(str(figures["indemnity"]), "40.00")

    def _plan(self, invoice, treatment, **values):
        plan = self.env["account.dunning.payment.plan"].create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(invoice.ids)],
                "penalty_treatment": treatment,
                **values,
            }
        )
        plan._generate_lines(3, "monthly", self.today + timedelta(days=30))
        plan.action_confirm()
        return plan

    def test_plan_frozen_stops_the_penalties_at_acceptance(self):
        # 13.32 at acceptance (see below), still 13.32 ten days on.
        self._add_test_rates_to_today(until=self.today + timedelta(days=10))
        invoice = self._invoice(self.customer, 1000.0, days_late=40)
        self._plan(invoice, "frozen")
        later = self.today + timedelta(days=10)
        self.assertEqual(str(self._figures(invoice, later)["interest"]), "13.32")

    def test_plan_accruing_keeps_counting(self):
        # 1000 x 12.15 % x 40 / 365 = 13.3151 -> 13.32 at acceptance (the
        # test rates carry 12.15 % forward), 10 days on:
        # 1000 x 12.15 % x 50 / 365 = 16.6438 -> 16.64.
        self._add_test_rates_to_today(until=self.today + timedelta(days=10))
        invoice = self._invoice(self.customer, 1000.0, days_late=40)
        self.assertEqual(str(self._figures(invoice, self.today)["interest"]), "13.32")
        self._plan(invoice, "accrue")
        later = self._figures(invoice, self.today + timedelta(days=10))["interest"]
        self.assertEqual(str(later), "16.64")

    def test_plan_waived_while_kept_then_due_again_once_breached(self):
        self._add_test_rates_to_today()
        invoice = self._invoice(self.customer, 1000.0, days_late=40)
        owed = self._figures(invoice, self.today)["interest"]
        plan = self._plan(invoice, "waived")
        self.assertEqual(self._figures(invoice, self.today)["interest"], 0)
        plan._breach(self.today, self.today)
        self.assertEqual(self._figures(invoice, self.today)["interest"], owed)

    def test_the_penalty_bill_of_a_plan_is_covered_by_the_plan(self):
        self._add_test_rates_to_today()
        invoice = self._invoice(self.customer, 1000.0, days_late=40)
        plan = self._plan(invoice, "frozen", include_penalties=True)
        self.assertTrue(plan.penalty_move_id.dunning_penalty_bill)
        rows = self.env["account.move.line"]._dunning_read_open_lines(
            self.company, self.today + timedelta(days=40), partner_ids=self.customer.ids
        )
        held = {row.move_id: row.held for row in rows if row.claimable}
        self.assertEqual(held, {invoice.id: True, plan.penalty_move_id.id: True})

    def test_litigation_file_claims_the_net_without_what_was_billed(self):
        self._add_test_rates_to_today()
        invoice = self._old_invoice()
        accrued = self._figures(invoice, self.today)["interest"]
        invoice._dunning_bill_penalties(date(2025, 6, 30))
        bill = self.env["account.move"].search([("dunning_penalty_bill", "=", True)])
        self._pay_unmatched(self.customer, 1000.0)
        data = self.customer._get_litigation_file_data()
        rows = {row["invoice"]: row for row in data["rows"]}
        self.assertAlmostEqual(rows[invoice]["interest"], float(accrued) - 165.73, places=2)
        self.assertEqual(rows[invoice]["indemnity"], 0.0)
        self.assertEqual((rows[bill]["interest"], rows[bill]["indemnity"]), (0.0, 0.0))
        # 10,000 + 205.73 (the bill) - 1,000 unmatched = 9,205.73 net principal.
        self.assertAlmostEqual(data["total_due"], 9205.73, places=2)
        self.assertAlmostEqual(data["total_claimed"], 9205.73 + float(accrued) - 165.73, places=2)

    def test_a_plan_never_bills_again_what_was_billed(self):
        self._add_test_rates_to_today()
        invoice = self._invoice(self.customer, 1000.0, days_late=40)
        invoice._dunning_bill_penalties(self.today)
        plan = self._plan(invoice, "frozen", include_penalties=True)
        self.assertEqual(plan.state, "active")
        self.assertFalse(plan.penalty_move_id)
        self.assertEqual((plan.amount_penalties, plan.amount_total), (0.0, 1000.0))
