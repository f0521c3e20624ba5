from decimal import Decimal

from odoo import Command, api, fields, models

from ...core import balance
from ...core.claim import claim_totals
from ...tools import bulk
from ...tools.prefetch import fetch_only
from ..receivable.account_move_line import open_lines_by_customer
from .account_dunning_action_situation import SITUATION_COLUMNS

# The stored totals of a reminder (_compute_amounts), with their column types.
AMOUNT_COLUMNS = (
    ("amount_invoices", "numeric[]"),
    ("amount_credits", "numeric[]"),
    ("amount_due", "numeric[]"),
    ("amount_penalties", "numeric[]"),
    ("amount_indemnities", "numeric[]"),
    ("amount_claimed", "numeric[]"),
    ("invoice_count", "int[]"),
)
AMOUNT_FIELDS = tuple(name for name, _kind in AMOUNT_COLUMNS)


class AccountDunningAction(models.Model):
    """What a reminder claims: its lines, built from the open receivable,
    and read again when it is sent."""

    _inherit = "account.dunning.action"

    # ------------------------------------------------------------------
    # Totals: claim_totals(), the one formula
    # ------------------------------------------------------------------

    @api.depends(
        "line_ids.amount_claim",
        "line_ids.line_type",
        "line_ids.dropped",
        "line_ids.late_penalty_amount",
        "line_ids.recovery_indemnity_amount",
        "currency_id",
        "company_currency_id",
    )
    def _compute_amounts(self):
        for action in self:
            invoices, credits = action._get_invoice_lines(), action._get_credit_lines()
            action.update(
                claim_totals(
                    [
                        (line.amount_claim, line.late_penalty_amount,
                         line.recovery_indemnity_amount, line.move_id.id)
                        for line in invoices
                    ],
                    credits.mapped("amount_claim"),
                    action.currency_id == action.company_currency_id,
                )
            )  # fmt: skip

    def _store_totals(self, totals, situations=False):
        """Write the totals of new reminders, ``{action: claim_totals()}``,
        in one statement, rounded as the compute stores them, in place of
        the compute: assigning six monetary fields per reminder, then
        flushing them, took 1.2 s of a 2,000-customer night (measured).

        With ``situations``, their situations (``_situation_rows``, read
        once the totals are no longer pending) go in the same statement: a
        second UPDATE of every reminder of a night cost 120 ms of SQL."""
        for fname in AMOUNT_FIELDS:
            self.env.remove_to_compute(self._fields[fname], self)
        self.invalidate_recordset(AMOUNT_FIELDS)
        rows = {}
        # res.currency.round() with each currency's rounding read once, and
        # each reminder's two currencies: 1 % of a night's CPU otherwise.
        rounded = self.env["account.dunning.action.line"]._currency_rounder()
        monetary = [
            (fname, self._fields[fname].get_currency_field(self)) for fname in AMOUNT_FIELDS[:-1]
        ]
        currency_names = {name for _fname, name in monetary}
        for action, values in totals.items():
            currency_ids = {name: action[name].id for name in currency_names}
            amounts = [
                rounded(currency_ids[name], values[fname]) if currency_ids[name] else values[fname]
                for fname, name in monetary
            ]
            rows[action.id] = (*amounts, values["invoice_count"])
        columns = AMOUNT_COLUMNS
        if situations and rows:
            situation_rows = self.browse(rows)._situation_rows()
            rows = {action_id: row + situation_rows[action_id] for action_id, row in rows.items()}
            columns += SITUATION_COLUMNS
        bulk.update_rows(self, columns, rows)

    # ------------------------------------------------------------------
    # What a reminder claims: its lines, built from the open receivable
    # ------------------------------------------------------------------

    @api.model
    def _build_claims(self, today, customers):
        """The lines of each customer's reminder, with the credits set against
        the instalments listed (core/balance.py) and the penalties of each.

        ``customers``: {partner id: (listed, rows)}, ``listed`` mapping the
        open instalments to list to the level they reach today (or None),
        ``rows`` the customer's open receivable lines (OpenLine). Returns
        {partner id: (line values, claim currency id, net due in company
        currency)}.
        """
        extra_payments, plans = {}, {}
        AML = self.env["account.move.line"]
        for partner_id, (listed, rows) in customers.items():
            debts, credits = AML._dunning_debts_and_credits(rows, listed)
            allocation, _left = balance.allocate(debts, credits)
            extra_payments.update(allocation)
            plans[partner_id] = (debts, credits)
        listed_ids = [row_id for listed, _rows in customers.values() for row_id in listed]
        amls = self.env["account.move.line"].browse(listed_ids)
        fetch_only(amls, ["move_id", "amount_currency"])
        figures = amls.move_id._get_dunning_figures(today, extra_payments)
        claims = {}
        for partner_id, (listed, rows) in customers.items():
            debts, credits = plans[partner_id]
            claims[partner_id] = self._claim_lines(today, listed, rows, figures)
            claims[partner_id] += (balance.net_due(debts, credits),)
        return claims

    @api.model
    def _claim_lines(self, today, listed, rows, figures):
        """(line values, claim currency id) of one customer."""
        vals_list, indemnity_given = [], set()
        company_currency = self.env.company.currency_id
        kept_rows = [r for r in rows if r.id in listed or r.residual < 0]
        currencies = {r.currency_id for r in kept_rows}
        for row in kept_rows:
            if row.residual < 0:
                vals_list.append(self._credit_line_vals(row))
                continue
            aml = self.env["account.move.line"].browse(row.id)
            move_figures = figures.get(row.move_id, {})
            indemnity = 0.0
            if row.move_id not in indemnity_given:
                indemnity_given.add(row.move_id)
                indemnity = float(move_figures.get("indemnity", 0))
            reached = listed[row.id]
            vals_list.append(
                {
                    "line_type": "invoice",
                    "move_line_id": row.id,
                    "move_id": row.move_id,
                    "name": row.move_name,
                    "invoice_date": aml.move_id.invoice_date,
                    "date_maturity": row.date_maturity,
                    "days_late": (today - row.date_maturity).days,
                    "level_id": reached.id if reached else row.level_id,
                    "escalated": bool(reached),
                    "currency_id": row.currency_id,
                    "amount_total": abs(aml.amount_currency),
                    "amount_residual": row.residual_currency,
                    "amount_residual_company": row.residual,
                    "late_penalty_amount": float(
                        move_figures.get("by_line", {}).get(row.id, Decimal(0))
                    ),
                    "recovery_indemnity_amount": indemnity,
                }
            )
        currency_id = currencies.pop() if len(currencies) == 1 else company_currency.id
        return vals_list, currency_id

    @api.model
    def _credit_line_vals(self, row):
        if row.move_type == "out_refund":
            line_type = "credit_note"
        elif row.payment:
            line_type = "payment"
        else:
            line_type = "credit"
        return {
            "line_type": line_type,
            "move_line_id": row.id,
            "move_id": row.move_id,
            "name": row.move_name,
            "date": row.date,
            "currency_id": row.currency_id,
            "amount_residual": row.residual_currency,
            "amount_residual_company": row.residual,
        }

    # ------------------------------------------------------------------
    # Read again when sent
    # ------------------------------------------------------------------

    def _refresh_claims(self):
        """Drop the instalments paid or excluded since preparation, take the
        customer's credits as they are now, update the amounts, and cancel a
        reminder left with less to claim than the company's minimum."""
        today = fields.Date.context_today(self)
        for company, actions in self.grouped("company_id").items():
            Action = self.env["account.dunning.action"].with_company(company)
            rows = self.env["account.move.line"]._dunning_read_open_lines(
                company, today, partner_ids=actions.partner_id.commercial_partner_id.ids
            )
            rows_by_partner = open_lines_by_customer(rows)
            customers = {}
            for action in actions:
                open_rows = rows_by_partner[action.partner_id.id]
                claimable = {r.id for r in open_rows if r.claimable and not r.held}
                invoice_lines = action._get_invoice_lines()
                invoice_lines.filtered(
                    lambda line, claimable=claimable: line.move_line_id.id not in claimable
                ).write({"dropped": True})
                listed = {
                    line.move_line_id.id: (line.level_id if line.escalated else None)
                    for line in action._get_invoice_lines()
                }
                customers[action.id] = (listed, open_rows)
            claims = Action._build_claims(today, customers)
            for action in actions:
                action._apply_claim(*claims[action.id])

    def _apply_claim(self, vals_list, currency_id, net):
        self.ensure_one()
        by_line = {line.move_line_id.id: line for line in self._get_invoice_lines()}
        credits = [vals for vals in vals_list if vals["line_type"] != "invoice"]
        for vals in vals_list:
            line = by_line.get(vals["move_line_id"])
            if line and vals["line_type"] == "invoice":
                line.write(
                    {
                        key: vals[key]
                        for key in (
                            "days_late",
                            "amount_residual",
                            "amount_residual_company",
                            "late_penalty_amount",
                            "recovery_indemnity_amount",
                        )
                    }
                )
        self.line_ids.filtered(lambda line: line.line_type != "invoice").unlink()
        self.write(
            {"currency_id": currency_id, "line_ids": [Command.create(vals) for vals in credits]}
        )
        if not balance.worth_claiming(net, self.company_id.dunning_min_amount):
            self._set_state(
                "cancelled",
                cancel_reason=self.env._(
                    "Nothing left to claim: the invoices were paid, excluded, or are "
                    "covered by the customer's payments and credit notes."
                ),
            )
            self.message_post(
                body=self.env._(
                    "Not sent: every invoice was paid, excluded or covered by credits "
                    "in the meantime."
                )
            )
