"""18.0.2.1.0: the levels of invoices and instalments are no longer indexed
(account_move.py, account_move_line.py: the night's level writes become HOT
updates). Odoo keeps an index a field no longer asks for: dropped here."""

from odoo.tools import SQL

DROPPED_INDEXES = (
    "account_move__dunning_level_id_index",
    "account_move_line__dunning_level_id_index",
)


def migrate(cr, version):
    if not version:
        return
    for name in DROPPED_INDEXES:
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
