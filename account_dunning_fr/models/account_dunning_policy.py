from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .account_dunning_payer_profile import SEGMENTS

REGIMES = [
    ("b2b", "Business (B2B)"),
    ("b2c", "Consumer (B2C)"),
    ("public", "Public buyer"),
]


class AccountDunningPolicy(models.Model):
    _name = "account.dunning.policy"
    _description = "Dunning Policy"
    _order = "company_id, regime, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    regime = fields.Selection(
        REGIMES,
        required=True,
        default="b2b",
        help="Customers this policy is meant for. Partners without a policy of "
        "their own follow the company's default policy for their regime: "
        "companies are B2B, individuals are consumers, partners flagged as "
        "public buyers follow the public policy.",
    )
    is_default = fields.Boolean(
        "Default for this regime",
        help="Applied to the partners of this regime that have no policy of their own.",
    )
    payer_segment = fields.Selection(
        SEGMENTS,
        help="Optional. A default policy with a payer segment applies to the customers "
        "of its kind in that segment (from their risk score, computed on their payment "
        "history by the daily run), so that a risky customer gets the phone call "
        "earlier and a good payer a softer cadence. Customers without history, or of "
        "a segment without its own policy, follow the default policy without segment.",
    )
    level_ids = fields.One2many("account.dunning.level", "policy_id", string="Levels", copy=True)
    min_gap_days = fields.Integer(
        "Minimum days between two reminders",
        default=2,
        help="A customer never gets two reminders closer than this, whatever "
        "their invoices (2 = never on two consecutive days).",
    )
    contractual_rate = fields.Float(
        "Contractual penalty rate (%)",
        digits=(5, 2),
        help="Rate agreed in the terms of sale of these customers; empty: the "
        "company's, or the legal default.",
    )
    note = fields.Html()

    @api.constrains("min_gap_days")
    def _check_min_gap_days(self):
        for policy in self:
            if policy.min_gap_days < 1:
                raise ValidationError(
                    self.env._("The minimum gap between two reminders must be at least one day.")
                )

    @api.constrains("is_default", "regime", "payer_segment", "company_id", "active")
    def _check_single_default(self):
        for policy in self.filtered(lambda p: p.is_default and p.active):
            others = self.search_count(
                [
                    ("id", "!=", policy.id),
                    ("company_id", "=", policy.company_id.id),
                    ("regime", "=", policy.regime),
                    ("payer_segment", "=", policy.payer_segment),
                    ("is_default", "=", True),
                ]
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "Company %(company)s already has a default dunning policy "
                        "for this kind of customer and payer segment.",
                        company=policy.company_id.display_name,
                    )
                )

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

    @api.constrains("regime")
    def _check_regime_of_partners(self):
        """Customers following this policy keep its kind (res.partner)."""
        for policy in self:
            partners = (
                self.env["res.partner"]
                .sudo()
                .with_company(policy.company_id)
                .search([("dunning_policy_id", "=", policy.id)])
            )
            partners._check_dunning_policy_regime()

    def _get_sorted_levels(self):
        self.ensure_one()
        return self.level_ids.sorted(lambda lvl: (lvl._to_core().rank, lvl.sequence, lvl.id))

    @api.model
    def _get_default_policies(self, company):
        """{(regime, payer segment or False): policy} of the company's default
        policies; (regime, False) is there for every regime with a policy."""
        policies = self.with_context(active_test=True).search(
            [("company_id", "=", company.id)], order="is_default desc, sequence, id"
        )
        defaults = {}
        for policy in policies:
            defaults.setdefault((policy.regime, policy.payer_segment or False), policy)
        return defaults
