from collections import defaultdict, namedtuple

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

from ...core import balance
from ...tools.bulk import flush_fields

# Invoices set aside whatever they still owe: blocked by hand (Odoo 18
# "Block payment") or kept by the legacy Invoicing app. Past figures leave
# them out too, since no payment ever closes them.
SET_ASIDE_PAYMENT_STATES = ("blocked", "invoicing_legacy")
# Invoices that are not chased: settled, reversed, or set aside.
CLOSED_PAYMENT_STATES = ("paid", "in_payment", "reversed", *SET_ASIDE_PAYMENT_STATES)

# The fields the open receivable is read from: flushed before each query,
# and the dependencies of the SQL reports built on it (their _depends).
OPEN_RECEIVABLE_DEPENDS = {
    "account.move.line": [
        "parent_state",
        "account_id",
        "reconciled",
        "amount_residual",
        "amount_residual_currency",
        "partner_id",
        "move_id",
        "date_maturity",
        "date",
        "currency_id",
        "dunning_level_id",
        "dunning_last_date",
    ],
    "account.move": [
        "payment_state",
        "move_type",
        "state",
        "company_id",
        "invoice_user_id",
        "dunning_excluded",
        "dunning_exclusion_reason",
        "dunning_promise_date",
        "dunning_hold_until",
        "commercial_partner_id",
        "prescription_date",
    ],
    "res.partner": ["commercial_partner_id", "user_id"],
}

OpenLine = namedtuple(
    "OpenLine",
    "id move_id partner_id move_type move_name ref date date_maturity residual "
    "residual_currency currency_id claimable held dispute level_id last_date payment",
)


def open_lines_by_customer(rows):
    """{customer id: its OpenLine rows}, in the rows' order."""
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.partner_id].append(row)
    return grouped


