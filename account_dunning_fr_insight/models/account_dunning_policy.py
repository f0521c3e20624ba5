from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .account_dunning_payer_profile import SEGMENTS


class AccountDunningPolicy(models.Model):
    """A default policy may be meant for a payer segment: customers of its
    kind in that segment follow it (res.partner._get_payer_segments)."""

    _inherit = "account.dunning.policy"

    payer_segment = fields.Selection(
        SEGMENTS,
        help="Optional. A default policy with a payer segment applies to the customers "
        "of its kind in that segment (from their risk score, computed on their payment "
        "history every night), so that a risky customer gets the phone call "
        "earlier and a good payer a softer cadence. Customers without history, or of "
        "a segment without its own policy, follow the default policy without segment.",
    )

    @api.constrains("payer_segment")
    def _check_single_default_of_segment(self):
        self._check_single_default()

    @api.constrains("payer_segment", "is_default")
    def _check_segment_is_default(self):
        """A segment only chooses among default policies: a customer given
        a policy of its own keeps it, whatever its score."""
        if any(policy.payer_segment and not policy.is_default for policy in self):
            raise ValidationError(
                self.env._(
                    "A policy for a payer segment must be the default for its kind of "
                    "customer: tick 'Default for this regime'."
                )
            )

    def _get_default_rivals(self):
        return [*super()._get_default_rivals(), ("payer_segment", "=", self.payer_segment)]

    def _get_default_key(self):
        regime, _variant = super()._get_default_key()
        return (regime, self.payer_segment or False)
