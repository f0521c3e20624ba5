"""KPIs and the collector worklist on a small hand-built set."""

from datetime import timedelta

from odoo.tests import tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestDunningReports(DunningCase):
    def _grouped(self, model, partner, groupby, measures):
        return self.env[model]._read_group(
            [("partner_id", "=", partner.id)], [groupby], [f"{m}:sum" for m in measures]
        )

    def test_ageing_buckets(self):
        for amount, late in ((100.0, -10), (200.0, 10), (300.0, 45), (400.0, 75), (500.0, 120)):
            self._invoice(self.customer, amount, days_late=late)
        rows = self._grouped(
            "account.dunning.ageing.report", self.customer, "bucket", ["amount_residual"]
        )
        self.assertEqual(
            dict(rows),
            {"0_not_due": 100.0, "1_30": 200.0, "2_60": 300.0, "3_90": 400.0, "4_over_90": 500.0},
        )

    def test_dso_is_recomputed_from_the_sums(self):
        # Sales of the last 365 days 1000 + 500 = 1500; still open 400 + 500 = 900.
        # DSO = 900 / 1500 x 365 = 219.0 days (not the sum of each row's DSO).
        paid_part = self._invoice(self.customer, 1000.0, days_late=10)
        self._pay(paid_part, 600.0)
        self._invoice(self.customer, 500.0, days_late=5)
        rows = self._grouped(
            "account.dunning.dso.report",
            self.customer,
            "partner_id",
            ["receivable", "sales_365", "dso"],
        )
        ((_partner, receivable, sales, dso),) = rows
        self.assertEqual((receivable, sales), (900.0, 1500.0))
        self.assertAlmostEqual(dso, 219.0, places=1)

    def test_recovery_rate_per_level(self):
        # Both reminded today at the first level: 1000 and 500.
        # 400 paid 5 days after, 500 paid 20 days after (too late to count):
        # 400 / (1000 + 500) = 26.7 %, not the average of 40 % and 0 %.
        fast = self._invoice(self.customer, 1000.0, days_late=1)
        slow = self._invoice(self.customer, 500.0, days_late=1)
        self._run()
        self._pay(fast, 400.0, date=self.today + timedelta(days=5))
        self._pay(slow, 500.0, date=self.today + timedelta(days=20))
        rows = self.env["account.dunning.recovery.report"]._read_group(
            [("partner_id", "=", self.customer.id)],
            ["level_id"],
            ["amount_reminded:sum", "amount_recovered:sum", "recovery_rate:sum"],
        )
        ((level, reminded, recovered, rate),) = rows
        self.assertEqual(level, self.level_1)
        self.assertEqual((reminded, recovered), (1500.0, 400.0))
        self.assertAlmostEqual(rate, 26.67, places=2)

    def test_worklist_lists_customers_to_act_on_by_priority(self):
        urgent = self._invoice(self.customer, 1000.0, days_late=45)
        self._set_level(urgent, self.level_call, days_ago=15)
        calm = self._invoice(self.customer_2, 300.0, days_late=45)
        self._set_level(calm, self.level_call, days_ago=15)
        self._run()
        rows = self.env["account.dunning.worklist"].search(
            [("partner_id", "in", (self.customer | self.customer_2).ids)]
        )
        self.assertEqual(rows.partner_id.ids, [self.customer.id, self.customer_2.id])
        # 1000 / 100 + 45 days = 55.0; 300 / 100 + 45 = 48.0
        self.assertEqual(rows.mapped("priority"), [55.0, 48.0])
        self.assertEqual(rows.mapped("to_review_count"), [1, 1])

    def test_promise_logged_in_one_click_then_broken(self):
        invoice = self._invoice(self.customer, 1000.0, days_late=20)
        wizard = (
            self.env["account.dunning.call.wizard"]
            .with_context(active_model="res.partner", active_id=self.customer.id)
            .create(
                {
                    "outcome": "promise",
                    "promise_date": self.today + timedelta(days=7),
                    "promise_amount": 1000.0,
                }
            )
        )
        self.assertEqual(wizard.move_ids, invoice)
        wizard.action_confirm()
        call = self.env["account.dunning.call"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(
            (call.outcome, call.promise_state, call.amount_due_at_call),
            ("promise", "pending", 1000.0),
        )
        self.assertTrue(invoice.dunning_excluded)
        self.assertEqual(invoice.dunning_exclusion_reason, "promise")
        # A week later, unpaid: the promise is broken and dunning resumes.
        call.promise_date = self.today - timedelta(days=1)
        invoice.dunning_promise_date = self.today - timedelta(days=1)
        self._run()
        self.assertEqual(call.promise_state, "broken")
        self.assertEqual(self._actions(self.customer).line_ids.move_id, invoice)

    def test_kept_promise(self):
        invoice = self._invoice(self.customer, 1000.0, days_late=20)
        call = self.env["account.dunning.call"].create(
            {
                "partner_id": self.customer.id,
                "outcome": "promise",
                "move_ids": [(6, 0, invoice.ids)],
                "promise_date": self.today - timedelta(days=1),
                "promise_amount": 600.0,
                "amount_due_at_call": 1000.0,
                "promise_state": "pending",
            }
        )
        self._pay(invoice, 600.0)
        self.env["account.dunning.call"]._check_promises(self.company, self.today)
        self.assertEqual(call.promise_state, "kept")

    def test_dispute_call_excludes_the_invoice(self):
        invoice = self._invoice(self.customer, 1000.0, days_late=20)
        self.env["account.dunning.call.wizard"].with_context(
            active_model="res.partner", active_id=self.customer.id
        ).create({"outcome": "dispute", "note": "Goods damaged"}).action_confirm()
        self.assertEqual(
            (
                invoice.dunning_excluded,
                invoice.dunning_exclusion_reason,
                invoice.dunning_exclusion_note,
            ),
            (True, "dispute", "Goods damaged"),
        )

    def test_prescription_soon_follows_the_companys_warning_period(self):
        # Invoiced 1,700 days ago: prescribed 5 years after its date (C. com.
        # L110-4), about 126 days from now: within a 200-day warning, not a
        # 90-day one. The invoice of 20 days ago is years away in both.
        old = self._invoice_on(
            self.customer,
            800.0,
            self.today - timedelta(days=1700),
            self.today - timedelta(days=1670),
        )
        self._invoice(self.customer, 500.0, days_late=20)
        self.assertGreater(old.prescription_date, self.today + timedelta(days=90))
        self.assertLess(old.prescription_date, self.today + timedelta(days=200))
        figures = {}
        for days in (200, 90):
            self.company.dunning_prescription_alert_days = days
            self.env.flush_all()
            self.env["account.dunning.kpi"].invalidate_model()
            figures[days] = (
                self.env["account.dunning.kpi"]
                .search([("company_id", "=", self.company.id)])
                .prescription_amount
            )
        self.assertAlmostEqual(figures[200] - figures[90], 800.0, places=2)

    def test_dashboard_figures_move_with_the_data(self):
        kpi = self.env["account.dunning.kpi"].search([("company_id", "=", self.company.id)])
        before = (kpi.overdue_amount, kpi.dispute_amount, kpi.plan_amount)
        disputed = self._invoice(self.customer, 700.0, days_late=10)
        disputed._dunning_exclude("dispute")
        self._invoice(self.customer_2, 300.0, days_late=10)
        kpi.invalidate_recordset()
        self.assertEqual(kpi.overdue_amount - before[0], 1000.0)
        self.assertEqual(kpi.dispute_amount - before[1], 700.0)
        self.assertEqual(kpi.plan_amount, before[2])
