from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models


class AccountDunningAnswer(models.Model):
    """What an answer changes, at once: the dunning of its invoices waits
    for an announced payment, a promise excludes them until its day, a
    dispute excludes them, and the dunning responsible is told."""

    _inherit = "account.dunning.answer"

    def _apply_effects(self, confirmed=False):
        """Apply this answer's effect; an answer read from a reply waits for
        an accountant (``confirmed``)."""
        self.ensure_one()
        if self.source == "email" and not confirmed:
            self.state = "to_review"
            self._ask_the_responsible(self.env._("Check the customer's answer"))
            return
        getattr(self, "_apply_%s" % self.kind)(confirmed)

    def _open_moves(self):
        """The answer's invoices still to be paid."""
        return self.move_ids.filtered("dunning_open")

    def _apply_paid(self, confirmed):
        """The invoices wait ``dunning_answer_paid_hold_days`` for the payment
        announced; a later reminder says it was not received."""
        today = fields.Date.context_today(self)
        days = self.company_id.dunning_answer_paid_hold_days
        moves = self._open_moves()
        moves._dunning_hold_for_announced_payment(
            today,
            today + timedelta(days=days),
            self.payment_reference,
            note=Markup("<p>%s</p>")
            % self.env._("The customer says: %(answer)s.", answer=self._describe()),
            paid_on=self.paid_date,
        )
        self.state = "accepted"
        self._ask_the_responsible(self.env._("Check the payment announced"))

    def _apply_promise(self, confirmed):
        """A promise within the policy's limit (or confirmed) excludes the
        invoices until its day and is followed like a promise made on the
        phone: kept or broken, counted in the payer figures."""
        policy = self.partner_id._get_dunning_policy(self.company_id)
        limit = fields.Date.context_today(self) + timedelta(days=policy.dunning_promise_max_days)
        if self.promise_date > limit and not confirmed:
            self.state = "to_review"
            self._ask_the_responsible(self.env._("Promise to pay beyond the usual delay"))
            return
        moves = self._open_moves()
        self.env["account.dunning.call"].sudo().create(
            {
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "channel": "answer",
                "user_id": False,
                "outcome": "promise",
                "move_ids": [Command.set(moves.ids)],
                "promise_date": self.promise_date,
                "promise_amount": sum(moves.mapped("amount_residual_signed")),
                "amount_due_at_call": sum(moves.mapped("amount_residual_signed")),
                "promise_state": "pending",
                "note": self.note,
            }
        )
        moves.sudo()._dunning_exclude("promise", self.promise_date, self.note)
        self.state = "accepted"

    def _apply_dispute(self, confirmed):
        """The invoices disputed are excluded, with the customer's reason."""
        reasons = dict(self._fields["dispute_reason"]._description_selection(self.env))
        reason = " - ".join(filter(None, [reasons.get(self.dispute_reason), self.note]))
        moves = self._open_moves()
        moves.sudo()._dunning_exclude("dispute", note=reason[:250])
        moves.sudo()._message_log_batch(
            bodies=dict.fromkeys(
                moves.ids,
                Markup("<p>%s</p>")
                % self.env._("The customer disputes this invoice: %(reason)s", reason=reason),
            )
        )
        self.state = "accepted"
        self._ask_the_responsible(self.env._("Invoice disputed by the customer"))

    def _apply_question(self, confirmed):
        self.state = "to_review"
        self._ask_the_responsible(self.env._("The customer asks a question"))

    def _ask_the_responsible(self, summary):
        """One activity for the company's dunning responsible."""
        user = self.company_id._get_dunning_responsible(self.partner_id)
        if not user:
            return
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            summary=summary,
            note=self._describe(),
            user_id=user.id,
        )

    @api.model
    def _follow_up_answers(self, company):
        """Answers whose invoices are all paid are done (the daily run)."""
        accepted = self.sudo().search(
            [("company_id", "=", company.id), ("state", "in", ("accepted", "to_review"))]
        )
        paid = accepted.filtered(lambda a: a.move_ids and not a._open_moves())
        paid.write({"state": "done"})
        paid.activity_ids.action_feedback(feedback=self.env._("The invoices are paid."))
        return paid
