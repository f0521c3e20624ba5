# ruff: noqa: I001
from . import account_dunning_alert_mixin
from . import account_dunning_ecb_rate
from . import account_move_legal
from . import account_move_penalty_bill
