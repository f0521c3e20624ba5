from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestPaymentPlan(DunningCase):
    def _propose(self, moves, count=3, first_in_days=30, **values):
        wizard = (
            self.env["account.dunning.payment.plan.wizard"]
            .with_context(active_model="account.move", active_ids=moves.ids)
            .create(
                {
                    "instalment_count": count,
                    "first_date": self.today + timedelta(days=first_in_days),
                    **values,
                }
            )
        )
        action = wizard.action_create_plan()
        return self.env["account.dunning.payment.plan"].browse(action["res_id"])

    def _plan(self, moves, **kwargs):
        plan = self._propose(moves, **kwargs)
        plan.action_confirm()
        return plan

    def test_proposed_plan_splits_the_debt_to_the_cent(self):
        invoices = self._invoice(self.customer, 600.0, days_late=20)
        invoices |= self._invoice(self.customer, 400.0, days_late=10)
        plan = self._propose(invoices.with_context(lang="fr_FR"))
        self.assertEqual((plan.state, plan.name), ("draft", "/"))
        self.assertEqual(plan.amount_total, 1000.0)
        # 1000 / 3 = 333.33 + 333.33 + 333.34
        self.assertEqual(plan.line_ids.mapped("amount"), [333.33, 333.33, 333.34])
        plan.action_confirm()
        self.assertEqual(plan.state, "active")
        self.assertTrue(plan.name.startswith("ECH/"))
        # C. civ. 2240: acceptance acknowledges the debt, prescription restarts.
        self.assertEqual(invoices.mapped("dunning_acknowledgement_date"), [self.today] * 2)
        self.assertEqual(
            invoices[0].prescription_date, self.today.replace(year=self.today.year + 5)
        )

    def test_instalments_must_add_up_to_the_total(self):
        plan = self._propose(self._invoice(self.customer, 1000.0, days_late=20))
        plan.line_ids[-1].amount = 333.33
        with self.assertRaisesRegex(ValidationError, "must match to the cent"):
            plan.action_confirm()
        self.assertEqual(plan.state, "draft")

    def test_instalment_dates_must_increase(self):
        plan = self._propose(self._invoice(self.customer, 1000.0, days_late=20))
        plan.line_ids[1].date = plan.line_ids[0].date
        with self.assertRaisesRegex(ValidationError, "after the previous one"):
            plan.action_confirm()

    def test_an_invoice_belongs_to_one_active_plan(self):
        invoice = self._invoice(self.customer, 1000.0, days_late=20)
        self._plan(invoice)
        with self.assertRaisesRegex(ValidationError, "already belong"):
            self._propose(invoice)

    def test_only_invoices_of_that_customer(self):
        mine = self._invoice(self.customer, 1000.0, days_late=20)
        other = self._invoice(self.customer_2, 500.0, days_late=20)
        with self.assertRaisesRegex(UserError, "one customer"):
            self._propose(mine | other)
        plan = self._propose(mine)
        plan.move_ids = [Command.link(other.id)]
        with self.assertRaises(ValidationError):
            plan.action_confirm()

    def test_no_reminder_while_the_plan_is_kept(self):
        invoice = self._invoice(self.customer, 1000.0, days_late=20)
        outside = self._invoice(self.customer_2, 300.0, days_late=1)
        self._plan(invoice)
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.dunning_status, "payment_plan")
        self._run()
        self.assertFalse(self._actions(self.customer))
        self.assertEqual(self._actions(self.customer_2).line_ids.move_id, outside)

    def test_partial_payments_fill_instalments_in_order(self):
        invoice = self._invoice(self.customer, 1000.0, days_late=20)
        plan = self._plan(invoice)
        self._pay(invoice, 500.0)
        plan.invalidate_recordset()
        plan.line_ids.invalidate_recordset()
        first, second, third = plan.line_ids.sorted("date")
        self.assertEqual(
            (first.amount_paid, first.amount_residual, first.state), (333.33, 0.0, "paid")
        )
        # 500 - 333.33 = 166.67 on the second
        self.assertEqual((second.amount_paid, second.amount_residual), (166.67, 166.66))
        self.assertEqual(second.state, "partial")
        self.assertEqual(third.amount_paid, 0.0)
        self.assertEqual(plan.amount_residual, 500.0)
        self.assertEqual(plan.next_line_id, second)

    def test_done_when_everything_is_paid(self):
        invoice = self._invoice(self.customer, 1000.0, days_late=20)
        plan = self._plan(invoice)
        self._pay(invoice)
        self._run()
        self.assertEqual(plan.state, "done")

    def test_breach_after_grace_resumes_dunning(self):
        invoice = self._invoice(self.customer, 1000.0, days_late=40)
        plan = self._plan(invoice, first_in_days=-6)  # first instalment 6 days ago
        self.assertEqual(plan.grace_days, 5)
        mails_before = self.env["mail.mail"].search_count([("model", "=", plan._name)])
        self._run()
        self.assertEqual(plan.state, "breached")
        self.assertEqual(plan.breach_date, self.today)
        self.assertTrue(plan.activity_ids.filtered(lambda a: a.summary == "Payment plan breached"))
        # The customer is told, with the plan attached.
        self.assertEqual(
            self.env["mail.mail"].search_count([("model", "=", plan._name)]), mails_before + 1
        )
        # Dunning resumed in the same run, at the next level.
        action = self._actions(self.customer)
        self.assertEqual(action.line_ids.move_id, invoice)
        self.assertEqual(action.level_id, self.level_1)

    def test_within_grace_the_plan_holds(self):
        invoice = self._invoice(self.customer, 1000.0, days_late=40)
        plan = self._plan(invoice, first_in_days=-5)
        self._run()
        self.assertEqual(plan.state, "active")
        self.assertFalse(self._actions(self.customer))
        # The late instalment got its reminder email.
        late = plan.line_ids.sorted("date")[0]
        self.assertEqual(late.reminder_sent_date, self.today)

    def test_courtesy_email_before_each_instalment(self):
        invoice = self._invoice(self.customer, 900.0, days_late=10)
        plan = self._plan(invoice, first_in_days=3)
        self._run()
        first = plan.line_ids.sorted("date")[0]
        self.assertEqual(first.courtesy_sent_date, self.today)
        mail = self.env["mail.mail"].search(
            [("model", "=", "account.dunning.payment.plan.line"), ("res_id", "=", first.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(plan.name, mail.body_html)

    def test_plan_including_penalties_bills_them(self):
        self._add_test_rates_to_today()
        invoice = self._invoice(self.customer, 1000.0, days_late=40)
        plan = self._propose(invoice, include_penalties=True)
        plan.action_confirm()
        self.assertTrue(plan.penalty_move_id)
        self.assertEqual(plan.amount_penalties, plan.penalty_move_id.amount_total)
        # 40 days at 2.15 + 10 = 12.15 %: 1000 * 12.15% * 40 / 365 = 13.32, + 40.00
        self.assertAlmostEqual(plan.amount_penalties, 53.32, places=2)
        self.assertAlmostEqual(sum(plan.line_ids.mapped("amount")), plan.amount_total, places=2)

    def test_agreement_pdf_has_the_acknowledgement_and_forfeiture_clause(self):
        plan = self._plan(self._invoice(self.customer, 1000.0, days_late=20))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account_dunning_fr.action_report_payment_plan", plan.ids)[0]
            .decode()
        )
        self.assertIn("Acknowledgement of debt", html)
        self.assertIn("Forfeiture of the term", html)
        self.assertIn(plan.move_ids.name, html)

    def test_portal_customer_sees_only_own_plans(self):
        plan = self._plan(self._invoice(self.customer, 1000.0, days_late=20))
        draft = self._propose(self._invoice(self.customer, 200.0, days_late=5))
        other_plan = self._plan(self._invoice(self.customer_2, 500.0, days_late=20))
        portal_a = new_test_user(
            self.env, login="client_a", groups="base.group_portal", partner_id=self.customer.id
        )
        Plan = self.env["account.dunning.payment.plan"].with_user(portal_a)
        self.assertEqual(Plan.search([]), plan)
        self.assertEqual(
            plan.with_user(portal_a).line_ids.mapped("amount"), [333.33, 333.33, 333.34]
        )
        with self.assertRaises(AccessError):
            other_plan.with_user(portal_a).read(["name"])
        with self.assertRaises(AccessError):
            draft.with_user(portal_a).read(["name"])

    def test_request_from_the_portal_reaches_the_accountants(self):
        invoice = self._invoice(self.customer, 1200.0, days_late=20)
        other = self._invoice(self.customer_2, 500.0, days_late=20)
        plan = self.env["account.dunning.payment.plan"]._create_portal_request(
            self.customer, invoice | other, 4, "Trésorerie tendue ce trimestre"
        )
        self.assertEqual(plan.state, "draft")
        self.assertTrue(plan.requested_from_portal)
        # Another customer's invoice is never taken in.
        self.assertEqual(plan.move_ids, invoice)
        self.assertEqual(plan.line_ids.mapped("amount"), [300.0] * 4)
        self.assertTrue(plan.activity_ids)
        requests = self.env["account.dunning.payment.plan"].search(
            [("state", "=", "draft"), ("requested_from_portal", "=", True)]
        )
        self.assertIn(plan, requests)
        plan.action_refuse_request()
        self.assertEqual(plan.state, "cancelled")

    def test_a_plan_never_mixes_companies(self):
        invoice = self._invoice(self.customer, 600.0, days_late=20)
        other = self.env["res.company"].create({"name": "Filiale Rennes"})
        with self.assertRaisesRegex(UserError, "[Ii]ncompatible companies"):
            self.env["account.dunning.payment.plan"].create(
                {
                    "partner_id": self.customer.id,
                    "company_id": other.id,
                    "move_ids": [Command.set(invoice.ids)],
                }
            )

    def test_one_instalment_cap_for_the_accountant_and_the_customer(self):
        invoice = self._invoice(self.customer, 6000.0, days_late=20)
        with self.assertRaisesRegex(UserError, "between 1 and 60 instalments"):
            self._propose(invoice, count=61)
        self.assertEqual(len(self._propose(invoice, count=60).line_ids), 60)
        request = self.env["account.dunning.payment.plan"]._create_portal_request(
            self.customer, invoice, 100
        )
        self.assertEqual(len(request.line_ids), 60)

    def test_portal_request_leaves_out_invoices_already_in_a_plan(self):
        planned = self._invoice(self.customer, 1000.0, days_late=20)
        self._plan(planned)
        free = self._invoice(self.customer, 300.0, days_late=5)
        request = self.env["account.dunning.payment.plan"]._create_portal_request(
            self.customer, planned | free, 2
        )
        self.assertEqual(request.move_ids, free)
