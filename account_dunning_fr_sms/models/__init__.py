from . import account_dunning_action, account_dunning_level, account_dunning_sender
