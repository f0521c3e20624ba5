"""Monthly DSO: receivables as they stood at each month end."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.account_dunning_fr.tests.common import DunningCase

from ..report.account_dunning_dso_trend import FIGURES_FUNCTION


@tagged("post_install", "-at_install")
class TestDsoTrend(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A company of its own, so that the month figures are this test's alone.
        cls.branch = cls.env["res.company"].create({"name": "Filiale Lille"})
        cls.env["account.chart.template"].try_loading("generic_coa", cls.branch)
        first_of_month = cls.today.replace(day=1)
        cls.m2_start = first_of_month - relativedelta(months=2)
        cls.m1_start = first_of_month - relativedelta(months=1)
        cls.m2_end = cls.m1_start - timedelta(days=1)
        cls.m1_end = first_of_month - timedelta(days=1)

    def _on(self, start, day):
        return start + timedelta(days=day - 1)

    def _trend(self, company):
        rows = self.env["account.dunning.dso.trend"].search([("company_id", "=", company.id)])
        return {row.date: row for row in rows}

    def test_receivable_and_dso_at_each_month_end(self):
        branch = self.branch
        invoice = self._invoice_on(
            self.customer, 1000.0, self._on(self.m2_start, 5), self._on(self.m2_start, 20), branch
        )
        self._invoice_on(
            self.customer, 600.0, self._on(self.m2_start, 10), self.m1_end + timedelta(10), branch
        )
        self._pay(invoice, 400.0, date=self._on(self.m1_start, 3))
        self._invoice_on(
            self.customer,
            100.0,
            self._on(self.m1_start, 15),
            self._on(self.m1_start, 15),
            branch,
            move_type="out_refund",
        )
        # Paid this month: not yet at the last month end.
        self._pay(invoice, 600.0, date=self.today.replace(day=1))
        # Blocked by hand: a sale, but never an open receivable.
        blocked = self._invoice_on(
            self.customer, 250.0, self._on(self.m2_start, 12), self._on(self.m2_start, 25), branch
        )
        blocked.action_toggle_block_payment()
        trend = self._trend(branch)
        self.assertEqual(len(trend), 12)
        at_m2, at_m1 = trend[self.m2_end], trend[self.m1_end]
        # Two months ago: 1000 + 600 owed, nothing paid yet; 1000 past its due date.
        # Sales 1000 + 600 + 250 = 1850. DSO = 1600 / 1850 x 365 = 315.68 days.
        self.assertEqual(
            (at_m2.receivable, at_m2.overdue_amount, at_m2.sales_365), (1600.0, 1000.0, 1850.0)
        )
        self.assertAlmostEqual(at_m2.dso, 315.7, places=1)
        # Last month: 1000 - 400 paid + 600 - 100 credit note = 1100; overdue
        # 600 left on the first invoice less the 100 credit = 500 (the 600
        # invoice falls due this month). Sales 1850 - 100 = 1750.
        # DSO = 1100 / 1750 x 365 = 229.43 days.
        self.assertEqual(
            (at_m1.receivable, at_m1.overdue_amount, at_m1.sales_365), (1100.0, 500.0, 1750.0)
        )
        self.assertAlmostEqual(at_m1.dso, 229.4, places=1)
        # Three months ago nothing was invoiced yet.
        before = trend[self.m2_start - timedelta(days=1)]
        self.assertEqual((before.receivable, before.sales_365, before.dso), (0.0, 0.0, 0.0))

    def test_current_month_is_the_dso_reports_company_total(self):
        invoice = self._invoice(self.customer, 1000.0, days_late=10)
        self._pay(invoice, 250.0)
        self._invoice(self.customer_2, 300.0, days_late=-5)
        self._pay_unmatched(self.customer_2, 80.0)
        month_end = self.today.replace(day=1) + relativedelta(months=1, days=-1)
        now = self._trend(self.company)[month_end]
        ((receivable, sales, dso),) = [
            row[1:]
            for row in self.env["account.dunning.dso.report"]._read_group(
                [("company_id", "=", self.company.id)],
                ["company_id"],
                ["receivable:sum", "sales_365:sum", "dso:sum"],
            )
        ]
        self.assertAlmostEqual(now.receivable, receivable, places=2)
        self.assertAlmostEqual(now.sales_365, sales, places=2)
        self.assertAlmostEqual(now.dso, dso, places=1)
        kpi = self.env["account.dunning.kpi"].search([("company_id", "=", self.company.id)])
        self.assertAlmostEqual(now.overdue_amount, kpi.overdue_amount, places=2)

    def test_the_view_reads_its_query_with_the_functions_settings(self):
        invoice = self._invoice(self.customer, 1000.0, days_late=40)
        self._pay(invoice, 300.0)
        self._pay_unmatched(self.customer_2, 80.0)
        self.env.flush_all()
        Trend = self.env["account.dunning.dso.trend"]
        inline = self.env.execute_query(
            SQL("SELECT * FROM (%s) AS figures ORDER BY id", Trend._figures_query())
        )
        through_the_view = self.env.execute_query(
            SQL("SELECT * FROM %s ORDER BY id", SQL.identifier(Trend._table))
        )
        self.assertEqual(len(inline), 12 * self.env["res.company"].search_count([]))
        self.assertEqual(through_the_view, inline)
        ((settings,),) = self.env.execute_query(
            SQL("SELECT proconfig FROM pg_proc WHERE proname = %s", FIGURES_FUNCTION)
        )
        self.assertEqual(sorted(settings), ["enable_nestloop=off", "jit=off", "work_mem=64MB"])

    def test_grouped_months_recompute_the_ratio(self):
        invoice = self._invoice_on(
            self.customer,
            1000.0,
            self._on(self.m2_start, 5),
            self._on(self.m2_start, 20),
            self.branch,
        )
        self._pay(invoice, 400.0, date=self._on(self.m1_start, 3))
        ((receivable, sales, dso),) = [
            row[1:]
            for row in self.env["account.dunning.dso.trend"]._read_group(
                [("company_id", "=", self.branch.id), ("date", "in", [self.m2_end, self.m1_end])],
                ["company_id"],
                ["receivable:sum", "sales_365:sum", "dso:sum"],
            )
        ]
        # (1000 + 600) / (1000 + 1000) x 365 = 292.0, not 365 + 219.
        self.assertEqual((receivable, sales), (1600.0, 2000.0))
        self.assertAlmostEqual(dso, 292.0, places=1)

    def test_accountants_see_their_companys_months_only(self):
        accountant = new_test_user(
            self.env,
            login="comptable_lille",
            groups="base.group_user,account.group_account_invoice",
        )
        seen = self.env["account.dunning.dso.trend"].with_user(accountant).search([])
        self.assertEqual(seen.company_id, self.company)
        self.assertEqual(len(seen), 12)
        salesman = new_test_user(self.env, login="vendeur_lille", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["account.dunning.dso.trend"].with_user(salesman).search([])
