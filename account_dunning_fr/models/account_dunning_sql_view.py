from odoo import api, models, tools
from odoo.tools import SQL


class AccountDunningSqlView(models.AbstractModel):
    """A read-only report backed by a PostgreSQL view of ``_view_query()``."""

    _name = "account.dunning.sql.view"
    _description = "Dunning report view"
    _auto = False

    def _view_query(self):
        raise NotImplementedError

    @api.model
    def _open_receivable_lines(self):
        """FROM and WHERE of the open instalments of posted customer invoices,
        the ground of every dunning figure (alias ``aml``, its move ``m``)."""
        return SQL(
            """
              FROM account_move_line aml
              JOIN account_move m ON m.id = aml.move_id
              JOIN account_account acc ON acc.id = aml.account_id
             WHERE m.state = 'posted' AND m.move_type = 'out_invoice'
               AND m.payment_state NOT IN ('paid', 'in_payment', 'reversed')
               AND acc.account_type = 'asset_receivable'
               AND aml.reconciled IS NOT TRUE AND aml.amount_residual > 0
            """
        )

    def init(self):
        if self._abstract:
            return
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE VIEW %s AS (%s)", SQL.identifier(self._table), self._view_query())
        )
