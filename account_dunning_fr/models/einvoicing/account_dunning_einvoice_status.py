import hashlib

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError

from ...core import einvoicing

ACCOUNTANT_GROUP = "account.group_account_invoice"

# "207 En litige": the standard's own labels (French in every language: they
# are the names platforms show).
STATUS_SELECTION = [
    (row.code, "%s %s" % (row.code, row.label)) for row in einvoicing.STATUS_CODES.values()
]
EFFECTS = [
    (einvoicing.INFO, "Information"),
    (einvoicing.PROOF, "Proof of receipt"),
    (einvoicing.RESUME, "Resumes dunning"),
    (einvoicing.PAUSE, "Pauses dunning"),
    (einvoicing.REVIEW, "Held, to review"),
    (einvoicing.HOLD, "Held a few days"),
    (einvoicing.STOP, "Stops dunning"),
    (einvoicing.SELLER, "Our own status"),
    (einvoicing.FACTOR, "Factoring"),
]
ISSUER_ROLES = [("BY", "Buyer"), ("SE", "Seller"), ("platform", "Platform")]
SOURCES = [("file", "File"), ("email", "Email"), ("api", "API")]
REQUESTED_ACTIONS = list(einvoicing.REQUESTED_ACTIONS.items())
# Why a status received matches no invoice: it is kept, and changes nothing.
UNMATCHED_REASONS = [
    ("wrong_siren", "Another company's SIREN"),
    ("no_siren", "The company has no SIREN"),
    ("unknown_number", "Unknown invoice number"),
    ("not_posted", "Invoice not posted"),
    ("date_differs", "Invoice date differs"),
    ("several", "Several invoices match"),
]
# The statuses of a message for another company: the sender has the wrong
# address (HTTP 422), not an invoice we do not know.
OTHER_COMPANY_REASONS = ("wrong_siren", "no_siren")


