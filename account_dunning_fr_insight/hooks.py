from odoo.tools import SQL


def uninstall_hook(env):
    """The forecast's plain table is not a model's: Odoo does not drop it."""
    from .report.account_dunning_cash_forecast import RECEIPT_TABLE

    env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(RECEIPT_TABLE)))
