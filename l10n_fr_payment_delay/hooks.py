"""Install hooks: a database where the French dunning add-on held these
records before they moved here keeps them (rates, settings, views) under
their new module, with their ids and data."""

from pathlib import Path

from odoo.tools import SQL

FORMER_MODULE = "account_dunning_fr"
# account_dunning_fr (18.0.1.x) kept these parameters under its own name.
RENAMED_PARAMETERS = {
    "account_dunning_fr.ecb_auto_fetch": "l10n_fr_payment_delay.ecb_auto_fetch",
    "account_dunning_fr.ecb_fetch_failures": "l10n_fr_payment_delay.ecb_fetch_failures",
}


def take_over_xmlids(cr, module, names_file, former=FORMER_MODULE):
    """Give ``module`` the external ids ``former`` held under the names
    listed in ``names_file`` (one per line), before ``module``'s data is
    loaded: its records are then updated in place, not deleted by
    ``former``'s update and made again (or refused, as the rates of a
    semester are unique). Used by the add-ons split from account_dunning_fr
    (18.0.2.0.0); does nothing in a database that never had ``former``."""
    names = Path(names_file).read_text().split()
    cr.execute(
        SQL(
            """
            UPDATE ir_model_data old SET module = %(module)s
             WHERE old.module = %(former)s AND old.name = ANY(%(names)s)
               AND NOT EXISTS (SELECT 1 FROM ir_model_data new
                                WHERE new.module = %(module)s AND new.name = old.name)
            """,
            module=module,
            former=former,
            names=names,
        )
    )
    return cr.rowcount


def pre_init_hook(env):
    moved = Path(__file__).parent / "migrations" / "xmlids_from_account_dunning_fr.txt"
    take_over_xmlids(env.cr, "l10n_fr_payment_delay", moved)
    for old, new in RENAMED_PARAMETERS.items():
        env.cr.execute(
            SQL(
                "UPDATE ir_config_parameter SET key = %s WHERE key = %s "
                "AND NOT EXISTS (SELECT 1 FROM ir_config_parameter WHERE key = %s)",
                new,
                old,
                new,
            )
        )
