# Abstract models first: the models below inherit them.
# ruff: noqa: I001
from . import account_dunning_ratio_mixin
from . import account_dunning_semester_rate
from . import account_dunning_sql_view
from . import account_dunning_action
from . import account_dunning_action_line
from . import account_dunning_call
from . import account_dunning_ecb_rate
from . import account_dunning_legal_rate
from . import account_dunning_level
from . import account_dunning_payment_plan
from . import account_dunning_policy
from . import account_dunning_run
from . import account_move
from . import res_company
from . import res_config_settings
from . import res_partner
