from collections import namedtuple

from odoo import api, fields, models, tools
from odoo.tools import SQL
from odoo.tools.sql import TableKind, table_kind

from odoo.addons.account_dunning_fr.core import balance
from odoo.addons.account_dunning_fr.models.receivable.account_move_line import (
    open_lines_by_customer,
)
from odoo.addons.account_dunning_fr.tools.bulk import flush_fields, insert_rows

from ..core import payer
from ..models.account_dunning_payer_profile import SEGMENTS

# Customers whose receipts are computed and written at once.
FORECAST_CHUNK = 2000

# One open instalment as the forecast sees it: the open receivable line,
# what is expected of it once the customer's credits are set against it,
# and when (expected, optimistic, pessimistic).
ExpectedReceipt = namedtuple(
    "ExpectedReceipt", "line partner_id move_id amount date early late override"
)

SCENARIOS = [("expected", "Expected"), ("optimistic", "Optimistic"), ("pessimistic", "Pessimistic")]

# The forecast's storage: a plain table, one row per open instalment, no
# foreign keys (the view joins the invoices); dropped on uninstall (hooks.py).
RECEIPT_TABLE = "account_dunning_forecast_receipt"
RECEIPT_TABLE_SQL = SQL(
    """
    CREATE TABLE IF NOT EXISTS %(table)s (
        id serial PRIMARY KEY,
        company_id int NOT NULL,
        partner_id int,
        user_id int,
        segment varchar,
        move_id int NOT NULL,
        due_date date,
        date date,
        date_early date,
        date_late date,
        override bool,
        amount numeric
    );
    CREATE INDEX IF NOT EXISTS %(index)s ON %(table)s (company_id)
    """,
    table=SQL.identifier(RECEIPT_TABLE),
    index=SQL.identifier(RECEIPT_TABLE + "_company_id_index"),
)
# What _insert_receipts writes, in the order of its rows.
RECEIPT_COLUMNS = (
    ("company_id", "int[]"),
    ("partner_id", "int[]"),
    ("user_id", "int[]"),
    ("segment", "varchar[]"),
    ("move_id", "int[]"),
    ("due_date", "date[]"),
    ("date", "date[]"),
    ("date_early", "date[]"),
    ("date_late", "date[]"),
    ("override", "bool[]"),
    ("amount", "numeric[]"),
)
OLD_TABLE_TO_RECEIPTS_SQL = SQL(
    """
    INSERT INTO %(table)s (company_id, partner_id, user_id, segment, move_id, due_date,
                           date, date_early, date_late, override, amount)
    SELECT company_id, partner_id, user_id, segment, move_id, due_date,
           MAX(date) FILTER (WHERE scenario = 'expected'),
           MAX(date) FILTER (WHERE scenario = 'optimistic'),
           MAX(date) FILTER (WHERE scenario = 'pessimistic'),
           override, amount
      FROM account_dunning_cash_forecast
     WHERE move_id IS NOT NULL
     GROUP BY company_id, partner_id, user_id, segment, move_id, due_date, override, amount
    """,
    table=SQL.identifier(RECEIPT_TABLE),
)


