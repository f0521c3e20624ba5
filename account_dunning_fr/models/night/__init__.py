# ruff: noqa: I001
from . import account_dunning_run
from . import account_dunning_run_customers
from . import account_dunning_run_threads
