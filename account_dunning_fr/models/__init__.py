from . import (
    account_dunning_action,
    account_dunning_action_line,
    account_dunning_ecb_rate,
    account_dunning_legal_rate,
    account_dunning_level,
    account_dunning_payment_plan,
    account_dunning_policy,
    account_dunning_run,
    account_move,
    res_company,
    res_config_settings,
    res_partner,
)
