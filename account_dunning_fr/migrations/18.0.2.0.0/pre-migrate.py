"""18.0.2.0.0: the payer figures move to account_dunning_fr_insight and the
D441-6 tables and rates to l10n_fr_payment_delay (a new dependency, which
Odoo installs by itself). A database that had them keeps them: the payer
insight is installed in the same update, its pre_init_hook takes over the
records account_dunning_fr held (their ids and data kept)."""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            "UPDATE ir_module_module SET state = 'to install' "
            "WHERE name = 'account_dunning_fr_insight' AND state = 'uninstalled'"
        )
    )
