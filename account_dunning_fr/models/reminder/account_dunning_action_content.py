from odoo import api, fields, models
from odoo.tools import SQL


class AccountDunningAction(models.Model):
    """What a reminder says and to whom: what its email, letter and
    templates read."""

    _inherit = "account.dunning.action"

    # The lines the templates, letters, chatters and checks list, kept in
    # the cache until a line is added, dropped or retyped: filtering them
    # again on each call (12,283 calls a night, from the bodies, summaries,
    # situations and portal links) cost about 0.3 s of a 1,777-customer
    # night (cProfile).
    claimed_line_ids = fields.Many2many(
        "account.dunning.action.line",
        string="Instalments claimed",
        compute="_compute_kept_lines",
        help="The instalments claimed, less what was paid before sending.",
    )
    credit_line_ids = fields.Many2many(
        "account.dunning.action.line",
        string="Credits set against the claim",
        compute="_compute_kept_lines",
    )

    def mail_allowed_qweb_expressions(self):
        """The default templates' subject and language read a field: with
        them listed, mail.render.mixin renders them without safe_eval
        ("regex" mode), which compiles the expression again for every
        reminder (0.1 s of a night's 1,738 emails). Reading a company's
        name or a customer's language is no more than the ``object.name``
        Odoo already allows."""
        return (
            *super().mail_allowed_qweb_expressions(),
            "object.company_id.name",
            "object.partner_id.lang",
        )

    # ------------------------------------------------------------------
    # Who the reminder goes to
    # ------------------------------------------------------------------

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

    # ------------------------------------------------------------------
    # Helpers for templates and letters
    # ------------------------------------------------------------------

    @api.depends("line_ids.dropped", "line_ids.line_type")
    def _compute_kept_lines(self):
        # Put in the cache as Odoo's own fields do (Field._compute_related's
        # defaults, _parent_store): assigning goes through Many2many.write_real,
        # its commands and inverses, for fields that have neither table nor
        # inverse; 134 ms against 20 ms for a night's 1,777 reminders.
        claimed, credits = [], []
        for action in self:
            kept = [line for line in action.line_ids if not line.dropped]
            claimed.append(tuple(line.id for line in kept if line.line_type == "invoice"))
            credits.append(tuple(line.id for line in kept if line.line_type != "invoice"))
        self.env.cache.update(self, self._fields["claimed_line_ids"], claimed)
        self.env.cache.update(self, self._fields["credit_line_ids"], credits)

    def _get_invoice_lines(self):
        """The instalments claimed (what was paid before sending left out),
        of all these reminders, in the prefetch set of all their lines: a
        reminder's invoices, read in a loop over reminders, are fetched for
        all of them at once (500 reminders sent from a cold cache, after
        their review: 507 queries and 1.0 s for their recipients when they
        were fetched one reminder at a time, measured)."""
        return self.mapped("claimed_line_ids")

    def _get_credit_lines(self):
        """The customer's credits set against the claim."""
        return self.mapped("credit_line_ids")

    def _get_letter_reference(self):
        """The reminder's reference printed on its letter: unique, and never
        the shape of an invoice number (INV/2026/00012)."""
        self.ensure_one()
        return "DUN-%06d" % self.id

    def _get_letter_url(self, base_url=None):
        """Where the letter's reference links to: the customer's invoices
        online, the reference in the query (dunning_letters.py finds each
        letter of a batch by it)."""
        self.ensure_one()
        return "%s/my/invoices?reference=%s" % (
            base_url or self.get_base_url(),
            self._get_letter_reference(),
        )

    def _get_legal_regime(self):
        """The customer's regime when French law applies to the company (the
        letters' legal paragraphs depend on it), else False: no French
        figures or mentions for a company abroad."""
        self.ensure_one()
        if not self.company_id._dunning_french_law():
            return False
        return self.partner_id.commercial_partner_id.dunning_regime

    def _other_sent_reminders_domain(self):
        """The other reminders sent to this reminder's customer by its company."""
        return [
            ("partner_id", "=", self.partner_id.id),
            ("company_id", "=", self.company_id.id),
            ("state", "=", "sent"),
            ("id", "!=", self.id),
        ]

    def _get_previous_reminders(self):
        """Reminders sent to this customer before this one (a formal notice
        recalls them, legal_fr.md 8.2)."""
        self.ensure_one()
        return self.search(
            [
                *self._other_sent_reminders_domain(),
                ("date_sent", "<=", self.date_sent or self.date),
            ],
            order="date_sent, id",
        )

    @api.model
    def _cost_terms_sql(self):
        """What one reminder ``act`` of the company ``rc`` costs, one SQL term
        per channel, for the reports of the cost per euro recovered (hook: a
        channel bridge adds its own)."""
        return [
            SQL("CASE WHEN act.send_email THEN COALESCE(rc.dunning_cost_email, 0) ELSE 0 END"),
            # Formal notices go by registered letter.
            SQL(
                """CASE WHEN NOT act.send_letter THEN 0
                        WHEN act.formal_notice THEN COALESCE(rc.dunning_cost_registered_letter, 0)
                        ELSE COALESCE(rc.dunning_cost_letter, 0) END"""
            ),
            SQL(
                """CASE WHEN act.create_activity
                        THEN COALESCE(rc.dunning_call_minutes, 0)::numeric / 60
                             * COALESCE(rc.dunning_hourly_cost, 0)
                        ELSE 0 END"""
            ),
        ]

    def _get_payment_instructions(self):
        """Bank account the customer should pay to, from the company."""
        self.ensure_one()
        return self.company_id.partner_id.bank_ids[:1]
