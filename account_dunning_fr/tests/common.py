from datetime import timedelta

from odoo import Command, fields

from odoo.addons.l10n_fr_payment_delay.tests.common import LatePaymentCase
from odoo.addons.l10n_fr_payment_delay.tests.common import (
    make_company_french as make_company_french_base,
)

# The income accounts of the French chart (PCG) that penalty and indemnity
# bills use by default (res.company._get_dunning_account).
FRENCH_DUNNING_ACCOUNTS = (
    ("763100", "Revenus des autres créances"),
    ("758100", "Produits divers de gestion courante"),
)


def make_company_french(company):
    """Test fixture: ``company`` as the add-on expects it in France, in any
    database: French (``make_company_french`` of l10n_fr_payment_delay),
    ``dunning_active``, and the accounts 763100 / 758100 when the chart has
    none. Only what is missing is changed: in the French database nothing
    is."""
    env = company.env
    make_company_french_base(company)
    if not company.dunning_active:
        company.dunning_active = True
    Account = env["account.account"].sudo()
    for code, name in FRENCH_DUNNING_ACCOUNTS:
        if not Account.search_count([*Account._check_company_domain(company), ("code", "=", code)]):
            Account.with_company(company).create(
                {
                    "code": code,
                    "name": name,
                    "account_type": "income_other",
                    "company_ids": [Command.set(company.ids)],
                }
            )
    return company


def load_french(env):
    """Test fixture: French active, with the add-ons' translations, when the
    database has not loaded it (a standard test database)."""
    if env["res.lang"]._lang_get("fr_FR"):
        return
    env["res.lang"]._activate_lang("fr_FR")
    modules = env["ir.module.module"].search(
        [
            (
                "name",
                "in",
                (
                    "mail",
                    "account",
                    "account_dunning_fr",
                    "account_dunning_fr_sale",
                    "account_dunning_fr_sms",
                    "account_dunning_fr_payment",
                ),
            ),
            ("state", "=", "installed"),
        ]
    )
    env["ir.module.module"]._load_module_terms(modules.mapped("name"), ["fr_FR"])


class DunningCase(LatePaymentCase):
    """A French company (the database's main one; in a standard test
    database made French by ``make_company_french``) with the default B2B
    policy, and helpers to make invoices and payments."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = make_company_french(cls.env.company)
        load_french(cls.env)
        cls.today = fields.Date.context_today(cls.env["account.dunning.run"])
        cls.policy = cls.env.ref("account_dunning_fr.policy_b2b")
        cls.level_courtesy = cls.env.ref("account_dunning_fr.level_b2b_courtesy")
        cls.level_1 = cls.env.ref("account_dunning_fr.level_b2b_reminder_1")
        cls.level_2 = cls.env.ref("account_dunning_fr.level_b2b_reminder_2")
        cls.level_call = cls.env.ref("account_dunning_fr.level_b2b_call")
        cls.level_notice = cls.env.ref("account_dunning_fr.level_b2b_formal_notice")
        cls.level_litigation = cls.env.ref("account_dunning_fr.level_b2b_litigation")

    def _run(self, partners=None, company=None):
        partners = partners if partners is not None else self.customer | self.customer_2
        return self.env["account.dunning.run"]._run_manual(
            company or self.company, partners=partners
        )

    def _cron(self):
        """One call of the daily run as the scheduler makes it (progress
        API); returns the call's progress."""
        cron = self.env.ref("account_dunning_fr.ir_cron_dunning_run")
        _cron, progress = cron._add_progress()
        self.env["account.dunning.run"].with_context(
            ir_cron_progress_id=progress.id
        )._cron_run_dunning()
        return progress

    def _actions(self, partner):
        return self.env["account.dunning.action"].search([("partner_id", "=", partner.id)])

    def _new_reminder(self, partner, date=None):
        """A reminder to ``partner`` at the first level, made on ``date``
        (today by default), without lines."""
        return self.env["account.dunning.action"].create(
            {
                "partner_id": partner.id,
                "level_id": self.level_1.id,
                "currency_id": self.company.currency_id.id,
                "date": date or self.today,
            }
        )

    def _set_level(self, moves, level, days_ago):
        moves._dunning_set_level(level, self.today - timedelta(days=days_ago))
