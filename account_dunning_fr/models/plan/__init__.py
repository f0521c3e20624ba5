from . import account_dunning_payment_plan
