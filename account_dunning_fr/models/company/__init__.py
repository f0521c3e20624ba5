# ruff: noqa: I001
from . import res_company
from . import res_config_settings
