from odoo import models, tools
from odoo.tools import SQL


class AccountDunningSqlView(models.AbstractModel):
    """A read-only report backed by a PostgreSQL view of ``_view_query()``."""

    _name = "account.dunning.sql.view"
    _description = "Dunning report view"
    _auto = False

    def _view_query(self):
        raise NotImplementedError

    def init(self):
        if self._abstract:
            return
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE VIEW %s AS (%s)", SQL.identifier(self._table), self._view_query())
        )
