# The reminder record first, then the files that extend it.
# ruff: noqa: I001
from . import account_dunning_action
from . import account_dunning_action_claim
from . import account_dunning_action_content
from . import account_dunning_action_situation
from . import account_dunning_action_tracking
from . import account_dunning_action_line
from . import ir_attachment
