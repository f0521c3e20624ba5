from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ...core import balance
from ...tools.bulk import flush_fields
from ...tools.prefetch import fetch_only

# Dunning settings of a customer only accountants change (DESIGN rule 5).
DUNNING_PARTNER_FIELDS = {"dunning_policy_id", "dunning_contractual_rate", "dunning_public_buyer"}
ACCOUNTANT_GROUP = "account.group_account_invoice"
# What a customer's policy is chosen from (_get_dunning_policies).
DUNNING_KIND_FIELDS = ["is_company", "dunning_public_buyer", "dunning_policy_id"]

DUNNING_STATUSES = [
    ("ok", "Up to date"),
    ("overdue", "Overdue"),
    ("reminded", "Reminded"),
    ("formal_notice", "Formal notice"),
    ("payment_plan", "Payment plan"),
    ("dispute", "Dispute"),
    ("litigation", "Litigation"),
]

# Most serious first: the status a salesperson must see when several apply.
# A plan agreed supersedes the dunning level its invoices had reached.
STATUS_PRIORITY = ["payment_plan", "litigation", "formal_notice", "dispute", "reminded", "overdue"]


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_policy_id = fields.Many2one(
        "account.dunning.policy",
        "Dunning policy",
        company_dependent=True,
        groups="account.group_account_invoice,account.group_account_readonly",
        help="Empty: the company's default policy for this customer's kind "
        "(company, individual or public buyer).",
    )
    dunning_contractual_rate = fields.Float(
        "Contractual penalty rate (%)",
        digits=(5, 2),
        company_dependent=True,
        groups="account.group_account_invoice,account.group_account_readonly",
        help="Rate agreed with this customer; empty: the policy's, the company's "
        "or the legal default (ECB + 10 points).",
    )
    dunning_public_buyer = fields.Boolean(
        "Public buyer",
        help="State, local authority, public hospital or other public "
        "purchaser: the public dunning policy and the public-procurement "
        "rules apply.",
    )
    dunning_regime = fields.Selection(
        [("b2b", "Business (B2B)"), ("b2c", "Consumer (B2C)"), ("public", "Public buyer")],
        compute="_compute_dunning_regime",
        string="Customer kind",
    )
    dunning_status = fields.Selection(
        DUNNING_STATUSES,
        compute="_compute_dunning_status",
        search="_search_dunning_status",
        string="Payment status",
    )
    dunning_level_id = fields.Many2one(
        "account.dunning.level", compute="_compute_dunning_status", string="Dunning level"
    )
    overdue_amount = fields.Monetary(
        compute="_compute_dunning_status", currency_field="dunning_currency_id"
    )
    dunning_currency_id = fields.Many2one("res.currency", compute="_compute_dunning_status")
    dunning_action_count = fields.Integer(compute="_compute_dunning_action_count")
    dunning_answer_count = fields.Integer(
        "Answers to check", compute="_compute_dunning_answer_count"
    )

    @api.depends("is_company", "dunning_public_buyer", "commercial_partner_id")
    def _compute_dunning_regime(self):
        for partner in self:
            partner.dunning_regime = (
                partner.commercial_partner_id or partner
            )._dunning_own_regime()

    def _dunning_own_regime(self):
        """The kind of this (commercial) partner: a public buyer, else a
        company (B2B), else a consumer (B2C)."""
        if self.dunning_public_buyer:
            return "public"
        return "b2b" if self.is_company else "b2c"

    @api.constrains("dunning_policy_id", "dunning_public_buyer", "is_company", "parent_id")
    def _check_dunning_policy_regime(self):
        """One source of truth for the customer's kind: the public flag and
        the company/individual switch. A policy meant for another kind would
        give, say, B2B figures under public wording: refused."""
        for partner in self.sudo():
            policy = partner.dunning_policy_id
            regime = (partner.commercial_partner_id or partner).dunning_regime
            if policy and policy.regime != regime:
                kinds = dict(self._fields["dunning_regime"]._description_selection(self.env))
                raise ValidationError(
                    self.env._(
                        "The dunning policy %(policy)s is meant for %(policy_kind)s, but "
                        "%(partner)s is a %(partner_kind)s customer: choose a policy of that "
                        "kind, or change the customer's Public buyer flag.",
                        policy=policy.display_name,
                        policy_kind=kinds[policy.regime],
                        partner=partner.display_name,
                        partner_kind=kinds[regime],
                    )
                )

    @api.onchange("dunning_policy_id")
    def _onchange_dunning_policy_id(self):
        """Choosing a public-buyer policy flags the customer as a public buyer
        (and another kind of policy clears the flag)."""
        if self.dunning_policy_id:
            self.dunning_public_buyer = self.dunning_policy_id.regime == "public"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_dunning_write_access({k: v for k, v in vals.items() if v})
        return super().create(vals_list)

    def write(self, vals):
        self._check_dunning_write_access(vals)
        return super().write(vals)

    def _check_dunning_write_access(self, vals):
        changed = DUNNING_PARTNER_FIELDS.intersection(vals)
        if changed and not self.env.su and not self.env.user.has_group(ACCOUNTANT_GROUP):
            raise AccessError(
                self.env._("Only accountants can change the dunning settings of a customer.")
            )

    def _get_dunning_policy(self, company=None):
        """The policy that applies to this customer in ``company``."""
        self.ensure_one()
        return self._get_dunning_policies(company)[self.id]

    def _get_dunning_policies(self, company=None):
        """{partner id: policy} in ``company``: the customer's own, else the
        company's default for its kind and payer segment, else the default
        for its kind. The defaults (and segments, if a policy has one) are
        read once."""
        company = company or self.env.company
        Policy = self.env["account.dunning.policy"]
        defaults = Policy._get_default_policies(company)
        segments = self._get_payer_segments(company, defaults)
        policies = {}
        partners = self.with_company(company)
        # The few columns read in two queries, and the kind here rather than
        # through its computed field: read field by field (1,000 customers a
        # query each) and computed, 19,000 customers took 0.45 s (scale 10).
        fetch_only(partners, ["commercial_partner_id"])
        fetch_only(partners.commercial_partner_id, DUNNING_KIND_FIELDS)
        for partner in partners:
            commercial = partner.commercial_partner_id or partner
            regime = commercial._dunning_own_regime()
            policies[partner.id] = (
                commercial.dunning_policy_id
                or defaults.get((regime, segments.get(commercial.id)))
                or defaults.get((regime, False), Policy)
            )
        return policies

    def _get_payer_segments(self, company, defaults):
        """{commercial partner id: payer segment} used to choose among
        ``defaults`` (account.dunning.policy._get_default_policies): none
        here (hook: the payer insight add-on reads its profiles)."""
        return {}

    @api.model
    def _dunning_payer_facts(self, partner_ids, company):
        """{commercial partner id: payer facts for core/situation.py}
        (paid_invoice_count, average_days_late, expected_delay, segment),
        which choose a reminder's wording: none here (hook: the payer
        insight add-on gives its figures)."""
        return {}

    def _get_dunning_facts(self, company):
        """{commercial partner id: (overdue, credits, level ids, dispute)}
        from the open receivable (account.move.line's definition).

        One query for the whole recordset: statuses are shown on lists and
        kanbans of thousands of partners. Read with SQL so that salespeople
        without accounting rights see the status without reading invoices.
        """
        commercial_ids = tuple({(p.commercial_partner_id or p).id for p in self if p.id})
        if not commercial_ids:
            return {}
        AML = self.env["account.move.line"]
        today = fields.Date.context_today(self)
        claimable = AML._dunning_claimable_sql()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.commercial_partner_id,
                       COALESCE(SUM(aml.amount_residual)
                           FILTER (WHERE %(claimable)s AND aml.date_maturity < %(today)s), 0),
                       COALESCE(SUM(-aml.amount_residual)
                           FILTER (WHERE aml.amount_residual < 0), 0),
                       ARRAY_AGG(DISTINCT aml.dunning_level_id)
                           FILTER (WHERE %(claimable)s AND aml.dunning_level_id IS NOT NULL),
                       BOOL_OR(%(claimable)s AND m.dunning_excluded
                               AND m.dunning_exclusion_reason = 'dispute')
                %(open)s
                   AND p.commercial_partner_id IN %(partners)s
                   AND m.company_id = %(company)s
              GROUP BY p.commercial_partner_id
                """,
                claimable=claimable,
                today=today,
                open=AML._dunning_open_lines_sql(),
                partners=commercial_ids,
                company=company.id,
            )
        )
        return {row[0]: row[1:] for row in rows}

    @api.depends_context("company")
    def _compute_dunning_status(self):
        company = self.env.company
        facts = self._get_dunning_facts(company)
        plan_partner_ids = self._get_payment_plan_partner_ids(company)
        Level = self.env["account.dunning.level"].sudo()
        for partner in self:
            commercial_id = (partner.commercial_partner_id or partner).id
            overdue, credits, level_ids, dispute = facts.get(commercial_id, (0.0, 0.0, [], False))
            net = overdue - credits
            owes = balance.worth_claiming(net, company.dunning_min_amount)
            level = Level.browse(level_ids or [])._get_highest()
            flags = {
                "litigation": owes and level.litigation,
                "formal_notice": owes and level.formal_notice,
                "payment_plan": commercial_id in plan_partner_ids,
                "dispute": dispute,
                "reminded": owes and bool(level) and not level._to_core().is_courtesy,
                "overdue": owes,
            }
            partner.dunning_currency_id = company.currency_id
            partner.dunning_status = next((s for s in STATUS_PRIORITY if flags[s]), "ok")
            partner.dunning_level_id = level if owes else False
            partner.overdue_amount = float(max(net, 0))

    def _get_payment_plan_partner_ids(self, company):
        """Commercial partners under an active payment plan."""
        commercial_ids = tuple({(p.commercial_partner_id or p).id for p in self if p.id})
        if not commercial_ids:
            return set()
        Plan = self.env["account.dunning.payment.plan"]
        rows = self.env.execute_query(
            SQL(
                "SELECT DISTINCT partner_id FROM account_dunning_payment_plan "
                "WHERE state = 'active' AND company_id = %s AND partner_id IN %s %s",
                company.id,
                commercial_ids,
                flush_fields(Plan, "state", "company_id", "partner_id"),
            )
        )
        return {row[0] for row in rows}

    def _search_dunning_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on the payment status."))
        values = {value} if isinstance(value, str) or value is False else set(value)
        candidates = self.with_context(active_test=False).search(
            [("id", "in", self._get_partners_with_open_invoices(self.env.company))]
        )
        matching = {p.id for p in candidates if p.dunning_status in values}
        if "ok" in values:
            # Everyone without open invoices is up to date.
            positive = operator in ("=", "in")
            not_ok = {p.id for p in candidates} - matching
            return [("id", "not in" if positive else "in", list(not_ok))]
        positive = operator in ("=", "in")
        return [("id", "in" if positive else "not in", list(matching))]

    def _get_partners_with_open_invoices(self, company):
        """Partners (contacts included) of customers with an open receivable."""
        AML = self.env["account.move.line"]
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT contact.id
                  FROM res_partner contact
                 WHERE contact.commercial_partner_id IN (
                       SELECT p.commercial_partner_id %s AND m.company_id = %s)
                """,
                AML._dunning_open_lines_sql(),
                company.id,
            )
        )
        return [row[0] for row in rows]

    def _count_by_customer(self, model, domain=()):
        """{commercial partner id: count} of ``model``'s records of these
        customers matching ``domain``; empty for a user who cannot read them."""
        if not self.env[model].has_access("read"):
            return {}
        groups = self.env[model]._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids), *domain],
            ["partner_id"],
            ["__count"],
        )
        return {partner.id: count for partner, count in groups}

    def _compute_dunning_action_count(self):
        counts = self._count_by_customer("account.dunning.action")
        for partner in self:
            partner.dunning_action_count = counts.get(partner.commercial_partner_id.id, 0)

    def _compute_dunning_answer_count(self):
        """The customer's answers not checked yet (new or to review)."""
        counts = self._count_by_customer(
            "account.dunning.answer", [("state", "in", ("new", "to_review"))]
        )
        for partner in self:
            partner.dunning_answer_count = counts.get(partner.commercial_partner_id.id, 0)

    def action_view_dunning_answers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_fr.action_account_dunning_answer"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_open": 1}
        return action

    def action_view_dunning_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_fr.action_account_dunning_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_dunning_send_reminder(self):
        """Run the dunning now for these customers only."""
        partners = self.commercial_partner_id
        run = self.env["account.dunning.run"]._run_manual(self.env.company, partners=partners)
        if not run.action_ids:
            raise UserError(
                self.env._(
                    "No reminder is due today for %(partners)s: nothing is overdue "
                    "enough for the next level, the invoices are excluded, or the "
                    "customer was reminded too recently.",
                    partners=", ".join(partners.mapped("display_name")),
                )
            )
        return run.action_view_actions()

    def _get_open_invoices(self, company=None, overdue_only=False):
        """The posted customer invoices this customer still owes."""
        domain = [
            ("commercial_partner_id", "in", self.commercial_partner_id.ids),
            ("company_id", "=", (company or self.env.company).id),
            ("dunning_open", "=", True),
        ]
        if overdue_only:
            domain.append(("invoice_date_due", "<", fields.Date.context_today(self)))
        return self.env["account.move"].search(domain, order="invoice_date_due, id")
