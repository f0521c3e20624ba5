# ruff: noqa: I001
from . import account_move_line
from . import account_move
from . import res_partner
