"""What the customer really owes: invoices net of unmatched payments and
credit notes, one definition for every figure (DESIGN rule 1)."""

from datetime import date, timedelta

from odoo.tests import tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestOpenReceivable(DunningCase):
    def _letter_html(self, action):
        return (
            self.env["ir.actions.report"]
            ._render_qweb_html("account_dunning_fr.report_dunning_letter", action.ids)[0]
            .decode()
        )

    def test_unmatched_payment_covering_the_debt_means_no_reminder(self):
        self._invoice(self.customer, 1000.0, days_late=20)
        self._pay_unmatched(self.customer, 1000.0, date=self.today - timedelta(days=3))
        run = self._run(partners=self.customer)
        self.assertFalse(self._actions(self.customer))
        self.assertEqual(run.covered_count, 1)
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.dunning_status, "ok")
        self.assertEqual(self.customer.overdue_amount, 0.0)

    def test_reminder_claims_the_net_and_lists_the_unmatched_payment(self):
        invoice = self._invoice(self.customer, 1000.0, days_late=20)
        payment = self._pay_unmatched(self.customer, 350.0, date=self.today - timedelta(days=3))
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        # 1000 - 350 = 650
        self.assertEqual(
            (action.amount_invoices, action.amount_credits, action.amount_due),
            (1000.0, 350.0, 650.0),
        )
        credit = action.line_ids.filtered(lambda line: line.line_type == "payment")
        self.assertEqual(credit.move_id, payment.move_id)
        self.assertEqual(credit.amount_claim, -350.0)
        self.assertEqual(credit.date, self.today - timedelta(days=3))
        body = action.mail_id.body_html
        self.assertIn("Unmatched payment of", body)
        self.assertIn(invoice.name, body)
        self.assertIn("650.00", body)
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.overdue_amount, 650.0)

    def test_open_credit_note_is_set_against_the_invoices(self):
        self._invoice(self.customer, 800.0, days_late=5)
        refund = self._credit_note(self.customer, 300.0)
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        credit = action.line_ids.filtered(lambda line: line.line_type == "credit_note")
        self.assertEqual(credit.move_id, refund)
        # 800 - 300 = 500
        self.assertEqual(action.amount_due, 500.0)
        self.assertIn("Credit note %s" % refund.name, action.mail_id.body_html)

    def test_a_contacts_payment_counts_for_its_company(self):
        contact = self.env["res.partner"].create(
            {"name": "Marc Martin", "parent_id": self.customer.id, "email": "marc@example.com"}
        )
        self._invoice(self.customer, 600.0, days_late=5)
        self._pay_unmatched(contact, 600.0)
        self._run(partners=self.customer)
        self.assertFalse(self._actions(self.customer))

    def test_a_few_euros_left_are_not_worth_a_reminder(self):
        # 500 - 497 = 3.00, below the 5.00 default minimum.
        self._invoice(self.customer, 500.0, days_late=5)
        self._pay_unmatched(self.customer, 497.0)
        self._run(partners=self.customer)
        self.assertFalse(self._actions(self.customer))
        self.company.dunning_min_amount = 0.0
        self._run(partners=self.customer)
        self.assertEqual(self._actions(self.customer).amount_due, 3.0)

    def test_payment_registered_before_sending_cancels_the_formal_notice(self):
        invoice = self._invoice(self.customer, 1000.0, days_late=45)
        self._set_level(invoice, self.level_call, days_ago=15)
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        self.assertEqual(action.state, "to_review")
        # Paid but not reconciled: re-checked at sending, nothing is owed.
        self._pay_unmatched(self.customer, 1000.0)
        action.action_send()
        self.assertEqual(action.state, "cancelled")
        self.assertIn("covered by the customer's payments", action.cancel_reason)
        self.assertFalse(action.mail_id)

    def test_credit_received_before_sending_lowers_the_formal_notice(self):
        invoice = self._invoice(self.customer, 1000.0, days_late=45)
        self._set_level(invoice, self.level_call, days_ago=15)
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        self._credit_note(self.customer, 400.0)
        action.action_send()
        self.assertEqual(action.state, "sent")
        # 1000 - 400 = 600, in the email and in the letter.
        self.assertEqual(action.amount_due, 600.0)
        html = self._letter_html(action)
        self.assertIn("Credit note", html)
        self.assertIn("Less payments not yet matched and credit notes", html)

    def test_blocked_and_legacy_invoices_are_not_chased(self):
        blocked = self._invoice(self.customer, 300.0, days_late=5)
        blocked.action_toggle_block_payment()
        self.assertEqual(blocked.payment_state, "blocked")
        legacy = self._invoice(self.customer_2, 300.0, days_late=5)
        legacy.payment_state = "invoicing_legacy"
        self._run()
        self.assertFalse(self._actions(self.customer) | self._actions(self.customer_2))
        self.assertFalse((blocked | legacy).filtered("dunning_open"))

    def test_the_domain_and_the_sql_say_the_same(self):
        self._invoice(self.customer, 300.0, days_late=5)
        self._invoice(self.customer, 200.0, days_late=-20)
        paid = self._invoice(self.customer, 100.0, days_late=5)
        self._pay(paid)
        self._pay_unmatched(self.customer, 50.0)
        self._credit_note(self.customer, 20.0)
        AML = self.env["account.move.line"]
        by_domain = AML.search([*AML._dunning_open_domain(), ("partner_id", "=", self.customer.id)])
        by_sql = AML._dunning_read_open_lines(
            self.company, self.today, partner_ids=self.customer.ids
        )
        self.assertEqual(set(by_domain.ids), {line.id for line in by_sql})
        # Two open invoices, the payment, the credit note.
        self.assertEqual(len(by_sql), 4)
        claimable = AML.search(
            [*AML._dunning_claimable_domain(), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(set(claimable.ids), {line.id for line in by_sql if line.claimable})

    def test_a_customers_lines_are_read_with_those_of_its_contacts(self):
        # Read for some customers, the open lines are found by their own
        # partner: the customer's, its contacts' (archived ones too), never
        # another customer's.
        Partner = self.env["res.partner"]
        billing = Partner.create(
            {"name": "Service comptable", "parent_id": self.customer.id, "type": "invoice"}
        )
        former = Partner.create({"name": "Ancien contact", "parent_id": self.customer.id})
        own = self._invoice(self.customer, 300.0, days_late=5)
        to_billing = self._invoice(billing, 200.0, days_late=5)
        to_former = self._invoice(former, 100.0, days_late=5)
        former.active = False
        self._invoice(self.customer_2, 50.0, days_late=5)
        rows = self.env["account.move.line"]._dunning_read_open_lines(
            self.company, self.today, partner_ids=self.customer.ids
        )
        self.assertEqual({row.move_id for row in rows}, set((own | to_billing | to_former).ids))
        self.assertEqual({row.partner_id for row in rows}, {self.customer.id})
        self.assertFalse(
            self.env["account.move.line"]._dunning_read_open_lines(
                self.company, self.today, partner_ids=[]
            )
        )

    def test_penalties_stop_where_an_unmatched_payment_paid(self):
        self._add_test_rates_to_today()
        # 10,000 due 15 May 2025, 10,000 paid 14 Aug 2025 but not matched:
        # the reminder claims no principal and the penalties of 15 May-14 Aug,
        # 46 days at 13.15 % + 45 days at 12.15 % = 165.73 + 149.79 = 315.52
        # (legal_fr.md 1.5), as if the payment had been matched.
        invoice = self._invoice_on(self.customer, 10000.0, date(2025, 4, 15), date(2025, 5, 15))
        payment = self._pay_unmatched(self.customer, 10000.0, date=date(2025, 8, 14))
        credit = payment.move_id.line_ids.filtered(lambda line: line.credit)
        receivable = invoice.line_ids.filtered(lambda line: line.debit)
        Action = self.env["account.dunning.action"]
        rows = self.env["account.move.line"]._dunning_read_open_lines(
            self.company, self.today, partner_ids=self.customer.ids
        )
        ((lines, _currency, net),) = Action._build_claims(
            self.today, {self.customer.id: ({receivable.id: None}, rows)}
        ).values()
        self.assertIn(credit.account_id.account_type, ("asset_receivable",))
        self.assertEqual(str(net), "0.00")
        invoice_line = next(line for line in lines if line["line_type"] == "invoice")
        self.assertAlmostEqual(invoice_line["late_penalty_amount"], 315.52, places=2)
        # Paid late: the 40 EUR indemnity is owed (D441-5).
        self.assertEqual(invoice_line["recovery_indemnity_amount"], 40.0)

    def test_worklist_and_dashboard_show_the_net(self):
        kpi = self.env["account.dunning.kpi"].search([("company_id", "=", self.company.id)])
        before = kpi.overdue_amount
        invoice = self._invoice(self.customer, 1000.0, days_late=45)
        self._set_level(invoice, self.level_call, days_ago=15)
        self._pay_unmatched(self.customer, 400.0)
        self._invoice(self.customer_2, 300.0, days_late=10)
        self._pay_unmatched(self.customer_2, 500.0)
        kpi.invalidate_recordset()
        # Customer 1 owes 1000 - 400 = 600; customer 2 is in credit: 0, not -200.
        self.assertEqual(kpi.overdue_amount - before, 600.0)
        self._run(partners=self.customer)  # a formal notice to check
        row = self.env["account.dunning.worklist"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual((row.overdue_amount, row.to_review_count), (600.0, 1))
        ageing = self.env["account.dunning.ageing.report"]._read_group(
            [("partner_id", "=", self.customer.id)], ["bucket"], ["amount_residual:sum"]
        )
        self.assertEqual(dict(ageing), {"2_60": 1000.0, "5_credit": -400.0})
