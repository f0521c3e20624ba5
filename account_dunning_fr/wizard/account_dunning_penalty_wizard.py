from decimal import Decimal

from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date


class AccountDunningPenaltyWizard(models.TransientModel):
    """Bill (or waive) the late-payment penalties and recovery indemnities
    of invoices: one customer invoice per customer, without VAT (penalties
    and the 40 EUR indemnity are damages, not the price of a supply:
    legal_fr.md 1.5 and 1.6). A period is never billed twice."""

    _name = "account.dunning.penalty.wizard"
    _description = "Bill late-payment penalties"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    until = fields.Date("Penalties until", required=True, default=fields.Date.context_today)
    mode = fields.Selection(
        [("bill", "Bill them"), ("waive", "Waive them")], required=True, default="bill"
    )
    waiver_reason = fields.Char()
    summary = fields.Html(compute="_compute_summary")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "account.move":
            values["move_ids"] = [Command.set(self.env.context.get("active_ids", []))]
        return values

    @api.depends("move_ids", "until")
    def _compute_summary(self):
        for wizard in self:
            try:
                lines = wizard._get_billable_lines()
            except UserError as error:
                wizard.summary = Markup("<p class='text-danger'>%s</p>") % error.args[0]
                continue
            currency = wizard.move_ids.company_id.currency_id[:1]
            wizard.summary = Markup("").join(
                Markup("<p>%s: <b>%s</b></p>")
                % (label, format_amount(self.env, float(amount), currency))
                for _move, _kind, label, amount in lines
            ) or Markup("<p>%s</p>") % _("Nothing left to bill.")

    def _get_billable_lines(self):
        """[(invoice, kind, label, amount)] not billed yet, to ``until``."""
        self.ensure_one()
        moves = self.move_ids
        wrong = moves.filtered(lambda m: m.move_type != "out_invoice" or m.state != "posted")
        if wrong:
            raise UserError(
                _(
                    "Only posted customer invoices have penalties: %(moves)s",
                    moves=", ".join(wrong.mapped("display_name")),
                )
            )
        billed_again = moves.filtered(
            lambda m: (
                m.dunning_penalty_billed_until and m.dunning_penalty_billed_until >= self.until
            )
        )
        if billed_again:
            raise UserError(
                _(
                    "Penalties of %(moves)s are already billed or waived until %(date)s: "
                    "the same period is never billed twice.",
                    moves=", ".join(billed_again.mapped("display_name")),
                    date=format_date(
                        self.env, max(billed_again.mapped("dunning_penalty_billed_until"))
                    ),
                )
            )
        to_date = moves._get_dunning_figures(self.until)
        missing = [f["warning"] for f in to_date.values() if f["warning"] and not f["results"]]
        if missing:
            raise UserError(_("Penalties cannot be computed: %s", "; ".join(set(missing))))
        lines = []
        for move in moves:
            already = Decimal(0)
            if move.dunning_penalty_billed_until:
                already = move._get_dunning_figures(move.dunning_penalty_billed_until)[move.id][
                    "interest"
                ]
            interest = to_date[move.id]["interest"] - already
            start = move.dunning_penalty_billed_until or to_date[move.id]["due_date"]
            if interest > 0:
                lines.append(
                    (
                        move,
                        "penalty",
                        _(
                            "Late-payment penalties on %(invoice)s from %(start)s to %(end)s "
                            "(C. com. L441-10 II)",
                            invoice=move.name,
                            start=format_date(self.env, start),
                            end=format_date(self.env, self.until),
                        ),
                        interest,
                    )
                )
            indemnity = to_date[move.id]["indemnity"]
            if indemnity > 0 and not move.dunning_indemnity_billed:
                lines.append(
                    (
                        move,
                        "indemnity",
                        _(
                            "Fixed recovery indemnity on %(invoice)s (C. com. D441-5)",
                            invoice=move.name,
                        ),
                        indemnity,
                    )
                )
        return lines

    def action_confirm(self):
        self.ensure_one()
        lines = self._get_billable_lines()
        if not lines:
            raise UserError(_("There is nothing left to bill or waive on these invoices."))
        if self.mode == "waive":
            if not self.waiver_reason:
                raise UserError(_("Say why the penalties are waived."))
            self._mark_billed(lines)
            for move in self.move_ids:
                move.message_post(
                    body=_(
                        "Penalties and indemnity waived until %(date)s: %(reason)s",
                        date=format_date(self.env, self.until),
                        reason=self.waiver_reason,
                    )
                )
            return {"type": "ir.actions.act_window_close"}
        invoices = self._create_penalty_invoices(lines)
        self._mark_billed(lines)
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", invoices.ids)],
            "name": _("Penalty invoices"),
        }

    def _mark_billed(self, lines):
        self.move_ids.sudo().write({"dunning_penalty_billed_until": self.until})
        indemnity_moves = self.env["account.move"].union(
            *[move for move, kind, _label, _amount in lines if kind == "indemnity"]
        )
        indemnity_moves.sudo().write({"dunning_indemnity_billed": True})

    def _create_penalty_invoices(self, lines):
        by_partner = {}
        for move, kind, label, amount in lines:
            by_partner.setdefault((move.commercial_partner_id, move.company_id), []).append(
                (move, kind, label, amount)
            )
        vals_list = []
        for (partner, company), partner_lines in by_partner.items():
            accounts = {
                kind: company._get_dunning_account(kind) for kind in ("penalty", "indemnity")
            }
            missing = [kind for kind, account in accounts.items() if not account]
            if missing:
                raise UserError(
                    _(
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
                    "invoice_date": self.until,
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
        invoices = self.env["account.move"].create(vals_list)
        invoices.action_post()
        return invoices
