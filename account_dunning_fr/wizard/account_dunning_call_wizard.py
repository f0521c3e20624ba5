from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.collection.account_dunning_call import CALL_OUTCOMES


class AccountDunningCallWizard(models.TransientModel):
    """Record a phone call's outcome in one click from the worklist."""

    _name = "account.dunning.call.wizard"
    _description = "Log a dunning call"

    partner_id = fields.Many2one("res.partner", "Customer", required=True)
    move_ids = fields.Many2many("account.move", string="Invoices")
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id)
    outcome = fields.Selection(CALL_OUTCOMES, required=True, default="reached")
    promise_date = fields.Date("Promised for")
    promise_amount = fields.Monetary("Promised amount")
    note = fields.Text()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        partner = self.env["res.partner"]
        if context.get("active_model") == "account.dunning.worklist":
            partner = (
                self.env["account.dunning.worklist"].browse(context.get("active_id")).partner_id
            )
        elif context.get("active_model") == "res.partner":
            partner = self.env["res.partner"].browse(context.get("active_id"))
        if partner:
            partner = partner.commercial_partner_id
            moves = partner._get_open_invoices(overdue_only=True)
            values.update(partner_id=partner.id, move_ids=[Command.set(moves.ids)])
            values["promise_amount"] = sum(moves.mapped("amount_residual_signed"))
        return values

    def action_confirm(self):
        self.ensure_one()
        today = fields.Date.context_today(self)
        if self.outcome == "promise":
            if not self.promise_date or self.promise_date < today:
                raise UserError(self.env._("A promise to pay needs a date, today or later."))
            if self.promise_amount <= 0:
                raise UserError(self.env._("A promise to pay needs a positive amount."))
        if self.outcome in ("promise", "dispute") and not self.move_ids:
            raise UserError(self.env._("Choose the invoices concerned."))
        call = self.env["account.dunning.call"].create(
            {
                "partner_id": self.partner_id.id,
                "outcome": self.outcome,
                "move_ids": [Command.set(self.move_ids.ids)],
                "promise_date": self.promise_date if self.outcome == "promise" else False,
                "promise_amount": self.promise_amount if self.outcome == "promise" else 0.0,
                "amount_due_at_call": sum(self.move_ids.mapped("amount_residual_signed")),
                "promise_state": "pending" if self.outcome == "promise" else False,
                "note": self.note,
            }
        )
        if self.outcome == "promise":
            self.move_ids._dunning_exclude("promise", self.promise_date, self.note)
        elif self.outcome == "dispute":
            self.move_ids._dunning_exclude("dispute", note=self.note)
        self._close_call_activities(call)
        return {"type": "ir.actions.act_window_close"}

    def _close_call_activities(self, call):
        """The dunning call activities of this customer are done."""
        label = dict(self._fields["outcome"]._description_selection(self.env))[call.outcome]
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.partner_id.id),
                ("activity_type_id.category", "=", "phonecall"),
            ]
        )
        activities.action_feedback(feedback=" - ".join(filter(None, [label, self.note])))
        if not activities:
            self.partner_id.message_post(
                body=self.env._("Dunning call: %(outcome)s", outcome=label),
                subtype_xmlid="mail.mt_note",
            )
