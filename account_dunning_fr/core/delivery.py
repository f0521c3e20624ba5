"""Whether a failed email says the customer's address is wrong.

A reminder that never reached the customer is no reminder: the accountant
must fix the address. But only a permanent refusal of the recipient says
so. SMTP (RFC 5321 4.2.1) answers 5yz for a permanent failure and 4yz for a
transient one, which the sender retries; a server that is down says nothing
of the address at all. RFC 3463 refines the reply with an enhanced status
code whose subject 1 ("addressing status": X.1.1 bad destination mailbox,
X.1.2 bad destination system, X.1.3 bad mailbox syntax, X.1.6 mailbox
moved) and X.2.1 (mailbox disabled) are about the recipient's address, at
whatever step the server says it.

Odoo 18 keeps the outcome as a mail failure type and a text:
``mail_email_invalid`` / ``mail_email_missing`` when it refused the address
itself, or ``unknown`` with the text of the SMTP exception, e.g.
``SMTPRecipientsRefused: {'a@b.example': (550, b'5.1.1 <a@b.example>:
Recipient address rejected')}`` (ir.mail_server.send_email); the exception's
class name and the server's reply are not translated.
"""

import re
from dataclasses import dataclass

# Odoo refused the address before any server saw it.
ODOO_ADDRESS_FAILURES = ("mail_email_invalid", "mail_email_missing")

# One refused recipient in the repr of smtplib.SMTPRecipientsRefused:
# 'address': (code, b'text') ; the text may be quoted either way.
REFUSED_RECIPIENT = re.compile(
    r"""['"](?P<address>[^'"]+)['"]\s*:\s*\(\s*(?P<code>\d{3})\s*,\s*b?(?P<q>['"])(?P<text>.*?)(?P=q)\s*\)"""
)
# Any SMTP error as smtplib prints it: (code, b'text').
SMTP_REPLY = re.compile(r"""\(\s*(?P<code>[45]\d\d)\s*,\s*b?(?P<q>['"])(?P<text>.*?)(?P=q)\s*\)""")
# RFC 3463 enhanced status codes about the recipient's address.
ADDRESS_STATUS = re.compile(r"\b5\.(?:1\.[1236]|2\.1)\b")


@dataclass(frozen=True)
class Refusal:
    """A permanent refusal of the address, in the server's words."""

    reason: str


def address_refused(failure_type, failure_reason):
    """A ``Refusal`` when the failure says the recipient's address is
    permanently refused, else None (a transient failure, a server down, an
    error of the sender or of the message)."""
    reason = failure_reason or ""
    if failure_type in ODOO_ADDRESS_FAILURES:
        return Refusal(reason.strip())
    if "SMTPRecipientsRefused" in reason:
        refused = [
            "%s: %s %s" % (m["address"], m["code"], m["text"].strip())
            for m in REFUSED_RECIPIENT.finditer(reason)
            if m["code"].startswith("5")
        ]
        return Refusal("; ".join(refused)) if refused else None
    for reply in SMTP_REPLY.finditer(reason):
        if reply["code"].startswith("5") and ADDRESS_STATUS.search(reply["text"]):
            return Refusal("%s %s" % (reply["code"], reply["text"].strip()))
    return None
