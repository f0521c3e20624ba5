from odoo import api, fields, models

CALL_OUTCOMES = [
    ("reached", "Reached"),
    ("promise", "Promise to pay"),
    ("dispute", "Dispute"),
    ("wrong_contact", "Wrong contact"),
    ("voicemail", "Voicemail"),
]


class AccountDunningCall(models.Model):
    """A collector's phone call and what came of it.

    A promise to pay excludes the invoices until its date; the daily run
    then marks it kept (what was owed went down by the promised amount) or
    broken, which raises the customer's priority in the worklist.
    """

    _name = "account.dunning.call"
    _description = "Dunning Phone Call"
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", "Collector", default=lambda self: self.env.user)
    date = fields.Date(required=True, default=fields.Date.context_today)
    channel = fields.Selection(
        [("phone", "Phone call"), ("answer", "Customer's answer")],
        default="phone",
        required=True,
        help="How the customer made it: on the phone, or answering a reminder.",
    )
    outcome = fields.Selection(CALL_OUTCOMES, required=True)
    move_ids = fields.Many2many("account.move", string="Invoices", check_company=True)
    promise_date = fields.Date("Promised for")
    promise_amount = fields.Monetary("Promised amount")
    amount_due_at_call = fields.Monetary(
        "Due when called", help="What the invoices still owed at the call."
    )
    promise_state = fields.Selection(
        [("pending", "Pending"), ("kept", "Kept"), ("broken", "Broken")],
        index=True,
        readonly=True,
    )
    note = fields.Text()

    @api.model
    def _check_promises(self, company, today):
        """Promises whose day has passed become kept or broken."""
        due = self.search(
            [
                ("company_id", "=", company.id),
                ("outcome", "=", "promise"),
                ("promise_state", "=", "pending"),
                ("promise_date", "<", today),
            ]
        )
        for call in due:
            still_due = sum(call.move_ids.mapped("amount_residual_signed"))
            kept = still_due <= call.amount_due_at_call - call.promise_amount + 0.005
            call.promise_state = "kept" if kept else "broken"
        return due
