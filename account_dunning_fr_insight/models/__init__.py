from . import (
    account_dunning_payer_profile,
    account_dunning_payer_refresh,
    account_dunning_policy,
    account_move,
    res_company,
    res_config_settings,
    res_partner,
)
