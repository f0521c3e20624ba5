"""Fixtures of the e-invoicing statuses tests: the company of SIREN
100000009 (the seller of the standard's examples and of this project's own
messages, tests/data/cdar/README.txt), invoices numbered and dated as the
messages name them, the messages themselves (restamped for another
invoice or day when a test needs it), and the three ways in."""

import base64
import io
import zipfile
from datetime import datetime, time, timedelta
from pathlib import Path

from odoo import Command

from ..core.cdar import MAX_BYTES, parse_cdar
from ..core.cdar_template import restamp
from .common import DunningCase

DATA = Path(__file__).parent / "data" / "cdar"
SIREN = "100000009"
# One message per code, by file (the standard's examples, then ours).
MESSAGES = {
    "200": "UC1_F202500003_01-CDV-200_Deposee.xml",
    "202": "UC1_F202500003_02-CDV-202_Recue.xml",
    "203": "UC1_F202500003_03-CDV-203_Mise_a_disposition.xml",
    "204": "UC1_F202500003_04-CDV-204_Prise_en_charge.xml",
    "205": "UC1_F202500003_05-CDV-205_Approuvee.xml",
    "206": "DUNNING_F202500010-CDV-206_Approuvee_partiellement.xml",
    "207": "UC4_F202500006_04-CDV-207_En_litige.xml",
    "208": "DUNNING_F202500011-CDV-208_Suspendue.xml",
    "209": "DUNNING_F202500011-CDV-209_Completee.xml",
    "210": "DUNNING_F202500012-CDV-210_Refusee.xml",
    "211": "UC1_F202500003_06-CDV-211_Paiement_transmis.xml",
    "212": "UC1_F202500003_07-CDV-212_Encaissee.xml",
    "213": "DUNNING_F202500013-CDV-213_Rejetee.xml",
    "220": "DUNNING_F202500014-CDV-220_Annulee.xml",
}


def cdar_file(name):
    return (DATA / name).read_bytes()


