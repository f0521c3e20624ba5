from . import account_dunning_policy
from . import account_dunning_level
from . import account_dunning_run
from . import account_dunning_action
from . import account_dunning_action_line
from . import account_move
from . import res_company
from . import res_partner
