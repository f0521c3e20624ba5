"""The reporting menus open on a chart."""

from odoo.tests import TransactionCase, tagged

# The dunning dashboard (account.dunning.kpi) opens on its card, one per
# company, with its chart one click away.
KPI_ACTIONS = (
    "action_account_dunning_ageing_report",
    "action_account_dunning_dso_report",
    "action_account_dunning_dso_trend",
    "action_account_dunning_recovery_report",
    "action_account_dunning_reminder_report",
    "action_account_dunning_collection_report",
    "action_account_dunning_cash_forecast_weekly",
    "action_account_dunning_cash_forecast_monthly",
)


@tagged("post_install", "-at_install")
class TestReportActions(TransactionCase):
    def test_dashboard_card_has_its_chart_too(self):
        action = self.env.ref("account_dunning_fr.action_account_dunning_kpi")
        self.assertEqual(action.view_mode, "kanban,graph,pivot")

    def test_kpi_actions_open_on_their_chart(self):
        for xml_id in KPI_ACTIONS:
            with self.subTest(xml_id):
                action = self.env.ref(f"account_dunning_fr.{xml_id}")
                self.assertEqual(action.view_mode.split(",")[0], "graph")
                views = self.env[action.res_model].get_views([(False, "graph")])["views"]
                self.assertIn("<graph", views["graph"]["arch"])
