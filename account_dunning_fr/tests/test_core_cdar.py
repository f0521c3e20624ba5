"""Reading e-invoicing lifecycle statuses from CDAR messages (core/cdar.py).

The standard's worked examples (XP Z12-014 Annex B, use cases 1, 4 and 5,
from phax/ph-cii) and this project's own messages for 206, 208, 209, 210,
213 and 220 (tests/data/cdar/README.txt), each read field by field as the
file states it; then every kind of bad input a mailbox or an endpoint may
receive, each refused with its error code.
"""

import dataclasses
import io
import re
import time
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from lxml import etree

from odoo.tests import BaseCase, tagged

from ..core.cdar import (
    ERROR_CODES,
    MAX_BYTES,
    MAX_MEMBERS,
    RSM,
    CdarError,
    cdar_schema,
    parse_cdar,
    read_archive,
)

DATA = Path(__file__).parent / "data" / "cdar"
SAMPLES = (
    "UC1_F202500003_01-CDV-200_Deposee.xml",
    "UC1_F202500003_01-CDV-200_Deposee_POUR_PPF.xml",
    "UC1_F202500003_02-CDV-202_Recue.xml",
    "UC1_F202500003_03-CDV-203_Mise_a_disposition.xml",
    "UC1_F202500003_04-CDV-204_Prise_en_charge.xml",
    "UC1_F202500003_05-CDV-205_Approuvee.xml",
    "UC1_F202500003_06-CDV-211_Paiement_transmis.xml",
    "UC1_F202500003_07-CDV-212_Encaissee.xml",
    "UC1_F202500003_07-CDV-212_Encaissee_POUR_PPF.xml",
    "UC4_F202500006_04-CDV-207_En_litige.xml",
    "UC5_F202500007_04-CDV-207_En_litige.xml",
)
OWN = (
    "DUNNING_F202500010-CDV-206_Approuvee_partiellement.xml",
    "DUNNING_F202500011-CDV-208_Suspendue.xml",
    "DUNNING_F202500011-CDV-209_Completee.xml",
    "DUNNING_F202500012-CDV-210_Refusee.xml",
    "DUNNING_F202500013-CDV-213_Rejetee.xml",
    "DUNNING_F202500014-CDV-220_Annulee.xml",
)
APPROVED = "UC1_F202500003_05-CDV-205_Approuvee.xml"

# What every status of use case 1 shares: invoice F202500003 of 1 July 2025
# from seller SIREN 100000009, no reason, no amount.
UC1 = {
    "invoice_number": "F202500003",
    "invoice_date": date(2025, 7, 1),
    "seller_siren": "100000009",
    "reason_code": None,
    "reason": None,
    "requested_action": None,
    "amount": None,
    "currency": None,
}


def _bytes(name):
    return (DATA / name).read_bytes()