class AccountMoveLine(models.Model):
    """The open receivable: the one definition every dunning figure uses.

    An open receivable line is a posted line of a receivable account, not
    fully matched, of a move whose payment state is not closed. Its debit
    lines on customer invoices are what may be claimed (each instalment
    with its own level); its credit lines (payments not yet matched, open
    credit notes, other credits of the customer and its contacts) lower the
    claim. ``_dunning_open_domain`` says it for the ORM,
    ``_dunning_open_lines_sql`` for SQL: they must say the same.
    """

    _inherit = "account.move.line"

    # Not indexed: the night rewrites the level of every instalment and
    # invoice it reminds, and a row none of whose indexed columns changes is
    # updated in place (HOT) rather than in each of the table's twenty-odd
    # indexes (scale 1, 14,972 rows: 63 % of these updates HOT instead of
    # none, their SQL time about 610 ms to 380 ms, two nights each).
    # Deleting a level scans the table instead: rare.
    dunning_level_id = fields.Many2one(
        "account.dunning.level",
        "Dunning level",
        copy=False,
        readonly=True,
        ondelete="set null",
        help="The last reminder level this instalment received.",
    )
    dunning_last_date = fields.Date("Last reminder", copy=False, readonly=True)

    def init(self):
        res = super().init()
        # The night's first read (the customers due) would otherwise walk
        # every posted line of the company, paid years ago or not: with it,
        # it reads the open lines only, a few percent of a grown ledger.
        # Its WHERE is implied by _dunning_open_lines_sql's, so the planner
        # may use it for every query on the open receivable.
        create_index(
            self.env.cr,
            "account_move_line_dunning_open_idx",
            self._table,
            ["company_id", "date_maturity"],
            where="parent_state = 'posted' AND reconciled IS NOT TRUE AND amount_residual != 0",
        )
        return res

    # ------------------------------------------------------------------
    # The definition
    # ------------------------------------------------------------------

    @api.model
    def _dunning_open_domain(self):
        return [
            ("parent_state", "=", "posted"),
            ("account_id.account_type", "=", "asset_receivable"),
            ("reconciled", "=", False),
            ("amount_residual", "!=", 0),
            ("move_id.payment_state", "not in", CLOSED_PAYMENT_STATES),
        ]

    @api.model
    def _dunning_claimable_domain(self):
        return [
            *self._dunning_open_domain(),
            ("amount_residual", ">", 0),
            ("move_id.move_type", "=", "out_invoice"),
        ]

    @api.model
    def _dunning_receivable_lines_sql(self, joins=None):
        """FROM and WHERE of the customers' posted receivable lines, open or
        settled: ``aml`` the line, ``m`` its move, ``acc`` its account,
        ``p`` its partner (whose ``commercial_partner_id`` is the customer);
        ``joins`` (SQL) join more before the WHERE. What every dunning
        figure reads, now (``_dunning_open_lines_sql``) or in the past (the
        monthly DSO, the payer figures)."""
        return SQL(
            """
              FROM account_move_line aml
              JOIN account_move m ON m.id = aml.move_id
              JOIN account_account acc ON acc.id = aml.account_id
              JOIN res_partner p ON p.id = aml.partner_id
              %s
             WHERE aml.parent_state = 'posted'
               AND acc.account_type = 'asset_receivable'
            """,
            joins or SQL(),
        )

    @api.model
    def _dunning_open_lines_sql(self):
        """FROM and WHERE of the open receivable lines (the receivable lines,
        ``_dunning_receivable_lines_sql``, not fully matched, of a move not
        closed)."""
        return SQL(
            """%s
               AND aml.reconciled IS NOT TRUE
               AND aml.amount_residual != 0
               AND m.payment_state NOT IN %s %s
            """,
            self._dunning_receivable_lines_sql(),
            CLOSED_PAYMENT_STATES,
            SQL(
                " ".join(["%s"] * len(OPEN_RECEIVABLE_DEPENDS)),
                *(
                    flush_fields(self.env[model], *names)
                    for model, names in OPEN_RECEIVABLE_DEPENDS.items()
                ),
            ),
        )

    @api.model
    def _dunning_claimable_sql(self):
        """Among open lines: a debit on a customer invoice, what may be claimed."""
        return SQL("(aml.amount_residual > 0 AND m.move_type = 'out_invoice')")

    @api.model
    def _dunning_held_sql(self, today):
        """Among claimable lines: left out of dunning, by an exclusion (a
        promise to pay holds until its date), a payment announced (held
        until its day, included) or an active payment plan (its invoices
        and its penalty bill)."""
        return SQL(
            """(
                (m.dunning_excluded IS TRUE
                 AND NOT (m.dunning_exclusion_reason = 'promise'
                          AND m.dunning_promise_date < %(today)s))
                OR m.dunning_hold_until >= %(today)s
                OR EXISTS (
                    SELECT 1
                      FROM account_dunning_plan_move_rel rel
                      JOIN account_dunning_payment_plan plan ON plan.id = rel.plan_id
                     WHERE rel.move_id = m.id AND plan.state = 'active')
                OR EXISTS (
                    SELECT 1 FROM account_dunning_payment_plan plan
                     WHERE plan.penalty_move_id = m.id AND plan.state = 'active')
            )""",
            today=today,
        )

    # ------------------------------------------------------------------
    # Reading it
    # ------------------------------------------------------------------

    @api.model
    def _dunning_read_open_lines(self, company, today, partner_ids=None, due_by=None):
        """The open receivable lines of a company's customers, as OpenLine
        tuples: claimable instalments (``held`` when excluded or under a
        plan) due by ``due_by`` when given, and every credit line.
        Amounts in company currency (``residual``) and in the line's."""
        rows = self.env.execute_query(
            self._dunning_open_lines_query(company, today, partner_ids, due_by)
        )
        return [OpenLine(*row) for row in rows]

    @api.model
    def _dunning_candidate_customers(self, company, today, due_by, late_by):
        """{customer id: its open lines due by ``due_by`` and credit lines,
        counted} of the customers with a claimable instalment, not held,
        due on ``late_by`` or before: those that may be due a reminder
        today (a level is reached ``delay_days`` after the due date, so no
        instalment due after ``late_by``, today less the shortest delay, can
        climb one). The night judges each of them in its batch.

        Counted by the database: the customers' lines read and judged at the
        start of the night took 1.4 s at scale 10 (18,000 customers due),
        this 0.2 s, and with queue jobs the workers waited for it.
        """
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.commercial_partner_id, count(*)
                %(open)s AND %(where)s
              GROUP BY p.commercial_partner_id
                HAVING bool_or(%(claimable)s AND (%(held)s) IS NOT TRUE
                               AND COALESCE(aml.date_maturity, aml.date) <= %(late_by)s)
                """,
                open=self._dunning_open_lines_sql(),
                where=self._dunning_open_lines_where(company, due_by=due_by),
                claimable=self._dunning_claimable_sql(),
                held=self._dunning_held_sql(today),
                late_by=late_by,
            )
        )
        return dict(rows)

    @api.model
    def _dunning_open_lines_query(self, company, today, partner_ids=None, due_by=None):
        """The SELECT of ``_dunning_read_open_lines``."""
        return SQL(
            """
            SELECT aml.id, aml.move_id, p.commercial_partner_id, m.move_type, m.name,
                   COALESCE(m.ref, m.payment_reference, aml.name), aml.date,
                   COALESCE(aml.date_maturity, aml.date), aml.amount_residual,
                   aml.amount_residual_currency, aml.currency_id,
                   %(claimable)s, %(held)s,
                   m.dunning_excluded IS TRUE AND m.dunning_exclusion_reason = 'dispute',
                   aml.dunning_level_id, aml.dunning_last_date, m.origin_payment_id
            %(open)s AND %(where)s
          ORDER BY p.commercial_partner_id, COALESCE(aml.date_maturity, aml.date), aml.id
            """,
            claimable=self._dunning_claimable_sql(),
            held=self._dunning_held_sql(today),
            open=self._dunning_open_lines_sql(),
            where=self._dunning_open_lines_where(company, partner_ids, due_by),
        )

    @api.model
    def _dunning_open_lines_where(self, company, partner_ids=None, due_by=None):
        """The open lines of ``company`` that the night reads: of the
        customers ``partner_ids`` (all when None), instalments due by
        ``due_by`` (when given) and every credit line."""
        clauses = [SQL("m.company_id = %s", company.id)]
        if partner_ids is not None:
            ids = tuple(partner_ids) or (0,)
            clauses.append(SQL("p.commercial_partner_id IN %s", ids))
            # The same lines, found by their own partner (the customer or one
            # of its contacts) through the lines' partner index: filtered on
            # the customer alone, PostgreSQL walked every open line of the
            # ledger (a batch of 500 customers at scale 10: 100 ms, 20 ms so;
            # two batches at once waited 0.25 s for it at each call).
            clauses.append(
                SQL(
                    "aml.partner_id IN (SELECT id FROM res_partner"
                    " WHERE commercial_partner_id IN %s)",
                    ids,
                )
            )
        if due_by is not None:
            clauses.append(SQL("(aml.amount_residual < 0 OR aml.date_maturity <= %s)", due_by))
        return SQL(" AND ").join(clauses)

    @api.model
    def _dunning_debts_and_credits(self, rows, listed=None):
        """The core's view of a customer's open lines (core/balance.py): the
        instalments ``listed`` (ids; None: every claimable one) as debts,
        every credit line as a credit."""
        debts = [
            balance.Debt(row.id, row.date_maturity, row.residual)
            for row in rows
            if (row.id in listed if listed is not None else row.claimable)
        ]
        credits = [
            balance.Credit(row.id, row.date, -row.residual) for row in rows if row.residual < 0
        ]
        return debts, credits
