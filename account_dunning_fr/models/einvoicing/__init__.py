# ruff: noqa: I001
from . import account_dunning_einvoice_status
from . import account_dunning_einvoice_import
from . import account_dunning_einvoice_key
from . import account_move
from . import account_move_line
from . import res_company
from . import res_config_settings
