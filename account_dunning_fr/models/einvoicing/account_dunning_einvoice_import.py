import io
import re
import zipfile

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ...core import cdar
from .account_dunning_einvoice_status import OTHER_COMPANY_REASONS, SOURCES

ACCOUNTANT_GROUP = "account.group_account_invoice"

STATES = [
    ("matched", "Matched"),
    ("unmatched", "Unmatched"),
    ("duplicate", "Already received"),
    ("refused", "Refused"),
]
# The reader's error codes (core/cdar.py), and the gateway's own.
NO_FILE = "no_file"
SENDER = "sender"
ERRORS = [
    (cdar.NOT_XML, "Not XML"),
    (cdar.NOT_CDAR, "Not a CDAR message"),
    (cdar.INVALID, "Invalid against the CDAR schema"),
    (cdar.UNKNOWN_CODE, "Unknown status code"),
    (cdar.MISSING_DATA, "Data missing"),
    (cdar.TOO_LARGE, "Too large"),
    (NO_FILE, "No CDAR file"),
    (SENDER, "Sender not allowed"),
]
# What an email may carry that is read as a status message.
_READ_EXTENSIONS = (".xml", ".zip")
_XML_ENCODING = re.compile(rb"^(\s*<\?xml[^>]*encoding=[\"'])([^\"']+)", re.IGNORECASE)


