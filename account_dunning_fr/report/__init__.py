from . import (
    account_dunning_ageing_report,
    account_dunning_dso_report,
    account_dunning_kpi,
    account_dunning_recovery_report,
    account_dunning_worklist,
)
