# Abstract model first: the rate models inherit it.
# ruff: noqa: I001
from . import account_dunning_semester_rate
from . import account_dunning_ecb_rate
from . import account_dunning_legal_rate
from . import account_move
from . import res_config_settings
