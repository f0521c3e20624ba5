"""Read an e-invoicing lifecycle status message (CDAR).

A status of the French e-invoicing reform travels as a UN/CEFACT Cross
Domain Acknowledgement and Response message (CDAR, D22B) profiled by
XP Z12-012 / XP Z12-014 v1.4 (FNFE-MPE). One message holds one or more
``rsm:AcknowledgementDocument``, each with one or more
``ram:ReferenceReferencedDocument``: one status of one invoice each. The
paths read are those of the project's e-invoicing notes
(shared/einvoicing/README.md, "Where the data sits"): invoice number BT-1
(MDT-87), invoice date BT-2 (MDT-100, format 102), seller SIREN (MDT-129,
schemeID 0002), status code and label (MDT-105/106), status time
(MDT-78), reason, text and requested action (MDT-113/114/121), amount
paid (MDT-207 = MPA, MDT-215).

Where the notes are silent, this reader's choices: the status time is the
acknowledgement's (MDT-78), else the message's (MDT-8); the seller SIREN
is the referenced invoice's issuer (MDT-129), else the message's party of
role SE; the issuer is the message's IssuerTradeParty, else its
SenderTradeParty; the reason, its text and the requested action are the
first given; an action outside MDT-121's list (NOA PIN NIN CNF CNP CNA
OTH) is dropped; the amount is the first MPA characteristic only (the MEN
amounts of a 212 are what the seller cashed, not what the buyer paid); a
code outside the table of core/einvoicing.py is refused, even when the
schema accepts it (it types the code as any string).

The message is checked against the CDAR D22B schema shipped in
``data/cdar_xsd/`` (from fnfempe/France_RFE, Apache-2.0, see its LICENSE
file there). The French business rules (schematron) are not run: the
codes and data this add-on relies on are checked here instead.

The input comes from outside (an email, an upload, an HTTP endpoint): its
size is checked before parsing, the parser resolves no entity, loads no
DTD and reaches no network, a message carrying a document type
declaration is refused, and zip archives are read with caps on the number
of members and on the bytes they expand to.

Times: a time with a zone (``udt:DateTime`` as xs:dateTime, or a
``DateTimeString`` ending in Z or +HHMM, format 205) is converted to UTC;
a time without a zone (format 204, as in every example of the standard) is
taken as UTC, the convention of Odoo's datetimes: the standard says nothing
of the zone.
"""

import functools
import hashlib
import io
import re
import threading
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

from .einvoicing import REQUESTED_ACTIONS, STATUS_CODES

RSM = "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
NS = {"rsm": RSM, "ram": RAM, "qdt": QDT, "udt": UDT}
ROOT_TAG = "{%s}CrossDomainAcknowledgementAndResponse" % RSM

SIREN_SCHEME = "0002"
AMOUNT_PAID = "MPA"

# Refused before parsing: a status message is a few kilobytes.
MAX_BYTES = 10 * 1024 * 1024
# A zip: at most this many entries, expanding to at most this many bytes.
MAX_MEMBERS = 100
MAX_ARCHIVE_BYTES = 50 * 1024 * 1024

SCHEMA_PATH = (
    Path(__file__).resolve().parent.parent
    / "data"
    / "cdar_xsd"
    / "CrossDomainAcknowledgementAndResponse_100pD22B.xsd"
)

# Error codes (CdarError.code); the Odoo layer translates by code.
NOT_XML = "not_xml"
NOT_CDAR = "not_cdar"
INVALID = "invalid"
UNKNOWN_CODE = "unknown_code"
MISSING_DATA = "missing_data"
TOO_LARGE = "too_large"
ERROR_CODES = (NOT_XML, NOT_CDAR, INVALID, UNKNOWN_CODE, MISSING_DATA, TOO_LARGE)


class CdarError(ValueError):
    """A message that cannot be read as a lifecycle status.

    ``code`` is one of ERROR_CODES; the message is plain English.
    """

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class CdarStatus:
    """One lifecycle status of one invoice, as a CDAR message states it.

    ``status_datetime`` is naive UTC; ``issuer_role`` is the role code of
    whoever issued the status (BY buyer, SE seller, WK a platform...);
    ``amount``/``currency``: the amount paid of a 211 (MPA), else None;
    ``fingerprint``: sha256 of the canonical message (C14N, comments
    dropped) and of the status's index in it, the same for the same message
    received twice.
    """

    invoice_number: str
    invoice_date: date
    seller_siren: str
    code: str
    label: str
    status_datetime: datetime
    issuer_role: str | None
    issuer_id: str | None
    reason_code: str | None
    reason: str | None
    requested_action: str | None
    amount: Decimal | None
    currency: str | None
    message_id: str | None
    fingerprint: str


