from collections import defaultdict

from odoo import Command, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class AccountMove(models.Model):
    """Billing or waiving the penalties and indemnities of invoices: never
    the same period twice (the penalty wizard and payment plans call these)."""

    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Billing or waiving penalties: the wizard and payment plans call these
    # ------------------------------------------------------------------

    def _dunning_get_billable(self, until):
        """[(invoice, kind, label, amount)] of penalties and indemnities not
        billed or waived yet, to ``until``."""
        return self._dunning_billable(until)[0]

    def _dunning_billable(self, until):
        """The billable lines, and the day each invoice's penalties are then
        billed to: ``until``, or the last day of the last semester with a
        published rate, so that the pending part is billed later, once."""
        self._check_posted_customer_invoices(
            self.env._("Only posted customer invoices have penalties: %(moves)s")
        )
        billed_again = self.filtered(
            lambda m: m.dunning_penalty_billed_until and m.dunning_penalty_billed_until >= until
        )
        if billed_again:
            raise UserError(
                self.env._(
                    "Penalties of %(moves)s are already billed or waived until %(date)s: "
                    "the same period is never billed twice.",
                    moves=", ".join(billed_again.mapped("display_name")),
                    date=format_date(
                        self.env, max(billed_again.mapped("dunning_penalty_billed_until"))
                    ),
                )
            )
        figures = self._get_dunning_figures(until)
        lines, ends = [], {}
        for move in self:
            values = figures[move.id]
            start = move.dunning_penalty_billed_until or values["due_date"]
            end = min(until, values["computed_until"] or until)
            ends[move] = max(end, move.dunning_penalty_billed_until or end)
            if values["interest"] > 0:
                lines.append(
                    (
                        move,
                        "penalty",
                        self.env._(
                            "Late-payment penalties on %(invoice)s from %(start)s to %(end)s "
                            "(C. com. L441-10 II)",
                            invoice=move.name,
                            start=format_date(self.env, start),
                            end=format_date(self.env, end),
                        ),
                        values["interest"],
                    )
                )
            if values["indemnity"] > 0:
                lines.append(
                    (
                        move,
                        "indemnity",
                        self.env._(
                            "Fixed recovery indemnity on %(invoice)s (C. com. D441-5)",
                            invoice=move.name,
                        ),
                        values["indemnity"],
                    )
                )
        return lines, ends

    def _dunning_mark_billed(self, until, lines, ends=None):
        """From now on these amounts are billed or waived: never claimed
        again. ``ends`` ({invoice: day}) bills some only to an earlier day."""
        ends = ends or {}
        for end in {ends.get(move, until) for move in self}:
            self.filtered(lambda m, end=end: ends.get(m, until) == end).sudo().write(
                {"dunning_penalty_billed_until": end}
            )
        self.browse(
            {move.id for move, kind, _label, _amount in lines if kind == "indemnity"}
        ).sudo().write({"dunning_indemnity_billed": True})

    def _dunning_bill_penalties(self, until):
        """Bill what is left: one invoice per customer, without VAT
        (penalties and the 40 EUR indemnity are damages, not the price of a
        supply: legal_fr.md 1.5 and 1.6). Returns the posted bills."""
        lines, ends = self._dunning_billable(until)
        if not lines:
            return self.browse()
        bills = self._dunning_create_penalty_bills(until, lines)
        self._dunning_mark_billed(until, lines, ends)
        return bills

    def _dunning_waive_penalties(self, until, reason):
        lines = self._dunning_get_billable(until)
        if not lines:
            raise UserError(self.env._("There is nothing left to bill or waive on these invoices."))
        if not reason:
            raise UserError(self.env._("Say why the penalties are waived."))
        self._dunning_mark_billed(until, lines)
        for move in self:
            move.message_post(
                body=self.env._(
                    "Penalties and indemnity waived until %(date)s: %(reason)s",
                    date=format_date(self.env, until),
                    reason=reason,
                )
            )

    def _dunning_create_penalty_bills(self, until, lines):
        by_partner = defaultdict(list)
        for move, kind, label, amount in lines:
            by_partner[(move.commercial_partner_id, move.company_id)].append(
                (move, kind, label, amount)
            )
        vals_list = []
        for (partner, company), partner_lines in by_partner.items():
            accounts = {
                kind: company._get_dunning_account(kind) for kind in ("penalty", "indemnity")
            }
            if not all(accounts.values()):
                raise UserError(
                    self.env._(
                        "Choose the income accounts of penalties and indemnities in the "
                        "Accounting settings (Dunning) of %(company)s.",
                        company=company.name,
                    )
                )
            vals_list.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "invoice_date": until,
                    "dunning_penalty_bill": True,
                    "invoice_origin": ", ".join(sorted({m.name for m, *_rest in partner_lines})),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": label,
                                "quantity": 1,
                                "price_unit": float(amount),
                                "account_id": accounts[kind].id,
                                "tax_ids": [Command.clear()],
                            }
                        )
                        for _move, kind, label, amount in partner_lines
                    ],
                }
            )
        bills = self.env["account.move"].create(vals_list)
        bills.action_post()
        return bills
