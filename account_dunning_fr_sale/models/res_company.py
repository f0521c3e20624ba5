from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_credit_hold = fields.Boolean(
        "Credit hold",
        help="Block the confirmation of sale orders for customers in the chosen "
        "payment statuses, unless an accounting manager overrides it.",
    )
    dunning_hold_overdue = fields.Boolean("Hold customers overdue or reminded")
    dunning_hold_formal_notice = fields.Boolean("Hold customers under formal notice", default=True)
    dunning_hold_litigation = fields.Boolean("Hold customers in litigation", default=True)

    def _get_dunning_held_statuses(self):
        """The payment statuses that block orders, when the hold is on."""
        self.ensure_one()
        if not self.dunning_credit_hold:
            return set()
        statuses = set()
        if self.dunning_hold_overdue:
            statuses |= {"overdue", "reminded"}
        if self.dunning_hold_formal_notice:
            statuses.add("formal_notice")
        if self.dunning_hold_litigation:
            statuses.add("litigation")
        return statuses
