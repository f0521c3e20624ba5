from . import account_dunning_run, queue_job, res_config_settings
