from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.account_dunning_fr.tools.bulk import insert_rows

from ..core import payer

# pg_advisory_xact_lock key space of the payer figures (account_dunning_run
# uses another for its customers).
PAYER_LOCK_SPACE = 741_116

SEGMENTS = [("good", "Good payer"), ("watch", "To watch"), ("risky", "Risky")]

# The columns the refresh writes, in the order of its INSERT.
PROFILE_COLUMNS = (
    "partner_id",
    "company_id",
    "invoice_count",
    "amount_paid",
    "average_days_late",
    "median_days_late",
    "late_share",
    "spread_days",
    "recent_days_late",
    "before_days_late",
    "trend_days",
    "reminders_before_payment",
    "broken_promise_count",
    "dispute_count",
    "expected_delay",
    "typical_size",
    "risk_score",
    "segment",
    "date",
)
PROFILE_TYPES = (
    "int[]", "int[]", "int[]", "float8[]", "float8[]", "float8[]", "float8[]", "float8[]",
    "float8[]", "float8[]", "float8[]", "float8[]", "int[]", "int[]", "float8[]", "float8[]",
    "int[]",
    "varchar[]", "date[]",
)  # fmt: skip


SCORE_GROUPS = "account.group_account_invoice"


class AccountDunningPayerProfile(models.Model):
    """How a customer pays one company: the figures of core/payer.py.

    Why a small model per (customer, company) rather than company-dependent
    fields on res.partner: the figures are per company (a customer may pay
    one subsidiary on time and another late), the daily run rewrites all of
    a company's figures at once, and the forecast joins them in SQL. A row
    per company is written with one DELETE and one INSERT, is read by SQL
    like any table, and is kept to its company by a record rule; Odoo 18's
    company-dependent fields are a JSON value per partner row, which would
    mean rewriting every customer row of the database for each company.
    ``res.partner`` shows the current company's row (res_partner_payer.py).
    Rows only exist for customers with history in the company: the others
    take the company's averages (``res.company.dunning_payer_prior_*``).
    """

    _name = "account.dunning.payer.profile"
    _description = "Dunning Payer Profile"
    # Riskiest first in the accountants' list (its default_order): the
    # score is theirs to read, not the model's order.
    _order = "average_days_late desc, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, ondelete="cascade", readonly=True
    )
    invoice_count = fields.Integer("Paid invoices", readonly=True)
    amount_paid = fields.Float("Amount paid", readonly=True)
    average_days_late = fields.Float("Average days late", readonly=True, digits=(16, 1))
    median_days_late = fields.Float("Median days late", readonly=True, digits=(16, 1))
    late_share = fields.Float("Share paid late", readonly=True)
    spread_days = fields.Float("Spread (days)", readonly=True, digits=(16, 1))
    recent_days_late = fields.Float("Days late, last 6 months", readonly=True, digits=(16, 1))
    before_days_late = fields.Float(
        "Days late, the 18 months before", readonly=True, digits=(16, 1)
    )
    trend_days = fields.Float("Trend (days)", readonly=True, digits=(16, 1))
    reminders_before_payment = fields.Float("Reminders before payment", readonly=True)
    broken_promise_count = fields.Integer("Broken promises", readonly=True)
    dispute_count = fields.Integer("Disputes", readonly=True)
    expected_delay = fields.Float("Expected delay (days)", readonly=True, digits=(16, 1))
    typical_size = fields.Float(
        "Typical invoice amount",
        readonly=True,
        help="Geometric mean of the amounts of the paid invoices: an invoice larger "
        "than this is expected later when the company's customers pay large invoices later.",
    )
    # Accountants read scores here; salespeople read them on the customer,
    # where consumers' are withheld (res.partner._compute_dunning_payer).
    risk_score = fields.Integer("Risk score", readonly=True, groups=SCORE_GROUPS)
    segment = fields.Selection(SEGMENTS, readonly=True, groups=SCORE_GROUPS)
    date = fields.Date("Computed on", readonly=True)

    _sql_constraints = [
        ("partner_company_unique", "unique(partner_id, company_id)", "One profile per company.")
    ]

    # ------------------------------------------------------------------
    # Reading the ledger
    # ------------------------------------------------------------------

    @api.model
    def _invoice_payments_query(self):
        """Every payment matched to a customer invoice's receivable line:
        partial_id (the matching), company_id, partner_id (commercial), move_id, payment_date (the
        reconciliation's max_date, i.e. the later of the payment and the
        invoice), due_date, days_late (payment_date - due_date) and amount
        (company currency), and invoice_amount (the invoice's total in
        company currency). Credit notes cancel, they do not pay: their
        matchings are left out. The one definition of when an invoice was
        paid: the payer figures and the collection time report read it."""
        return SQL(
            """
            SELECT pr.id AS partial_id, m.company_id, p.commercial_partner_id AS partner_id,
                   m.id AS move_id,
                   pr.max_date AS payment_date,
                   COALESCE(aml.date_maturity, aml.date) AS due_date,
                   pr.max_date - COALESCE(aml.date_maturity, aml.date) AS days_late,
                   pr.amount,
                   m.amount_total_signed AS invoice_amount
            %s
               AND m.move_type = 'out_invoice'
               AND cm.move_type != 'out_refund'
               AND pr.amount > 0
            """,
            self.env["account.move.line"]._dunning_receivable_lines_sql(
                SQL(
                    """
              JOIN account_partial_reconcile pr ON pr.debit_move_id = aml.id
              JOIN account_move_line cl ON cl.id = pr.credit_move_id
              JOIN account_move cm ON cm.id = cl.move_id"""
                )
            ),
        )

    @api.model
    def _read_observations(self, company, today, since, partner_ids=None):
        """{commercial partner id: [Observation]}: every payment of a
        customer invoice of ``company`` (``_invoice_payments_query``)
        between ``since`` and ``today`` (of ``partner_ids`` when given),
        with the reminders sent for that invoice before it. One query."""
        for model in ("account.partial.reconcile", "account.move.line", "account.move"):
            self.env[model].flush_model()
        self.env["account.dunning.action"].flush_model(["state", "date"])
        self.env["account.dunning.action.line"].flush_model(["move_id", "line_type"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT pay.partner_id, pay.days_late, pay.amount,
                       %(today)s - pay.payment_date,
                       sent.count,
                       pay.move_id,
                       pay.invoice_amount,
                       pay.payment_date - sent.last
                  FROM (%(payments)s) pay
                  %(sent)s
                 WHERE pay.company_id = %(company)s
                   AND pay.payment_date > %(since)s AND pay.payment_date <= %(today)s
                   %(customers)s
                """,
                payments=self._invoice_payments_query(),
                customers=SQL("AND pay.partner_id = ANY(%s)", list(partner_ids))
                if partner_ids is not None
                else SQL(),
                company=company.id,
                today=today,
                since=since,
                sent=self._reminders_sent_sql(SQL("pay.move_id"), SQL("pay.payment_date")),
            )
        )
        observations = defaultdict(list)
        for partner_id, delay, amount, age, reminders, move_id, size, after in rows:
            observations[partner_id].append(
                payer.Observation(
                    delay, float(amount), age, reminders, move_id, float(size or 0.0), after
                )
            )
        return observations

    @api.model
    def _reminders_sent_sql(self, move_id, until=None):
        """A LATERAL join ``sent`` giving ``count`` and ``last`` (date) of the
        reminders sent for the invoice ``move_id`` (SQL), those dated on or
        before ``until`` (SQL) when given."""
        return SQL(
            """
            CROSS JOIN LATERAL (
                SELECT COUNT(*) AS count, MAX(a.date) AS last
                  FROM account_dunning_action_line al
                  JOIN account_dunning_action a ON a.id = al.action_id
                 WHERE al.move_id = %s AND al.line_type = 'invoice'
                   AND a.state = 'sent' %s
            ) sent
            """,
            move_id,
            SQL("AND a.date <= %s", until) if until is not None else SQL(),
        )

    @api.model
    def _read_promises_and_disputes(self, company, since):
        """({partner: broken promises}, {partner: disputes}) of ``company``:
        promises to pay broken since ``since``; disputes are customer
        invoices now excluded for a dispute (not the supplier bills we
        dispute) or named by a call ending in a dispute since ``since`` (a
        call naming none counts once)."""
        self.env["account.dunning.call"].flush_model()
        self.env["account.move"].flush_model(["dunning_excluded", "dunning_exclusion_reason"])
        broken = self.env.execute_query(
            SQL(
                """
                SELECT p.commercial_partner_id, COUNT(*)
                  FROM account_dunning_call c JOIN res_partner p ON p.id = c.partner_id
                 WHERE c.company_id = %s AND c.promise_state = 'broken' AND c.date > %s
              GROUP BY 1
                """,
                company.id,
                since,
            )
        )
        disputes = self.env.execute_query(
            SQL(
                """
                SELECT partner_id, COUNT(DISTINCT key) FROM (
                    SELECT m.commercial_partner_id AS partner_id, 'm' || m.id AS key
                      FROM account_move m
                     WHERE m.company_id = %(company)s AND m.state = 'posted'
                       AND m.move_type = 'out_invoice'
                       AND m.dunning_excluded AND m.dunning_exclusion_reason = 'dispute'
                    UNION ALL
                    SELECT p.commercial_partner_id,
                           COALESCE('m' || rel.account_move_id, 'c' || c.id)
                      FROM account_dunning_call c
                      JOIN res_partner p ON p.id = c.partner_id
                 LEFT JOIN account_dunning_call_account_move_rel rel
                        ON rel.account_dunning_call_id = c.id
                     WHERE c.company_id = %(company)s AND c.outcome = 'dispute'
                       AND c.date > %(since)s
                ) disputes GROUP BY partner_id
                """,
                company=company.id,
                since=since,
            )
        )
        return dict(broken), dict(disputes)

    # ------------------------------------------------------------------
    # The refresh (daily run)
    # ------------------------------------------------------------------

    @api.model
    def _refresh_company(self, company, today=None):
        """Recompute every customer's figures in ``company`` as of ``today``:
        three queries read the ledger, the core computes, one DELETE and one
        INSERT write. Returns the number of profiles."""
        today = today or fields.Date.context_today(self)
        since = today - timedelta(days=payer.WINDOW_DAYS)
        observations = self._read_observations(company, today, since)
        broken, disputes = self._read_promises_and_disputes(company, since)
        profiles = {pid: payer.profile(obs) for pid, obs in observations.items()}
        prior = payer.company_prior(profiles.values())
        slope = payer.size_slope(observations.values())
        lag = payer.reminder_lag(observations.values())
        partner_ids = set(profiles) | set(broken) | set(disputes)
        rows = self._profile_rows(company, today, profiles, prior, broken, disputes, partner_ids)
        self._write_rows(company, rows)
        prior_delay, prior_share, prior_spread = prior
        company.sudo().write(
            {
                "dunning_payer_prior_delay": prior_delay,
                "dunning_payer_prior_share": prior_share,
                "dunning_payer_prior_spread": prior_spread,
                "dunning_payer_size_slope": slope,
                "dunning_payer_reminder_lag": lag or 0.0,
                "dunning_payer_date": today,
            }
        )
        return len(rows)

    @api.model
    def _profile_rows(self, company, today, profiles, prior, broken, disputes, partner_ids):
        """The PROFILE_COLUMNS rows of ``partner_ids`` (those with payments,
        broken promises or disputes: the others have no row)."""
        unscored = self.env["res.partner"]._dunning_unscored_ids(partner_ids, company)
        return [
            self._profile_row(
                company,
                today,
                partner_id,
                profiles.get(partner_id),
                prior,
                broken.get(partner_id, 0),
                disputes.get(partner_id, 0),
                partner_id not in unscored,
            )
            for partner_id in partner_ids
            if partner_id in profiles or partner_id in broken or partner_id in disputes
        ]

    @api.model
    def _profile_row(self, company, today, partner_id, prof, prior, broken, disputes, scored):
        """The PROFILE_COLUMNS row of one customer. ``prof`` (core/payer.py)
        is None for a customer without payments in the window: known only by
        its broken promises or disputes, it is given the company's ``prior``
        (delay, late share, spread). ``scored`` is False for the customers
        the company does not score (its consumers, unless it chose to)."""
        prior_delay, prior_share, prior_spread = prior
        count = prof.invoice_count if prof else 0
        expected = payer.expected_delay(prof, prior_delay)
        share = payer.shrink(prof and prof.late_share, count, prior_share)
        trend = prof and prof.trend
        reminders = prof.reminders if prof else 0.0
        score = None
        if scored:
            score = payer.risk_score(expected, share, trend, broken, disputes, reminders).total
        return (
            partner_id,
            company.id,
            count,
            prof.amount if prof else 0.0,
            prof.average if prof else 0.0,
            prof.median if prof else 0.0,
            prof.late_share if prof else 0.0,
            max(prof.spread, payer.MIN_SPREAD) if prof else prior_spread,
            prof and prof.recent,
            prof and prof.before,
            trend,
            reminders,
            broken,
            disputes,
            expected,
            prof and prof.typical_size,
            score,
            None if score is None else payer.segment(score),
            today,
        )

    @api.model
    def _analyze_reminders(self):
        """Fresh planner statistics for the reminders the run just wrote,
        which the refresh reads: autovacuum analyzes them a minute or more
        later. Planned on the statistics of an empty table, the forecast's
        reminders query took 0.36 s instead of 0.08 s after a first night
        of 2,000 customers (measured: nested loops, and JIT compiling them).
        PostgreSQL's advice after a bulk load; its lock does not block
        writes."""
        self.env["account.dunning.action"].flush_model()
        self.env["account.dunning.action.line"].flush_model()
        self.env.cr.execute(SQL("ANALYZE account_dunning_action, account_dunning_action_line"))

    @api.model
    def _refresh_company_figures(self, company, today):
        """The payer profiles of ``company``, then its cash-in forecast,
        which dates the open invoices from them; returns the profiles."""
        count = self._refresh_company(company, today)
        self.env["account.dunning.cash.forecast"]._refresh_company(company, today)
        return count

    @api.model
    def _lock_company_figures(self, company):
        """Whether this transaction may rewrite the company's figures: one at
        a time, and the others do not wait. Two runs finishing together
        would otherwise both delete the same rows, the second waiting for
        the first to commit, however long it holds its transaction."""
        rows = self.env.execute_query(
            SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", PAYER_LOCK_SPACE, company.id)
        )
        return rows[0][0]

    @api.model
    def _write_rows(self, company, rows, partner_ids=None):
        """Replace the company's profiles (of ``partner_ids`` when given)
        with ``rows`` (PROFILE_COLUMNS)."""
        self.flush_model()
        self.env.execute_query(
            SQL(
                "DELETE FROM account_dunning_payer_profile WHERE company_id = %s %s",
                company.id,
                SQL("AND partner_id = ANY(%s)", list(partner_ids))
                if partner_ids is not None
                else SQL(),
            )
        )
        insert_rows(self, list(zip(PROFILE_COLUMNS, PROFILE_TYPES, strict=True)), rows)

    @api.model
    def _explain(self, profile, prior):
        """The score in one sentence, in the user's language: "pays 18 days
        late on average, worsening; 2 broken promises; 1 dispute"."""
        _ = self.env._
        if not profile:
            return _(
                "No payment history in this company yet: expected to pay like the "
                "average customer (%(days)s days late).",
                days=round(prior),
            )
        parts = []
        if not profile.invoice_count:
            parts.append(_("no paid invoice in 24 months"))
        else:
            days = round(profile.average_days_late)
            if days > 0:
                sentence = _("pays %(days)s days late on average", days=days)
            elif days < 0:
                sentence = _("pays %(days)s days early on average", days=-days)
            else:
                sentence = _("pays on time on average")
            trend = payer.trend_word(profile.trend_days)
            if trend == "worsening":
                sentence = _("%(sentence)s, worsening", sentence=sentence)
            elif trend == "improving":
                sentence = _("%(sentence)s, improving", sentence=sentence)
            parts.append(sentence)
        if profile.broken_promise_count:
            parts.append(
                _("1 broken promise")
                if profile.broken_promise_count == 1
                else _("%(count)s broken promises", count=profile.broken_promise_count)
            )
        if profile.dispute_count:
            parts.append(
                _("1 dispute")
                if profile.dispute_count == 1
                else _("%(count)s disputes", count=profile.dispute_count)
            )
        if profile.reminders_before_payment >= 1:
            parts.append(
                _(
                    "%(count)s reminders before paying",
                    count=round(profile.reminders_before_payment, 1),
                )
            )
        if 0 < profile.invoice_count < 3:
            parts.append(
                _(
                    "short history (paid invoices: %(count)s): pulled toward the company's average",
                    count=profile.invoice_count,
                )
            )
        return "; ".join(parts)

    @api.model
    def _get_profiles(self, partner_ids, company):
        """{commercial partner id: profile record} in ``company``."""
        profiles = self.sudo().search(
            [("partner_id", "in", list(partner_ids)), ("company_id", "=", company.id)]
        )
        return {profile.partner_id.id: profile for profile in profiles}
