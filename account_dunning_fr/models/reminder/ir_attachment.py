from odoo import api, models
from odoo.exceptions import UserError

from .dunning_proof import is_writing_proof


class IrAttachment(models.Model):
    """The letter of a sent reminder is part of its proof: kept as it is."""

    _inherit = "ir.attachment"

    def _check_not_dunning_proof(self):
        if is_writing_proof():
            return
        letters = self.sudo().filtered(lambda a: a.res_model == "account.dunning.action")
        if not letters:
            return
        sent = (
            self.env["account.dunning.action"]
            .sudo()
            .search_count(
                [("letter_attachment_id", "in", letters.ids), ("state", "=", "sent")], limit=1
            )
        )
        if sent:
            raise UserError(
                self.env._(
                    "The letter of a sent reminder is the proof of what the customer "
                    "received: it cannot be changed or deleted."
                )
            )

    def write(self, vals):
        if set(vals) - {"access_token"}:
            self._check_not_dunning_proof()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_dunning_proof(self):
        self._check_not_dunning_proof()
