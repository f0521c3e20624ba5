from odoo import api, models
from odoo.tools import SQL

from ...tools.bulk import flush_fields


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    @api.model
    def _dunning_held_sql(self, today):
        """An invoice the buyer refused, a platform rejected or the seller
        cancelled (e-invoicing statuses 210, 213, 220) is never chased
        again."""
        return SQL(
            "(%s OR m.dunning_einvoice_effect = 'stop' %s)",
            super()._dunning_held_sql(today),
            flush_fields(self.env["account.move"], "dunning_einvoice_effect"),
        )