@functools.cache
def cdar_schema() -> etree.XMLSchema:
    """The CDAR D22B schema shipped with the add-on, loaded once."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH), parser))


# An XMLSchema keeps its error log on itself: one validation at a time.
_SCHEMA_LOCK = threading.Lock()


# A CDAR message has no document type declaration: one, with the entities it
# may declare (billion laughs, external entities), is refused unread, in the
# encodings XML allows without a declaration (UTF-8, UTF-16).
_DOCTYPE = tuple("<!DOCTYPE".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
NO_DTD = "A CDAR message carries no document type declaration (DTD): refused unread."


def _parser():
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
    )


def _check_size(data):
    if len(data) > MAX_BYTES:
        raise CdarError(
            TOO_LARGE,
            "The file is %d bytes, more than the %d a status message may have."
            % (len(data), MAX_BYTES),
        )


def parse_cdar(
    data: bytes, schema: etree.XMLSchema | None = None, validate: bool = True
) -> list[CdarStatus]:
    """The statuses a CDAR message carries, one per referenced document.

    ``data``: the message's bytes. ``schema``: an ``lxml.etree.XMLSchema``
    to validate against instead of the shipped one; ``validate=False``
    skips the schema (the data are still checked). Raises ``CdarError``.
    A message of several statuses is refused whole when one of them is
    unreadable or carries a code outside the table.
    """
    data = bytes(data)
    _check_size(data)
    if any(marker in data for marker in _DOCTYPE):
        raise CdarError(NOT_CDAR, NO_DTD)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise CdarError(NOT_XML, "The file is not well-formed XML: %s" % error) from None
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise CdarError(NOT_CDAR, NO_DTD)
    if root.tag != ROOT_TAG:
        raise CdarError(
            NOT_CDAR,
            "The XML is not a CDAR message: its root is %s, not "
            "rsm:CrossDomainAcknowledgementAndResponse." % root.tag,
        )
    if validate:
        _validate(tree, schema if schema is not None else cdar_schema())
    statuses = _statuses(root, etree.tostring(tree, method="c14n", with_comments=False))
    if not statuses:
        raise CdarError(MISSING_DATA, "The message refers to no invoice.")
    return statuses


def _statuses(root, canonical):
    """One CdarStatus per referenced document of a parsed message;
    ``canonical``: the message's C14N bytes, of which each fingerprint is
    made."""
    message_id = _text(root, "rsm:ExchangedDocument/ram:ID")
    message_time = root.find("rsm:ExchangedDocument/ram:IssueDateTime", NS)
    issuer = root.find("rsm:ExchangedDocument/ram:IssuerTradeParty", NS)
    if issuer is None:
        issuer = root.find("rsm:ExchangedDocument/ram:SenderTradeParty", NS)
    issuer_role = _text(issuer, "ram:RoleCode")
    issuer_id = _text(issuer, "ram:GlobalID") or _text(issuer, "ram:ID")
    seller_party_siren = _seller_party_siren(root)

    statuses = []
    for acknowledgement in root.iterfind("rsm:AcknowledgementDocument", NS):
        status_time = acknowledgement.find("ram:IssueDateTime", NS)
        if status_time is None:
            status_time = message_time
        for document in acknowledgement.iterfind("ram:ReferenceReferencedDocument", NS):
            statuses.append(
                _status(
                    document,
                    status_time,
                    seller_party_siren,
                    issuer_role=issuer_role,
                    issuer_id=issuer_id,
                    message_id=message_id,
                    fingerprint=hashlib.sha256(canonical + b"\n%d" % len(statuses)).hexdigest(),
                )
            )
    return statuses


def _validate(tree, schema):
    with _SCHEMA_LOCK:
        if schema.validate(tree):
            return
        errors = schema.error_log
        message = (
            "line %s: %s" % (errors[0].line, errors[0].message) if len(errors) else "no detail"
        )
    raise CdarError(INVALID, "The message does not follow the CDAR D22B schema: %s" % message)


def _status(document, status_time, seller_party_siren, **message):
    number = _text(document, "ram:IssuerAssignedID")
    if not number:
        raise CdarError(MISSING_DATA, "A status gives no invoice number (BT-1).")
    code = _text(document, "ram:ProcessConditionCode")
    if not code:
        raise CdarError(MISSING_DATA, "The status of invoice %s gives no code." % number)
    if code not in STATUS_CODES:
        raise CdarError(
            UNKNOWN_CODE, "The status code %s of invoice %s is not a known one." % (code, number)
        )
    invoice_day = _datetime(document.find("ram:FormattedIssueDateTime", NS))
    if invoice_day is None:
        raise CdarError(MISSING_DATA, "The status of invoice %s gives no invoice date." % number)
    siren = _siren(document.find("ram:IssuerTradeParty", NS)) or seller_party_siren
    if not siren:
        raise CdarError(MISSING_DATA, "The status of invoice %s gives no seller SIREN." % number)
    moment = _datetime(status_time)
    if moment is None:
        raise CdarError(MISSING_DATA, "The status of invoice %s gives no date." % number)

    reasons = document.findall("ram:SpecifiedDocumentStatus", NS)
    action = _first(reasons, "ram:RequestedActionCode")
    amount, currency = _amount_paid(document, number)
    return CdarStatus(
        invoice_number=number,
        invoice_date=invoice_day.date(),
        seller_siren=siren,
        code=code,
        label=_text(document, "ram:ProcessCondition") or STATUS_CODES[code].label,
        status_datetime=moment,
        reason_code=_first(reasons, "ram:ReasonCode"),
        reason=_first(reasons, "ram:Reason"),
        requested_action=action if action in REQUESTED_ACTIONS else None,
        amount=amount,
        currency=currency,
        **message,
    )


def _text(node, path):
    """The stripped text at ``path`` under ``node``, or None."""
    if node is None:
        return None
    found = node.find(path, NS)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _first(nodes, path):
    for node in nodes:
        value = _text(node, path)
        if value:
            return value
    return None


def _siren(party):
    if party is None:
        return None
    for global_id in party.iterfind("ram:GlobalID", NS):
        if (global_id.get("schemeID") or "").strip() == SIREN_SCHEME and global_id.text:
            return "".join(global_id.text.split()) or None
    return None


def _seller_party_siren(root):
    """The SIREN of the message's party of role SE (seller), if any."""
    for path in ("ram:IssuerTradeParty", "ram:SenderTradeParty", "ram:RecipientTradeParty"):
        for party in root.iterfind("rsm:ExchangedDocument/" + path, NS):
            if _text(party, "ram:RoleCode") == "SE" and _siren(party):
                return _siren(party)
    return None


