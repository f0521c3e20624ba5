from . import (
    account_dunning_cash_forecast,
    account_dunning_collection_report,
    account_dunning_dso_trend,
    account_dunning_reminder_report,
    account_dunning_worklist,
)
