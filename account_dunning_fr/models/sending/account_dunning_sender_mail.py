import logging
import re

from lxml import etree
from markupsafe import Markup, escape

from odoo import Command, api, models
from odoo.exceptions import UserError

from ...tools import bulk
from ...tools.formats import BatchFormats
from ...tools.prefetch import fetch_only
from . import dunning_email_layout as email_layout
from .ir_qweb import compiled_once

_logger = logging.getLogger(__name__)

# A mail template body that only calls a QWeb view: <t t-call="xmlid"/>,
# as the HTML editor may store it (with or without a wrapping <div>).
BODY_VIEW_CALL = re.compile(r'(?:<div>)?\s*<t t-call="([\w.]+)"\s*(?:/>|>\s*</t>)\s*(?:</div>)?')
# Where each body ends in a rendering of many (_render_view_in_one_loop):
# a comment no body prints (t-out escapes what records hold).
BODY_END = "<!--dunning-body-end-->"
# What send_mail_batch renders of a template besides its body.
RENDERED_FIELDS = (
    "email_from",
    "email_cc",
    "email_to",
    "partner_to",
    "reply_to",
    "mail_server_id",
    "scheduled_date",
    "subject",
    "attachment_ids",
)
# The default templates' sender and recipients (data/mail_template_data.xml),
# worked out for the whole batch (_template_values) rather than evaluated
# reminder by reminder: safe_eval compiles each expression again, 0.3 s of a
# night's 1,738 emails.
DEFAULT_EMAIL_FROM = "{{ (object.company_id.email_formatted or user.email_formatted) }}"
DEFAULT_PARTNER_TO = "{{ object._get_mail_recipient_id() }}"


