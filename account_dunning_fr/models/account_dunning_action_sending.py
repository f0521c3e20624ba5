import logging
import re
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..core import balance
from ..tools.bulk import flush_fields
from . import dunning_email_layout as email_layout
from . import dunning_letters, dunning_mail_queue
from .account_move import NEW_PORTAL_TOKEN
from .dunning_formats import BatchFormats
from .dunning_proof import writing_proof

_logger = logging.getLogger(__name__)

# A mail template body that only calls a QWeb view: <t t-call="xmlid"/>,
# as the HTML editor may store it (with or without a wrapping <div>).
BODY_VIEW_CALL = re.compile(r'(?:<div>)?\s*<t t-call="([\w.]+)"\s*(?:/>|>\s*</t>)\s*(?:</div>)?')


class AccountDunningActionSending(models.AbstractModel):
    """The sending pipeline of reminders, the only writer of their proof.

    Check again what is owed (under lock), check each channel can reach the
    customer, queue every channel, then mark the reminder sent, record the
    levels reached on the instalments and log it. One reminder's failure is
    recorded on it and never stops the others.
    """

    _name = "account.dunning.action.sending"
    _description = "Sending of dunning reminders"

    # ------------------------------------------------------------------
    # States: written here only
    # ------------------------------------------------------------------

    def _set_state(self, state, **values):
        """Every change of state but "sent" (``_mark_sent``); never on a sent one."""
        if state == "sent" or any(action.state == "sent" for action in self):
            raise UserError(self.env._("A sent reminder keeps its status."))
        defaults = {"error_message": False, "cancel_reason": False, "hold_reason": False}
        with writing_proof():
            self.write({**defaults, **values, "state": state})

    def _mark_failed(self, error):
        self._set_state("failed", error_message=error)
        _logger.info("Dunning actions %s failed: %s", self.ids, error)

    def _mark_sent(self):
        with writing_proof():
            self.write(
                {
                    "state": "sent",
                    "date_sent": fields.Date.context_today(self),
                    "sent_date": fields.Datetime.now(),
                    "sent_uid": self.env.uid,
                    "error_message": False,
                    "hold_reason": False,
                    "letter_pending": False,
                }
            )
        # Handed over to litigation: the customer's court file, if none is open.
        self.env["account.dunning.litigation.file"]._open_for_litigation_actions(self)

    def _hold(self, reason):
        """Prepared, not sent: an accountant decides (e.g. bank statements late)."""
        with writing_proof():
            self.write({"hold_reason": reason})

    # ------------------------------------------------------------------
    # Checking again what is owed
    # ------------------------------------------------------------------

    def _send_now(self):
        """Lock the invoices, read what is owed again, then send."""
        self._lock_invoices()
        self._refresh_claims()
        self.filtered(lambda a: a.state != "cancelled")._send_checked()

    def _send_checked(self):
        """Send reminders whose claim was checked under lock in this
        transaction (by ``_send_now``, or by the run that just made them)."""
        return self._fail_unreachable()._deliver()

    def _lock_invoices(self):
        """Lock the invoices so that a payment cannot slip in while sending."""
        move_ids = tuple(self.line_ids.move_id.ids)
        if move_ids:
            self.env.execute_query(
                SQL("SELECT id FROM account_move WHERE id IN %s ORDER BY id FOR UPDATE", move_ids)
            )

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
            rows_by_partner = defaultdict(list)
            for row in rows:
                rows_by_partner[row.partner_id].append(row)
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

    # ------------------------------------------------------------------
    # Can each channel reach the customer?
    # ------------------------------------------------------------------

    def _fail_unreachable(self):
        """Mark failed the actions whose channels cannot reach the customer."""
        failed = self.browse()
        for action in self:
            errors = action._get_unreachable_reasons()
            if errors:
                action._mark_failed("\n".join(errors))
                failed |= action
        return self - failed

    def _get_unreachable_reasons(self):
        """Why this reminder cannot go out (a channel bridge adds its own)."""
        self.ensure_one()
        errors = []
        if self.send_email and not self._get_reminder_recipients():
            errors.append(
                self.env._("The customer has no email address (nor its invoicing contacts).")
            )
        if self.send_email and not self.level_id.mail_template_id:
            errors.append(self.env._("The level %s has no email template.", self.level_id.name))
        commercial = self.partner_id.commercial_partner_id
        if self.send_letter and not (commercial.street and (commercial.city or commercial.zip)):
            errors.append(self.env._("The customer has no postal address for the letter."))
        if self.create_activity and not self._get_call_user():
            errors.append(
                self.env._(
                    "Nobody to call the customer: choose a dunning responsible in the "
                    "Accounting settings."
                )
            )
        return errors

    def _get_reminder_recipients(self):
        """Who the email goes to: the invoices' own contacts (their invoice
        addresses) when they have an email, else the customer's invoicing
        contact, else the customer."""
        self.ensure_one()
        commercial = self.partner_id.commercial_partner_id
        contacts = self._get_invoice_lines().move_id.partner_id.filtered(
            lambda p: p != commercial and p.email and p.commercial_partner_id == commercial
        )
        if contacts:
            return contacts
        billing = commercial.child_ids.filtered(
            lambda c: c.type == "invoice" and c.email and c.active
        )[:1]
        return billing or commercial.filtered("email")

    def _get_mail_recipient_id(self):
        """The template's partner_to: the recipients' ids, comma separated."""
        self.ensure_one()
        return ",".join(str(pid) for pid in self._get_reminder_recipients().ids)

    def _get_salesperson_emails(self):
        """A copy for the salesperson, when the company asks for it."""
        self.ensure_one()
        if not self.company_id.dunning_cc_salesperson:
            return []
        users = self.partner_id.commercial_partner_id.user_id
        users |= self._get_invoice_lines().move_id.invoice_user_id
        return [user.email for user in users if user.email]

    def _get_call_user(self):
        self.ensure_one()
        return self.level_id.activity_user_id or self.company_id._get_dunning_responsible(
            self.partner_id
        )

    # ------------------------------------------------------------------
    # Delivering
    # ------------------------------------------------------------------

    def _deliver(self):
        """Queue every channel of ready actions and mark them sent.

        Tried for the whole set in one savepoint; when it fails (a template
        error, a bad address), retried action by action so that only the
        faulty ones are marked failed, with the reason, and the rest go out.
        """
        if not self:
            return self
        try:
            with self.env.cr.savepoint():
                self._deliver_batch()
            return self
        except Exception as error:  # noqa: BLE001 - isolated below, reason kept on the action
            if len(self) == 1:
                self._mark_failed(self.env._("The reminder could not be sent: %s", error))
                return self.browse()
        delivered = self.browse()
        for action in self:
            delivered |= action._deliver()
        return delivered

    def _deliver_batch(self):
        # The summary goes in the email's chatter message, the call activity
        # and the customer's note: formatted once (0.3 ms a reminder).
        formats = BatchFormats(self.env)
        summaries = {action.id: action._get_summary_html(formats) for action in self}
        # The invoices' levels first: the same statement gives them the portal
        # token the emails link to, one new version of each invoice row rather
        # than two (0.3 s of a 2,000-customer night, measured). All of it is
        # undone with the batch if sending fails.
        self._update_invoices()
        self._queue_emails(summaries)
        self._deliver_channels()
        self._create_call_activities(summaries)
        self._mark_sent()
        # A written claim restarts the prescription of public debtors: once
        # the reminders carry the day they were sent.
        self.line_ids.move_id._dunning_claims_sent()
        with_letter = self.filtered("send_letter")
        if self.env.context.get("dunning_defer_letters"):
            with writing_proof():
                with_letter.write({"letter_pending": True})
        else:
            with_letter._generate_letters()
        self._log_in_chatters(summaries)

    def _deliver_channels(self):
        """Queue the channels a bridge add-on brings (SMS)."""
        return True

    def _ensure_portal_tokens(self):
        """Give the reminded invoices their portal token in one statement.

        The templates link each invoice to its portal page; get_portal_url()
        would otherwise write the token invoice by invoice through
        account.move.write(), the slowest write there is.
        """
        invoices = self.line_ids.move_id.filtered(lambda move: move.move_type == "out_invoice")
        moves = invoices.filtered(lambda move: not move.access_token)
        if moves:
            self.env.execute_query(
                SQL(
                    "UPDATE account_move SET access_token = %s "
                    "WHERE id IN %s AND access_token IS NULL %s",
                    NEW_PORTAL_TOKEN,
                    tuple(moves.ids),
                    flush_fields(self.env["account.move"], "access_token"),
                )
            )
            moves.invalidate_recordset(["access_token"])
        # Read them all at once: the templates read them reminder by
        # reminder, one query each otherwise (measured: 500 a batch), and the
        # portal paths computed once, not once per reminder.
        invoices.mapped("access_token")
        invoices.mapped("access_url")

    def _queue_emails(self, summaries=None):
        """Queue the reminders' emails; ``summaries`` ({action id: HTML}),
        when given, are their chatter messages."""
        with_email = self.filtered("send_email")
        with_email._ensure_portal_tokens()
        with_email._ensure_tracking_tokens()
        for template, actions in with_email.grouped(lambda a: a.level_id.mail_template_id).items():
            view = self._get_body_view(template)
            if view:
                mails = actions._queue_emails_with_view(template.sudo(), view, summaries)
            else:
                mails = template.sudo().send_mail_batch(actions.ids, force_send=False)
            mail_by_action = {mail.res_id: mail for mail in mails}
            for action in actions:
                mail = mail_by_action.get(action.id)
                copies = action._get_salesperson_emails()
                if mail and copies:
                    mail.email_cc = ", ".join(filter(None, [mail.email_cc, *copies]))
                with writing_proof():
                    action.write(
                        {
                            "mail_id": mail.id if mail else False,
                            "email_to": mail
                            and ", ".join(
                                mail.recipient_ids.mapped("email") or [mail.email_to or ""]
                            ),
                        }
                    )

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

    def _queue_emails_with_view(self, template, view, summaries=None):
        """What send_mail_batch does, rendering the body from its view."""
        fields_to_render = ("email_from", "email_cc", "email_to", "partner_to", "reply_to")
        fields_to_render += ("mail_server_id", "scheduled_date", "subject", "attachment_ids")
        values = template._generate_template(self.ids, fields_to_render)
        render = self.env["mail.render.mixin"].sudo()
        bodies, langs = {}, {}
        links = {
            "dunning_portal_urls": self._get_invoice_lines().move_id._dunning_portal_urls(),
            "dunning_tracking": self._get_emails_tracking(),
        }
        for lang, (_template, res_ids) in template._classify_per_lang(self.ids).items():
            render_lang = render.with_context(lang=lang)
            bodies.update(
                render_lang._render_template(
                    view.id,
                    self._name,
                    res_ids,
                    engine="qweb_view",
                    add_context={**BatchFormats(render_lang.env).render_context(), **links},
                )
            )
            langs.update(dict.fromkeys(res_ids, lang))
        if template.email_layout_xmlid:
            bodies = self._wrap_in_layout(template.email_layout_xmlid, bodies, langs)
        vals_list, formats = [], BatchFormats(self.env)
        summaries = summaries or {}
        for action in self:
            action_values = values[action.id]
            vals_list.append(
                {
                    "subject": action_values.get("subject"),
                    # The email as sent stays whole on the mail (body_html,
                    # the proof); its chatter message carries the summary,
                    # sparing the HTML sanitizer a 10 kB body per customer.
                    "body_html": bodies[action.id],
                    "body": summaries.get(action.id) or action._get_summary_html(formats),
                    "email_from": action_values.get("email_from") or None,
                    "email_cc": action_values.get("email_cc"),
                    "email_to": action_values.get("email_to"),
                    "reply_to": action_values.get("reply_to"),
                    "mail_server_id": action_values.get("mail_server_id"),
                    "scheduled_date": action_values.get("scheduled_date"),
                    "recipient_ids": [
                        Command.link(pid) for pid in action_values.get("partner_ids", [])
                    ],
                    "attachment_ids": [
                        Command.link(aid) for aid in action_values.get("attachment_ids", [])
                    ],
                    "model": self._name,
                    "res_id": action.id,
                    "auto_delete": template.auto_delete,
                }
            )
        return dunning_mail_queue.create_mails(self.env["mail.mail"].sudo(), vals_list)

    def _wrap_in_layout(self, layout_xmlid, bodies, langs):
        """Each body in the company's email layout, as send_mail_batch does,
        rendered once per company and language (dunning_email_layout.py)."""
        frames, wrapped = {}, {}
        # The title in the customer's language: level name and date, named
        # a language at a time (an environment per reminder else).
        names = {}
        for lang, actions in self.grouped(lambda a: langs.get(a.id) or self.env.lang).items():
            names.update((a.id, a.display_name) for a in actions.with_context(lang=lang))
        for action in self:
            key = (action.company_id, langs.get(action.id))
            if key not in frames:
                frames[key] = email_layout.render_frame(self.env, layout_xmlid, *key, self._name)
            frame, body, name = frames[key], bodies[action.id], names[action.id]
            if frame:
                wrapped[action.id] = frame.wrap(body, name, email_layout.preview_of(body))
            else:
                wrapped[action.id] = (
                    email_layout.render_layout(self.env, layout_xmlid, *key, self._name, body, name)
                    or body
                )
        return wrapped

    def _create_call_activities(self, summaries=None):
        actions = self.filtered("create_activity")
        if not actions:
            return
        summaries = summaries or {}
        model_id = self.env["ir.model"]._get_id("res.partner")
        today = fields.Date.context_today(self)
        vals_list = []
        for action in actions:
            level = action.level_id
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": action.partner_id.id,
                    "activity_type_id": level.activity_type_id.id
                    or self.env.ref("mail.mail_activity_data_call").id,
                    "summary": self.env._("Dunning: %(level)s", level=level.name),
                    "note": summaries.get(action.id) or action._get_summary_html(),
                    "user_id": action._get_call_user().id,
                    "date_deadline": today,
                }
            )
        self.env["mail.activity"].sudo().create(vals_list)

    # ------------------------------------------------------------------
    # Letters: one failure is recorded, never fatal
    # ------------------------------------------------------------------

    def _generate_letters(self):
        """Render each action's letter and attach it; a letter that fails to
        render is recorded on its reminder (the email went out) and the
        others go on."""
        report = self.env.ref("account_dunning_fr.action_report_dunning_letter")
        rendered = dunning_letters.render_together(self, report)
        failed = self.browse()
        for action in self:
            try:
                with self.env.cr.savepoint():
                    content = rendered.get(action.id)
                    if content is None:
                        content, _type = report._render_qweb_pdf(report.report_name, action.ids)
                    attachment = (
                        self.env["ir.attachment"]
                        .sudo()
                        .create(
                            {
                                "name": self.env._("Reminder %(partner)s %(date)s.pdf")
                                % {
                                    "partner": action.partner_id.display_name,
                                    "date": action.date_sent or action.date,
                                },
                                "raw": content,
                                "res_model": action._name,
                                "res_id": action.id,
                                "mimetype": "application/pdf",
                            }
                        )
                    )
                    with writing_proof():
                        action.write(
                            {
                                "letter_attachment_id": attachment.id,
                                "letter_pending": False,
                                "letter_error": False,
                            }
                        )
            except Exception as error:  # noqa: BLE001 - recorded on the reminder
                _logger.warning("Dunning letter of action %s failed: %s", action.id, error)
                with writing_proof():
                    action.write(
                        {
                            "letter_pending": False,
                            "letter_error": self.env._("The letter could not be made: %s", error),
                        }
                    )
                failed |= action
        return failed

    def action_retry_letter(self):
        """Make again a letter that failed to render."""
        self.filtered(lambda a: a.state == "sent" and a.letter_error)._generate_letters()
        return True

    # ------------------------------------------------------------------
    # After sending: levels of the instalments
    # ------------------------------------------------------------------

    def _update_invoices(self):
        """Record on each instalment the level it reaches and the day it is
        sent (today), never going back to an older level (an old reminder
        sent late), and on each invoice the highest level of its instalments
        and its portal token."""
        sent_on = fields.Date.context_today(self)
        escalated = self.line_ids.filtered(
            lambda line: (
                line.escalated
                and not line.dropped
                and line.line_type == "invoice"
                and line.move_line_id
            )
        )
        if not escalated:
            return
        updates = defaultdict(list)
        for line in escalated:
            aml = line.move_line_id
            current = aml.dunning_level_id
            if current and current._to_core().rank >= line.level_id._to_core().rank:
                continue
            if aml.dunning_last_date and aml.dunning_last_date > sent_on:
                continue
            updates[(line.level_id.id, sent_on)].append(aml.id)
        # Plain dunning fields: account.move(.line).write() would re-check
        # and re-sync the whole accounting entry for nothing, at 5 ms a move.
        AML = self.env["account.move.line"]
        for (level_id, sent_on), aml_ids in updates.items():
            self.env.execute_query(
                SQL(
                    "UPDATE account_move_line SET dunning_level_id = %s, dunning_last_date = %s "
                    "WHERE id IN %s %s",
                    level_id,
                    sent_on,
                    tuple(aml_ids),
                    flush_fields(AML, "dunning_level_id", "dunning_last_date"),
                )
            )
        amls = AML.browse([aml_id for ids in updates.values() for aml_id in ids])
        amls.invalidate_recordset(["dunning_level_id", "dunning_last_date"])
        amls.modified(["dunning_level_id", "dunning_last_date"])
        amls.move_id._dunning_sync_level_from_lines(portal_tokens=True)
