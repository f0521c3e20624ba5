from datetime import timedelta
from decimal import Decimal

from odoo import fields, http
from odoo.http import request
from odoo.tools.mimetypes import guess_mimetype

from ..models.answer.account_dunning_answer import DISPUTE_REASONS
from .form_input import FormError, FormReader

# A proof of payment or of a dispute: a PDF or a picture, 10 MB at most.
MAX_FILE_BYTES = 10 * 1024 * 1024
FILE_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp")
# A promise beyond a year is no promise to pay.
MAX_PROMISE_DAYS = 365
ANSWER_KINDS = ("paid", "promise", "dispute")


class DunningAnswerController(http.Controller):
    """The customer's answer to a reminder, without an account: the page of
    its link, and the same URL as an API (POST the fields ``kind``,
    ``move_ids``, ``paid_date``, ``paid_amount``, ``payment_reference``,
    ``promise_date``, ``dispute_reason``, ``note``, ``attachment``, with
    the CSRF token of Odoo's website forms). Bad input gets the page back
    with the reason, in the customer's language; nothing is created."""

    @http.route(
        "/dunning/answer/<int:action_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
    )
    def dunning_answer(self, action_id, token, **kw):
        action, why = request.env["account.dunning.action"]._get_answerable_action(action_id, token)
        if action.partner_id.lang:
            request.update_context(lang=action.partner_id.lang)
        if why:
            return self._render(action, status=404 if why == "unknown" else 410, why=why)
        if request.httprequest.method == "GET":
            return self._render(action, answered=kw.get("answered") == "1")
        try:
            values, files = self._read_answer(action)
        except FormError as error:
            return self._render(action, status=400, error=str(error), posted=kw)
        request.env["account.dunning.answer"].sudo()._record_answer(action, values, files)
        return request.redirect("/dunning/answer/%s/%s?answered=1" % (action.id, token), local=True)

    # ------------------------------------------------------------------
    # Reading the form
    # ------------------------------------------------------------------

    def _open_invoices(self, action):
        """The reminder's invoices still to be paid."""
        return action._get_invoice_lines().move_id.filtered("dunning_open")

    def _read_answer(self, action):
        """(answer values, files) of the form, or FormError."""
        _ = request.env._
        form = FormReader(request.env, request.httprequest.form)
        kind = form.form.get("kind")
        if kind not in ANSWER_KINDS:
            raise FormError(_("Choose your answer: already paid, will pay on a day, or dispute."))
        invoices = self._chosen_invoices(action, form)
        values = {"kind": kind, "move_ids": invoices.ids, "source": "portal"}
        values["note"] = form.text("note", _("Your message"))
        read = getattr(self, "_read_%s" % kind)
        values.update(read(form, invoices))
        return values, self._read_files()

    def _chosen_invoices(self, action, form):
        """The invoices named (all the reminder's open ones when none are)."""
        open_invoices = self._open_invoices(action)
        ids = set(form.ids(["move_ids"]))
        if not ids:
            return open_invoices
        chosen = open_invoices.filtered(lambda move: move.id in ids)
        if len(chosen) != len(ids):
            raise FormError(
                request.env._(
                    "One of the invoices chosen is not an unpaid invoice of this reminder."
                )
            )
        return chosen

    def _read_paid(self, form, invoices):
        _ = request.env._
        today = fields.Date.context_today(request.env.user)
        due = Decimal(str(sum(invoices.mapped("amount_residual"))))
        amount = form.amount("paid_amount", _("Amount paid"), required=False, maximum=due)
        return {
            "paid_date": form.date(
                "paid_date", _("Paid on"), earliest=today - timedelta(days=365), latest=today
            ),
            "paid_amount": float(amount if amount is not None else due),
            "payment_reference": form.text("payment_reference", _("Payment reference"), 100),
        }

    def _read_promise(self, form, invoices):
        _ = request.env._
        today = fields.Date.context_today(request.env.user)
        latest = today + timedelta(days=MAX_PROMISE_DAYS)
        day = form.date("promise_date", _("Will pay on"), earliest=today, latest=latest)
        return {"promise_date": day}

    def _read_dispute(self, form, invoices):
        reason = form.form.get("dispute_reason")
        if reason not in dict(DISPUTE_REASONS):
            raise FormError(request.env._("Say why you dispute the invoices."))
        return {"dispute_reason": reason}

    def _read_files(self):
        """[(name, content, mimetype)] of the file given, checked."""
        upload = request.httprequest.files.get("attachment")
        if not upload or not upload.filename:
            return []
        content = upload.read(MAX_FILE_BYTES + 1)
        if len(content) > MAX_FILE_BYTES:
            raise FormError(request.env._("The file is too large (10 MB at most)."))
        mimetype = guess_mimetype(content)
        if mimetype not in FILE_TYPES:
            raise FormError(request.env._("Send a PDF or a picture (PNG, JPEG)."))
        return [(upload.filename[:200], content, mimetype)]

    # ------------------------------------------------------------------
    # The page
    # ------------------------------------------------------------------

    def _render(self, action, status=200, **values):
        invoices = self._open_invoices(action) if action else request.env["account.move"]
        return request.render(
            "account_dunning_fr.portal_dunning_answer",
            {
                "action": action,
                "company": action.company_id or request.env.company,
                "invoices": invoices,
                "net_due": sum(invoices.mapped("amount_residual")),
                "currency": invoices[:1].currency_id or action.currency_id,
                "reasons": request.env["account.dunning.answer"]
                ._fields["dispute_reason"]
                ._description_selection(request.env),
                "today": fields.Date.context_today(request.env.user),
                "posted": {},
                **values,
            },
            status=status,
        )
