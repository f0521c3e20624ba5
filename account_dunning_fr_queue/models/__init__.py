from . import account_dunning_run, res_config_settings
