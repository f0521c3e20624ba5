import logging
import re

from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount, format_date

_logger = logging.getLogger(__name__)

# A mail template body that only calls a QWeb view: <t t-call="xmlid"/>,
# as the HTML editor may store it (with or without a wrapping <div>).
BODY_VIEW_CALL = re.compile(r'(?:<div>)?\s*<t t-call="([\w.]+)"\s*(?:/>|>\s*</t>)\s*(?:</div>)?')

# Fields an accountant may still touch once the reminder is sent: the action
# is the proof of what the customer received, the rest is frozen.
WRITABLE_WHEN_SENT = {
    "registered_letter_number",
    "receipt_date",
    "letter_attachment_id",
    "letter_pending",
    "mail_id",
    "activity_ids",
    "message_ids",
    "message_follower_ids",
    "message_main_attachment_id",
    "website_message_ids",
}


class AccountDunningAction(models.Model):
    _name = "account.dunning.action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Dunning Action"
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, readonly=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda s: s.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    run_id = fields.Many2one("account.dunning.run", "Run", index=True, readonly=True)
    level_id = fields.Many2one(
        "account.dunning.level", required=True, ondelete="restrict", readonly=True, tracking=True
    )
    policy_id = fields.Many2one(related="level_id.policy_id", store=True)
    date = fields.Date(required=True, index=True, readonly=True, default=fields.Date.context_today)
    send_email = fields.Boolean("Email", readonly=True)
    send_letter = fields.Boolean("Letter", readonly=True)
    send_sms = fields.Boolean("SMS", readonly=True)
    create_activity = fields.Boolean("Phone call", readonly=True)
    automatic = fields.Boolean(readonly=True)
    formal_notice = fields.Boolean(related="level_id.formal_notice", store=True)
    litigation = fields.Boolean(related="level_id.litigation", store=True)
    line_ids = fields.One2many(
        "account.dunning.action.line", "action_id", "Invoices", readonly=True
    )
    amount_due = fields.Monetary(compute="_compute_amounts", store=True)
    amount_penalties = fields.Monetary("Penalties to date", compute="_compute_amounts", store=True)
    amount_indemnities = fields.Monetary(
        "Recovery indemnities", compute="_compute_amounts", store=True
    )
    amount_claimed = fields.Monetary("Total claimed", compute="_compute_amounts", store=True)
    penalty_warning = fields.Char(
        compute="_compute_penalty_warning",
        help="Why penalties are not computed (a missing rate), in the reader's language.",
    )
    registered_letter_number = fields.Char(
        "Registered letter number", tracking=True, help="Numéro de lettre recommandée."
    )
    receipt_date = fields.Date(
        "Acknowledgement of receipt",
        tracking=True,
        help="Date on the acknowledgement of receipt of the formal notice; for "
        "consumers, interest runs from it (C. civ. 1231-6, 1344-1).",
    )
    invoice_count = fields.Integer(compute="_compute_amounts", store=True)
    state = fields.Selection(
        [
            ("to_review", "To review"),
            ("sent", "Sent"),
            ("cancelled", "Cancelled"),
            ("failed", "Failed"),
        ],
        default="to_review",
        required=True,
        index=True,
        readonly=True,
        tracking=True,
    )
    email_to = fields.Char("Sent to", readonly=True)
    mail_id = fields.Many2one("mail.mail", "Queued email", readonly=True, ondelete="set null")
    letter_attachment_id = fields.Many2one(
        "ir.attachment", "Letter file", readonly=True, ondelete="set null"
    )
    letter_pending = fields.Boolean(readonly=True, index="btree_not_null")
    sms_text = fields.Text("SMS sent", readonly=True)
    error_message = fields.Text("Error", readonly=True)
    cancel_reason = fields.Char(readonly=True)
    sent_date = fields.Datetime(readonly=True)
    sent_uid = fields.Many2one("res.users", "Sent by", readonly=True)

    _sql_constraints = [
        (
            "partner_date_unique",
            "unique(company_id, partner_id, date)",
            "A customer gets at most one reminder a day.",
        ),
    ]

    @api.depends(
        "line_ids.amount_residual_company",
        "line_ids.dropped",
        "line_ids.late_penalty_amount",
        "line_ids.recovery_indemnity_amount",
    )
    def _compute_amounts(self):
        for action in self:
            kept = action.line_ids.filtered(lambda line: not line.dropped)
            action.amount_due = sum(kept.mapped("amount_residual_company"))
            action.amount_penalties = sum(kept.mapped("late_penalty_amount"))
            action.amount_indemnities = sum(kept.mapped("recovery_indemnity_amount"))
            action.amount_claimed = (
                action.amount_due + action.amount_penalties + action.amount_indemnities
            )
            action.invoice_count = len(kept)

    @api.depends("line_ids.move_id", "date")
    def _compute_penalty_warning(self):
        for action in self:
            moves = action._get_kept_lines().move_id
            figures = moves._get_dunning_figures(action.date) if moves else {}
            warnings = sorted({f["warning"] for f in figures.values() if f["warning"]})
            action.penalty_warning = "; ".join(warnings) or False

    @api.constrains("receipt_date", "date")
    def _check_receipt_date(self):
        for action in self.filtered("receipt_date"):
            if action.receipt_date < action.date:
                raise ValidationError(
                    self.env._("The letter cannot have been received before it was sent.")
                )

    def _record_notice_receipt(self):
        """A formal notice received starts the consumer's interest
        (C. civ. 1344-1): record its date on the invoices it covered."""
        for action in self.filtered(lambda a: a.formal_notice and a.receipt_date):
            action._get_kept_lines().move_id.sudo().write(
                {"dunning_notice_date": action.receipt_date}
            )

    @api.depends("partner_id", "level_id", "date")
    def _compute_display_name(self):
        for action in self:
            action.display_name = " - ".join(
                filter(
                    None,
                    [
                        action.partner_id.display_name,
                        action.level_id.name,
                        action.date and format_date(self.env, action.date),
                    ],
                )
            )

    def write(self, vals):
        frozen = set(vals) - WRITABLE_WHEN_SENT
        if frozen and not self.env.context.get("dunning_action_sending"):
            sent = self.filtered(lambda a: a.state == "sent")
            if sent:
                raise UserError(
                    self.env._(
                        "A sent reminder is the proof of what the customer received "
                        "and cannot be changed: %(actions)s",
                        actions=", ".join(sent.mapped("display_name")),
                    )
                )
        result = super().write(vals)
        if "receipt_date" in vals:
            self._record_notice_receipt()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(action.state == "sent" for action in self):
            raise UserError(
                self.env._("A sent reminder cannot be deleted: it is the proof of the dunning.")
            )

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_send(self):
        """Send reminders waiting for review (or retry failed ones).

        Residuals are read again under lock: an invoice paid since the
        reminder was prepared is dropped, and a reminder left with nothing
        to claim is cancelled. Nothing is ever sent for a paid invoice.
        """
        actions = self.filtered(lambda a: a.state in ("to_review", "failed"))
        if not actions:
            return True
        actions._lock_invoices()
        actions._refresh_lines()
        actions.filtered(lambda a: a.state != "cancelled")._send_checked()
        return True

    def _send_checked(self):
        """Send actions whose invoices were checked unpaid under lock in this
        transaction (by action_send, or by the run that just made them)."""
        ready = self._fail_unreachable()
        return ready._deliver()

    def action_cancel(self):
        sent = self.filtered(lambda a: a.state == "sent")
        if sent:
            raise UserError(self.env._("A sent reminder cannot be cancelled."))
        self.with_context(dunning_action_sending=True).write(
            {
                "state": "cancelled",
                "cancel_reason": self.env._("Cancelled by %s", self.env.user.name),
            }
        )
        return True

    def action_reset_to_review(self):
        self.filtered(lambda a: a.state in ("failed", "cancelled")).write(
            {"state": "to_review", "error_message": False, "cancel_reason": False}
        )
        return True

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", self.line_ids.move_id.ids)]
        action["context"] = {"create": False}
        return action

    def action_print_letter(self):
        return self.env.ref("account_dunning_fr.action_report_dunning_letter").report_action(self)

    # ------------------------------------------------------------------
    # Sending, step by step
    # ------------------------------------------------------------------

    def _lock_invoices(self):
        """Lock the invoices so that a payment cannot slip in while sending."""
        move_ids = tuple(self.line_ids.move_id.ids)
        if move_ids:
            self.env.cr.execute(
                "SELECT id FROM account_move WHERE id IN %s ORDER BY id FOR UPDATE", [move_ids]
            )

    def _refresh_lines(self):
        """Drop the lines of invoices paid or excluded since preparation."""
        lines = self.line_ids.filtered(lambda line: not line.dropped)
        open_amounts = self.env["account.dunning.run"]._get_open_amounts(
            lines.move_id, fields.Date.context_today(self)
        )
        figures = lines.move_id._get_dunning_figures()
        Run = self.env["account.dunning.run"]
        for line in lines:
            amounts = open_amounts.get(line.move_id.id)
            if not amounts:
                line.dropped = True
                continue
            values = Run._prepare_line_figures(figures.get(line.move_id.id))
            values.update(amount_residual=amounts[0], amount_residual_company=amounts[1])
            line.write(values)
        empty = self.filtered(lambda a: not a.line_ids.filtered(lambda line: not line.dropped))
        if empty:
            empty.with_context(dunning_action_sending=True).write(
                {
                    "state": "cancelled",
                    "cancel_reason": self.env._(
                        "Every invoice was paid before the reminder was sent."
                    ),
                }
            )
            for action in empty:
                action.message_post(
                    body=self.env._("Not sent: every invoice was paid or excluded in the meantime.")
                )

    def _get_reminder_recipient(self):
        """The contact reminders go to: the invoicing address, else the customer."""
        self.ensure_one()
        partner = self.partner_id
        invoice_contacts = partner.child_ids.filtered(
            lambda c: c.type == "invoice" and c.email and c.active
        )
        return invoice_contacts[:1] or partner

    def _fail_unreachable(self):
        """Mark failed the actions whose channels cannot reach the customer."""
        failed = self.browse()
        for action in self:
            errors = []
            if action.send_email and not action._get_reminder_recipient().email:
                errors.append(self.env._("The customer has no email address."))
            if action.send_email and not action.level_id.mail_template_id:
                errors.append(
                    self.env._("The level %s has no email template.", action.level_id.name)
                )
            if action.send_sms and "sms.sms" not in self.env:
                errors.append(self.env._("SMS reminders need the SMS module (sms)."))
            if action.send_sms and not (action.partner_id.mobile or action.partner_id.phone):
                errors.append(self.env._("The customer has no mobile number."))
            if errors:
                action._mark_failed("\n".join(errors))
                failed |= action
        return self - failed

    def _mark_failed(self, error):
        self.with_context(dunning_action_sending=True).write(
            {"state": "failed", "error_message": error}
        )
        _logger.info("Dunning actions %s failed: %s", self.ids, error)

    def _deliver(self):
        """Queue every channel of ready actions and mark them sent.

        Tried for the whole set in one savepoint; when it fails (a template
        error, a bad address), retried action by action so that only the
        faulty ones are marked failed, with the reason, and the rest go out.
        """
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
        self._queue_emails()
        self._queue_sms()
        self._create_call_activities()
        self.with_context(dunning_action_sending=True).write(
            {
                "state": "sent",
                "sent_date": fields.Datetime.now(),
                "sent_uid": self.env.uid,
                "error_message": False,
                "letter_pending": False,
            }
        )
        with_letter = self.filtered("send_letter")
        if self.env.context.get("dunning_defer_letters"):
            with_letter.with_context(dunning_action_sending=True).write({"letter_pending": True})
        else:
            with_letter._generate_letters()
        self._update_invoices()
        self._log_in_chatters()

    def _ensure_portal_tokens(self):
        """Give the reminded invoices their portal token in one statement.

        The templates link each invoice to its portal page; get_portal_url()
        would otherwise write the token invoice by invoice through
        account.move.write(), the slowest write there is.
        """
        moves = self.line_ids.move_id.filtered(lambda move: not move.access_token)
        if not moves:
            return
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE account_move SET access_token = gen_random_uuid()::text "
            "WHERE id IN %s AND access_token IS NULL",
            [tuple(moves.ids)],
        )
        moves.invalidate_recordset(["access_token"])

    def _queue_emails(self):
        self.filtered("send_email")._ensure_portal_tokens()
        for template, actions in (
            self.filtered("send_email").grouped(lambda a: a.level_id.mail_template_id).items()
        ):
            view = self._get_body_view(template)
            if view:
                mails = actions._queue_emails_with_view(template.sudo(), view)
            else:
                mails = template.sudo().send_mail_batch(actions.ids, force_send=False)
            mail_by_action = {mail.res_id: mail for mail in mails}
            for action in actions:
                mail = mail_by_action.get(action.id)
                action.with_context(dunning_action_sending=True).write(
                    {
                        "mail_id": mail.id if mail else False,
                        "email_to": mail
                        and ", ".join(mail.recipient_ids.mapped("email") or [mail.email_to or ""]),
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

    def _queue_emails_with_view(self, template, view):
        """What send_mail_batch does, rendering the body from its view."""
        fields = ("email_from", "email_cc", "email_to", "partner_to", "reply_to")
        fields += ("mail_server_id", "scheduled_date", "subject", "attachment_ids")
        values = template._generate_template(self.ids, fields)
        render = self.env["mail.render.mixin"].sudo()
        bodies = {}
        for lang, (_template, res_ids) in template._classify_per_lang(self.ids).items():
            bodies.update(
                render.with_context(lang=lang)._render_template(
                    view.id, self._name, res_ids, engine="qweb_view"
                )
            )
        vals_list, formats = [], {}
        for action in self:
            action_values = values[action.id]
            vals_list.append(
                {
                    "subject": action_values.get("subject"),
                    # The email as sent stays whole on the mail (body_html,
                    # the proof); its chatter message carries the summary,
                    # sparing the HTML sanitizer a 10 kB body per customer.
                    "body_html": bodies[action.id],
                    "body": action._get_summary_html(formats),
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
        return self.env["mail.mail"].sudo().create(vals_list)

    def _queue_sms(self):
        actions = self.filtered("send_sms")
        if not actions:
            return
        vals_list = []
        for level, group in actions.grouped("level_id").items():
            texts = self.env["mail.render.mixin"]._render_template(
                level.sms_body or "", self._name, group.ids, engine="inline_template"
            )
            for action in group:
                action.with_context(dunning_action_sending=True).sms_text = texts[action.id]
                vals_list.append(
                    {
                        "number": action.partner_id.mobile or action.partner_id.phone,
                        "partner_id": action.partner_id.id,
                        "body": texts[action.id],
                        "state": "outgoing",
                    }
                )
        self.env["sms.sms"].sudo().create(vals_list)

    def _create_call_activities(self):
        actions = self.filtered("create_activity")
        if not actions:
            return
        model_id = self.env["ir.model"]._get_id("res.partner")
        today = fields.Date.context_today(self)
        vals_list = []
        for action in actions:
            level = action.level_id
            user = level.activity_user_id or action.partner_id.user_id or self.env.user
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": action.partner_id.id,
                    "activity_type_id": level.activity_type_id.id
                    or self.env.ref("mail.mail_activity_data_call").id,
                    "summary": self.env._("Dunning: %(level)s", level=level.name),
                    "note": action._get_summary_html(),
                    "user_id": user.id,
                    "date_deadline": today,
                }
            )
        self.env["mail.activity"].sudo().create(vals_list)

    def _generate_letters(self):
        """Render each action's letter and attach it to the action."""
        report = self.env.ref("account_dunning_fr.action_report_dunning_letter")
        vals_list = []
        for action in self:
            content, _report_type = report._render_qweb_pdf(report.report_name, action.ids)
            vals_list.append(
                {
                    "name": self.env._("Reminder %(partner)s %(date)s.pdf")
                    % {"partner": action.partner_id.display_name, "date": action.date},
                    "raw": content,
                    "res_model": self._name,
                    "res_id": action.id,
                    "mimetype": "application/pdf",
                }
            )
        attachments = self.env["ir.attachment"].sudo().create(vals_list)
        for action, attachment in zip(self, attachments, strict=True):
            action.with_context(dunning_action_sending=True).write(
                {"letter_attachment_id": attachment.id, "letter_pending": False}
            )

    def _update_invoices(self):
        """Record on each invoice the level it reached and when."""
        escalated = self.line_ids.filtered(lambda line: line.escalated and not line.dropped)
        self.env.flush_all()
        for (level, date), lines in escalated.grouped(
            lambda line: (line.level_id, line.action_id.date)
        ).items():
            # Plain dunning fields: account.move.write() would re-check and
            # re-sync the whole accounting entry for nothing, at 5 ms a move.
            self.env.cr.execute(
                "UPDATE account_move SET dunning_level_id = %s, dunning_last_date = %s "
                "WHERE id IN %s",
                [level.id, date, tuple(lines.move_id.ids)],
            )
        moves = escalated.move_id
        moves.invalidate_recordset(["dunning_level_id", "dunning_last_date"])
        moves.modified(["dunning_level_id", "dunning_last_date"])

    def _get_summary_html(self, formats=None):
        """What was claimed, for chatters and activities. ``formats`` caches
        the (costly) date and amount formatting across a batch."""
        self.ensure_one()
        formats = {} if formats is None else formats
        translate = self.env._

        def fmt_amount(amount, currency):
            key = (amount, currency.id)
            if key not in formats:
                formats[key] = format_amount(self.env, amount, currency)
            return formats[key]

        def fmt_date(day):
            if day not in formats:
                formats[day] = format_date(self.env, day)
            return formats[day]

        kept = self.line_ids.filtered(lambda line: not line.dropped)
        items = Markup("").join(
            Markup("<li>%s</li>")
            % translate(
                "%(invoice)s due %(due)s: %(amount)s",
                invoice=line.move_id.name,
                due=fmt_date(line.date_maturity),
                amount=fmt_amount(line.amount_residual, line.currency_id),
            )
            for line in kept
        )
        return Markup("<p>%s</p><ul>%s</ul>") % (
            translate(
                "%(level)s (%(channels)s): %(amount)s due.",
                level=self.level_id.name,
                channels=", ".join(self.level_id._channel_labels()),
                amount=fmt_amount(self.amount_due, self.currency_id),
            ),
            items,
        )

    def _log_in_chatters(self):
        """A note on the customer and on each invoice: what was sent, when."""
        partner_bodies, move_bodies, formats = {}, {}, {}
        for action in self:
            summary = action._get_summary_html(formats)
            partner_bodies[action.partner_id.id] = (
                partner_bodies.get(action.partner_id.id, Markup("")) + summary
            )
            note = Markup("<p>%s</p>") % self.env._(
                "Reminder sent: %(level)s (%(channels)s), reminder %(ref)s.",
                level=action.level_id.name,
                channels=", ".join(action.level_id._channel_labels()),
                ref=escape(action.display_name),
            )
            for line in action.line_ids.filtered(lambda line: not line.dropped):
                move_bodies[line.move_id.id] = note
        self._insert_log_notes("res.partner", partner_bodies)
        self._insert_log_notes("account.move", move_bodies)

    def _insert_log_notes(self, model, bodies):
        """Internal notes, one per record, as ``_message_log_batch`` makes them.

        Written with one INSERT: the ORM spends ~1.5 ms per message on
        sanitizing and notification machinery that internal log notes
        (no recipients, no followers notified) do not need, and a nightly run
        logs one per invoice reminded. Bodies are Markup built from escaped
        values.
        """
        if not bodies:
            return
        self.env.flush_all()
        author = self.env.user.partner_id
        self.env.cr.execute(
            """
            INSERT INTO mail_message (
                model, res_id, body, message_type, subtype_id, author_id, email_from,
                is_internal, date, create_uid, create_date, write_uid, write_date)
            SELECT %(model)s, res_id, body, 'notification', %(subtype)s, %(author)s,
                   %(email_from)s, TRUE, now() at time zone 'UTC', %(uid)s,
                   now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
              FROM unnest(%(res_ids)s::int[], %(bodies)s::text[]) AS t(res_id, body)
            """,
            {
                "model": model,
                "subtype": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                "author": author.id,
                "email_from": author.email_formatted or None,
                "uid": self.env.uid,
                "res_ids": list(bodies),
                "bodies": [str(body) for body in bodies.values()],
            },
        )
        self.env["mail.message"].invalidate_model()
        self.env[model].browse(bodies).invalidate_recordset(["message_ids"])

    # ------------------------------------------------------------------
    # Helpers for templates and letters
    # ------------------------------------------------------------------

    def _get_mail_recipient_id(self):
        self.ensure_one()
        return self._get_reminder_recipient().id

    def _get_previous_reminders(self):
        """Reminders sent to this customer before this one (a formal notice
        recalls them, legal_fr.md 8.2)."""
        self.ensure_one()
        return self.search(
            [
                ("partner_id", "=", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("state", "=", "sent"),
                ("id", "!=", self.id),
                ("date", "<=", self.date),
            ],
            order="date, id",
        )

    def _get_kept_lines(self):
        self.ensure_one()
        return self.line_ids.filtered(lambda line: not line.dropped)

    def _get_payment_instructions(self):
        """Bank account the customer should pay to, from the company."""
        self.ensure_one()
        bank = self.company_id.partner_id.bank_ids[:1]
        return bank
