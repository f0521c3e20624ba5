from odoo import api, fields, models
from odoo.exceptions import ValidationError

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
    dunning_promise_max_days = fields.Integer(
        "Longest promise accepted (days)",
        default=15,
        help="A customer who answers a reminder that it will pay within this many days is "
        "taken at its word: its invoices wait for that day. A later day waits for an "
        "accountant.",
    )
    note = fields.Html()

    @api.constrains("dunning_promise_max_days")
    def _check_promise_max_days(self):
        if any(policy.dunning_promise_max_days < 0 for policy in self):
            raise ValidationError(self.env._("The longest promise accepted cannot be negative."))

    @api.constrains("min_gap_days")
    def _check_min_gap_days(self):
        for policy in self:
            if policy.min_gap_days < 1:
                raise ValidationError(
                    self.env._("The minimum gap between two reminders must be at least one day.")
                )

    @api.constrains("is_default", "regime", "company_id", "active")
    def _check_single_default(self):
        for policy in self.filtered(lambda p: p.is_default and p.active):
            others = self.search_count([("id", "!=", policy.id), *policy._get_default_rivals()])
            if others:
                raise ValidationError(
                    self.env._(
                        "Company %(company)s already has a default dunning policy "
                        "for this kind of customer and payer segment.",
                        company=policy.company_id.display_name,
                    )
                )

    def _get_default_rivals(self):
        """The domain of the default policies this default one would compete
        with: the company's for the same kind of customer (hook: the payer
        insight add-on adds the payer segment)."""
        self.ensure_one()
        return [
            ("company_id", "=", self.company_id.id),
            ("regime", "=", self.regime),
            ("is_default", "=", True),
        ]

    def _get_default_key(self):
        """What this default policy is the default for: (regime, variant),
        the variant False here (hook: the payer insight add-on makes it the
        payer segment)."""
        self.ensure_one()
        return (self.regime, False)

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
        """{(regime, variant or False): policy} of the company's default
        policies (``_get_default_key``); (regime, False) is there for every
        regime with a policy."""
        policies = self.with_context(active_test=True).search(
            [("company_id", "=", company.id)], order="is_default desc, sequence, id"
        )
        defaults = {}
        for policy in policies:
            defaults.setdefault(policy._get_default_key(), policy)
        return defaults
