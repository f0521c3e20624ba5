import base64
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import html2plaintext

from ...core import replies

# An answer link stays valid this long after the reminder was sent.
ANSWER_VALID_DAYS = 90
# 16 characters of base 32 (80 bits): short enough to type from a letter.
ANSWER_TOKEN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ANSWER_TOKEN_LENGTH = 16
# Headers of automatic replies (RFC 3834 and common practice), kept by the
# mail gateway for core/replies.py.
AUTO_REPLY_HEADERS = (
    "Auto-Submitted",
    "X-Autoreply",
    "X-Autorespond",
    "Precedence",
    "X-Auto-Response-Suppress",
)


def new_answer_token():
    """16 of the 32 symbols (80 bits), each from the low five bits of a
    random byte: uniform, as 256 is a multiple of 32. One read of the system's
    randomness per token, where secrets.choice made one per symbol (0.1 s of
    a night's 1,780 reminders)."""
    return "".join(
        ANSWER_TOKEN_ALPHABET[byte % len(ANSWER_TOKEN_ALPHABET)]
        for byte in secrets.token_bytes(ANSWER_TOKEN_LENGTH)
    )


class AccountDunningAction(models.Model):
    """A reminder the customer can answer: its link, and the replies to its
    email read as answers."""

    _inherit = "account.dunning.action"

    answer_token = fields.Char(
        readonly=True,
        copy=False,
        # Who has it may answer for the customer: read through no view.
        groups="base.group_system",
    )
    answer_ids = fields.One2many("account.dunning.answer", "action_id", "Answers", readonly=True)

    @api.model
    def _complete_new_reminder_values(self, vals_list):
        # Given in the INSERT, as the tracking token: no UPDATE of every
        # reminder of a night.
        vals_list = super()._complete_new_reminder_values(vals_list)
        for vals in vals_list:
            vals.setdefault("answer_token", new_answer_token())
        return vals_list

    # ------------------------------------------------------------------
    # The link, in the email and on the letter
    # ------------------------------------------------------------------

    def _get_answer_url(self, base_url=None):
        """The reminder's answer page, or False without a token."""
        self.ensure_one()
        token = self.sudo().answer_token
        if not token:
            return False
        return "%s/dunning/answer/%s/%s" % (base_url or self.get_base_url(), self.id, token)

    def _get_email_tracking(self, base_url=None):
        """The email's links with its answer page (``answer``), made with the
        server's address the batch read once: asked reminder by reminder,
        it took 1 % of a night's CPU."""
        links = super()._get_email_tracking(base_url)
        links["answer"] = self._get_answer_url(base_url)
        return links

    def _get_answer_qr_code(self):
        """The answer link as a QR code (a data URI), for the letter."""
        self.ensure_one()
        url = self._get_answer_url()
        if not url:
            return False
        png = self.env["ir.actions.report"].barcode("QR", url, width=160, height=160)
        return "data:image/png;base64,%s" % base64.b64encode(png).decode()

    # ------------------------------------------------------------------
    # The answer page's reminder
    # ------------------------------------------------------------------

    @api.model
    def _get_answerable_action(self, action_id, token):
        """(the reminder ``action_id`` as superuser, or an empty recordset,
        and why it cannot be answered: False, ``unknown``, ``expired`` or
        ``superseded``). A wrong token and an unknown id look alike."""
        action = self._get_sent_action_by_token(
            action_id, token, "answer_token", ANSWER_TOKEN_LENGTH
        )
        if not action:
            return action, "unknown"
        today = fields.Date.context_today(action)
        if action.date_sent + timedelta(days=ANSWER_VALID_DAYS) < today:
            return action, "expired"
        if action._get_later_reminder():
            return action, "superseded"
        return action, False

    def _get_later_reminder(self):
        """A reminder sent to the customer after this one: it speaks for the
        claim now."""
        self.ensure_one()
        return self.search(
            [
                *self._other_sent_reminders_domain(),
                "|",
                ("date_sent", ">", self.date_sent),
                "&",
                ("date_sent", "=", self.date_sent),
                ("id", ">", self.id),
            ],
            limit=1,
        )

    # ------------------------------------------------------------------
    # Replies to the reminder's email
    # ------------------------------------------------------------------

    def message_update(self, msg_dict, update_vals=None):
        """A reply to the reminder reached Odoo (In-Reply-To): read it
        (core/replies.py) and keep it as an answer to review; an automatic
        reply makes nothing."""
        result = super().message_update(msg_dict, update_vals=update_vals)
        for action in self.filtered(lambda a: a.state == "sent"):
            action._read_reply(msg_dict)
        return result

    def _read_reply(self, msg_dict):
        self.ensure_one()
        today = fields.Date.context_today(self)
        reply = replies.classify(
            msg_dict.get("subject") or "",
            html2plaintext(msg_dict.get("body") or ""),
            self.env.context.get("dunning_reply_headers") or {},
            today,
        )
        if reply is None:
            return self.env["account.dunning.answer"]
        values = {
            "kind": reply.kind,
            "source": "email",
            "note": html2plaintext(msg_dict.get("body") or "")[:2000],
            "evidence": "; ".join(reply.evidence)[:250] or False,
        }
        if reply.kind == "paid":
            values.update(
                paid_date=reply.date or today,
                paid_amount=float(reply.amount) if reply.amount else False,
                payment_reference=reply.reference,
            )
        elif reply.kind == "promise" and reply.date:
            values["promise_date"] = reply.date
        elif reply.kind == "promise":
            values["kind"] = "question"
        elif reply.kind == "dispute":
            values["dispute_reason"] = reply.dispute_reason
        files = [
            (att.fname, att.content, att.info.get("content_type") or "application/octet-stream")
            for att in msg_dict.get("attachments") or []
            if hasattr(att, "fname")
        ]
        return self.env["account.dunning.answer"]._record_answer(self, values, files)


class MailThread(models.AbstractModel):
    """The headers that tell an automatic reply, which Odoo's parser drops,
    handed to the record the email goes to in the context (a key of the
    parsed message would reach message_post): core/replies.py reads them."""

    _inherit = "mail.thread"

    @api.model
    def _message_route_process(self, message, message_dict, routes):
        headers = {name: message.get(name) for name in AUTO_REPLY_HEADERS if message.get(name)}
        return super(
            MailThread, self.with_context(dunning_reply_headers=headers)
        )._message_route_process(message, message_dict, routes)
