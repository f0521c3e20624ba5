from odoo import api, models, tools
from odoo.tools import SQL

from ..receivable.account_move_line import OPEN_RECEIVABLE_DEPENDS


class AccountDunningSqlView(models.AbstractModel):
    """A read-only report backed by a PostgreSQL view of ``_view_query()``."""

    _name = "account.dunning.sql.view"
    _description = "Dunning report view"
    _auto = False
    _depends = OPEN_RECEIVABLE_DEPENDS

    def _view_query(self):
        raise NotImplementedError

    @api.model
    def _open_receivable_lines(self):
        """FROM and WHERE of the open receivable lines (account.move.line's
        definition): ``aml``, its move ``m``, its partner ``p``."""
        return self.env["account.move.line"]._dunning_open_lines_sql()

    @api.model
    def _claimable(self):
        """Among them, the debits of customer invoices: what may be claimed."""
        return self.env["account.move.line"]._dunning_claimable_sql()

    def init(self):
        if self._abstract:
            return
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE VIEW %s AS (%s)", SQL.identifier(self._table), self._view_query())
        )
