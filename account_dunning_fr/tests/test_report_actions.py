"""The reporting menus open on a chart."""

from odoo.tests import TransactionCase, tagged

# The dunning dashboard (account.dunning.kpi) opens on its card, one per
# company, with its chart one click away.
KPI_ACTIONS = (
    "account_dunning_fr.action_account_dunning_ageing_report",
    "account_dunning_fr.action_account_dunning_dso_report",
    "account_dunning_fr.action_account_dunning_recovery_report",
)


@tagged("post_install", "-at_install")
class TestReportActions(TransactionCase):
    kpi_actions = KPI_ACTIONS

    def test_dashboard_card_has_its_chart_too(self):
        action = self.env.ref("account_dunning_fr.action_account_dunning_kpi")
        self.assertEqual(action.view_mode, "kanban,graph,pivot")

    def test_kpi_actions_open_on_their_chart(self):
        for xml_id in self.kpi_actions:
            with self.subTest(xml_id):
                action = self.env.ref(xml_id)
                self.assertEqual(action.view_mode.split(",")[0], "graph")
                views = self.env[action.res_model].get_views([(False, "graph")])["views"]
                self.assertIn("<graph", views["graph"]["arch"])