class AccountDunningCashForecast(models.Model):
    """Cash-in forecast: when the open customer invoices are expected to be
    paid, per day, in three scenarios (expected, and one spread of the
    customer's delays earlier or later), for graph and pivot views grouped
    per week (the next 13) or month (the next 6).

    Refreshed with the payer figures (the daily run, or the Refresh button)
    rather than computed by the view: the dates come from the plain-Python
    core (core/payer.py), the amounts from the one open receivable
    definition (``account.move.line._dunning_read_open_lines``) with the
    customer's credits set against its debts (core/balance.py).

    Stored one row per open instalment with its three dates in a plain
    table (RECEIPT_TABLE), shown three rows per instalment by this view:
    rewriting a model's table of three rows per instalment, each checking
    five foreign keys, took 2.0 s of a 2,000-customer night (measured: 26,331
    rows; 0.4 s of them without the key checks). The view keeps the
    invoices still posted, so a deleted invoice leaves the forecast at once.
    """

    _name = "account.dunning.cash.forecast"
    _description = "Dunning Cash-in Forecast"
    _auto = False
    _order = "date, id"
    _rec_name = "move_id"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    segment = fields.Selection(SEGMENTS, "Payer segment", readonly=True)
    move_id = fields.Many2one("account.move", "Invoice", readonly=True)
    due_date = fields.Date(readonly=True)
    date = fields.Date("Expected on", readonly=True)
    scenario = fields.Selection(SCENARIOS, readonly=True)
    override = fields.Boolean(
        "Promised or planned", readonly=True, help="Dated by a promise to pay or a payment plan."
    )
    amount = fields.Monetary("Expected receipt", readonly=True)

    def init(self):
        cr = self.env.cr
        cr.execute(RECEIPT_TABLE_SQL)
        if table_kind(cr, self._table) == TableKind.Regular:
            # Up to 18.0.1.2: the model's own table, three rows per
            # instalment; its rows are kept, one per instalment.
            cr.execute(OLD_TABLE_TO_RECEIPTS_SQL)
            cr.execute(SQL("DROP TABLE %s CASCADE", SQL.identifier(self._table)))
        tools.drop_view_if_exists(cr, self._table)
        cr.execute(SQL("CREATE VIEW %s AS (%s)", SQL.identifier(self._table), self._view_query()))

    @api.model
    def _view_query(self):
        """Each stored instalment three times, once per scenario; the id
        tells them apart (stored id * 3 + the scenario's rank)."""
        return SQL(
            """
            SELECT r.id * 3 + s.rank AS id, r.company_id, r.partner_id, r.user_id,
                   r.segment, r.move_id, r.due_date, s.date, s.scenario, r.override, r.amount
              FROM %(receipts)s r
              JOIN account_move m ON m.id = r.move_id AND m.state = 'posted'
             CROSS JOIN LATERAL (
                   VALUES (0, 'expected', r.date), (1, 'optimistic', r.date_early),
                          (2, 'pessimistic', r.date_late)
             ) AS s(rank, scenario, date)
            """,
            receipts=SQL.identifier(RECEIPT_TABLE),
        )

    @api.model
    def _refresh_company(self, company, today):
        """Replace the company's forecast with today's expected receipts,
        ``FORECAST_CHUNK`` customers at a time: at 20,000 customers, the
        whole ledger's receipts at once held 250 MB more (measured)."""
        self.env.execute_query(
            SQL("DELETE FROM %s WHERE company_id = %s", SQL.identifier(RECEIPT_TABLE), company.id)
        )
        customers = self._get_customers_with_open_lines(company)
        count = 0
        for start in range(0, len(customers), FORECAST_CHUNK):
            chunk = customers[start : start + FORECAST_CHUNK]
            count += self._insert_receipts(
                company, self._get_expected_receipts(company, today, chunk)
            )
        return count

    @api.model
    def _refresh_customers(self, company, today, partner_ids):
        """Replace the forecast of ``partner_ids`` alone (the nightly
        refresh of the customers that changed); returns its rows."""
        self.env.execute_query(
            SQL(
                "DELETE FROM %s WHERE company_id = %s AND partner_id = ANY(%s)",
                SQL.identifier(RECEIPT_TABLE),
                company.id,
                list(partner_ids),
            )
        )
        return self._insert_receipts(
            company, self._get_expected_receipts(company, today, partner_ids)
        )

    @api.model
    def _get_customers_with_open_lines(self, company):
        """The customers (commercial partners) with an open receivable line."""
        AML = self.env["account.move.line"]
        rows = self.env.execute_query(
            SQL(
                "SELECT DISTINCT p.commercial_partner_id %s AND m.company_id = %s ORDER BY 1",
                AML._dunning_open_lines_sql(),
                company.id,
            )
        )
        return [row[0] for row in rows]

    @api.model
    def _insert_receipts(self, company, receipts):
        """Store ``receipts``, one row each with its three dates; returns
        the forecast rows they make (three each: expected, optimistic,
        pessimistic)."""
        # Only the columns read below: thousands of partners and invoices,
        # each of over a hundred columns otherwise.
        unprefetched = self.sudo().with_context(prefetch_fields=False).env
        partners = unprefetched["res.partner"].browse({r.partner_id for r in receipts})
        salespeople = {partner.id: partner.user_id.id for partner in partners}
        segments = {
            pid: profile.segment
            for pid, profile in self.env["account.dunning.payer.profile"]
            ._get_profiles(salespeople, company)
            .items()
        }
        unscored = self.env["res.partner"]._dunning_unscored_ids(set(salespeople), company)
        invoice_users = {
            move.id: move.invoice_user_id.id
            for move in unprefetched["account.move"].browse({r.move_id for r in receipts})
        }
        rows = [
            (
                company.id,
                receipt.partner_id,
                salespeople.get(receipt.partner_id) or invoice_users.get(receipt.move_id),
                None
                if receipt.partner_id in unscored
                else segments.get(receipt.partner_id) or "good",
                receipt.move_id,
                receipt.line.date_maturity,
                receipt.date,
                receipt.early,
                receipt.late,
                bool(receipt.override),
                receipt.amount,
            )
            for receipt in receipts
            if receipt.amount > 0
        ]
        insert_rows(self, RECEIPT_COLUMNS, rows, table=RECEIPT_TABLE)
        return len(rows) * len(SCENARIOS)

    def action_refresh(self):
        """Refresh the payer figures and the forecast of the current company."""
        company = self.env.company
        today = fields.Date.context_today(self)
        self.env["account.dunning.payer.profile"]._refresh_full(company, today)
        return {"type": "ir.actions.client", "tag": "reload"}

    @api.model
    def _get_expected_receipts(self, company, today, partner_ids=None):
        """[ExpectedReceipt] of the open customer instalments of ``company``
        (of ``partner_ids`` when given): the one open receivable definition
        (``account.move.line._dunning_read_open_lines``), each customer's
        credits set against its debts oldest first (core/balance.py), dated
        by core/payer.py from the customer's profile. A handful of queries
        whatever the number of customers."""
        AML = self.env["account.move.line"]
        rows = AML.sudo()._dunning_read_open_lines(company, today, partner_ids=partner_ids)
        by_partner = open_lines_by_customer(rows)
        profiles = self.env["account.dunning.payer.profile"]._get_profiles(by_partner, company)
        prior_delay = company.sudo().dunning_payer_prior_delay
        prior_spread = company.sudo().dunning_payer_prior_spread or payer.MIN_SPREAD
        overrides = self._get_expected_overrides(company, rows, today)
        invoices = self._get_invoice_facts({row.move_id for row in rows if row.claimable})
        slope = company.sudo().dunning_payer_size_slope
        lag = company.sudo().dunning_payer_reminder_lag or None
        receipts = []
        for partner_id, partner_rows in by_partner.items():
            debts, credits = AML._dunning_debts_and_credits(partner_rows)
            allocation, _left = balance.allocate(debts, credits)
            profile = profiles.get(partner_id)
            expected = profile.expected_delay if profile else prior_delay
            spread = profile.spread_days if profile else prior_spread
            for row in partner_rows:
                if not row.claimable:
                    continue
                covered = sum(amount for _day, amount in allocation.get(row.id, []))
                amount = float(row.residual) - float(covered)
                override = overrides.get(row.id)
                size, sent, last_sent = invoices[row.move_id]
                shift = payer.size_shift(slope, size, profile and profile.typical_size)
                needed = profile.reminders_before_payment if profile else 0.0
                day, early, late = payer.invoice_dates(
                    row.date_maturity,
                    today,
                    expected + shift,
                    spread,
                    override=override,
                    reminded=payer.reminded_date(sent, last_sent, needed, lag, today),
                )
                receipts.append(
                    ExpectedReceipt(
                        row, partner_id, row.move_id, amount, day, early, late, override
                    )
                )
        return receipts

    @api.model
    def _get_invoice_facts(self, move_ids):
        """{move id: (amount in company currency, reminders sent, last sent
        on)}: what dates one invoice rather than its customer. One query."""
        if not move_ids:
            return {}
        Profile = self.env["account.dunning.payer.profile"]
        self.env["account.dunning.action"].flush_model(["state", "date"])
        self.env["account.dunning.action.line"].flush_model(["move_id", "line_type"])
        rows = self.env.execute_query(
            SQL(
                "SELECT m.id, m.amount_total_signed, sent.count, sent.last "
                "FROM account_move m %s WHERE m.id IN %s %s",
                Profile._reminders_sent_sql(SQL("m.id")),
                tuple(move_ids),
                flush_fields(self.env["account.move"], "amount_total_signed"),
            )
        )
        return {move_id: (float(size or 0.0), count, last) for move_id, size, count, last in rows}

    @api.model
    def _get_expected_overrides(self, company, rows, today):
        """{open line id: date} given by a promise to pay (the invoice's
        promise date, else a pending promise call naming it) or by the
        instalments of an active payment plan (core/payer.plan_dates)."""
        move_ids = {row.move_id for row in rows if row.claimable}
        # Three columns of thousands of invoices, not all of their columns.
        moves = self.env["account.move"].sudo().with_context(prefetch_fields=False).browse(move_ids)
        promised = {
            move.id: move.dunning_promise_date
            for move in moves
            if move.dunning_excluded
            and move.dunning_exclusion_reason == "promise"
            and move.dunning_promise_date
        }
        calls = (
            self.env["account.dunning.call"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("outcome", "=", "promise"),
                    ("promise_state", "=", "pending"),
                    ("promise_date", "!=", False),
                    ("move_ids", "in", list(move_ids)),
                ],
                order="promise_date",
            )
        )
        for call in calls:
            for move in call.move_ids:
                promised.setdefault(move.id, call.promise_date)
        overrides = {row.id: promised[row.move_id] for row in rows if row.move_id in promised}
        plans = (
            self.env["account.dunning.payment.plan"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "active"),
                    ("move_ids", "in", list(move_ids)),
                ]
            )
        )
        for plan in plans:
            plan_rows = [row for row in rows if row.claimable and row.move_id in plan.move_ids.ids]
            instalments = [
                (line.date, line.amount_residual)
                for line in plan.line_ids
                if line.amount_residual > 0 and line.date
            ]
            dates = payer.plan_dates(
                [(row.id, row.date_maturity, float(row.residual)) for row in plan_rows],
                instalments,
            )
            overrides.update(dates)
        return overrides
