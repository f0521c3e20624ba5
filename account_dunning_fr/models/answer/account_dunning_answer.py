import hashlib
import json

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

ANSWER_KINDS = [
    ("paid", "Already paid"),
    ("promise", "Will pay on"),
    ("dispute", "Dispute"),
    ("question", "Question"),
]
ANSWER_STATES = [
    ("new", "New"),
    ("accepted", "Accepted"),
    ("to_review", "To review"),
    ("done", "Done"),
    ("refused", "Refused"),
]
DISPUTE_REASONS = [
    ("not_conform", "Goods or service not conform"),
    ("not_received", "Not received"),
    ("wrong_amount", "Wrong amount or VAT"),
    ("already_credited", "Already credited"),
    ("other", "Other"),
]
# What makes two answers the same one (a double click, a reload).
FINGERPRINT_FIELDS = (
    "kind",
    "paid_date",
    "paid_amount",
    "payment_reference",
    "promise_date",
    "dispute_reason",
    "note",
)


class AccountDunningAnswer(models.Model):
    """A customer's answer to a reminder: paid, will pay on a day, disputes,
    or asks. It comes from the reminder's link (``source`` portal) or from a
    reply to its email (``source`` email, read by core/replies.py and
    confirmed by an accountant). Its effects on dunning (hold, promise,
    exclusion) are account_dunning_answer_effects.py's."""

    _name = "account.dunning.answer"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Customer's answer to a reminder"
    _order = "state_priority, create_date desc, id desc"
    _check_company_auto = True

    action_id = fields.Many2one(
        "account.dunning.action",
        "Reminder",
        required=True,
        index=True,
        readonly=True,
        ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(related="action_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, readonly=True, check_company=True
    )
    currency_id = fields.Many2one(related="action_id.currency_id")
    move_ids = fields.Many2many(
        "account.move", string="Invoices", readonly=True, check_company=True
    )
    kind = fields.Selection(ANSWER_KINDS, required=True, readonly=True, tracking=True)
    paid_date = fields.Date("Paid on", readonly=True)
    paid_amount = fields.Monetary("Amount paid", readonly=True)
    payment_reference = fields.Char(readonly=True)
    promise_date = fields.Date("Will pay on", readonly=True)
    dispute_reason = fields.Selection(DISPUTE_REASONS, readonly=True)
    note = fields.Text("Message", readonly=True)
    state = fields.Selection(
        ANSWER_STATES, default="new", required=True, readonly=True, index=True, tracking=True
    )
    state_priority = fields.Integer(compute="_compute_state_priority", store=True)
    source = fields.Selection(
        [("portal", "Reminder link"), ("email", "Reply by email")],
        required=True,
        readonly=True,
    )
    evidence = fields.Char(
        "Read from", readonly=True, help="What the reply said that made it read this way."
    )
    attachment_ids = fields.Many2many("ir.attachment", string="Files", readonly=True)
    fingerprint = fields.Char(readonly=True, copy=False)

    _sql_constraints = [
        (
            "fingerprint_unique",
            "unique(action_id, fingerprint)",
            "The customer already gave this answer.",
        ),
    ]

    @api.depends("state")
    def _compute_state_priority(self):
        """To review first, then new, then the rest."""
        order = {"to_review": 0, "new": 1, "accepted": 2}
        for answer in self:
            answer.state_priority = order.get(answer.state, 3)

    @api.depends("kind", "partner_id", "create_date")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for answer in self:
            answer.display_name = " - ".join(
                filter(None, [answer.partner_id.display_name, kinds.get(answer.kind)])
            )

    @api.constrains("paid_amount", "paid_date", "promise_date", "kind")
    def _check_values(self):
        for answer in self:
            if answer.paid_amount < 0:
                raise ValidationError(self.env._("An amount paid cannot be negative."))
            if answer.kind == "promise" and not answer.promise_date:
                raise ValidationError(self.env._("A promise to pay needs its date."))

    # ------------------------------------------------------------------
    # Making answers: the API of the routes and of the mail gateway
    # ------------------------------------------------------------------

    @api.model
    def _fingerprint(self, action, values):
        """The same answer twice (a double click, a reload) is one."""
        key = {name: str(values.get(name) or "") for name in FINGERPRINT_FIELDS}
        key["moves"] = sorted(values.get("move_ids") or [])
        digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()
        return "%s-%s" % (action.id, digest[:32])

    @api.model
    def _record_answer(self, action, values, files=()):
        """The answer ``values`` to ``action`` (fields of FINGERPRINT_FIELDS,
        ``move_ids``, ``source``, ``evidence``), with ``files`` [(name,
        bytes, mimetype)], made once: the same answer again returns the
        first. Its effects are applied (an email's wait for an accountant)."""
        fingerprint = self._fingerprint(action, values)
        Answer = self.sudo().with_company(action.company_id)
        existing = Answer.search([("action_id", "=", action.id), ("fingerprint", "=", fingerprint)])
        if existing:
            return existing
        move_ids = values.get("move_ids") or action._get_invoice_lines().move_id.ids
        answer = Answer.with_context(mail_create_nolog=True).create(
            {
                **{name: values.get(name) or False for name in FINGERPRINT_FIELDS},
                "action_id": action.id,
                "partner_id": action.partner_id.commercial_partner_id.id,
                "move_ids": [Command.set(move_ids)],
                "source": values.get("source", "portal"),
                "evidence": values.get("evidence") or False,
                "fingerprint": fingerprint,
            }
        )
        answer._attach_files(files)
        answer._log_on_customer()
        answer._apply_effects()
        return answer

    def _attach_files(self, files):
        self.ensure_one()
        if not files:
            return
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": name,
                        "raw": content,
                        "mimetype": mimetype,
                        "res_model": self._name,
                        "res_id": self.id,
                    }
                    for name, content, mimetype in files
                ]
            )
        )
        self.attachment_ids = [Command.set(attachments.ids)]

    def _log_on_customer(self):
        """A note on the customer's chatter: what it answered."""
        self.ensure_one()
        self.partner_id.sudo().message_post(
            body=self.env._(
                "Answer to the reminder %(reminder)s: %(answer)s",
                reminder=self.action_id.display_name,
                answer=self._describe(),
            ),
            subtype_xmlid="mail.mt_note",
            attachment_ids=self.attachment_ids.ids,
        )

    def _describe(self):
        """The answer in one sentence, in the reader's language."""
        self.ensure_one()
        _ = self.env._
        reasons = dict(self._fields["dispute_reason"]._description_selection(self.env))
        if self.kind == "paid":
            text = _("paid on %(date)s", date=self.paid_date or "?")
            if self.payment_reference:
                text = _("%(text)s, ref. %(ref)s", text=text, ref=self.payment_reference)
        elif self.kind == "promise":
            text = _("will pay on %(date)s", date=self.promise_date)
        elif self.kind == "dispute":
            text = _("disputes: %(reason)s", reason=reasons.get(self.dispute_reason) or "")
        else:
            text = _("a question")
        return "%s%s" % (text, " (%s)" % self.note if self.note else "")

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_confirm(self):
        """An accountant confirms an answer read from a reply, or a promise
        too far away: its effects apply now."""
        todo = self.filtered(lambda a: a.state in ("new", "to_review"))
        if not todo:
            raise UserError(self.env._("Only an answer to review can be confirmed."))
        for answer in todo:
            answer._apply_effects(confirmed=True)
        return True

    def action_refuse(self):
        self.filtered(lambda a: a.state in ("new", "to_review", "accepted")).write(
            {"state": "refused"}
        )
        return True

    def action_done(self):
        self.filtered(lambda a: a.state != "refused").write({"state": "done"})
        return True

    def action_open_reminder(self):
        self.ensure_one()
        return self.action_id.get_formview_action()
