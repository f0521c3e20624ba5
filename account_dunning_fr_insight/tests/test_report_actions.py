"""The insight reports open on a chart."""

from odoo.tests import tagged

from odoo.addons.account_dunning_fr.tests import test_report_actions


@tagged("post_install", "-at_install")
class TestInsightReportActions(test_report_actions.TestReportActions):
    kpi_actions = (
        "account_dunning_fr_insight.action_account_dunning_dso_trend",
        "account_dunning_fr_insight.action_account_dunning_reminder_report",
        "account_dunning_fr_insight.action_account_dunning_collection_report",
        "account_dunning_fr_insight.action_account_dunning_cash_forecast_weekly",
        "account_dunning_fr_insight.action_account_dunning_cash_forecast_monthly",
    )
