# The answer first, then the file that extends it.
# ruff: noqa: I001
from . import account_dunning_answer
from . import account_dunning_answer_effects
from . import account_dunning_action_answer
