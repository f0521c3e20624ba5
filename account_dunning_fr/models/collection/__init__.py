# ruff: noqa: I001
from . import account_dunning_call
from . import account_dunning_litigation_file
from . import account_dunning_litigation_file_claim
from . import res_partner_litigation
