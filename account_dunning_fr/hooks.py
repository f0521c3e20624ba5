from odoo.tools import SQL


def post_init_hook(env):
    """Companies that existed before the install get the default policies."""
    env["res.company"].search([])._create_default_dunning_policies()


def uninstall_hook(env):
    """The forecast's plain table is not a model's: Odoo does not drop it."""
    from .report.account_dunning_cash_forecast import RECEIPT_TABLE

    env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(RECEIPT_TABLE)))
