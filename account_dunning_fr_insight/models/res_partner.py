from odoo import api, fields, models

from ..core import payer
from .account_dunning_payer_profile import SEGMENTS

ACCOUNTANT_GROUP = "account.group_account_invoice"
# The payer figures: every internal user reads them, no portal user.
PAYER_GROUPS = "base.group_user"
# A consumer: a private individual, not a public buyer (_compute_dunning_regime),
# for a commercial partner.
CONSUMER_DOMAIN = [("is_company", "=", False), ("dunning_public_buyer", "=", False)]
# What scoring a customer produces: withheld from consumers unless the
# company scores them, and then from everyone but accountants (GDPR).
SCORE_FIELDS = ("dunning_risk_score", "dunning_risk_segment", "dunning_risk_explanation")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Payer behaviour in the current company, from its
    # account.dunning.payer.profile (refreshed every night); read by
    # every internal user, salespeople included, never by portal users.
    dunning_paid_invoice_count = fields.Integer(
        "Paid invoices (24 months)", compute="_compute_dunning_payer", groups=PAYER_GROUPS
    )
    dunning_average_days_late = fields.Float(
        "Average days late",
        digits=(16, 1),
        compute="_compute_dunning_payer",
        groups=PAYER_GROUPS,
        help="Days between the due date and the payment, weighted by the amount "
        "paid, over the paid invoices of the last 24 months (negative: early).",
    )
    dunning_median_days_late = fields.Float(
        "Median days late", digits=(16, 1), compute="_compute_dunning_payer", groups=PAYER_GROUPS
    )
    dunning_late_share = fields.Float(
        "Share paid late (%)", digits=(16, 0), compute="_compute_dunning_payer", groups=PAYER_GROUPS
    )
    dunning_payment_trend = fields.Selection(
        [("worsening", "Worsening"), ("improving", "Improving"), ("stable", "Stable")],
        "Payment trend",
        compute="_compute_dunning_payer",
        groups=PAYER_GROUPS,
        help="The last 6 months against the 18 before.",
    )
    dunning_broken_promise_count = fields.Integer(
        "Broken promises", compute="_compute_dunning_payer", groups=PAYER_GROUPS
    )
    dunning_dispute_count = fields.Integer(
        "Disputes", compute="_compute_dunning_payer", groups=PAYER_GROUPS
    )
    dunning_reminders_before_payment = fields.Float(
        "Reminders before payment",
        digits=(16, 1),
        compute="_compute_dunning_payer",
        groups=PAYER_GROUPS,
    )
    dunning_expected_delay = fields.Float(
        "Expected delay (days)",
        digits=(16, 1),
        compute="_compute_dunning_payer",
        groups=PAYER_GROUPS,
        help="The delay expected on the next invoices: recent payments weigh "
        "more, and a short history is pulled toward the company's average.",
    )
    dunning_risk_score = fields.Integer(
        "Risk score",
        compute="_compute_dunning_payer",
        groups=PAYER_GROUPS,
        help="0 to 100, higher is riskier: lateness, share paid late, trend, "
        "broken promises, disputes and reminders needed (see the explanation).",
    )
    dunning_risk_segment = fields.Selection(
        SEGMENTS, "Payer segment", compute="_compute_dunning_payer", groups=PAYER_GROUPS
    )
    dunning_risk_explanation = fields.Char(
        "Why this score", compute="_compute_dunning_payer", groups=PAYER_GROUPS
    )
    dunning_risk_scored = fields.Boolean(
        "Risk scored",
        compute="_compute_dunning_payer",
        groups=PAYER_GROUPS,
        help="Consumers are scored only when the company chose to (GDPR, profiling), "
        "and their scores are shown to accountants only.",
    )

    # The user: consumers' scores are shown to accountants only.
    @api.depends_context("company", "lang", "uid")
    def _compute_dunning_payer(self):
        company = self.env.company
        commercials = {
            partner.id: partner.commercial_partner_id.id or partner.id for partner in self
        }
        profiles = self.env["account.dunning.payer.profile"]._get_profiles(
            set(commercials.values()), company
        )
        prior = company.sudo().dunning_payer_prior_delay
        consumers_scored = self._dunning_consumers_scored_for_user(company)
        for partner in self:
            profile = profiles.get(commercials[partner.id])
            if profile:
                values = {
                    "dunning_paid_invoice_count": profile.invoice_count,
                    "dunning_average_days_late": profile.average_days_late,
                    "dunning_median_days_late": profile.median_days_late,
                    "dunning_late_share": 100 * profile.late_share,
                    "dunning_payment_trend": payer.trend_word(profile.trend_days) or "stable",
                    "dunning_broken_promise_count": profile.broken_promise_count,
                    "dunning_dispute_count": profile.dispute_count,
                    "dunning_reminders_before_payment": profile.reminders_before_payment,
                    "dunning_expected_delay": profile.expected_delay,
                    "dunning_risk_score": profile.risk_score,
                    "dunning_risk_segment": profile.segment,
                }
            else:
                score = payer.risk_score(prior, None, None, 0, 0, 0.0).total
                values = {
                    "dunning_paid_invoice_count": 0,
                    "dunning_average_days_late": 0.0,
                    "dunning_median_days_late": 0.0,
                    "dunning_late_share": 0.0,
                    "dunning_payment_trend": "stable",
                    "dunning_broken_promise_count": 0,
                    "dunning_dispute_count": 0,
                    "dunning_reminders_before_payment": 0.0,
                    "dunning_expected_delay": prior,
                    "dunning_risk_score": score,
                    "dunning_risk_segment": payer.segment(score),
                }
            values["dunning_risk_explanation"] = self.env["account.dunning.payer.profile"]._explain(
                profile, prior
            )
            values["dunning_risk_scored"] = (
                consumers_scored or partner.commercial_partner_id.dunning_regime != "b2c"
            )
            if not values["dunning_risk_scored"]:
                values.update(dict.fromkeys(SCORE_FIELDS, False), dunning_risk_score=0)
            partner.update(values)

    @api.model
    def _dunning_consumers_scored_for_user(self, company):
        """Whether the current user sees consumers' scores in ``company``:
        the company scores them (profiling, GDPR art. 4(4), 22: a choice
        with a stated purpose), and the user is an accountant."""
        return company.sudo().dunning_score_consumers and self.env.user.has_group(ACCOUNTANT_GROUP)

    @api.model
    def _dunning_unscored_ids(self, partner_ids, company):
        """The customers among ``partner_ids`` (commercial partners) whose
        risk ``company`` does not score: its consumers, unless it chose to."""
        if company.sudo().dunning_score_consumers or not partner_ids:
            return set()
        return set(
            self.sudo()
            .with_context(active_test=False)
            .search([("id", "in", list(partner_ids)), *CONSUMER_DOMAIN])
            .ids
        )

    def _get_payer_segments(self, company, defaults):
        """{commercial partner id: segment} of the customers with a payment
        history, read only when a default policy is meant for a segment."""
        if not any(segment for _regime, segment in defaults):
            return {}
        commercial_ids = {(partner.commercial_partner_id or partner).id for partner in self}
        profiles = self.env["account.dunning.payer.profile"]._get_profiles(commercial_ids, company)
        return {partner_id: profile.segment for partner_id, profile in profiles.items()}

    @api.model
    def _dunning_payer_facts(self, partner_ids, company):
        """The payer figures that choose a reminder's wording (a good payer
        late for once, a habitual late payer: core/situation.py)."""
        profiles = self.env["account.dunning.payer.profile"]._get_profiles(partner_ids, company)
        return {
            partner_id: {
                "paid_invoice_count": profile.invoice_count,
                "average_days_late": profile.average_days_late,
                "expected_delay": profile.expected_delay,
                "segment": profile.segment or None,
            }
            for partner_id, profile in profiles.items()
        }
