from pathlib import Path

from odoo.tools import SQL

from odoo.addons.l10n_fr_payment_delay.hooks import take_over_xmlids


def pre_init_hook(env):
    """A database where account_dunning_fr (18.0.1.x) held the payer figures
    keeps them: their models, fields, views and rules are handed over to
    this add-on before its data is loaded (take_over_xmlids)."""
    moved = Path(__file__).parent / "migrations" / "xmlids_from_account_dunning_fr.txt"
    take_over_xmlids(env.cr, "account_dunning_fr_insight", moved)


def uninstall_hook(env):
    """The forecast's plain table and the monthly DSO's function are not a
    model's: Odoo does not drop them."""
    from .report.account_dunning_cash_forecast import RECEIPT_TABLE
    from .report.account_dunning_dso_trend import FIGURES_FUNCTION

    env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(RECEIPT_TABLE)))
    # With the view that reads it, if Odoo has not dropped it yet.
    env.cr.execute(SQL("DROP FUNCTION IF EXISTS %s() CASCADE", SQL.identifier(FIGURES_FUNCTION)))