class AccountDunningEinvoiceStatus(models.Model):
    """One lifecycle status of one customer invoice, as the buyer's side
    declared it through the e-invoicing platforms (XP Z12-012 / Z12-014,
    CDAR message), kept as received: the proof of what the buyer said and
    when. Matched to an invoice only when its number, date and seller SIREN
    designate exactly one posted customer invoice of the company; otherwise
    kept unmatched with the reason, changing nothing. What statuses mean
    for dunning is decided by core/einvoicing.py and applied by
    ``account.move._dunning_einvoice_apply``."""

    _name = "account.dunning.einvoice.status"
    _description = "E-invoicing lifecycle status"
    _order = "status_datetime desc, id desc"
    _rec_names_search = ["invoice_number", "code", "label"]

    move_id = fields.Many2one(
        "account.move", "Invoice", index="btree_not_null", ondelete="restrict", readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    code = fields.Char(required=True, size=3, readonly=True, help="MDT-105, 200 to 227.")
    label = fields.Char(readonly=True)
    effect = fields.Selection(EFFECTS, "Meaning for dunning", compute="_compute_effect", store=True)
    status_datetime = fields.Datetime("Status date", required=True, readonly=True, index=True)
    issuer_role = fields.Selection(ISSUER_ROLES, "Issued by", readonly=True)
    issuer_id = fields.Char("Issuer identifier", readonly=True)
    reason_code = fields.Char(readonly=True, help="MDT-113, e.g. TX_TVA_ERR.")
    reason = fields.Char(readonly=True)
    requested_action = fields.Selection(REQUESTED_ACTIONS, readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount = fields.Monetary(
        "Amount paid", readonly=True, help="The amount the buyer says it paid (211, MPA)."
    )
    source = fields.Selection(SOURCES, required=True, readonly=True)
    import_id = fields.Many2one(
        "account.dunning.einvoice.import",
        "Received in",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        groups=ACCOUNTANT_GROUP,
    )
    attachment_id = fields.Many2one(
        related="import_id.attachment_id", string="CDAR message", groups=ACCOUNTANT_GROUP
    )
    invoice_number = fields.Char("Invoice number (BT-1)", readonly=True)
    invoice_date = fields.Date("Invoice date (BT-2)", readonly=True)
    seller_siren = fields.Char("Seller SIREN", readonly=True)
    message_id = fields.Char("Message ID", readonly=True)
    fingerprint = fields.Char(required=True, readonly=True, copy=False)
    unmatched_reason = fields.Selection(UNMATCHED_REASONS, readonly=True, index="btree_not_null")

    _sql_constraints = [
        (
            "fingerprint_unique",
            "unique(company_id, fingerprint)",
            "This e-invoicing status was already received.",
        )
    ]

    @api.depends("code")
    def _compute_effect(self):
        for status in self:
            row = einvoicing.STATUS_CODES.get(status.code or "")
            status.effect = row.effect if row else False

    @api.depends("code", "label", "invoice_number")
    def _compute_display_name(self):
        for status in self:
            status.display_name = "%s %s - %s" % (
                status.code or "",
                status.label or "",
                status.invoice_number or "",
            )

    @api.constrains("code")
    def _check_code(self):
        for status in self:
            if not einvoicing.is_known_code(status.code):
                raise UserError(
                    self.env._(
                        "%(code)s is not an e-invoicing status code this add-on knows.",
                        code=status.code,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_matched(self):
        if self.filtered("move_id"):
            raise UserError(
                self.env._(
                    "A status matched to an invoice is the proof of what the buyer declared: "
                    "it cannot be deleted."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        statuses = super().create(vals_list)
        moves = statuses.move_id
        if moves:
            moves._dunning_einvoice_log(statuses.filtered("move_id"))
            moves._dunning_einvoice_apply()
        return statuses

    # ------------------------------------------------------------------
    # Matching: never guessing
    # ------------------------------------------------------------------

    @api.model
    def _match_invoice(self, company, number, invoice_date, siren):
        """(invoice, False) when ``number``, ``invoice_date`` and the seller
        ``siren`` designate exactly one posted customer invoice of
        ``company``; else (no invoice, one of UNMATCHED_REASONS)."""
        Move = self.env["account.move"].sudo()
        company_siren = company._dunning_siren()
        if not company_siren:
            return Move, "no_siren"
        if (siren or "").strip() != company_siren:
            return Move, "wrong_siren"
        invoices = Move.search(
            [
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("name", "=", (number or "").strip()),
            ]
        )
        posted = invoices.filtered(lambda move: move.state == "posted")
        same_day = posted.filtered(lambda move: move.invoice_date == invoice_date)
        if not invoices:
            return Move, "unknown_number"
        if not posted:
            return Move, "not_posted"
        if not same_day:
            return Move, "date_differs"
        if len(same_day) > 1:
            return Move, "several"
        return same_day, False

    @api.model
    def _receive(self, company, statuses, source, import_record=None):
        """Keep the statuses read from a message (core/cdar.py CdarStatus)
        for ``company``: each matched to its invoice or kept unmatched with
        the reason; a status received before (same fingerprint) is not kept
        twice. Returns [(status record, received before)] in their order."""
        Status = self.sudo()
        known = {
            status.fingerprint: status
            for status in Status.search(
                [
                    ("company_id", "=", company.id),
                    ("fingerprint", "in", [parsed.fingerprint for parsed in statuses]),
                ]
            )
        }
        results = []
        for parsed in statuses:
            if parsed.fingerprint in known:
                results.append((known[parsed.fingerprint], True))
                continue
            values = self._values_from_cdar(company, parsed, source, import_record)
            status, before = Status._create_once(values)
            results.append((status, before))
        return results

    def _create_once(self, values):
        """(the status created, False), or (the one kept, True) when another
        transaction has just kept the same one: two deliveries of one
        message at once are one status, not an error."""
        try:
            with self.env.cr.savepoint():
                return self.create(values), False
        except psycopg2.errors.UniqueViolation:
            kept = self.search(
                [
                    ("company_id", "=", values["company_id"]),
                    ("fingerprint", "=", values["fingerprint"]),
                ]
            )
            if not kept:
                raise
            return kept, True

    @api.model
    def _values_from_cdar(self, company, parsed, source, import_record=None):
        """The values of the status record of ``parsed`` (a CdarStatus)."""
        move, reason = self._match_invoice(
            company, parsed.invoice_number, parsed.invoice_date, parsed.seller_siren
        )
        currency = self.env["res.currency"]
        if parsed.amount is not None and parsed.currency:
            currency = currency.with_context(active_test=False).search(
                [("name", "=", parsed.currency)], limit=1
            )
        return {
            "company_id": company.id,
            "move_id": move.id,
            "unmatched_reason": reason,
            "code": parsed.code,
            "label": einvoicing.status_label(parsed.code),
            "status_datetime": parsed.status_datetime,
            "issuer_role": self._issuer_role(parsed.issuer_role),
            "issuer_id": parsed.issuer_id,
            "reason_code": parsed.reason_code,
            "reason": parsed.reason,
            "requested_action": parsed.requested_action,
            "amount": float(parsed.amount) if parsed.amount is not None else 0.0,
            "currency_id": currency.id,
            "invoice_number": parsed.invoice_number,
            "invoice_date": parsed.invoice_date,
            "seller_siren": parsed.seller_siren,
            "message_id": parsed.message_id,
            "fingerprint": parsed.fingerprint,
            "source": source,
            "import_id": import_record.id if import_record else False,
        }

    @api.model
    def _issuer_role(self, role_code):
        """BY and SE as such; any other role (WK, the platforms' roles) is a
        platform."""
        if not role_code:
            return False
        return role_code if role_code in ("BY", "SE") else "platform"

    @api.model
    def _values_from_connector(self, move, code, when, values):
        """The values of the status record a connector gives for ``move``
        (see account.move._dunning_einvoice_status_received)."""
        for name, allowed in (
            ("issuer_role", dict(ISSUER_ROLES)),
            ("requested_action", einvoicing.REQUESTED_ACTIONS),
            ("source", dict(SOURCES)),
        ):
            if values.get(name) and values[name] not in allowed:
                raise UserError(
                    self.env._(
                        "%(value)s is not a valid %(field)s (%(allowed)s).",
                        value=values[name],
                        field=name,
                        allowed=", ".join(allowed),
                    )
                )
        currency = self.env["res.currency"]
        if values.get("currency"):
            currency = currency.with_context(active_test=False).search(
                [("name", "=", values["currency"])], limit=1
            )
        return {
            "company_id": move.company_id.id,
            "move_id": move.id,
            "code": code,
            "label": values.get("label") or einvoicing.status_label(code),
            "status_datetime": when,
            "issuer_role": values.get("issuer_role") or False,
            "issuer_id": values.get("issuer_id") or False,
            "reason_code": values.get("reason_code") or False,
            "reason": values.get("reason") or False,
            "requested_action": values.get("requested_action") or False,
            "amount": float(values.get("amount") or 0.0),
            "currency_id": currency.id,
            "invoice_number": move.name,
            "invoice_date": move.invoice_date,
            "seller_siren": move.company_id._dunning_siren() or False,
            "message_id": values.get("message_id") or False,
            "fingerprint": values.get("fingerprint")
            or self._connector_fingerprint(move, code, when, values),
            "source": values.get("source") or "api",
        }

    @api.model
    def _connector_fingerprint(self, move, code, when, values):
        """The same status twice (invoice, code, time, reason, message id)
        has the same fingerprint, and is kept once."""
        key = "|".join(
            str(part or "")
            for part in (
                move.id,
                code,
                when.isoformat(),
                values.get("reason_code"),
                values.get("message_id"),
            )
        )
        return hashlib.sha256(key.encode()).hexdigest()

    @api.model
    def _requested_action_label(self, code):
        """The requested action's label in the user's language ('' for none)."""
        labels = dict(self._fields["requested_action"]._description_selection(self.env))
        return labels.get(code or "", "")

    def _api_values(self, received_before=False):
        """What the HTTP endpoint answers about this status."""
        self.ensure_one()
        return {
            "invoice_number": self.invoice_number,
            "invoice_date": self.invoice_date and self.invoice_date.isoformat(),
            "code": self.code,
            "label": self.label,
            "status_datetime": self.status_datetime.isoformat(),
            "matched": bool(self.move_id),
            "invoice_id": self.move_id.id or None,
            "unmatched_reason": self.unmatched_reason or None,
            "duplicate": received_before,
        }