def _fields(status):
    """Every field but the fingerprint (a hash, tested on its own)."""
    fields = dataclasses.asdict(status)
    del fields["fingerprint"]
    return fields


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestCoreCdar(BaseCase):
    def _one(self, name):
        statuses = parse_cdar(_bytes(name))
        self.assertEqual(len(statuses), 1)
        return statuses[0]

    def assertRefused(self, code, data, **kwargs):
        with self.assertRaises(CdarError) as caught:
            parse_cdar(data, **kwargs)
        self.assertEqual(caught.exception.code, code, caught.exception)
        self.assertIn(caught.exception.code, ERROR_CODES)
        self.assertIsInstance(caught.exception, ValueError)
        return caught.exception

    # The standard's examples, as the files state them

    def test_every_example_and_own_message_follows_the_schema(self):
        schema = cdar_schema()
        for name in SAMPLES + OWN:
            self.assertTrue(schema.validate(etree.parse(str(DATA / name))), name)

    def test_uc1_filed_200_by_the_sellers_platform(self):
        self.assertEqual(
            _fields(self._one("UC1_F202500003_01-CDV-200_Deposee.xml")),
            dict(
                UC1,
                code="200",
                label="Déposée",
                status_datetime=datetime(2025, 7, 1, 15, 10, 0),
                # The platform (WK) names no ID of its own.
                issuer_role="WK",
                issuer_id=None,
                message_id="F202500003_200_20250701151000#380_20250701",
            ),
        )

    def test_uc1_filed_200_as_sent_to_the_ppf(self):
        self.assertEqual(
            _fields(self._one("UC1_F202500003_01-CDV-200_Deposee_POUR_PPF.xml")),
            dict(
                UC1,
                code="200",
                label="Déposée",
                status_datetime=datetime(2025, 7, 1, 15, 10, 0),
                # PA-E Vendeur, platform number 0003 (schemeID 0238).
                issuer_role="WK",
                issuer_id="0003",
                message_id="FFE0614A_CC0238_6099239258834564607",
            ),
        )

    def test_uc1_received_202_by_the_buyers_platform(self):
        self.assertEqual(
            _fields(self._one("UC1_F202500003_02-CDV-202_Recue.xml")),
            dict(
                UC1,
                code="202",
                label="Reçue",
                status_datetime=datetime(2025, 7, 1, 16, 10, 0),
                issuer_role="WK",
                issuer_id=None,
                message_id="F202500003_202_20250701161000#380_20250701",
            ),
        )

    def test_uc1_made_available_203_to_the_buyer(self):
        self.assertEqual(
            _fields(self._one("UC1_F202500003_03-CDV-203_Mise_a_disposition.xml")),
            dict(
                UC1,
                code="203",
                # The label as the file writes it.
                label="Mise_à_disposition",
                status_datetime=datetime(2025, 7, 1, 16, 25, 0),
                issuer_role="WK",
                issuer_id=None,
                message_id="F202500003_203_20250701161000#380_20250701",
            ),
        )

    def test_uc1_taken_over_204_by_the_buyer(self):
        self.assertEqual(
            _fields(self._one("UC1_F202500003_04-CDV-204_Prise_en_charge.xml")),
            dict(
                UC1,
                code="204",
                label="Prise_en_charge",
                status_datetime=datetime(2025, 7, 1, 18, 0, 0),
                issuer_role="BY",
                issuer_id="200000008",
                message_id="F202500003_204_20250701161000#380_20250701",
            ),
        )

    def test_uc1_approved_205_by_the_buyer(self):
        self.assertEqual(
            _fields(self._one(APPROVED)),
            dict(
                UC1,
                code="205",
                label="Approuvée",
                # The status's time (MDT-78), not the message's (10:05:00).
                status_datetime=datetime(2025, 7, 2, 10, 0, 0),
                issuer_role="BY",
                issuer_id="200000008",
                message_id="F202500003_205_20250701161000#380_20250701",
            ),
        )

    def test_uc1_payment_sent_211_with_the_amount_paid(self):
        self.assertEqual(
            _fields(self._one("UC1_F202500003_06-CDV-211_Paiement_transmis.xml")),
            dict(
                UC1,
                code="211",
                label="Paiement_transmis",
                status_datetime=datetime(2025, 7, 30, 10, 0, 0),
                issuer_role="BY",
                issuer_id="200000008",
                # MDG-43 of type MPA: 12000 EUR.
                amount=Decimal("12000"),
                currency="EUR",
                message_id="F202500003_211_20250701161000#380_20250701",
            ),
        )

    def test_uc1_cashed_212_is_the_sellers_own_status(self):
        expected = dict(
            UC1,
            code="212",
            label="Encaissée",
            status_datetime=datetime(2025, 8, 2, 10, 0, 0),
            issuer_role="SE",
            issuer_id="100000009",
            message_id="F202500003_212_20250701151000#380_20250701",
        )
        # The MEN amount (cashed, per VAT rate) is not an amount announced paid.
        self.assertEqual(_fields(self._one("UC1_F202500003_07-CDV-212_Encaissee.xml")), expected)
        self.assertEqual(
            _fields(self._one("UC1_F202500003_07-CDV-212_Encaissee_POUR_PPF.xml")),
            dict(expected, message_id="FFE0614A_CC0238_5118445863362991847"),
        )

    def test_uc4_disputed_207_asks_for_a_corrective_invoice(self):
        self.assertEqual(
            _fields(self._one("UC4_F202500006_04-CDV-207_En_litige.xml")),
            dict(
                UC1,
                invoice_number="F202500006",
                code="207",
                label="En_litige",
                status_datetime=datetime(2025, 7, 1, 18, 0, 0),
                issuer_role="BY",
                issuer_id="200000008",
                reason_code="TX_TVA_ERR",
                # " Taux de TVA erroné" in the file: stripped.
                reason="Taux de TVA erroné",
                requested_action="NIN",
                message_id="F202500006_207_20250701161000#380_20250701",
            ),
        )

    def test_uc5_disputed_207_asks_for_a_full_credit_note(self):
        self.assertEqual(
            _fields(self._one("UC5_F202500007_04-CDV-207_En_litige.xml")),
            dict(
                UC1,
                invoice_number="F202500007",
                invoice_date=date(2025, 7, 2),
                code="207",
                label="En_litige",
                status_datetime=datetime(2025, 7, 2, 18, 0, 0),
                issuer_role="BY",
                issuer_id="200000008",
                reason_code="TX_TVA_ERR",
                reason="Taux de TVA erroné",
                requested_action="CNF",
                message_id="F202500007_207_20250702171000#380_20250702",
            ),
        )

    # This project's own messages

    def test_partially_approved_206_with_its_reason(self):
        self.assertEqual(
            _fields(self._one(OWN[0])),
            dict(
                UC1,
                invoice_number="F202500010",
                invoice_date=date(2025, 11, 3),
                code="206",
                label="Approuvée_partiellement",
                status_datetime=datetime(2025, 11, 10, 9, 30, 0),
                issuer_role="BY",
                issuer_id="200000008",
                reason_code="QTE_ERR",
                reason="Quantité livrée inférieure à la quantité facturée",
                requested_action="CNP",
                message_id="F202500010_206_20251110093000#380_20251103",
            ),
        )

    def test_suspended_208_then_completed_209_by_the_seller(self):
        self.assertEqual(
            _fields(self._one(OWN[1])),
            dict(
                UC1,
                invoice_number="F202500011",
                invoice_date=date(2025, 11, 4),
                code="208",
                label="Suspendue",
                status_datetime=datetime(2025, 11, 12, 14, 0, 0),
                issuer_role="BY",
                issuer_id="200000008",
                reason_code="JUSTIF_ABS",
                reason="Bon de livraison absent",
                requested_action="PIN",
                message_id="F202500011_208_20251112140000#380_20251104",
            ),
        )
        self.assertEqual(
            _fields(self._one(OWN[2])),
            dict(
                UC1,
                invoice_number="F202500011",
                invoice_date=date(2025, 11, 4),
                code="209",
                label="Complétée",
                status_datetime=datetime(2025, 11, 14, 11, 15, 0),
                issuer_role="SE",
                issuer_id="100000009",
                message_id="F202500011_209_20251114111500#380_20251104",
            ),
        )

    def test_refused_210_as_a_duplicate(self):
        self.assertEqual(
            _fields(self._one(OWN[3])),
            dict(
                UC1,
                invoice_number="F202500012",
                invoice_date=date(2025, 11, 5),
                code="210",
                label="Refusée",
                status_datetime=datetime(2025, 11, 13, 16, 0, 0),
                issuer_role="BY",
                issuer_id="200000008",
                reason_code="DOUBLON",
                reason="Facture déjà reçue sous le numéro F202500009",
                requested_action="CNF",
                message_id="F202500012_210_20251113160000#380_20251105",
            ),
        )

    def test_rejected_213_by_the_buyers_platform(self):
        self.assertEqual(
            _fields(self._one(OWN[4])),
            dict(
                UC1,
                invoice_number="F202500013",
                invoice_date=date(2025, 11, 6),
                code="213",
                label="Rejetée",
                status_datetime=datetime(2025, 11, 6, 8, 10, 0),
                issuer_role="WK",
                issuer_id="0004",
                reason_code="CALCUL_ERR",
                reason="Total TTC différent de la somme des lignes",
                requested_action="NIN",
                message_id="F202500013_213_20251106081000#380_20251106",
            ),
        )

    def test_cancelled_220_by_the_seller(self):
        self.assertEqual(
            _fields(self._one(OWN[5])),
            dict(
                UC1,
                invoice_number="F202500014",
                invoice_date=date(2025, 11, 7),
                code="220",
                label="Annulée",
                status_datetime=datetime(2025, 11, 17, 10, 0, 0),
                issuer_role="SE",
                issuer_id="100000009",
                message_id="F202500014_220_20251117100000#380_20251107",
            ),
        )

    # Reading rules

    def test_a_message_of_two_invoices_gives_two_statuses(self):
        data = _bytes(APPROVED)
        document = re.search(
            rb"<ram:ReferenceReferencedDocument>.*</ram:ReferenceReferencedDocument>",
            data,
            re.DOTALL,
        ).group(0)
        second = document.replace(b"F202500003", b"F202500015")
        data = data.replace(document, document + second)
        first, other = parse_cdar(data)
        self.assertEqual((first.invoice_number, other.invoice_number), ("F202500003", "F202500015"))
        self.assertEqual(
            (other.code, other.status_datetime, other.message_id),
            ("205", datetime(2025, 7, 2, 10, 0, 0), first.message_id),
        )
        self.assertNotEqual(first.fingerprint, other.fingerprint)

    def test_the_same_message_twice_has_the_same_fingerprint(self):
        data = _bytes(APPROVED)
        self.assertEqual(self._one(APPROVED).fingerprint, parse_cdar(data)[0].fingerprint)
        # Canonical form: the same message without its comments, its
        # declaration and its byte order mark is the same message.
        bare = re.sub(rb"<!--.*?-->", b"", data).split(b"?>", 1)[1]
        self.assertEqual(parse_cdar(bare)[0].fingerprint, self._one(APPROVED).fingerprint)
        self.assertRegex(self._one(APPROVED).fingerprint, r"^[0-9a-f]{64}$")

    def test_the_same_status_sent_to_the_ppf_is_another_message(self):
        self.assertNotEqual(
            self._one("UC1_F202500003_01-CDV-200_Deposee.xml").fingerprint,
            self._one("UC1_F202500003_01-CDV-200_Deposee_POUR_PPF.xml").fingerprint,
        )

    def test_seller_siren_falls_back_on_the_messages_seller_party(self):
        # The invoice's issuer (MDT-129) removed: the SE recipient 100000009.
        data = re.sub(
            rb"<ram:IssuerTradeParty>\s*<ram:GlobalID schemeID=\"0002\">100000009</ram:GlobalID>"
            rb"[^\n]*\n\s*</ram:IssuerTradeParty>",
            b"",
            _bytes(APPROVED),
        )
        self.assertNotIn(b"MDT-129", data)
        self.assertEqual(parse_cdar(data)[0].seller_siren, "100000009")

    def test_no_seller_siren_anywhere_is_missing_data(self):
        # The PPF copy names no party of role SE in its header.
        data = re.sub(
            rb"<ram:IssuerTradeParty>\s*<ram:GlobalID schemeID=\"0002\">100000009</ram:GlobalID>"
            rb"[^\n]*\n\s*</ram:IssuerTradeParty>",
            b"",
            _bytes("UC1_F202500003_01-CDV-200_Deposee_POUR_PPF.xml"),
        )
        self.assertRefused("missing_data", data)

    def test_a_status_time_with_a_zone_is_read_in_utc(self):
        data = _bytes(APPROVED)
        status_time = b'<udt:DateTimeString format="204">20250702100000</udt:DateTimeString>'
        self.assertIn(status_time, data)
        # xs:dateTime at 12:00 Paris summer time = 10:00 UTC.
        iso = data.replace(status_time, b"<udt:DateTime>2025-07-02T12:00:00+02:00</udt:DateTime>")
        self.assertEqual(parse_cdar(iso)[0].status_datetime, datetime(2025, 7, 2, 10, 0, 0))
        # Format 205 (CCYYMMDDHHMMZHHMM): 00:30 in Paris is 22:30 UTC the day before.
        zoned = data.replace(
            status_time, b'<udt:DateTimeString format="205">202507030030+0200</udt:DateTimeString>'
        )
        self.assertEqual(parse_cdar(zoned)[0].status_datetime, datetime(2025, 7, 2, 22, 30, 0))
        utc = data.replace(b">20250702100000<", b">20250702100000Z<")
        self.assertEqual(parse_cdar(utc)[0].status_datetime, datetime(2025, 7, 2, 10, 0, 0))

    def test_without_the_schema_the_data_are_still_checked(self):
        self.assertEqual(
            parse_cdar(_bytes(APPROVED), validate=False)[0].code,
            self._one(APPROVED).code,
        )
        data = _bytes(APPROVED).replace(
            b"<ram:IssuerAssignedID>F202500003</ram:IssuerAssignedID>", b""
        )
        self.assertRefused("missing_data", data, validate=False)

    # Bad input

    def test_not_xml(self):
        self.assertRefused("not_xml", b"")
        self.assertRefused("not_xml", b"Bonjour, voici notre statut.")
        self.assertRefused("not_xml", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def test_an_html_page(self):
        self.assertRefused("not_xml", b"<html><body><p>Statut<br></body></html>")
        # A DOCTYPE is refused before parsing.
        self.assertRefused("not_cdar", b"<!DOCTYPE html><html><body><p>Statut</p></body></html>")
        # Well-formed XHTML is XML, but not a CDAR message.
        self.assertRefused("not_cdar", b'<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>')

    def test_a_cdar_body_under_another_root(self):
        data = _bytes(APPROVED).replace(
            b"rsm:CrossDomainAcknowledgementAndResponse", b"rsm:CrossIndustryInvoice"
        )
        error = self.assertRefused("not_cdar", data)
        self.assertIn("CrossIndustryInvoice", error.message)
        # The right name in the wrong namespace.
        data = _bytes(APPROVED).replace(
            b'xmlns:rsm="%s"' % RSM.encode(),
            b'xmlns:rsm="urn:example:not-cdar"',
        )
        self.assertRefused("not_cdar", data)

    def test_a_message_against_the_schema_keeps_lxmls_first_error(self):
        # The invoice number after the status code: out of the schema's sequence.
        data = _bytes(APPROVED).replace(
            b"<ram:ProcessConditionCode>205</ram:ProcessConditionCode>",
            b"<ram:ProcessConditionCode>205</ram:ProcessConditionCode>"
            b"<ram:IssuerAssignedID>F202500003</ram:IssuerAssignedID>",
        )
        error = self.assertRefused("invalid", data)
        self.assertIn("IssuerAssignedID", error.message)
        self.assertIn("This element is not expected", error.message)

    def test_an_unknown_status_code(self):
        # 299 is in no table, yet the schema accepts it (udt:CodeType):
        # the code is checked by the reader.
        data = _bytes(APPROVED).replace(
            b">205</ram:ProcessConditionCode>", b">299</ram:ProcessConditionCode>"
        )
        self.assertTrue(cdar_schema().validate(etree.fromstring(data)))
        error = self.assertRefused("unknown_code", data)
        self.assertIn("299", error.message)
        # 221 (routing error) is in the schematron's list, not in the README's.
        data = _bytes(APPROVED).replace(
            b">205</ram:ProcessConditionCode>", b">221</ram:ProcessConditionCode>"
        )
        self.assertRefused("unknown_code", data)

    def test_missing_invoice_number_date_or_code(self):
        data = _bytes(APPROVED)
        for removed in (
            b"<ram:IssuerAssignedID>F202500003</ram:IssuerAssignedID>",
            b'<qdt:DateTimeString format="102">20250701</qdt:DateTimeString>',
            b"<ram:ProcessConditionCode>205</ram:ProcessConditionCode>",
        ):
            self.assertIn(removed, data)
            # Without its date string FormattedIssueDateTime fails the schema:
            # the reader checks it all the same.
            self.assertRefused("missing_data", data.replace(removed, b""), validate=False)
        self.assertRefused(
            "missing_data",
            data.replace(b"<ram:IssuerAssignedID>F202500003</ram:IssuerAssignedID>", b""),
        )

    def test_an_eleven_megabyte_file_is_refused_before_parsing(self):
        blob = b"<a>" + b"x" * (11 * 1024 * 1024) + b"</a>"
        self.assertGreater(len(blob), MAX_BYTES)
        self.assertRefused("too_large", blob)
        with self.assertRaises(CdarError) as caught:
            read_archive(blob)
        self.assertEqual(caught.exception.code, "too_large")

    def test_a_billion_laughs_never_expands(self):
        entities = "".join(
            '<!ENTITY lol%d "%s">' % (level, ("&lol%d;" % (level - 1)) * 10)
            for level in range(2, 10)
        )
        bomb = (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol1 "lol">%s]><lolz>&lol9;</lolz>'
            % entities
        ).encode()
        start = time.monotonic()
        error = self.assertRefused("not_cdar", bomb)
        self.assertIn("DTD", error.message)
        # The same in UTF-16.
        utf16 = bomb.decode().replace('"1.0"', '"1.0" encoding="UTF-16"').encode("utf-16")
        self.assertRefused("not_cdar", utf16)
        self.assertLess(time.monotonic() - start, 5)

    def test_an_external_entity_is_never_read(self):
        data = (
            _bytes(APPROVED)
            .replace(
                b"<rsm:CrossDomainAcknowledgementAndResponse",
                b"<!DOCTYPE rsm:CrossDomainAcknowledgementAndResponse"
                b' [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
                b"<rsm:CrossDomainAcknowledgementAndResponse",
            )
            .replace(b">F202500003</ram:IssuerAssignedID>", b">&secret;</ram:IssuerAssignedID>")
        )
        self.assertRefused("not_cdar", data)

    # Archives

    def test_a_plain_message_is_one_file(self):
        data = _bytes(APPROVED)
        self.assertEqual(read_archive(data), [("message.xml", data)])

    def test_a_zip_of_two_messages(self):
        approved, paid = _bytes(APPROVED), _bytes("UC1_F202500003_06-CDV-211_Paiement_transmis.xml")
        archive = _zip(
            [
                ("statuts/", b""),
                ("statuts/205.xml", approved),
                ("statuts/lisez-moi.txt", b"Deux statuts"),
                ("__MACOSX/statuts/._205.xml", b"\x00\x05\x16\x07"),
                ("statuts/211.XML", paid),
            ]
        )
        files = read_archive(archive)
        self.assertEqual(files, [("statuts/205.xml", approved), ("statuts/211.XML", paid)])
        self.assertEqual([parse_cdar(content)[0].code for _name, content in files], ["205", "211"])

    def test_a_zip_without_xml(self):
        with self.assertRaises(CdarError) as caught:
            read_archive(_zip([("facture.pdf", b"%PDF-1.7")]))
        self.assertEqual(caught.exception.code, "not_cdar")

    def test_a_zip_bomb_is_refused(self):
        # 20 MB of zeros compress to about 20 kB: refused after reading 10 MB.
        bomb = _zip([("bomb.xml", b"\0" * (20 * 1024 * 1024))])
        self.assertLess(len(bomb), 100_000)
        with self.assertRaises(CdarError) as caught:
            read_archive(bomb)
        self.assertEqual(caught.exception.code, "too_large")
        # Six members of 9 MB: each allowed, 54 MB together are not.
        many = _zip([("%d.xml" % n, b"\0" * (9 * 1024 * 1024)) for n in range(6)])
        with self.assertRaises(CdarError) as caught:
            read_archive(many)
        self.assertEqual(caught.exception.code, "too_large")
        # More entries than MAX_MEMBERS.
        crowd = _zip([("%d.xml" % n, b"<a/>") for n in range(MAX_MEMBERS + 1)])
        with self.assertRaises(CdarError) as caught:
            read_archive(crowd)
        self.assertEqual(caught.exception.code, "too_large")

    def test_a_damaged_zip(self):
        archive = bytearray(_zip([("205.xml", _bytes(APPROVED))]))
        # Damage the compressed data, keep the directory at the end.
        archive[60:400] = b"\xff" * 340
        with self.assertRaises(CdarError) as caught:
            read_archive(bytes(archive))
        self.assertEqual(caught.exception.code, "not_xml")