def _amount_paid(document, number):
    for characteristic in document.iterfind(
        "ram:SpecifiedDocumentStatus/ram:SpecifiedDocumentCharacteristic", NS
    ):
        if _text(characteristic, "ram:TypeCode") != AMOUNT_PAID:
            continue
        node = characteristic.find("ram:ValueAmount", NS)
        if node is None or not (node.text or "").strip():
            continue
        try:
            amount = Decimal(node.text.strip())
        except InvalidOperation:
            raise CdarError(
                MISSING_DATA, "The amount paid on invoice %s is unreadable." % number
            ) from None
        return amount, (node.get("currencyID") or "").strip() or None
    return None, None


# YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, then an optional zone.
_DIGITS = re.compile(r"^(\d{8}|\d{12}|\d{14})(?:(Z)|([+-])(\d{2}):?(\d{2}))?$")


def _datetime(node):
    """A udt:DateTimeType / qdt:FormattedDateTimeType as naive UTC, or None
    when absent or unreadable."""
    if node is None:
        return None
    iso = _text(node, "udt:DateTime")
    if iso:
        try:
            value = datetime.fromisoformat(iso.replace("Z", "+00:00"))
        except ValueError:
            return None
        return _utc(value)
    string = node.find("udt:DateTimeString", NS)
    if string is None:
        string = node.find("qdt:DateTimeString", NS)
    text = "".join((string.text or "").split()) if string is not None else ""
    match = _DIGITS.match(text)
    if not match:
        return None
    digits, utc, sign, hours, minutes = match.groups()
    try:
        value = datetime.strptime(
            digits, {8: "%Y%m%d", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}[len(digits)]
        )
    except ValueError:
        return None
    if sign:
        offset = timedelta(hours=int(hours), minutes=int(minutes))
        value = value.replace(tzinfo=timezone(offset if sign == "+" else -offset))
    elif utc:
        value = value.replace(tzinfo=timezone.utc)
    return _utc(value)


def _utc(value):
    if value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def read_archive(data: bytes) -> list[tuple[str, bytes]]:
    """The XML files a received file holds, as [(name, bytes)].

    A zip gives its members whose name ends in .xml (directories, other
    files and macOS "._" resource forks skipped); anything else is taken as
    one message, ``[("message.xml", data)]``. Raises ``CdarError``:
    ``too_large`` for a file over MAX_BYTES, a zip of more than MAX_MEMBERS
    entries, a member over MAX_BYTES or members expanding to more than
    MAX_ARCHIVE_BYTES (read, not trusted from the zip's header);
    ``not_xml`` for an unreadable zip; ``not_cdar`` for a zip without XML.
    """
    data = bytes(data)
    _check_size(data)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return [("message.xml", data)]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise CdarError(
                    TOO_LARGE,
                    "The archive holds %d files, more than %d." % (len(members), MAX_MEMBERS),
                )
            files, total = [], 0
            for member in members:
                name = member.filename
                base = name.rsplit("/", 1)[-1]
                if (
                    member.is_dir()
                    or not base.lower().endswith(".xml")
                    or base.startswith("._")
                    or name.startswith("__MACOSX/")
                ):
                    continue
                with archive.open(member) as stream:
                    content = stream.read(MAX_BYTES + 1)
                if len(content) > MAX_BYTES:
                    raise CdarError(
                        TOO_LARGE,
                        "The file %s of the archive is over %d bytes." % (name, MAX_BYTES),
                    )
                total += len(content)
                if total > MAX_ARCHIVE_BYTES:
                    raise CdarError(
                        TOO_LARGE, "The archive expands to more than %d bytes." % MAX_ARCHIVE_BYTES
                    )
                files.append((name, content))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        RuntimeError,
        EOFError,
        OSError,
    ) as error:
        raise CdarError(NOT_XML, "The zip archive is unreadable: %s" % error) from None
    if not files:
        raise CdarError(NOT_CDAR, "The zip archive holds no XML file.")
    return files
