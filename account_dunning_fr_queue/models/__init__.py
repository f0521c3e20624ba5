from . import account_dunning_run