class AccountDunningEinvoiceImport(models.Model):
    """A file of e-invoicing statuses as received (uploaded, emailed to the
    company's alias, or posted to the HTTP endpoint), kept with its outcome
    whatever it held: the accountant sees every file, the refused ones with
    the reason. A zip gives one record per message it holds. Statuses are
    kept by account.dunning.einvoice.status; this is the log and the file."""

    _name = "account.dunning.einvoice.import"
    _description = "E-invoicing status file"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _mail_post_access = "read"
    _primary_email = "email_from"

    name = fields.Char("File", required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda s: s.env.company
    )
    source = fields.Selection(SOURCES, required=True, readonly=True)
    email_from = fields.Char("Sent by", readonly=True)
    attachment_id = fields.Many2one("ir.attachment", "File received", readonly=True)
    file_size = fields.Integer("Size (bytes)", readonly=True)
    state = fields.Selection(STATES, readonly=True, index=True)
    error_code = fields.Selection(ERRORS, "Refused because", readonly=True)
    error_detail = fields.Char("Detail", readonly=True)
    error_message = fields.Char("Reason", compute="_compute_error_message")
    status_ids = fields.One2many("account.dunning.einvoice.status", "import_id", "Statuses")
    known_status_ids = fields.Many2many(
        "account.dunning.einvoice.status",
        "account_dunning_einvoice_import_known_rel",
        "import_id",
        "status_id",
        "Received before",
        readonly=True,
    )
    summary = fields.Char(compute="_compute_summary")

    @api.depends_context("lang")
    @api.depends("error_code", "error_detail")
    def _compute_error_message(self):
        for record in self:
            record.error_message = record._error_text() if record.error_code else False

    def _error_text(self):
        """Why the file was refused, in the reader's language."""
        _ = self.env._
        text = {
            cdar.NOT_XML: _("The file is not XML."),
            cdar.NOT_CDAR: _("The file is not an e-invoicing status message (CDAR)."),
            cdar.INVALID: _("The message does not follow the CDAR D22B schema."),
            cdar.UNKNOWN_CODE: _("The message carries a status code this add-on does not know."),
            cdar.MISSING_DATA: _("The message lacks data a status needs."),
            cdar.TOO_LARGE: _(
                "The file is larger than a status message may be (%(max)s MB): not kept.",
                max=cdar.MAX_BYTES // (1024 * 1024),
            ),
            NO_FILE: _("The email carries no XML or zip file."),
            SENDER: _("The sender is not one the company accepts statuses from."),
        }[self.error_code]
        return "%s %s" % (text, self.error_detail) if self.error_detail else text

    @api.depends_context("lang")
    @api.depends("state", "status_ids", "known_status_ids", "error_code")
    def _compute_summary(self):
        for record in self:
            record.summary = record._summary_text()

    def _summary_text(self):
        _ = self.env._
        if self.state == "refused":
            return self.error_message
        reasons = dict(
            self.env["account.dunning.einvoice.status"]
            ._fields["unmatched_reason"]
            ._description_selection(self.env)
        )
        parts = [
            _("%(code)s on %(invoice)s", code=status.code, invoice=status.move_id.name)
            if status.move_id
            else _(
                "%(code)s on %(number)s unmatched: %(reason)s",
                code=status.code,
                number=status.invoice_number,
                reason=reasons.get(status.unmatched_reason, ""),
            )
            for status in self.status_ids
        ]
        if self.known_status_ids:
            parts.append(_("%(count)s already received", count=len(self.known_status_ids)))
        return "; ".join(parts)

    # ------------------------------------------------------------------
    # Reading files
    # ------------------------------------------------------------------

    @api.model
    def _import_files(self, company, files, source, email_from=False):
        """Read the files received for ``company`` ([(name, bytes)], XML
        messages or zips of them) from ``source`` (file, email, api): each
        message kept on the log with its outcome, its statuses matched and
        applied, a refused one changing nothing. Returns the log records."""
        if not (self.env.su or self.env.user.has_group(ACCOUNTANT_GROUP)):
            raise AccessError(self.env._("Only accountants can import e-invoicing statuses."))
        Import = self.sudo().with_company(company)
        records = Import.browse()
        for name, data in files:
            records |= Import._import_file(company, name, data, source, email_from)
        return records.with_env(self.env)

    @api.model
    def _import_file(self, company, name, data, source, email_from=False):
        data = bytes(data or b"")
        try:
            messages = cdar.read_archive(data)
        except cdar.CdarError as error:
            return self._log(company, name, data, source, email_from)._refuse(error)
        if not zipfile.is_zipfile(io.BytesIO(data)):
            messages = [(name, data)]
        else:
            messages = [("%s/%s" % (name, member), content) for member, content in messages]
        records = self.browse()
        for member, content in messages:
            record = self._log(company, member, content, source, email_from)
            record._read_message(content)
            records |= record
        return records

    @api.model
    def _log(self, company, name, data, source, email_from=False):
        """The log record of a received file, the file attached to it (not
        a file over the size a message may have: its name and size only)."""
        record = self.create(
            {
                "name": (name or "message.xml")[:255],
                "company_id": company.id,
                "source": source,
                "email_from": email_from or False,
                "file_size": len(data),
            }
        )
        if data and len(data) <= cdar.MAX_BYTES:
            record.attachment_id = self.env["ir.attachment"].create(
                {
                    "name": record.name.rpartition("/")[2] or "message.xml",
                    "raw": data,
                    "res_model": self._name,
                    "res_id": record.id,
                    "company_id": company.id,
                }
            )
        return record

    def _refuse(self, error):
        """Refused for ``error`` (a CdarError, or (code, detail)): nothing
        read."""
        code, detail = (error.code, error.message) if hasattr(error, "code") else error
        self.write({"state": "refused", "error_code": code, "error_detail": detail or False})
        return self

    def _read_message(self, content):
        """The statuses of one message, kept and matched (or the message
        refused whole, changing nothing)."""
        self.ensure_one()
        try:
            statuses = cdar.parse_cdar(content)
        except cdar.CdarError as error:
            return self._refuse(error)
        results = self.env["account.dunning.einvoice.status"]._receive(
            self.company_id, statuses, self.source, self
        )
        known = [status.id for status, before in results if before]
        new = [status for status, before in results if not before]
        if not new:
            state = "duplicate"
        elif any(not status.move_id for status in new):
            state = "unmatched"
        else:
            state = "matched"
        self.write({"state": state, "known_status_ids": [fields.Command.set(known)]})
        return self

    def _for_another_company(self):
        """Statuses of this file that name another seller than the company."""
        return self.status_ids.filtered(lambda s: s.unmatched_reason in OTHER_COMPANY_REASONS)

    # ------------------------------------------------------------------
    # The mail gateway: an email to the company's alias
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An email to a company's alias: each XML or zip attached is read as
        that company's statuses (platforms forward statuses by email). The
        email itself goes on the first file's record; an email without a
        file, or from a sender the company does not accept, is kept refused."""
        values = dict(custom_values or {})
        company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
        sender = msg_dict.get("email_from") or False
        subject = msg_dict.get("subject") or self.env._("Email without subject")
        if not company._dunning_einvoice_sender_allowed(sender):
            return self._log(company, subject, b"", "email", sender)._refuse((SENDER, sender))
        files = [
            (attachment.fname, self._attachment_bytes(attachment.content))
            for attachment in msg_dict.get("attachments") or []
            if self._is_status_file(attachment.fname, attachment.content)
        ]
        if not files:
            return self._log(company, subject, b"", "email", sender)._refuse((NO_FILE, False))
        return self._import_files(company, files, "email", email_from=sender)[:1]

    @api.model
    def _is_status_file(self, name, content):
        """An XML or zip file, by its name or, when misnamed, its first bytes."""
        if (name or "").lower().endswith(_READ_EXTENSIONS):
            return True
        head = content[:64] if isinstance(content, (bytes, str)) else ""
        if isinstance(head, str):
            head = head.encode("utf-8", "ignore")
        return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"<?xml", b"<rsm:", b"PK\x03\x04"))

    @api.model
    def _attachment_bytes(self, content):
        """An email attachment's bytes. The gateway decodes text/xml parts
        into text: they are encoded back to UTF-8, and so declared."""
        if isinstance(content, bytes):
            return content
        data = (content or "").encode("utf-8")
        return _XML_ENCODING.sub(rb"\1UTF-8", data, count=1)

    # ------------------------------------------------------------------
    # What the HTTP endpoint answers
    # ------------------------------------------------------------------

    def _api_values(self):
        self.ensure_one()
        statuses = [status._api_values() for status in self.status_ids]
        statuses += [status._api_values(received_before=True) for status in self.known_status_ids]
        values = {"import_id": self.id, "state": self.state, "statuses": statuses}
        if self.state == "refused":
            values.update(error=self.error_code, message=self.error_message)
        return values
