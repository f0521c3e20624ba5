import secrets

from odoo import api, fields, models
from odoo.tools import SQL, consteq

from ...tools.bulk import MAX_ID
from .dunning_proof import recording_delivery

# The (first time, count) columns of each event the routes record.
EVENT_COLUMNS = {"open": ("first_opened", "open_count"), "click": ("first_clicked", "click_count")}


def new_tracking_token():
    """64 random hexadecimal digits."""
    return secrets.token_hex(32)


class AccountDunningAction(models.Model):
    """Who received, opened and acted on a reminder email.

    Each email carries a link to the customer's invoices online through
    /dunning/r/<id>/<token> and, where the company allows it, a pixel
    /dunning/o/<id>/<token>.gif (controllers/tracking.py). Only times and
    counts are kept. A bounce or an address refused by the mail server
    marks the reminder undelivered and asks an accountant to fix the address.
    """

    _inherit = "account.dunning.action"

    tracking_token = fields.Char(
        readonly=True,
        copy=False,
        # The token lets anyone record an open or a click: nobody reads it
        # through the interface, the emails are rendered as superuser.
        groups="base.group_system",
    )
    first_opened = fields.Datetime(
        "First opened",
        readonly=True,
        copy=False,
        help="First time the email's pixel was loaded (only where the company "
        "allows the pixel; many mail clients block images).",
    )
    open_count = fields.Integer("Opens", readonly=True, copy=False, default=0)
    first_clicked = fields.Datetime(
        "First clicked",
        readonly=True,
        copy=False,
        help="First time the link to the invoices online was followed.",
    )
    click_count = fields.Integer("Clicks", readonly=True, copy=False, default=0)
    portal_visit_date = fields.Datetime(
        "Portal visited",
        readonly=True,
        copy=False,
        help="First time the customer reached their invoices online through the link, signed in.",
    )
    email_undelivered = fields.Boolean(
        "Email undelivered", readonly=True, copy=False, index="btree_not_null"
    )
    email_undelivered_date = fields.Datetime("Undelivered on", readonly=True, copy=False)
    email_undelivered_reason = fields.Text("Why undelivered", readonly=True, copy=False)

    # ------------------------------------------------------------------
    # In the email: the link and the pixel
    # ------------------------------------------------------------------

    def _get_tracking_allowed(self):
        """(tracked link, pixel) for this reminder, from its company's
        settings; a consumer gets the pixel only when the company asks."""
        self.ensure_one()
        return self._tracking_allowed(self.company_id, self.partner_id)

    @api.model
    def _tracking_allowed(self, company, partner):
        if partner.commercial_partner_id.dunning_regime == "b2c":
            pixel = company.dunning_pixel_consumer
        else:
            pixel = company.dunning_pixel_business
        return company.dunning_track_links, pixel

    @api.model
    def _complete_new_reminder_values(self, vals_list):
        # A reminder made to be emailed and tracked gets its token in its
        # INSERT: an UPDATE of every reminder after it cost 0.15 s a night.
        vals_list = super()._complete_new_reminder_values(vals_list)
        for vals in vals_list:
            if vals.get("send_email") and vals.get("partner_id") and not vals.get("tracking_token"):
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                partner = self.env["res.partner"].browse(vals["partner_id"])
                if any(self._tracking_allowed(company, partner)):
                    vals["tracking_token"] = new_tracking_token()
        return vals_list

    def _ensure_tracking_tokens(self):
        """A random token for each reminder of the batch that will be
        tracked and has none yet (made before it was to be emailed), in one
        statement."""
        tracked = self.filtered(
            lambda a: not a.sudo().tracking_token and any(a._get_tracking_allowed())
        )
        if not tracked:
            return
        self.env.execute_query(
            SQL(
                "UPDATE account_dunning_action AS a SET tracking_token = t.token "
                "FROM unnest(%s::int[], %s::varchar[]) AS t(id, token) "
                "WHERE a.id = t.id AND a.tracking_token IS NULL",
                tracked.ids,
                [new_tracking_token() for _action in tracked],
            )
        )
        tracked.invalidate_recordset(["tracking_token"])

    def _get_email_tracking(self, base_url=None):
        """{"link": the link to the invoices online, "pixel": the pixel's
        URL or False} for the email body. Untracked when the company turned
        tracking off, or the reminder has no token (not made to be emailed).
        ``base_url``: this server's, when the caller already has it."""
        self.ensure_one()
        link_on, pixel_on = self._get_tracking_allowed()
        token = self.sudo().tracking_token
        base = base_url or self.get_base_url()
        link = self._get_letter_url(base)
        if link_on and token:
            link = "%s/dunning/r/%s/%s" % (base, self.id, token)
        pixel = pixel_on and token and "%s/dunning/o/%s/%s.gif" % (base, self.id, token)
        return {"link": link, "pixel": pixel or False}

    def _get_emails_tracking(self):
        """{reminder id: _get_email_tracking()} of a batch, the server's
        address read once per company (three times per email else)."""
        tracking = {}
        for actions in self.grouped("company_id").values():
            base = actions[:1].get_base_url()
            tracking.update((action.id, action._get_email_tracking(base)) for action in actions)
        return tracking

    def _get_portal_path(self):
        """Where the tracked link leads: the letter's target, on this server."""
        self.ensure_one()
        return "/my/invoices?reference=%s" % self._get_letter_reference()

    # ------------------------------------------------------------------
    # Recording: cheap, concurrent-safe statements
    # ------------------------------------------------------------------

    @api.model
    def _get_tracked_action(self, action_id, token):
        """The sent reminder ``action_id`` when ``token`` is its token (as
        superuser), else an empty recordset: unknown id or wrong token alike."""
        return self._get_sent_action_by_token(action_id, token, "tracking_token", 64)

    @api.model
    def _get_sent_action_by_token(self, action_id, token, column, length):
        """The sent reminder ``action_id`` (as superuser) when ``token`` is
        the value of its ``column`` (a token of ``length`` characters), else
        an empty recordset: the tracking links and the answer page."""
        stored = None
        if 0 < action_id <= MAX_ID:
            rows = self.env.execute_query(
                SQL(
                    "SELECT %s FROM account_dunning_action WHERE id = %s AND state = 'sent'",
                    SQL.identifier(column),
                    action_id,
                )
            )
            stored = rows[0][0] if rows else None
        # Compared even without a stored token, so that an unknown id takes
        # the time of a wrong token.
        matches = consteq(stored or "x" * length, token or "")
        if not (stored and matches):
            return self.browse()
        return self.browse(action_id).sudo()

    def _record_tracking_event(self, event):
        """Count an open or a click, keeping the first time: one UPDATE,
        right under concurrent requests."""
        first, count = EVENT_COLUMNS[event]
        self.env.execute_query(
            SQL(
                "UPDATE account_dunning_action "
                "SET %(first)s = COALESCE(%(first)s, NOW() AT TIME ZONE 'UTC'), "
                "%(count)s = COALESCE(%(count)s, 0) + 1 WHERE id IN %(ids)s",
                first=SQL.identifier(first),
                count=SQL.identifier(count),
                ids=tuple(self.ids),
            )
        )
        self.invalidate_recordset([first, count])

    def _record_portal_visit(self, user):
        """The customer reached the portal through the link: recorded when
        ``user`` is the customer's own (an employee testing the link is not)."""
        visited = self.filtered(
            lambda a: (
                user.share
                and user.partner_id.commercial_partner_id == a.partner_id.commercial_partner_id
            )
        )
        if not visited:
            return
        self.env.execute_query(
            SQL(
                "UPDATE account_dunning_action "
                "SET portal_visit_date = COALESCE(portal_visit_date, NOW() AT TIME ZONE 'UTC') "
                "WHERE id IN %s",
                tuple(visited.ids),
            )
        )
        visited.invalidate_recordset(["portal_visit_date"])

    # ------------------------------------------------------------------
    # Undelivered: a bounce, or an address the mail server refused
    # ------------------------------------------------------------------

    def _mark_undelivered(self, reason):
        """Mark the reminders undelivered and ask an accountant, once per
        reminder, to fix the customer's email address."""
        todo = self.filtered(lambda a: not a.email_undelivered)
        if not todo:
            return
        with recording_delivery():
            todo.write(
                {
                    "email_undelivered": True,
                    "email_undelivered_date": fields.Datetime.now(),
                    "email_undelivered_reason": reason,
                }
            )
        model_id = self.env["ir.model"]._get_id("account.dunning.action")
        todo_type = self.env.ref("mail.mail_activity_data_todo")
        today = fields.Date.context_today(self)
        vals_list = []
        for action in todo:
            user = action.company_id._get_dunning_responsible(action.partner_id)
            if not user:
                continue
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": action.id,
                    "activity_type_id": todo_type.id,
                    "summary": self.env._("Reminder email undelivered: fix the email address"),
                    "note": self.env._(
                        "The reminder to %(customer)s did not reach them (%(reason)s). "
                        "Correct the customer's email address, then remind them again.",
                        customer=action.partner_id.display_name,
                        reason=reason,
                    ),
                    "user_id": user.id,
                    "date_deadline": today,
                }
            )
        self.env["mail.activity"].sudo().create(vals_list)
