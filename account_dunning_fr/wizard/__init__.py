from . import account_dunning_exclude_wizard
