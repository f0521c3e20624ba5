import hashlib
import hmac
import logging
import re
import secrets

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import email_normalize

_logger = logging.getLogger(__name__)

API_KEY_PREFIX = "cdar_"
# A key longer than this is not one of ours: refused before hashing.
API_KEY_MAX_LENGTH = 200
KEY_MAKERS = ("account.group_account_manager", "base.group_system")


def api_key_digest(key):
    """The stored form of an API key: its SHA-256. The key is 256 random
    bits, so a plain digest cannot be reversed by trying keys, and it can be
    looked up by an index (a slow salted hash, as for passwords, could not)."""
    return hashlib.sha256(key.encode()).hexdigest()


class ResCompany(models.Model):
    """How a company receives its buyers' e-invoicing statuses: who it is
    (its SIREN), the HTTP endpoint's key, the email alias, and how long a
    payment transmitted holds the reminders."""

    _inherit = "res.company"

    dunning_einvoice_paid_hold_days = fields.Integer(
        "Wait after 'payment transmitted' (days)",
        default=5,
        help="When the buyer's platform says the payment was transmitted (status 211), "
        "dunning waits this many days from the status date, then resumes if the invoice "
        "is still unpaid.",
    )
    dunning_einvoice_alias_id = fields.Many2one(
        "mail.alias", "E-invoicing statuses alias", copy=False, ondelete="set null"
    )
    dunning_einvoice_allowed_senders = fields.Char(
        "Accept statuses by email from",
        help="Addresses or domains (example.com), separated by commas, whose emails to the "
        "alias are read. Empty: any sender who knows the address.",
    )
    dunning_einvoice_api_key_hash = fields.Char(
        copy=False, index="btree_not_null", groups="base.group_system"
    )
    dunning_einvoice_api_key_date = fields.Datetime("API key made on", copy=False, readonly=True)

    @api.constrains("dunning_einvoice_paid_hold_days")
    def _check_dunning_einvoice_paid_hold_days(self):
        for company in self:
            if company.dunning_einvoice_paid_hold_days < 0:
                raise ValidationError(
                    self.env._("The wait after a payment transmitted cannot be negative.")
                )

    def _dunning_siren(self):
        """The company's SIREN (9 digits), which e-invoicing statuses name
        as the seller's: the first 9 digits of its SIRET (l10n_fr), else of
        its company registry (SIREN or SIRET), else those of its French VAT
        number (FR + 2-character key + SIREN). False when none gives one."""
        self.ensure_one()
        candidates = [
            self["siret"] if "siret" in self._fields else False,
            self.company_registry,
        ]
        for value in candidates:
            digits = re.sub(r"\s", "", value or "")
            if re.fullmatch(r"\d{9}(\d{5})?", digits):
                return digits[:9]
        vat = re.sub(r"\s", "", self.vat or "").upper()
        if re.fullmatch(r"FR[0-9A-Z]{2}\d{9}", vat):
            return vat[4:]
        return False

    # ------------------------------------------------------------------
    # The HTTP endpoint's key
    # ------------------------------------------------------------------

    def _dunning_einvoice_new_api_key(self):
        """A new key for POST /dunning/einvoicing/cdar, returned in clear
        this once: only its digest is kept, and the previous key stops
        working."""
        self.ensure_one()
        if not (self.env.su or any(self.env.user.has_group(group) for group in KEY_MAKERS)):
            raise AccessError(
                self.env._("Only accounting managers can make the e-invoicing API key.")
            )
        key = API_KEY_PREFIX + secrets.token_urlsafe(32)
        self.sudo().write(
            {
                "dunning_einvoice_api_key_hash": api_key_digest(key),
                "dunning_einvoice_api_key_date": fields.Datetime.now(),
            }
        )
        _logger.info("E-invoicing API key of company %s made by user %s", self.id, self.env.uid)
        return key

    @api.model
    def _dunning_einvoice_company_of_key(self, key):
        """The company whose API key ``key`` is, or an empty recordset."""
        key = (key or "").strip()
        if not key.startswith(API_KEY_PREFIX) or len(key) > API_KEY_MAX_LENGTH:
            return self.browse()
        digest = api_key_digest(key)
        company = self.sudo().search([("dunning_einvoice_api_key_hash", "=", digest)], limit=1)
        if company and hmac.compare_digest(company.dunning_einvoice_api_key_hash, digest):
            return company
        return self.browse()

    # ------------------------------------------------------------------
    # The email alias
    # ------------------------------------------------------------------

    def _dunning_einvoice_set_alias(self, name):
        """Give the company the alias ``name`` (its emails' CDAR attachments
        are read as this company's statuses), rename it, or remove it
        (``name`` empty)."""
        self.ensure_one()
        alias = self.sudo().dunning_einvoice_alias_id
        if not name:
            self.sudo().dunning_einvoice_alias_id = False
            alias.unlink()
            return
        if alias:
            alias.alias_name = name
            return
        self.sudo().dunning_einvoice_alias_id = (
            self.env["mail.alias"]
            .sudo()
            .create(
                {
                    "alias_name": name,
                    "alias_model_id": self.env["ir.model"]._get_id(
                        "account.dunning.einvoice.import"
                    ),
                    "alias_defaults": repr({"company_id": self.id}),
                    "alias_contact": "everyone",
                    "alias_domain_id": self.alias_domain_id.id,
                    # Without a mail domain, the local part alone routes it.
                    "alias_incoming_local": not self.alias_domain_id,
                }
            )
        )

    def _dunning_einvoice_sender_allowed(self, email_from):
        """Whether statuses emailed by ``email_from`` are read: any sender
        when the company lists none, else a listed address or domain."""
        self.ensure_one()
        allowed = [
            entry.strip().lower().lstrip("@")
            for entry in (self.dunning_einvoice_allowed_senders or "").split(",")
            if entry.strip()
        ]
        if not allowed:
            return True
        email = email_normalize(email_from or "") or ""
        domain = email.rpartition("@")[2]
        return bool(email) and (email in allowed or domain in allowed)
