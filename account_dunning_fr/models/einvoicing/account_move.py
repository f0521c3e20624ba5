from datetime import date, datetime, timedelta
from decimal import Decimal

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date, format_datetime

from ...core import einvoicing
from .account_dunning_einvoice_status import STATUS_SELECTION

ACCOUNTANT_GROUP = "account.group_account_invoice"

# What the statuses of an invoice do to its dunning, as applied (the effect
# of the deciding status, core/einvoicing.py dunning_state).
EINVOICE_EFFECTS = [
    ("none", "Chased normally"),
    ("pause", "Paused"),
    ("review", "Held, to review"),
    ("hold", "Payment transmitted"),
    ("stop", "Stopped for good"),
]
# Written by the statuses only (_dunning_einvoice_apply, as superuser).
EINVOICE_FIELDS = {
    "dunning_einvoice_effect",
    "dunning_einvoice_decided",
    "dunning_einvoice_excluded",
    "dunning_einvoice_received_on",
}
# Set while the statuses exclude or resume an invoice: an exclusion written
# without it is a person's, which the statuses never lift.
APPLYING = "dunning_einvoice_applying"


class AccountMove(models.Model):
    """An invoice's e-invoicing lifecycle statuses and what they do to its
    dunning: paused (207, 208) until a later 205 or 209, stopped for good
    with no penalty nor indemnity (210, 213, 220), held a few days after a
    payment transmitted (211), held to review (206), and the date the
    buyer received it (203), the proof a litigation file lists."""

    _inherit = "account.move"

    dunning_einvoice_status_ids = fields.One2many(
        "account.dunning.einvoice.status", "move_id", "E-invoicing statuses", readonly=True
    )
    dunning_einvoice_status = fields.Selection(
        STATUS_SELECTION,
        "E-invoicing status",
        compute="_compute_dunning_einvoice_status",
        store=True,
        help="The lifecycle status dated last (statuses arrive in any order: the date "
        "decides, never the highest code).",
    )
    dunning_einvoice_status_date = fields.Datetime(
        "E-invoicing status date", compute="_compute_dunning_einvoice_status", store=True
    )
    dunning_einvoice_effect = fields.Selection(
        EINVOICE_EFFECTS,
        "E-invoicing effect on dunning",
        copy=False,
        readonly=True,
        help="What the lifecycle statuses do to dunning, decided on the status dated last.",
    )
    # The deciding status applied ("207@2026-11-03"): its effects are made
    # once, when it changes, so that a person's decision since (an exclusion
    # lifted after review) stands until the buyer says something new.
    dunning_einvoice_decided = fields.Char(copy=False, readonly=True)
    dunning_einvoice_excluded = fields.Boolean(
        "Excluded by its e-invoicing status", copy=False, readonly=True
    )
    dunning_einvoice_received_on = fields.Date(
        "Made available to the buyer on",
        copy=False,
        readonly=True,
        help="Date of the e-invoicing status 203 'Mise à disposition': the proof that the "
        "buyer received the invoice.",
    )

    @api.depends("dunning_einvoice_status_ids.status_datetime", "dunning_einvoice_status_ids.code")
    def _compute_dunning_einvoice_status(self):
        for move in self:
            statuses = move.dunning_einvoice_status_ids
            latest = max(statuses, key=lambda s: (s.status_datetime, s._origin.id), default=None)
            move.dunning_einvoice_status = latest.code if latest else False
            move.dunning_einvoice_status_date = latest.status_datetime if latest else False

    # ------------------------------------------------------------------
    # Who writes what
    # ------------------------------------------------------------------

    def write(self, vals):
        # An exclusion a person (or the customer's answer) sets or lifts is no
        # longer the statuses' own.
        taken_over = self.browse()
        if {"dunning_excluded", "dunning_exclusion_reason"} & vals.keys() and not (
            self.env.context.get(APPLYING)
        ):
            taken_over = self.filtered("dunning_einvoice_excluded")
        result = super().write(vals)
        if taken_over:
            taken_over.sudo().with_context(**{APPLYING: True}).write(
                {"dunning_einvoice_excluded": False}
            )
        return result

    def _check_dunning_write_access(self, vals):
        result = super()._check_dunning_write_access(vals)
        if EINVOICE_FIELDS.intersection(vals) and not self.env.su:
            raise AccessError(
                self.env._("The e-invoicing effects of an invoice are set by its statuses only.")
            )
        return result

    # ------------------------------------------------------------------
    # Statuses received
    # ------------------------------------------------------------------

    def _dunning_einvoice_status_received(self, code, when, **values):
        """A lifecycle status of this invoice received by a connector (a
        platform's module) rather than as a CDAR file: kept and applied as
        if read from one. ``code``: "200" to "227" (core/einvoicing.py);
        ``when``: the status time, a datetime (naive UTC) or a date.
        ``values``: label, issuer_role (BY, SE, platform), issuer_id,
        reason_code, reason, requested_action (NOA, PIN, NIN, CNF, CNP, CNA,
        OTH), amount, currency (ISO code), message_id, source (default
        "api"), fingerprint (default: made of the invoice, code, time,
        reason and message id, so the same status twice is kept once).
        Returns the status record (the one kept before, for a repeat)."""
        self.ensure_one()
        if not (self.env.su or self.env.user.has_group(ACCOUNTANT_GROUP)):
            raise AccessError(self.env._("Only accountants can record e-invoicing statuses."))
        self._check_posted_customer_invoices(
            self.env._("E-invoicing statuses are recorded on posted customer invoices: %(moves)s")
        )
        code = str(code or "").strip()
        if not einvoicing.is_known_code(code):
            raise UserError(
                self.env._(
                    "%(code)s is not an e-invoicing status code this add-on knows.", code=code
                )
            )
        if isinstance(when, date) and not isinstance(when, datetime):
            when = datetime(when.year, when.month, when.day)
        when = fields.Datetime.to_datetime(when)
        Status = self.env["account.dunning.einvoice.status"].sudo()
        status_values = Status._values_from_connector(self, code, when, values)
        known = Status.search(
            [
                ("company_id", "=", self.company_id.id),
                ("fingerprint", "=", status_values["fingerprint"]),
            ]
        )
        return known or Status._create_once(status_values)[0]

    def _dunning_einvoice_log(self, statuses):
        """A note on each invoice for the statuses it just received."""
        bodies = {}
        for move in self:
            lines = [
                self.env._(
                    "E-invoicing status %(code)s %(label)s of %(when)s",
                    code=status.code,
                    label=status.label,
                    when=format_datetime(self.env, status.status_datetime, dt_format="short"),
                )
                + (
                    " (%s)" % move._dunning_einvoice_reason_text(status)
                    if status.reason_code or status.reason
                    else ""
                )
                for status in statuses.filtered(lambda s, m=move: s.move_id == m)
            ]
            bodies[move.id] = Markup("<br/>").join(escape(line) for line in lines)
        self.sudo()._message_log_batch(bodies=bodies)

    @api.model
    def _dunning_einvoice_reason_text(self, status):
        """'TX_TVA_ERR - Taux de TVA erroné - requested: New invoice'."""
        Status = self.env["account.dunning.einvoice.status"]
        action = Status._requested_action_label(status.requested_action)
        parts = [status.reason_code, status.reason]
        if action:
            parts.append(self.env._("requested: %(action)s", action=action))
        return " - ".join(part for part in parts if part)

    # ------------------------------------------------------------------
    # Their effect on dunning: the one place it is made
    # ------------------------------------------------------------------

    def _dunning_einvoice_apply(self, today=None):
        """Apply what the lifecycle statuses of these invoices mean for
        dunning (core/einvoicing.py ``dunning_state`` decides, on the status
        dated last). When the deciding status changes: 207/208 exclude the
        invoice (reason "e-invoicing status", unless a person excluded it
        already) and 206 too, to review; 205/209 (and 211) lift that
        exclusion, never a person's; 210/213/220 stop dunning for good.
        A new 211 holds the invoice ``dunning_einvoice_paid_hold_days`` from
        its date; the latest 203 is kept as the date of receipt. Applying
        again changes nothing."""
        today = today or fields.Date.context_today(self)
        for move in self.sudo().with_context(**{APPLYING: True}):
            hold_days = move.company_id.dunning_einvoice_paid_hold_days
            state = einvoicing.dunning_state(move.dunning_einvoice_status_ids, today, hold_days)
            move._dunning_einvoice_apply_state(state, hold_days)

    def _dunning_einvoice_apply_state(self, state, hold_days):
        self.ensure_one()
        decided = "%s@%s" % (state.code, state.since) if state.code else False
        values = {"dunning_einvoice_received_on": state.received_on or False}
        if decided != self.dunning_einvoice_decided:
            # A 211 whose hold is over still says what decided.
            effect = "hold" if state.code == einvoicing.PAID else state.effect
            values.update(dunning_einvoice_decided=decided, dunning_einvoice_effect=effect)
            if effect in ("pause", "review"):
                self._dunning_einvoice_pause(state)
            elif effect != "stop":
                self._dunning_einvoice_resume()
            if effect in ("pause", "review", "stop"):
                self._dunning_einvoice_alert(state, effect)
        announced = state.payment_announced_on
        if announced and not (
            self.dunning_payment_announced_on and self.dunning_payment_announced_on >= announced
        ):
            self._dunning_hold_for_announced_payment(
                announced, announced + timedelta(days=hold_days)
            )
        # An invoice's write re-checks the whole entry: only what changed.
        changed = {name: value for name, value in values.items() if self[name] != value}
        if changed:
            self.write(changed)

    def _dunning_einvoice_pause(self, state):
        """Excluded, reason "e-invoicing status", with the buyer's reason;
        an invoice a person excluded stays as they left it."""
        if self.dunning_excluded and not self.dunning_einvoice_excluded:
            return
        note = self._dunning_einvoice_state_text(state)
        self.write(
            {
                **self._dunning_exclusion_values("einvoice", note=note),
                "dunning_einvoice_excluded": True,
            }
        )

    def _dunning_einvoice_resume(self):
        """Lift the exclusion the statuses made, and only that one."""
        if not (
            self.dunning_einvoice_excluded
            and self.dunning_excluded
            and self.dunning_exclusion_reason == "einvoice"
        ):
            return
        self.write({**self._dunning_inclusion_values(), "dunning_einvoice_excluded": False})

    def _dunning_einvoice_state_text(self, state):
        """'207 En litige: TX_TVA_ERR - Taux de TVA erroné - requested: New invoice'."""
        head = "%s %s" % (state.code, einvoicing.status_label(state.code))
        details = self._dunning_einvoice_reason_text(state)
        if not details:
            return head
        return self.env._("%(status)s: %(details)s", status=head, details=details)

    def _dunning_einvoice_alert(self, state, effect):
        """One activity for the dunning responsible (none twice while open);
        a note on the invoice when the company has no accountant."""
        if effect == "stop":
            summary = self.env._("Credit note or corrected invoice needed")
        elif effect == "review":
            summary = self.env._("Partly approved: review what is undisputed")
        else:
            summary = self.env._(
                "E-invoicing status %(status)s: dunning paused",
                status="%s %s" % (state.code, einvoicing.status_label(state.code)),
            )
        note = self._dunning_einvoice_state_text(state)
        user = self.company_id._get_dunning_responsible(self.commercial_partner_id)
        if not user:
            self._message_log(body=escape("%s. %s" % (summary, note)))
            return
        if self.activity_ids.filtered(lambda activity: activity.summary == summary):
            return
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=fields.Date.context_today(self),
            summary=summary,
            note=escape(note),
            user_id=user.id,
        )

    # ------------------------------------------------------------------
    # A stopped invoice bears no penalty nor indemnity
    # ------------------------------------------------------------------

    def _dunning_move_figures(self, today, facts):
        result = super()._dunning_move_figures(today, facts)
        if self.dunning_einvoice_effect == "stop":
            # Refused, rejected or cancelled: the buyer does not owe it as
            # issued (a credit note or a corrected invoice follows).
            result.update(
                interest=Decimal(0),
                by_line=dict.fromkeys(result["by_line"], Decimal(0)),
                indemnity=Decimal(0),
                pending=[],
                computed_until=None,
            )
        return result

    @api.depends("dunning_einvoice_effect")
    def _compute_late_penalties(self):
        return super()._compute_late_penalties()

    def _dunning_einvoice_receipt_status(self):
        """The latest status 203 of this invoice (the proof the buyer received
        it), or an empty recordset."""
        self.ensure_one()
        received = self.sudo().dunning_einvoice_status_ids.filtered(
            lambda status: status.code == einvoicing.RECEIVED
        )
        return received[:1]

    def _dunning_einvoice_receipt_text(self):
        """The receipt as the litigation file's list of exhibits states it."""
        status = self._dunning_einvoice_receipt_status()
        if not status:
            return False
        return self.env._(
            "E-invoicing status 203 'Mise à disposition' of invoice %(invoice)s: made "
            "available to the debtor on %(day)s%(message)s",
            invoice=self.name,
            day=format_date(self.env, status.status_datetime.date()),
            message=(" (%s)" % status.message_id) if status.message_id else "",
        )