class AccountDunningSender(models.AbstractModel):
    """The emails of reminders, and what sending writes in the chatters."""

    _inherit = "account.dunning.sender"

    # ------------------------------------------------------------------
    # Emails
    # ------------------------------------------------------------------

    @api.model
    def _queue_emails(self, actions, summaries=None):
        """Queue the reminders' emails; ``summaries`` ({action id: HTML}),
        when given, are their chatter messages."""
        with_email = actions.filtered("send_email")
        bulk.ensure_portal_tokens(with_email._get_invoice_lines().move_id)
        with_email._ensure_tracking_tokens()
        self._read_portal_links(with_email)
        by_template = with_email.grouped(lambda a: a.level_id.mail_template_id)
        results = {}
        for template, group in by_template.items():
            view = self._get_body_view(template)
            if view:
                mails = self._queue_emails_with_view(group, template.sudo(), view, summaries)
                # In the order of their values, as create() returns them: the
                # mails' res_id read back was 0.1 s of a night (measured).
                mail_by_action = dict(zip(group.ids, mails, strict=True))
            else:
                mails = template.sudo().send_mail_batch(group.ids, force_send=False)
                mail_by_action = {mail.res_id: mail for mail in mails}
            for action in group:
                results[action.id] = self._mail_result(action, mail_by_action.get(action.id))
        with_email._write_mail_results(results)

    @api.model
    def _read_portal_links(self, actions):
        """The reminded invoices' portal tokens and paths read at once: the
        templates read them reminder by reminder, one query each otherwise
        (measured: 500 a batch)."""
        invoices = actions._get_invoice_lines().move_id
        fetch_only(invoices, ["access_token"])
        invoices.mapped("access_url")

    @api.model
    def _mail_result(self, action, mail):
        """(mail id, sent to) of the email queued for ``action`` (None, None
        without one), the salesperson's copy added to it."""
        if not mail:
            return None, None
        copies = action._get_salesperson_emails()
        if copies:
            mail.email_cc = ", ".join(filter(None, [mail.email_cc, *copies]))
        return mail.id, ", ".join(mail.recipient_ids.mapped("email") or [mail.email_to or ""])

    @api.model
    def _get_body_view(self, template):
        """The QWeb view a template's body only calls, if that is all it does.

        Odoo compiles an inline QWeb body again for every record (40 ms for a
        reminder, most of a nightly run); a view is compiled once per
        language. A body an accountant rewrote in the editor takes the
        standard path.
        """
        match = BODY_VIEW_CALL.fullmatch((template.body_html or "").strip())
        if not match:
            return False
        return self.env.ref(match.group(1), raise_if_not_found=False)

    @api.model
    def _queue_emails_with_view(self, actions, template, view, summaries=None):
        """What send_mail_batch does, rendering the body from its view."""
        values = self._template_values(actions, template)
        bodies, langs = self._render_bodies(actions, template, view)
        if template.email_layout_xmlid:
            bodies = self._wrap_in_layout(actions, template.email_layout_xmlid, bodies, langs)
        formats, summaries = BatchFormats(self.env), summaries or {}
        vals_list = [
            self._mail_values(
                action,
                values[action.id],
                bodies[action.id],
                summaries.get(action.id) or self._get_summary_html(action, formats),
                template.auto_delete,
            )
            for action in actions
        ]
        return bulk.create_mails(self.env["mail.mail"].sudo(), vals_list)

    @api.model
    def _template_values(self, actions, template):
        """{action id: values} of the template's RENDERED_FIELDS, as
        ``template._generate_template`` gives them (its ORM twin, taken with
        the system parameter ``account_dunning_fr.orm_writes``), the default
        sender and recipients worked out for the batch at once."""
        if bulk.orm_writes(self.env):
            return template._generate_template(actions.ids, RENDERED_FIELDS)
        # As Odoo evaluates them: on the records of the (sudo) template, its
        # ``user`` the current one.
        actions = actions.with_env(template.env)
        default_from = (template.email_from or "").strip() == DEFAULT_EMAIL_FROM
        default_to = (
            template.partner_to or ""
        ).strip() == DEFAULT_PARTNER_TO and not template.use_default_to
        skipped = {"email_from": default_from, "partner_to": default_to}
        values = template._generate_template(
            actions.ids, [name for name in RENDERED_FIELDS if not skipped.get(name)]
        )
        user_from = template.env.user.email_formatted
        for action in actions:
            action_values = values.setdefault(action.id, {})
            if default_from:
                action_values["email_from"] = action.company_id.email_formatted or user_from or ""
            if default_to:
                recipients = action._get_reminder_recipients().ids
                action_values.setdefault("partner_ids", []).extend(recipients)
        return values

    @api.model
    def _render_bodies(self, actions, template, view):
        """({action id: body}, {action id: language}) rendered from ``view``
        a language at a time."""
        render = self.env["mail.render.mixin"].sudo()
        bodies, langs = {}, {}
        links = {
            "dunning_portal_urls": actions._get_invoice_lines().move_id._dunning_portal_urls(),
            "dunning_tracking": actions._get_emails_tracking(),
        }
        for lang, (_template, res_ids) in template._classify_per_lang(actions.ids).items():
            render_lang = render.with_context(lang=lang)
            bodies.update(
                self._render_view(
                    render_lang,
                    view,
                    actions.browse(res_ids),
                    {**BatchFormats(render_lang.env).render_context(), **links},
                )
            )
            langs.update(dict.fromkeys(res_ids, lang))
        return bodies, langs

    @api.model
    def _render_view(self, render, view, records, add_context):
        """{record id: ``view`` rendered for it}, as mail.render.mixin's
        ``qweb_view`` engine renders it (its ORM twin, taken with the system
        parameter ``account_dunning_fr.orm_writes``), in one QWeb rendering:
        a loop that calls the view for each record, cut where each ends.
        Odoo's engine renders record by record, preparing the QWeb
        environment each time: 1.98 s for a night's 1,734 bodies, 1.45 s
        in one loop, the same bytes; the views it calls are looked up once
        per loop (ir_qweb.py)."""
        if not bulk.orm_writes(self.env):
            bodies = self._render_view_in_one_loop(render, view, records, add_context)
            if bodies is not None:
                return bodies
        return render._render_template(
            view.id, records._name, records.ids, engine="qweb_view", add_context=add_context
        )

    @api.model
    def _render_view_in_one_loop(self, render, view, records, add_context):
        """The bodies of ``_render_view``, or None when the output does not
        cut into one body per record (a view that prints the mark)."""
        loop = etree.fromstring(
            '<t t-foreach="dunning_records" t-as="object">'
            '<t t-call="%d"/><t t-out="dunning_body_end"/></t>' % view.id
        )
        variables = render._render_eval_context()
        variables.update(add_context, dunning_records=records, dunning_body_end=Markup(BODY_END))
        try:
            with compiled_once():
                html = render.env["ir.qweb"]._render(
                    loop, variables, minimal_qcontext=True, raise_if_not_found=False
                )
        except Exception as error:  # as mail.render.mixin reports it
            _logger.info("Failed to render template: %s", view.id, exc_info=True)
            raise UserError(
                self.env._("Failed to render template: %(view)s", view=view.display_name)
            ) from error
        bodies = str(html).split(BODY_END)
        if len(bodies) != len(records) + 1 or bodies[-1]:
            return None
        return {record.id: Markup(body) for record, body in zip(records, bodies[:-1], strict=True)}

    @api.model
    def _mail_values(self, action, values, body, summary, auto_delete):
        return {
            "subject": values.get("subject"),
            # The email as sent stays whole on the mail (body_html, the
            # proof); its chatter message carries the summary, sparing the
            # HTML sanitizer a 10 kB body per customer.
            "body_html": body,
            "body": summary,
            "email_from": values.get("email_from") or None,
            "email_cc": values.get("email_cc"),
            "email_to": values.get("email_to"),
            "reply_to": values.get("reply_to"),
            "mail_server_id": values.get("mail_server_id"),
            "scheduled_date": values.get("scheduled_date"),
            "recipient_ids": [Command.link(pid) for pid in values.get("partner_ids", [])],
            "attachment_ids": [Command.link(aid) for aid in values.get("attachment_ids", [])],
            "model": action._name,
            "res_id": action.id,
            "auto_delete": auto_delete,
        }

    @api.model
    def _wrap_in_layout(self, actions, layout_xmlid, bodies, langs):
        """Each body in the company's email layout, as send_mail_batch does,
        rendered once per company and language (dunning_email_layout.py)."""
        frames, wrapped = {}, {}
        # The title in the customer's language: level name and date, named
        # a language at a time (an environment per reminder else).
        names = {}
        for lang, group in actions.grouped(lambda a: langs.get(a.id) or self.env.lang).items():
            names.update((a.id, a.display_name) for a in group.with_context(lang=lang))
        for action in actions:
            key = (action.company_id, langs.get(action.id))
            if key not in frames:
                frames[key] = email_layout.render_frame(self.env, layout_xmlid, *key, action._name)
            frame, body, name = frames[key], bodies[action.id], names[action.id]
            if frame:
                wrapped[action.id] = frame.wrap(body, name, email_layout.preview_of(body))
            else:
                wrapped[action.id] = (
                    email_layout.render_layout(
                        self.env, layout_xmlid, *key, action._name, body, name
                    )
                    or body
                )
        return wrapped

    # ------------------------------------------------------------------
    # Chatters
    # ------------------------------------------------------------------

    @api.model
    def _get_summary_html(self, action, formats=None):
        """What ``action`` claimed, for chatters and activities. ``formats``
        (a BatchFormats) keeps the costly formatting across a batch."""
        formats = formats or BatchFormats(self.env)
        # Translated once per reminder, filled per line.
        due = self.env._("%(name)s due %(day)s: %(amount)s")
        credit = self.env._("%(name)s of %(day)s: %(amount)s")
        rows = [(due, line, line.date_maturity) for line in action._get_invoice_lines()]
        rows += [(credit, line, line.date) for line in action._get_credit_lines()]
        items = [
            label
            % {
                "name": line.name or line.move_id.name,
                "day": formats.date(day),
                "amount": formats.amount(line.amount_residual, line.currency_id),
            }
            for label, line, day in rows
        ]
        return Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._(
                "%(level)s (%(channels)s): %(amount)s due.",
                level=action.level_id.name,
                channels=", ".join(action.level_id._channel_labels()),
                amount=formats.amount(action.amount_due, action.currency_id),
            ),
            Markup("").join(Markup("<li>%s</li>") % text for text in items),
        )

    @api.model
    def _log_in_chatters(self, actions, summaries=None):
        """A note on the customer and on each invoice: what was sent, when
        (``summaries``: {action id: _get_summary_html()}, when already made)."""
        partner_bodies, move_bodies, formats = {}, {}, BatchFormats(self.env)
        summaries = summaries or {}
        for action in actions:
            summary = summaries.get(action.id) or self._get_summary_html(action, formats)
            partner_bodies[action.partner_id.id] = (
                partner_bodies.get(action.partner_id.id, Markup("")) + summary
            )
            note = Markup("<p>%s</p>") % self.env._(
                "Reminder sent: %(level)s (%(channels)s), reminder %(ref)s.",
                level=action.level_id.name,
                channels=", ".join(action.level_id._channel_labels()),
                ref=escape(action.display_name),
            )
            for line in action._get_invoice_lines():
                move_bodies[line.move_id.id] = note
        bulk.log_notes(self.env, "res.partner", partner_bodies)
        bulk.log_notes(self.env, "account.move", move_bodies)