def zip_of(files):
    """A zip of [(name, bytes)]."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files:
            archive.writestr(name, data)
    return buffer.getvalue()


class EinvoicingCase(DunningCase):
    """The company is seller SIREN 100000009, with an accountant as its
    dunning responsible and a salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._add_test_rates_to_today(cls, until=cls.today + timedelta(days=90))
        if "siret" in cls.company._fields:
            cls.company.siret = False
        cls.company.company_registry = SIREN
        cls.accountant = cls.env["res.users"].create(
            {
                "name": "Claire Comptable",
                "login": "claire.einvoice",
                "email": "claire@masociete.example",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "groups_id": [
                    Command.set(
                        [
                            cls.env.ref("base.group_user").id,
                            cls.env.ref("account.group_account_invoice").id,
                        ]
                    )
                ],
            }
        )
        # A salesperson reads their customers' invoices (Sales), or, without
        # Sales installed, all of them read-only.
        reads_invoices = cls.env.ref(
            "sales_team.group_sale_salesman", raise_if_not_found=False
        ) or cls.env.ref("account.group_account_readonly")
        cls.salesperson = cls.env["res.users"].create(
            {
                "name": "Paul Vendeur",
                "login": "paul.einvoice",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "groups_id": [Command.set([cls.env.ref("base.group_user").id, reads_invoices.id])],
            }
        )
        cls.company.dunning_responsible_id = cls.accountant

    # ------------------------------------------------------------------
    # Invoices and messages
    # ------------------------------------------------------------------

    @classmethod
    def _invoice_named(cls, partner, number, invoice_date, due_date=None, amount=1000.0):
        """A posted customer invoice numbered ``number`` (as a platform names
        it, BT-1) of ``invoice_date`` (BT-2)."""
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "name": number,
                "partner_id": partner.id,
                "invoice_date": invoice_date,
                "invoice_date_due": due_date or invoice_date + timedelta(days=30),
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Prestation", "quantity": 1, "price_unit": amount, "tax_ids": []}
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _message(self, code, invoice=None, day=None, hour=10, siren=None):
        """The message of ``code`` (MESSAGES) for ``invoice`` (its number and
        date), dated ``day`` at ``hour`` (UTC); as shipped when nothing is
        given."""
        data = cdar_file(MESSAGES[code])
        if invoice is None and day is None and siren is None:
            return data
        return restamp(
            data,
            invoice_number=invoice.name if invoice else None,
            invoice_date=invoice.invoice_date if invoice else None,
            seller_siren=siren or SIREN,
            status_datetime=datetime.combine(day, time(hour)) if day else None,
        )

    # ------------------------------------------------------------------
    # The ways in
    # ------------------------------------------------------------------

    def _wizard_import(self, files, user=None):
        """Import [(name, bytes)] through the wizard, as ``user`` (the
        accountant); returns the wizard."""
        env = self.env(user=user or self.accountant)
        attachments = env["ir.attachment"].create(
            [
                {
                    "name": name,
                    "datas": base64.b64encode(data),
                    "res_model": "account.dunning.einvoice.import.wizard",
                    "res_id": 0,
                }
                for name, data in files
            ]
        )
        wizard = env["account.dunning.einvoice.import.wizard"].create(
            {"attachment_ids": [Command.set(attachments.ids)]}
        )
        wizard.action_import()
        return wizard

    def _receive(self, code, invoice=None, day=None, hour=10, siren=None):
        """One status through the wizard; returns the import log record."""
        data = self._message(code, invoice, day, hour, siren)
        return self._wizard_import([("status-%s.xml" % code, data)]).import_ids

    def _run_on(self, day, partner):
        """The dunning run of ``day`` for ``partner``; its reminders."""
        run = self.env["account.dunning.run"]._run_manual(self.company, partners=partner, date=day)
        return run.action_ids.filtered(lambda action: action.partner_id == partner)

    def _snapshot(self, *moves):
        """What the statuses may change on invoices, and what they add."""
        self.env.invalidate_all()
        return {
            "moves": [
                (
                    move.dunning_excluded,
                    move.dunning_exclusion_reason,
                    move.dunning_hold_until,
                    move.dunning_einvoice_effect,
                    move.dunning_einvoice_status,
                    len(move.activity_ids),
                )
                for move in moves
            ],
            "matched": self.env["account.dunning.einvoice.status"].search_count(
                [("move_id", "!=", False)]
            ),
            "activities": self.env["mail.activity"].search_count([]),
        }


def bad_files(message):
    """{name: (bytes, error code)} of files no status may be read from, made
    from ``message`` (a valid message for the test's invoice, which each
    would otherwise change)."""
    out_of_sequence = message.replace(
        b"</ram:ProcessConditionCode>",
        b"</ram:ProcessConditionCode><ram:IssuerAssignedID>X</ram:IssuerAssignedID>",
        1,
    )
    code = parse_cdar(message)[0].code.encode()
    return {
        "notes.xml": (b"Bonjour, voici notre statut.", "not_xml"),
        "error-page.xml": (
            b"<!DOCTYPE html><html><head><title>502</title></head><body>Bad gateway</body></html>",
            "not_cdar",
        ),
        "page.html": (b"<html><body><p>Statut<br></body></html>", "not_xml"),
        "invoice.xml": (
            message.replace(
                b"rsm:CrossDomainAcknowledgementAndResponse", b"rsm:CrossIndustryInvoice"
            ),
            "not_cdar",
        ),
        "invalid.xml": (out_of_sequence, "invalid"),
        "unknown-code.xml": (
            message.replace(
                b">%s</ram:ProcessConditionCode>" % code, b">299</ram:ProcessConditionCode>"
            ),
            "unknown_code",
        ),
        "too-large.xml": (message + b" " * MAX_BYTES, "too_large"),
        "broken.zip": (b"PK\x03\x04" + b"\x00" * 40, "not_xml"),
    }
