# ruff: noqa: I001
from . import account_dunning_policy
from . import account_dunning_level
