import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ...tools import bulk
from ...tools.formats import BatchFormats
from ...tools.prefetch import fetch_only

_logger = logging.getLogger(__name__)


class AccountDunningSender(models.AbstractModel):
    """The sending pipeline of reminders: a service over
    ``account.dunning.action`` records, as ``account.move.send`` is one over
    invoices.

    Check again what is owed (under lock), check each channel can reach the
    customer, queue every channel, record the levels reached on the
    instalments, mark the reminders sent and log it. One reminder's failure
    is recorded on it and never stops the others.

    Calls go one way: the sender reads reminders and changes them through
    their own API (``_refresh_claims``, ``_set_state``, ``_mark_failed``,
    ``_mark_sent``, ``_mark_held``, ``_write_sending_result``); reminders
    know nothing of it but their buttons, which hand over to it.

    Its API, for the reminders' buttons, the run and the queue bridge:
    ``_send`` (check under lock, then deliver), ``_send_checked`` (deliver
    what the caller just checked under lock), ``_hold``,
    ``_generate_letters``. Hooks for channel bridges (SMS):
    ``_get_unreachable_reasons`` and ``_deliver_channels``.
    """

    _name = "account.dunning.sender"
    _description = "Sending of dunning reminders"

    # ------------------------------------------------------------------
    # API
    # ------------------------------------------------------------------

    @api.model
    def _send(self, actions):
        """Lock the invoices, read what is owed again, then send."""
        self._lock_invoices(actions)
        actions._refresh_claims()
        self._send_checked(actions.filtered(lambda a: a.state != "cancelled"))

    @api.model
    def _send_checked(self, actions):
        """Send reminders whose claim was checked under lock in this
        transaction (by ``_send``, or by the run that just made them)."""
        return self._deliver(self._fail_unreachable(actions))

    @api.model
    def _hold(self, actions, reason):
        """Prepared, not sent: an accountant decides (e.g. bank statements late)."""
        actions._mark_held(reason)

    @api.model
    def _lock_invoices(self, actions):
        """Lock the invoices so that a payment cannot slip in while sending."""
        move_ids = tuple(actions.line_ids.move_id.ids)
        if move_ids:
            self.env.execute_query(
                SQL("SELECT id FROM account_move WHERE id IN %s ORDER BY id FOR UPDATE", move_ids)
            )

    # ------------------------------------------------------------------
    # Can each channel reach the customer?
    # ------------------------------------------------------------------

    @api.model
    def _fail_unreachable(self, actions):
        """Mark failed the reminders whose channels cannot reach the
        customer; returns the others."""
        failed = actions.browse()
        for action in actions:
            errors = self._get_unreachable_reasons(action)
            if errors:
                action._mark_failed("\n".join(errors))
                failed |= action
        return actions - failed

    @api.model
    def _get_unreachable_reasons(self, action):
        """Why ``action`` cannot go out (hook: a channel bridge adds its own)."""
        errors = []
        if action.send_email and not action._get_reminder_recipients():
            errors.append(
                self.env._("The customer has no email address (nor its invoicing contacts).")
            )
        if action.send_email and not action.level_id.mail_template_id:
            errors.append(self.env._("The level %s has no email template.", action.level_id.name))
        commercial = action.partner_id.commercial_partner_id
        if action.send_letter and not (commercial.street and (commercial.city or commercial.zip)):
            errors.append(self.env._("The customer has no postal address for the letter."))
        if action.create_activity and not self._get_call_user(action):
            errors.append(
                self.env._(
                    "Nobody to call the customer: choose a dunning responsible in the "
                    "Accounting settings."
                )
            )
        return errors

    @api.model
    def _get_call_user(self, action):
        return action.level_id.activity_user_id or action.company_id._get_dunning_responsible(
            action.partner_id
        )

    # ------------------------------------------------------------------
    # Delivering
    # ------------------------------------------------------------------

    @api.model
    def _deliver(self, actions):
        """Queue every channel of ready reminders and mark them sent.

        Tried for the whole set in one savepoint; when it fails (a template
        error, a bad address), retried reminder by reminder so that only the
        faulty ones are marked failed, with the reason, and the rest go out.
        """
        if not actions:
            return actions
        try:
            with self.env.cr.savepoint():
                self._deliver_batch(actions)
            return actions
        except Exception as error:  # noqa: BLE001 - isolated below, reason kept on the action
            if len(actions) == 1:
                actions._mark_failed(self.env._("The reminder could not be sent: %s", error))
                return actions.browse()
        delivered = actions.browse()
        for action in actions:
            delivered |= self._deliver(action)
        return delivered

    @api.model
    def _deliver_batch(self, actions):
        # The summary goes in the email's chatter message, the call activity
        # and the customer's note: formatted once (0.3 ms a reminder).
        formats = BatchFormats(self.env)
        summaries = {action.id: self._get_summary_html(action, formats) for action in actions}
        # The invoices' levels first: the same statement gives them the portal
        # token the emails link to, one new version of each invoice row rather
        # than two (0.3 s of a 2,000-customer night, measured). All of it is
        # undone with the batch if sending fails.
        self._update_invoices(actions)
        self._queue_emails(actions, summaries)
        self._deliver_channels(actions)
        self._create_call_activities(actions, summaries)
        actions._mark_sent()
        # A written claim restarts the prescription of public debtors: once
        # the reminders carry the day they were sent.
        actions.line_ids.move_id._dunning_claims_sent()
        with_letter = actions.filtered("send_letter")
        if self.env.context.get("dunning_defer_letters"):
            with_letter._write_sending_result({"letter_pending": True})
        else:
            self._generate_letters(with_letter)
        self._log_in_chatters(actions, summaries)

    @api.model
    def _deliver_channels(self, actions):
        """Queue the channels a bridge add-on brings (hook: SMS)."""
        return True

    @api.model
    def _create_call_activities(self, actions, summaries=None):
        actions = actions.filtered("create_activity")
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
                    "note": summaries.get(action.id) or self._get_summary_html(action),
                    "user_id": self._get_call_user(action).id,
                    "date_deadline": today,
                }
            )
        self.env["mail.activity"].sudo().create(vals_list)

    # ------------------------------------------------------------------
    # After sending: levels of the instalments
    # ------------------------------------------------------------------

    @api.model
    def _update_invoices(self, actions):
        """Record on each instalment the level it reaches and the day it is
        sent (today), never going back to an older level (an old reminder
        sent late), and on each invoice the highest level of its instalments
        and its portal token."""
        sent_on = fields.Date.context_today(self)
        escalated = actions.line_ids.filtered(
            lambda line: (
                line.escalated
                and not line.dropped
                and line.line_type == "invoice"
                and line.move_line_id
            )
        )
        if not escalated:
            return
        # The 3 columns read here, not the 49 a first access would fetch
        # (85 ms of CPU a night for 7,500 instalments).
        fetch_only(escalated.move_line_id, ["dunning_level_id", "dunning_last_date", "move_id"])
        update_ids = defaultdict(list)
        for line in escalated:
            aml = line.move_line_id
            current = aml.dunning_level_id
            if current and current._to_core().rank >= line.level_id._to_core().rank:
                continue
            if aml.dunning_last_date and aml.dunning_last_date > sent_on:
                continue
            update_ids[(line.level_id.id, sent_on)].append(aml.id)
        # Browsed once a group: a union per line is quadratic (0.4 s a night).
        AccountMoveLine = self.env["account.move.line"]
        updates = {
            key: AccountMoveLine.browse(list(dict.fromkeys(ids))) for key, ids in update_ids.items()
        }
        bulk.write_line_levels(updates)
        amls = self.env["account.move.line"].concat(*updates.values())
        amls.move_id._dunning_sync_level_from_lines(portal_tokens=True)
