import logging

import requests

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..core import penalties, rates
from ..core.semesters import semester_label

_logger = logging.getLogger(__name__)

AUTO_FETCH_PARAM = "l10n_fr_payment_delay.ecb_auto_fetch"
FAILURES_PARAM = "l10n_fr_payment_delay.ecb_fetch_failures"
# A monthly fetch failing three times in a row is a quarter without news:
# worth one activity, not a log line a month nobody reads.
ALERT_AFTER_FAILURES = 3
FETCH_TIMEOUT = 30  # seconds: the series is a few kilobytes
# What "the ECB could not be read" means: the network, or not the series.
FETCH_ERRORS = (requests.RequestException, rates.BadEcbData)


class AccountDunningEcbRate(models.Model):
    """ECB main refinancing rate in force on 1 January / 1 July.

    C. com. L441-10 II: "le taux applicable pendant le premier semestre de
    l'année concernée est le taux en vigueur au 1er janvier [...] pour le
    second semestre [...] au 1er juillet".
    """

    _name = "account.dunning.ecb.rate"
    _inherit = ["account.dunning.semester.rate", "mail.thread", "mail.activity.mixin"]
    _description = "ECB main refinancing rate by semester"
    _rate_fields = ("rate",)
    _rate_table = "ecb"

    rate = fields.Float(
        "ECB rate (%)", digits=(5, 2), required=True, help="Main refinancing operations rate."
    )
    origin = fields.Selection(
        [
            ("shipped", "Shipped with the add-on"),
            ("ecb", "ECB Data Portal"),
            ("manual", "Entered by a manager"),
        ],
        default="manual",
        required=True,
        readonly=True,
        help="A rate entered by a manager is never overwritten by the ECB feed.",
    )
    retrieved_at = fields.Datetime("Retrieved on", readonly=True)
    late_penalty_rate = fields.Float(
        "Default B2B penalty rate (%)",
        digits=(5, 2),
        compute="_compute_derived_rates",
        help="ECB rate + 10 points (C. com. L441-10 II).",
    )
    public_interest_rate = fields.Float(
        "Public moratory interest rate (%)",
        digits=(5, 2),
        compute="_compute_derived_rates",
        help="ECB rate + 8 points (C. commande publique R2192-31).",
    )

    @api.depends("rate")
    def _compute_derived_rates(self):
        for rate in self:
            rate.late_penalty_rate = rate.rate + float(penalties.B2B_MARGIN)
            rate.public_interest_rate = rate.rate + float(penalties.PUBLIC_MARGIN)

    @api.constrains("rate")
    def _check_rate(self):
        self._check_rates_not_negative()

    @api.model
    def _get_rate_function(self):
        return self._make_rate_function("rate")

    def write(self, vals):
        # A rate corrected by hand is the manager's: the feed never touches it.
        if "rate" in vals and "origin" not in vals:
            vals = {**vals, "origin": "manual", "retrieved_at": False}
        return super().write(vals)

    def action_fetch_now(self):
        """The button: the same fetch as the monthly action, but saying why
        it failed rather than waiting for three failures."""
        if not self.env.user.has_group("account.group_account_manager"):
            raise AccessError(self.env._("Only an accounting manager fetches the ECB rates."))
        missing = self._get_semesters_to_fill()
        if not missing:
            raise UserError(self.env._("Every semester begun has its ECB rate."))
        try:
            created = self._fetch_semesters(missing)
        except FETCH_ERRORS as error:
            raise UserError(
                self.env._("The ECB Data Portal could not be read: %s", error)
            ) from error
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if created else "warning",
                "message": self.env._("ECB rates filled: %s", ", ".join(created.mapped("semester")))
                if created
                else self.env._("The ECB series has no rate for the missing semesters yet."),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------
    # The ECB feed (legal_fr_addendum.md 4.1, developer note 4)
    # ------------------------------------------------------------------

    @api.model
    def _auto_fetch_enabled(self):
        return bool(self.env["ir.config_parameter"].sudo().get_param(AUTO_FETCH_PARAM))

    @api.model
    def _cron_fetch_ecb_rates(self):
        """Monthly: fill the semesters whose rate is missing from the ECB
        Data Portal. Offline or on a bad answer, one log line, and one
        activity after repeated failures; never an exception."""
        if not self._auto_fetch_enabled():
            return
        missing = self._get_semesters_to_fill()
        if not missing:
            return
        try:
            self._fetch_semesters(missing)
        except FETCH_ERRORS as error:
            self._record_fetch_failure(error)
            return
        self.env["ir.config_parameter"].sudo().set_param(FAILURES_PARAM, "0")

    @api.model
    def _fetch_semesters(self, missing):
        """Read the series and fill the ``missing`` semesters it covers;
        raises one of FETCH_ERRORS when offline or on a bad answer."""
        observations = rates.parse_observations(self._download_ecb_series())
        return self._fill_semesters(observations, missing)

    @api.model
    def _get_semesters_to_fill(self):
        known = self.sudo().search([]).mapped("semester_start")
        return rates.semesters_to_fill(known, fields.Date.context_today(self))

    @api.model
    def _download_ecb_series(self):
        response = requests.get(
            rates.ECB_DATA_URL,
            params={"format": "csvdata", "detail": "dataonly"},
            headers={"Accept": "text/csv"},
            timeout=FETCH_TIMEOUT,
        )
        response.raise_for_status()
        return response.text

    @api.model
    def _fill_semesters(self, observations, starts):
        """Create the missing semesters the series covers; a rate that
        exists (shipped, fetched or entered) is never written again, even
        one a manager entered while the series was downloading."""
        existing = set(self.sudo().search([]).mapped("semester_start"))
        now = fields.Datetime.now()
        vals_list = [
            {
                "semester_start": start,
                "rate": float(rate),
                "origin": "ecb",
                "retrieved_at": now,
                "source": "ECB Data Portal %s: %s %% in force since %s"
                % (rates.ECB_SERIES, rate, observed_on.isoformat()),
            }
            for start, (observed_on, rate) in sorted(
                rates.semester_rates(observations, starts).items()
            )
            if start not in existing
        ]
        created = self.sudo().create(vals_list)
        for record in created:
            _logger.info("ECB rate of %s fetched: %s %%", record.semester, record.rate)
        return created

    @api.model
    def _record_fetch_failure(self, error):
        params = self.env["ir.config_parameter"].sudo()
        failures = int(params.get_param(FAILURES_PARAM) or 0) + 1
        params.set_param(FAILURES_PARAM, str(failures))
        _logger.warning("ECB rate fetch failed (%s in a row): %s", failures, error)
        if failures >= ALERT_AFTER_FAILURES:
            self._alert_fetch_failures(failures, error)

    @api.model
    def _get_rate_alert_users(self):
        """Who is asked to enter a rate the feed could not read: an
        accounting manager of each French company (a dunning add-on names
        its dunning responsible instead: documented hook)."""
        companies = (
            self.env["res.company"].sudo().search([("account_fiscal_country_id.code", "=", "FR")])
        )
        managers = (
            self.env.ref("account.group_account_manager")
            .sudo()
            .users.filtered(lambda user: not user.share)
            .sorted("id")
        )
        return {
            managers.filtered(lambda user, company=company: company in user.company_ids)[:1]
            for company in companies
        } - {self.env["res.users"]}

    @api.model
    def _alert_fetch_failures(self, failures, error):
        """One open activity per accountant, on the latest rate, asking to
        enter the missing semester by hand."""
        latest = self.sudo().search([], order="semester_start desc", limit=1)
        missing = self._get_semesters_to_fill()
        if not latest or not missing:
            return
        summary = self.env._("ECB rate of %s: enter it by hand", semester_label(missing[0]))
        note = self.env._(
            "The ECB Data Portal could not be read %(count)s times in a row (%(error)s). "
            "Enter the main refinancing rate in force on the first day of %(semester)s in "
            "Accounting > Configuration > Late payments > ECB rates.",
            count=failures,
            error=error,
            semester=semester_label(missing[0]),
        )
        users = self._get_rate_alert_users()
        open_for = set(
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", latest.id),
                    ("summary", "=", summary),
                ]
            )
            .mapped("user_id")
        )
        for user in users:
            if user and user not in open_for:
                latest.activity_schedule(
                    "mail.mail_activity_data_todo", summary=summary, note=note, user_id=user.id
                )
