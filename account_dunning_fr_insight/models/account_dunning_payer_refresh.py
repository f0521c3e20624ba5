import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.account_dunning_fr.models.night.account_dunning_run import RETRYABLE_ERRORS

from ..core import payer
from ..report.account_dunning_cash_forecast import RECEIPT_TABLE

_logger = logging.getLogger(__name__)

# Customers refreshed per scheduler call: each call commits, so that a
# crash loses one range and the refresh takes no lock for minutes.
REFRESH_CHUNK = 500


class AccountDunningPayerProfile(models.Model):
    """The nightly refresh of the payer figures and the forecast.

    A night does the day's work, not the ledger's: only the customers whose
    receivable lines, invoices, reminders or calls changed since the last
    refresh are recomputed, a range of customers per scheduler call, with
    the company's averages (prior, slope, lag) of the last full refresh. A
    full refresh, which learns those averages again from the whole ledger,
    runs every ``dunning_payer_full_days`` days and on demand (Refresh).
    """

    _inherit = "account.dunning.payer.profile"

    @api.model
    def _cron_refresh_payer_figures(self):
        """The nightly refresh (its own scheduled action, after the dunning
        run), one range of customers per company and call; the scheduler
        calls again while any is left. Never raises: a company's failure
        leaves its figures of yesterday and is said in that day's run log."""
        today = fields.Date.context_today(self)
        done = remaining = 0
        for company in self.env["res.company"].sudo().search([("dunning_active", "=", True)]):
            company_done, left, lines = self.with_company(company)._refresh_safely(company, today)
            done += company_done
            remaining += left
            if lines:
                self.env["account.dunning.run"].sudo().search(
                    [("company_id", "=", company.id), ("date", "=", today)],
                    order="id desc",
                    limit=1,
                )._append_log_lines(lines)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.model
    def _refresh_safely(self, company, today):
        """One step of ``company``'s refresh unless another worker is at it:
        (customers done, customers left, log lines saying why not)."""
        left_to_another = self.env._("Payer figures left to the worker refreshing them now.")
        if not self._lock_company_figures(company):
            return 0, 0, [left_to_another]
        try:
            with self.env.cr.savepoint():
                return *self._refresh_step(company, today), []
        except RETRYABLE_ERRORS as error:
            # A worker with an older snapshot finishing after one that
            # refreshed them (test_concurrency): its figures would be the
            # same, and the company's row is no longer its to write.
            _logger.info("Payer figures of %s left to another worker: %s", company.name, error)
            return 0, 0, [left_to_another]
        except Exception as error:
            _logger.exception("Payer figures of %s not refreshed", company.name)
            return 0, 0, [self.env._("Payer figures not refreshed: %(error)s", error=error)]

    @api.model
    def _refresh_step(self, company, today):
        """The full refresh when due, else the next range of changed
        customers; returns (customers done, customers left)."""
        company = company.sudo()
        self._analyze_reminders()
        if self._full_refresh_due(company, today):
            return self._refresh_full(company, today), 0
        if not company.dunning_payer_refresh_start:
            company.dunning_payer_refresh_start = self.env.cr.now()
        changed = self._changed_customers(
            company,
            company.dunning_payer_refreshed_at,
            company.dunning_payer_refresh_cursor,
            today=today,
        )
        batch = changed[:REFRESH_CHUNK]
        self._refresh_customers(company, today, batch)
        if len(changed) > REFRESH_CHUNK:
            company.dunning_payer_refresh_cursor = batch[-1]
            return len(batch), len(changed) - len(batch)
        # Changes made since this refresh started are the next one's.
        company.write(
            {
                "dunning_payer_refreshed_at": company.dunning_payer_refresh_start,
                "dunning_payer_refresh_start": False,
                "dunning_payer_refresh_cursor": 0,
                "dunning_payer_date": today,
            }
        )
        return len(batch), 0

    @api.model
    def _refresh_full(self, company, today):
        """Every customer's figures and forecast, and the company's averages
        learnt again; the next nights start from here. Returns the profiles."""
        started = self.env.cr.now()
        count = self._refresh_company_figures(company, today)
        company.sudo().write(
            {
                "dunning_payer_full_date": today,
                "dunning_payer_refreshed_at": started,
                "dunning_payer_refresh_start": False,
                "dunning_payer_refresh_cursor": 0,
            }
        )
        return count

    @api.model
    def _full_refresh_due(self, company, today):
        last = company.dunning_payer_full_date
        days = company.dunning_payer_full_days
        return not last or not company.dunning_payer_refreshed_at or (today - last).days >= days

    @api.model
    def _changed_customers(self, company, since, after=0, today=None):
        """The commercial partners of ``company`` above id ``after`` whose
        receivable lines or invoices (payments, matchings, exclusions),
        reminders or calls were written since ``since``, or whose forecast
        expects a receipt before ``today`` (an expected date that has passed
        unpaid is no longer an expectation: the payer's delay is estimated
        again), in id order, at most one more than a range (to know whether
        any is left)."""
        for model in ("account.move.line", "account.move", "account.dunning.call"):
            self.env[model].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id FROM (
                    SELECT p.commercial_partner_id AS partner_id
                    %(lines)s
                       AND m.company_id = %(company)s
                       AND (aml.write_date > %(since)s OR m.write_date > %(since)s)
                    UNION
                    SELECT a.partner_id FROM account_dunning_action a
                     WHERE a.company_id = %(company)s AND a.write_date > %(since)s
                    UNION
                    SELECT p.commercial_partner_id
                      FROM account_dunning_call c JOIN res_partner p ON p.id = c.partner_id
                     WHERE c.company_id = %(company)s AND c.write_date > %(since)s
                    UNION
                    SELECT r.partner_id FROM %(receipts)s r
                     WHERE r.company_id = %(company)s
                       AND LEAST(r.date, r.date_early) < %(today)s
                ) changed
                 WHERE partner_id > %(after)s
              ORDER BY partner_id
                 LIMIT %(limit)s
                """,
                lines=self.env["account.move.line"]._dunning_receivable_lines_sql(),
                company=company.id,
                since=since,
                receipts=SQL.identifier(RECEIPT_TABLE),
                today=today or fields.Date.context_today(self),
                after=after,
                limit=REFRESH_CHUNK + 1,
            )
        )
        return [row[0] for row in rows]

    @api.model
    def _refresh_customers(self, company, today, partner_ids):
        """Recompute the figures, then the forecast, of ``partner_ids`` alone,
        with the company's averages of its last full refresh."""
        if not partner_ids:
            return
        since = today - timedelta(days=payer.WINDOW_DAYS)
        observations = self._read_observations(company, today, since, partner_ids)
        broken, disputes = self._read_promises_and_disputes(company, since)
        profiles = {pid: payer.profile(obs) for pid, obs in observations.items()}
        prior = (
            company.dunning_payer_prior_delay,
            company.dunning_payer_prior_share,
            company.dunning_payer_prior_spread,
        )
        rows = self._profile_rows(
            company, today, profiles, prior, broken, disputes, set(partner_ids)
        )
        self._write_rows(company, rows, partner_ids)
        self.env["account.dunning.cash.forecast"]._refresh_customers(company, today, partner_ids)
