"""The Collections dashboard: its record, every name its JSON uses, its data."""

import json
import re
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import file_open
from odoo.tools.safe_eval import safe_eval

from odoo.addons.account_dunning_fr.tests.common import DunningCase

JSON_PATH = "account_dunning_fr_spreadsheet/data/files/collections_dashboard.json"
# =PIVOT.VALUE(1,"dso") and =ODOO.LIST(1,3,"partner_id") in the cells.
PIVOT_VALUE = re.compile(r'PIVOT\.VALUE\((\d+),"(\w+)"')
LIST_VALUE = re.compile(r'ODOO\.LIST\((\d+),\d+,"(\w+)"')
MENU_LINK = re.compile(r"odoo://ir_menu_xml_id/([\w.]+)\)")


def load_dashboard():
    with file_open(JSON_PATH) as file:
        return json.load(file)


def charts(data):
    return [
        figure["data"]
        for sheet in data["sheets"]
        for figure in sheet["figures"]
        if figure["data"]["type"].startswith("odoo_")
    ]


def chart_of(data, model):
    return next(chart for chart in charts(data) if chart["metaData"]["resModel"] == model)


def cell_contents(data):
    return [cell.get("content", "") for sheet in data["sheets"] for cell in sheet["cells"].values()]


@tagged("post_install", "-at_install")
class TestCollectionsDashboard(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref("account_dunning_fr_spreadsheet.dashboard_collections")

    def _domain(self, domain):
        """A JSON domain as the browser evaluates it (a string may use dates)."""
        if isinstance(domain, str):
            return safe_eval(
                domain, {"context_today": lambda: self.today, "relativedelta": relativedelta}
            )
        return domain

    def _sources(self, data):
        """(what, model, domain, measures, groupbys) of every pivot, list and
        chart of the dashboard."""
        sources = []
        for pivot in data["pivots"].values():
            sources.append(
                (
                    "pivot %s" % pivot["name"],
                    pivot["model"],
                    self._domain(pivot["domain"]),
                    [measure["fieldName"] for measure in pivot["measures"]],
                    [dim["fieldName"] for dim in pivot["rows"] + pivot["columns"]],
                )
            )
        for chart in charts(data):
            meta = chart["metaData"]
            sources.append(
                (
                    "chart %s" % chart["title"]["text"],
                    meta["resModel"],
                    self._domain(chart["searchParams"]["domain"]),
                    [meta["measure"]],
                    list(dict.fromkeys(meta["groupBy"] + chart["searchParams"]["groupBy"])),
                )
            )
        for spec in data["lists"].values():
            sources.append(
                (
                    "list %s" % spec["name"],
                    spec["model"],
                    self._domain(spec["domain"]),
                    [],
                    [],
                )
            )
        return sources

    def _wrong_names(self, data):
        """Every model, field, measure, groupby and menu the dashboard names
        that the registry does not have, as readable lines."""
        errors = []

        def check_field(what, model, name, role):
            # What the browser is told of the field.
            field = self.env[model].fields_get([name], ["type", "aggregator", "groupable"])
            field = field.get(name)
            if not field:
                errors.append(f"{what}: no field {model}.{name}")
            elif role == "measure" and not field.get("aggregator"):
                errors.append(f"{what}: {model}.{name} cannot be summed")
            elif role == "groupby" and not field["groupable"]:
                errors.append(f"{what}: {model}.{name} cannot be grouped by")
            return field

        for what, model, domain, measures, groupbys in self._sources(data):
            if model not in self.env:
                errors.append(f"{what}: no model {model}")
                continue
            for measure in measures:
                check_field(what, model, measure, "measure")
            for groupby in groupbys:
                name, _sep, interval = groupby.partition(":")
                field = check_field(what, model, name, "groupby")
                if interval and field and field["type"] not in ("date", "datetime"):
                    errors.append(f"{what}: {model}.{name} has no {interval}")
            for leaf in domain:
                if isinstance(leaf, list | tuple):
                    check_field(what, model, leaf[0], "filter")
        for spec in data["lists"].values():
            for name in spec["columns"] + [order["name"] for order in spec["orderBy"]]:
                check_field("list %s" % spec["name"], spec["model"], name, "column")
        for content in cell_contents(data):
            for pivot_id, measure in PIVOT_VALUE.findall(content):
                measures = [m["id"] for m in data["pivots"][pivot_id]["measures"]]
                if measure not in measures:
                    errors.append(f"cell {content}: pivot {pivot_id} has no measure {measure}")
            for list_id, name in LIST_VALUE.findall(content):
                if name not in data["lists"][list_id]["columns"]:
                    errors.append(f"cell {content}: list {list_id} has no column {name}")
        xml_ids = set(data["chartOdooMenusReferences"].values())
        for content in cell_contents(data):
            xml_ids.update(MENU_LINK.findall(content))
        for xml_id in xml_ids:
            menu = self.env.ref(xml_id, raise_if_not_found=False)
            if not menu or not menu.action:
                errors.append(f"no menu with an action {xml_id}")
        return errors

    def test_dashboard_is_in_finance_for_accountants(self):
        self.assertEqual(self.dashboard.name, "Collections")
        self.assertEqual(
            self.dashboard.dashboard_group_id,
            self.env.ref("spreadsheet_dashboard.spreadsheet_dashboard_group_finance"),
        )
        self.assertEqual(self.dashboard.group_ids, self.env.ref("account.group_account_invoice"))
        self.assertTrue(self.dashboard.is_published)
        self.assertEqual(json.loads(self.dashboard.spreadsheet_data), load_dashboard())

    def test_every_name_in_the_dashboard_exists(self):
        data = load_dashboard()
        self.assertEqual(self._wrong_names(data), [])
        models = {model for _what, model, *_rest in self._sources(data)}
        self.assertEqual(
            models,
            {
                "account.dunning.kpi",
                "account.dunning.dso.trend",
                "account.dunning.ageing.report",
                "account.dunning.recovery.report",
                "account.dunning.reminder.report",
                "account.dunning.cash.forecast",
                "account.dunning.payer.profile",
            },
        )

    def test_a_wrong_name_is_caught(self):
        data = load_dashboard()
        data["pivots"]["1"]["measures"][0]["fieldName"] = "receivables"
        trend = chart_of(data, "account.dunning.dso.trend")
        trend["metaData"]["groupBy"] = ["month_end:month"]
        data["lists"]["1"]["columns"][1] = "score"
        self.assertEqual(
            self._wrong_names(data),
            [
                "pivot Key figures: no field account.dunning.kpi.receivables",
                "chart DSO (days): no field account.dunning.dso.trend.month_end",
                "list Late payers: no field account.dunning.payer.profile.score",
                'cell =ODOO.LIST(1,1,"risk_score"): list 1 has no column risk_score',
            ]
            + [
                f'cell =ODOO.LIST(1,{i},"risk_score"): list 1 has no column risk_score'
                for i in range(2, 11)
            ],
        )

    def _small_dataset(self):
        # Paid 30 days late two months ago: a payer profile with days late.
        due = self.today - timedelta(days=90)
        paid_late = self._invoice_on(self.customer, 500.0, due - timedelta(days=30), due)
        self._pay(paid_late, date=due + timedelta(days=30))
        # Reminded today at the first level, 400 of 1000 paid five days later.
        reminded = self._invoice(self.customer, 1000.0, days_late=40)
        self._invoice(self.customer_2, 300.0, days_late=-10)
        self._run()
        self._pay(reminded, 400.0, date=self.today + timedelta(days=5))
        self.env["account.dunning.payer.profile"]._refresh_company_figures(self.company, self.today)
        self.env.flush_all()

    def test_every_data_source_returns_rows(self):
        self._small_dataset()
        accountant = new_test_user(
            self.env,
            login="comptable_tableau",
            groups="base.group_user,account.group_account_invoice",
        )
        for what, model, domain, measures, groupbys in self._sources(load_dashboard()):
            with self.subTest(what):
                # As the dashboard reads them, by an accountant it is shown to.
                Model = self.env[model].with_user(accountant)
                if measures:
                    specs = [f"{m}:{Model._fields[m].aggregator}" for m in measures]
                    rows = Model.read_group(domain, specs, groupbys, lazy=False)
                else:
                    rows = Model.search_read(domain, limit=10)
                self.assertTrue(rows)
        # The figures behind the charts, on this set: the recovery rate of the
        # first level is 400 / 1000 = 40 %; the 12 months of the DSO trend.
        Recovery = self.env["account.dunning.recovery.report"]
        ((level, rate),) = Recovery._read_group(
            [("partner_id", "=", self.customer.id)], ["level_id"], ["recovery_rate:sum"]
        )
        self.assertEqual((level, round(rate, 1)), (self.level_1, 40.0))
        # The open rate of that level once the customer opened the email: 1 of 1.
        reminder = self.env["account.dunning.action"].search(
            [("partner_id", "=", self.customer.id)]
        )
        reminder._record_tracking_event("open")
        ((level, rate),) = self.env["account.dunning.reminder.report"]._read_group(
            [("partner_id", "=", self.customer.id)], ["level_id"], ["open_rate:sum"]
        )
        self.assertEqual((level, round(rate, 1)), (self.level_1, 100.0))
        months = self.env["account.dunning.dso.trend"].read_group(
            [("company_id", "=", self.company.id)], ["dso:sum"], ["date:month"], lazy=False
        )
        self.assertEqual(len(months), 12)
        window = chart_of(load_dashboard(), "account.dunning.cash.forecast")["searchParams"]
        forecast = self.env["account.dunning.cash.forecast"].read_group(
            [
                *self._domain(window["domain"]),
                ("partner_id", "in", (self.customer | self.customer_2).ids),
            ],
            ["amount:sum"],
            ["scenario"],
            lazy=False,
        )
        # 1000 - 400 + 300 expected, in each scenario.
        self.assertEqual(
            {row["scenario"]: row["amount"] for row in forecast},
            dict.fromkeys(("expected", "optimistic", "pessimistic"), 900.0),
        )

    def test_accountants_see_it_salespeople_do_not(self):
        accountant = new_test_user(
            self.env,
            login="comptable_recouvrement",
            groups="base.group_user,account.group_account_invoice",
        )
        dashboards = self.env["spreadsheet.dashboard"].with_user(accountant)
        self.assertIn(self.dashboard, dashboards.search([]))
        self.assertTrue(
            dashboards.browse(self.dashboard.id).get_readonly_dashboard()["snapshot"]["sheets"]
        )
        groups = "base.group_user"
        if self.env.ref("sales_team.group_sale_salesman", raise_if_not_found=False):
            groups += ",sales_team.group_sale_salesman"
        salesman = new_test_user(self.env, login="vendeur_recouvrement", groups=groups)
        dashboards = self.env["spreadsheet.dashboard"].with_user(salesman)
        self.assertNotIn(self.dashboard, dashboards.search([]))
        with self.assertRaises(AccessError):
            dashboards.browse(self.dashboard.id).read(["spreadsheet_data"])

    def test_forecast_window_is_the_next_13_weeks(self):
        chart = chart_of(load_dashboard(), "account.dunning.cash.forecast")
        ((_field, operator, limit),) = self._domain(chart["searchParams"]["domain"])
        self.assertEqual(
            (operator, fields.Date.from_string(limit)), ("<", self.today + timedelta(weeks=13))
        )
