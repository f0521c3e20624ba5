from . import (
    test_core_payer,
    test_dso_trend,
    test_payer_insight,
    test_payer_refresh,
    test_reminder_effect,
    test_report_actions,
    test_ui_tour,
    test_worklist_risk,
)
