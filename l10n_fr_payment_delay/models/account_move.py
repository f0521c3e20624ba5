from odoo import api, models
from odoo.tools import SQL


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _l10n_fr_payment_delay_disputed_sql(self):
        """Whether the invoice ``m`` is disputed, for the D441-6 tables:
        those the company leaves out of the brackets (D441-6 IV, "dettes et
        créances litigieuses"). Odoo's own sign of it is a payment blocked
        by hand; a dunning add-on adds its disputes (documented hook)."""
        return SQL("m.payment_state = 'blocked'")

    @api.model
    def _late_payment_pending_note(self, pending):
        """'+ pending 2026-H2' for the semesters whose rate is still to
        come (core/penalties.py), else False."""
        if not pending:
            return False
        return self.env._("+ pending %s", ", ".join(pending))
