from odoo import api, fields, models

DEFAULT_POLICY_XMLIDS = (
    "account_dunning_fr.policy_b2b",
    "account_dunning_fr.policy_b2c",
    "account_dunning_fr.policy_public",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_penalty_rate_mode = fields.Selection(
        [
            ("per_semester", "Rate of each semester (split at 1 January and 1 July)"),
            ("fixed_at_start", "Rate of the semester the delay started, for the whole delay"),
        ],
        "B2B penalty rate",
        default="per_semester",
        required=True,
        help="C. com. L441-10 II fixes the rate per semester; its reading for a "
        "delay spanning two semesters is disputed (legal_fr.md 1.4). Public "
        "buyers always keep the rate of the starting semester (R2192-31).",
    )
    dunning_year_basis = fields.Selection(
        [("365", "365 days"), ("actual", "Days of the year (366 in leap years)")],
        "Interest year",
        default="365",
        required=True,
    )
    dunning_imputation = fields.Selection(
        [
            ("principal_first", "Principal first (as Odoo reconciles)"),
            ("interest_first", "Interest first (C. civ. 1343-1)"),
        ],
        "Partial payments pay",
        default="principal_first",
        required=True,
    )
    dunning_contractual_rate = fields.Float(
        "Contractual penalty rate (%)",
        digits=(5, 2),
        help="Rate agreed in your terms of sale; empty: ECB + 10 points. "
        "It may not be below 3 x the legal interest rate (L441-10 II).",
    )
    dunning_payment_term_method = fields.Selection(
        [
            ("net_60", "60 days from the invoice date"),
            ("eom_45_a", "45 days end of month (invoice date + 45 days, then end of month)"),
            ("eom_45_b", "45 days end of month (end of month, then + 45 days)"),
        ],
        "Maximum payment term",
        default="net_60",
        required=True,
        help="C. com. L441-10 I: 60 days net, or 45 days end of month when "
        "expressly agreed. B2B invoices due later are flagged.",
    )
    dunning_prescription_alert_days = fields.Integer("Warn before prescription (days)", default=90)
    dunning_notice_receipt_alert_days = fields.Integer(
        "Warn when a formal notice has no receipt after (days)", default=10
    )
    dunning_penalty_account_id = fields.Many2one(
        "account.account",
        "Penalties income account",
        check_company=True,
        help="Default: 763100 (French chart).",
    )
    dunning_indemnity_account_id = fields.Many2one(
        "account.account",
        "Recovery indemnity income account",
        check_company=True,
        help="Default: 758100 (French chart).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._create_default_dunning_policies()
        return companies

    def _create_default_dunning_policies(self):
        """Give each company without a policy a copy of the default ones.

        The defaults are the policies shipped as data (noupdate) for the
        main company, so an accountant's edits to them are what new
        companies inherit.
        """
        Policy = self.env["account.dunning.policy"].sudo()
        sources = Policy.browse()
        for xmlid in DEFAULT_POLICY_XMLIDS:
            sources |= self.env.ref(xmlid, raise_if_not_found=False) or Policy
        if not sources:
            return
        with_policy = set(
            Policy.with_context(active_test=False)
            .search([("company_id", "in", self.ids)])
            .mapped("company_id")
            .ids
        )
        for company in self.filtered(lambda c: c.id not in with_policy):
            for source in sources:
                source.copy({"company_id": company.id, "name": source.name})

    def _get_dunning_account(self, kind):
        """The income account for billed penalties or indemnities.

        Defaults from the French chart: 763100 "Revenus des autres
        créances" for penalties, 758100 for the recovery indemnity.
        """
        self.ensure_one()
        field_name, code = {
            "penalty": ("dunning_penalty_account_id", "763100"),
            "indemnity": ("dunning_indemnity_account_id", "758100"),
        }[kind]
        account = self[field_name]
        if not account:
            account = self.env["account.account"].search(
                [*self.env["account.account"]._check_company_domain(self), ("code", "=", code)],
                limit=1,
            )
        return account
