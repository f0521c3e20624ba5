from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, format_date

ACCOUNTANT_GROUP = "account.group_account_invoice"

# The costs of a reminder (account.dunning.reminder.report), never negative.
DUNNING_COST_FIELDS = (
    "dunning_cost_email",
    "dunning_cost_letter",
    "dunning_cost_registered_letter",
    "dunning_cost_sms",
    "dunning_call_minutes",
    "dunning_hourly_cost",
)

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

    dunning_active = fields.Boolean(
        "Run the dunning",
        compute="_compute_dunning_active",
        store=True,
        readonly=False,
        help="The daily run reminds this company's customers. On by default for "
        "companies in France, whose law the add-on applies.",
    )
    dunning_min_amount = fields.Monetary(
        "Minimum amount to remind",
        currency_field="currency_id",
        default=5.0,
        help="No reminder is made, or sent, for a customer whose net amount due "
        "(invoices less unmatched payments and credit notes) is below this.",
    )
    dunning_bank_guard_days = fields.Integer(
        "Hold automatic reminders when bank statements are older than (days)",
        default=3,
        help="A payment not yet imported is the commonest reason for reminding a "
        "customer who paid. When a bank journal that receives statement lines has "
        "had none for more days than this, automatic reminders are prepared but "
        "not sent. 0 turns the guard off.",
    )
    dunning_responsible_id = fields.Many2one(
        "res.users",
        "Dunning responsible",
        domain=lambda self: [("groups_id", "in", self.env.ref(ACCOUNTANT_GROUP).id)],
        help="The accountant who gets the dunning alerts (plan breached, plan "
        "requested, missing rates, bank statements late, calls). Empty: the "
        "customer's salesperson if an accountant, else an accounting manager.",
    )
    dunning_cc_salesperson = fields.Boolean(
        "Copy the salesperson",
        help="Send the salesperson of the customer a copy of each reminder email.",
    )
    dunning_answer_paid_hold_days = fields.Integer(
        "Days to wait for a payment announced",
        default=7,
        help="When a customer answers a reminder that it paid, its invoices wait this many "
        "days for the payment to be matched; then dunning resumes and the next reminder "
        "says the payment announced was not received.",
    )
    # What reminder emails tell back (account.dunning.action.tracking).
    dunning_track_links = fields.Boolean(
        "Track clicks on the reminder link",
        default=True,
        help="The link of each reminder email to the customer's invoices online goes "
        "through this server first, which records when it was followed. Off: a plain "
        "link, nothing recorded.",
    )
    dunning_pixel_business = fields.Boolean(
        "Tracking pixel for businesses",
        default=True,
        help="An invisible image in the reminder emails to businesses records when they "
        "are opened. The CNIL treats such pixels as trackers that need the recipient's "
        "consent (ePrivacy, art. 82 of the loi Informatique et Libertés): turn it on only "
        "with consent or a documented legal basis.",
    )
    dunning_pixel_consumer = fields.Boolean(
        "Tracking pixel for consumers",
        help="An invisible image in the reminder emails to consumers records when they "
        "are opened. The CNIL requires the consumer's prior consent for such pixels "
        "(art. 82 of the loi Informatique et Libertés): off unless you collected it.",
    )
    # What a reminder costs, for the cost per euro recovered.
    dunning_cost_email = fields.Monetary("Cost of an email", currency_field="currency_id")
    dunning_cost_letter = fields.Monetary("Cost of a letter", currency_field="currency_id")
    dunning_cost_registered_letter = fields.Monetary(
        "Cost of a registered letter",
        currency_field="currency_id",
        help="Formal notices go by registered letter with acknowledgement of receipt.",
    )
    dunning_cost_sms = fields.Monetary("Cost of an SMS", currency_field="currency_id")
    dunning_call_minutes = fields.Float("Minutes per phone call", digits=(16, 1))
    dunning_hourly_cost = fields.Monetary(
        "Hourly cost of a collector", currency_field="currency_id"
    )

    @api.constrains(*DUNNING_COST_FIELDS)
    def _check_dunning_costs(self):
        for company in self:
            negative = [name for name in DUNNING_COST_FIELDS if company[name] < 0]
            if negative:
                raise ValidationError(
                    self.env._(
                        "A reminder cost cannot be negative: %(fields)s.",
                        fields=", ".join(
                            self._fields[name].get_description(self.env)["string"]
                            for name in negative
                        ),
                    )
                )

    @api.depends("account_fiscal_country_id")
    def _compute_dunning_active(self):
        for company in self:
            company.dunning_active = company._dunning_french_law()

    def _dunning_french_law(self):
        """The French legal engine (penalties, indemnity, prescription, term
        limits, L441-10 mentions) applies to companies in France only."""
        self.ensure_one()
        return self.account_fiscal_country_id.code == "FR"

    def _get_dunning_responsible(self, partner=None):
        """Who gets a dunning alert: the company's dunning responsible, else
        the customer's salesperson when an accountant, else an accounting
        manager of the company. Never OdooBot nor a portal user: False when
        the company has no accountant at all."""
        self.ensure_one()
        candidates = [self.dunning_responsible_id]
        if partner:
            candidates.append(partner.commercial_partner_id.user_id)
        for user in candidates:
            if user and self._dunning_can_act(user):
                return user
        Users = self.env["res.users"].sudo()
        return Users.search(
            [
                ("groups_id", "in", self.env.ref("account.group_account_manager").id),
                ("company_ids", "in", self.id),
                ("share", "=", False),
                ("id", "!=", self.env.ref("base.user_root").id),
            ],
            order="id",
            limit=1,
        )

    def _dunning_can_act(self, user):
        return (
            user.active
            and not user.share
            and user != self.env.ref("base.user_root")
            and self in user.company_ids
            and user.has_group(ACCOUNTANT_GROUP)
        )

    def _dunning_bank_guard_reason(self):
        """Why automatic reminders must wait, or False: a bank journal that
        receives statement lines (a journal that never had any is ignored:
        payments registered by hand) has had none imported for more than
        ``dunning_bank_guard_days`` days."""
        self.ensure_one()
        if self.dunning_bank_guard_days <= 0:
            return False
        limit = fields.Datetime.now() - timedelta(days=self.dunning_bank_guard_days)
        self.env["account.bank.statement.line"].flush_model(["journal_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT j.id, MAX(l.create_date)
                  FROM account_journal j
                  JOIN account_bank_statement_line l ON l.journal_id = j.id
                 WHERE j.company_id = %s AND j.type = 'bank' AND j.active
              GROUP BY j.id
                HAVING MAX(l.create_date) < %s
                """,
                self.id,
                limit,
            )
        )
        if not rows:
            return False
        journals = self.env["account.journal"].sudo().browse([row[0] for row in rows])
        return self.env._(
            "Bank statements of %(journals)s last imported on %(date)s, more than "
            "%(days)s days ago: automatic reminders are prepared but not sent.",
            journals=", ".join(journals.mapped("name")),
            date=format_date(self.env, min(row[1] for row in rows).date()),
            days=self.dunning_bank_guard_days,
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
