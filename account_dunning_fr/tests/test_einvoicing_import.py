"""E-invoicing statuses received as files: the import wizard (XML files, a
zip of them) and the company's email alias (Odoo's mail gateway reading a
raw email with the CDAR message attached). Every file is kept on the
import log with its outcome; a bad file is refused with the reason and
changes nothing."""

from datetime import timedelta
from email.message import EmailMessage

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .einvoicing_common import EinvoicingCase, bad_files, zip_of


@tagged("post_install", "-at_install")
class TestEinvoicingImport(EinvoicingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        due = cls.today - timedelta(days=10)
        cls.invoice = cls._invoice_named(
            cls.customer, "FA2026-0100", due - timedelta(days=30), due_date=due
        )
        cls.invoice_2 = cls._invoice_named(
            cls.customer_2, "FA2026-0101", due - timedelta(days=30), due_date=due
        )

    def _logged(self):
        return self.env["account.dunning.einvoice.import"].search(
            [("company_id", "=", self.company.id)]
        )

    # ------------------------------------------------------------------
    # The wizard
    # ------------------------------------------------------------------

    def test_the_wizard_reads_several_files_and_a_zip_of_them(self):
        yesterday = self.today - timedelta(days=1)
        disputed = self._message("207", self.invoice, yesterday)
        refused = self._message("210", self.invoice_2, yesterday)
        wizard = self._wizard_import(
            [
                ("207.xml", disputed),
                ("statuts.zip", zip_of([("a/210.xml", refused), ("lisez-moi.txt", b"x")])),
            ]
        )
        self.assertEqual(wizard.state, "done")
        imported = wizard.import_ids.sorted("id")
        self.assertEqual(imported.mapped("name"), ["207.xml", "statuts.zip/a/210.xml"])
        self.assertEqual(set(imported.mapped("state")), {"matched"})
        self.assertEqual(imported.mapped("source"), ["file", "file"])
        self.assertEqual(imported[1].attachment_id.raw, refused)
        self.assertEqual(self.invoice.dunning_einvoice_status, "207")
        self.assertEqual(self.invoice_2.dunning_einvoice_effect, "stop")
        self.assertEqual(wizard.status_count, 2)
        action = wizard.action_view_statuses()
        self.assertEqual(
            self.env[action["res_model"]].search(action["domain"]),
            (self.invoice | self.invoice_2).dunning_einvoice_status_ids,
        )
        # The uploaded copies are gone: the log keeps its own.
        self.assertFalse(wizard.attachment_ids)
        # The runs of later days: neither invoice is reminded.
        for partner in (self.customer, self.customer_2):
            self.assertFalse(self._run_on(self.today + timedelta(days=1), partner))

    def test_the_wizard_asks_for_a_file(self):
        wizard = self.env["account.dunning.einvoice.import.wizard"].with_user(self.accountant)
        with self.assertRaisesRegex(UserError, "Add one or more CDAR XML files"):
            wizard.create({}).action_import()

    def test_bad_files_are_refused_with_the_reason_kept_on_the_log_and_change_nothing(self):
        message = self._message("207", self.invoice, self.today)
        before = self._snapshot(self.invoice)
        for name, (data, error) in bad_files(message).items():
            with self.subTest(file=name):
                wizard = self._wizard_import([(name, data)])
                record = wizard.import_ids
                self.assertEqual(wizard.refused_count, 1)
                self.assertEqual((record.state, record.error_code), ("refused", error))
                self.assertTrue(record.error_message)
                self.assertFalse(record.status_ids)
                if error == "too_large":
                    # Its name and size only: a file that size is not kept.
                    self.assertFalse(record.attachment_id)
                    self.assertEqual(record.file_size, len(data))
                else:
                    self.assertEqual(record.attachment_id.raw, data)
        self.assertEqual(self._snapshot(self.invoice), before)
        self.assertEqual(len(self._logged()), len(bad_files(message)))
        self.assertTrue(self._run_on(self.today, self.customer))

    def test_the_reason_is_in_the_accountants_language(self):
        record = self._wizard_import([("notes.xml", b"Bonjour")]).import_ids
        as_french = record.with_user(self.accountant).with_context(lang="fr_FR")
        self.assertIn("Le fichier n'est pas du XML.", as_french.error_message)
        self.assertIn("The file is not XML.", record.with_context(lang="en_US").error_message)

    # ------------------------------------------------------------------
    # The email alias
    # ------------------------------------------------------------------

    def _alias(self):
        domain = self.env["mail.alias.domain"].create({"name": "masociete.example"})
        self.company.alias_domain_id = domain
        self.company._dunning_einvoice_set_alias("statuts-factures")
        return self.company.dunning_einvoice_alias_id

    def _email(self, attachments, sender="statuts@plateforme.example", to=None, text_xml=False):
        """A raw email to the alias with ``attachments`` [(name, bytes)]."""
        message = EmailMessage()
        message["From"] = sender
        message["To"] = to or "statuts-factures@masociete.example"
        message["Subject"] = "Statuts du cycle de vie"
        message["Message-Id"] = "<%s@plateforme.example>" % abs(hash((sender, str(attachments))))
        message.set_content("Veuillez trouver ci-joint les statuts de vos factures.")
        for name, data in attachments:
            if text_xml:
                message.add_attachment(data.decode(), subtype="xml", filename=name)
            else:
                message.add_attachment(data, maintype="application", subtype="xml", filename=name)
        return message.as_string()

    def _process(self, raw):
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            return self.env["mail.thread"].message_process(False, raw)

    def test_an_email_to_the_alias_is_read_as_the_companys_statuses(self):
        alias = self._alias()
        self.assertEqual(alias.alias_full_name, "statuts-factures@masociete.example")
        data = self._message("208", self.invoice, self.today - timedelta(days=1))
        record_id = self._process(self._email([("cdv-208.xml", data)]))
        record = self.env["account.dunning.einvoice.import"].browse(record_id)
        self.assertEqual(
            (record.source, record.state, record.email_from, record.company_id),
            ("email", "matched", "statuts@plateforme.example", self.company),
        )
        self.assertEqual(record.status_ids.move_id, self.invoice)
        self.assertEqual(record.status_ids.source, "email")
        self.assertIn("Statuts du cycle de vie", record.message_ids.mapped("subject"))
        self.assertEqual(self.invoice.dunning_exclusion_reason, "einvoice")
        # The runs of later days: held until completed.
        self.assertFalse(self._run_on(self.today + timedelta(days=1), self.customer))
        completed = self._message("209", self.invoice, self.today)
        self._process(self._email([("cdv-209.xml", completed)]))
        self.assertFalse(self.invoice.dunning_excluded)
        self.assertTrue(self._run_on(self.today + timedelta(days=2), self.customer))

    def test_an_xml_decoded_as_text_by_the_gateway_is_read_as_sent(self):
        self._alias()
        data = self._message("207", self.invoice, self.today)
        record_id = self._process(self._email([("cdv.xml", data)], text_xml=True))
        record = self.env["account.dunning.einvoice.import"].browse(record_id)
        self.assertEqual(record.state, "matched")
        self.assertIn("Taux de TVA erroné", record.status_ids.reason)

    def test_each_file_of_an_email_is_kept_apart(self):
        self._alias()
        day = self.today - timedelta(days=1)
        raw = self._email(
            [
                ("207.xml", self._message("207", self.invoice, day)),
                ("211.xml", self._message("211", self.invoice_2, day)),
                ("bad.xml", b"<html><body>oops</body></html>"),
            ]
        )
        self._process(raw)
        logged = self._logged().sorted("id")
        self.assertEqual(logged.mapped("state"), ["matched", "matched", "refused"])
        self.assertEqual(self.invoice_2.dunning_hold_until, day + timedelta(days=5))

    def test_a_bad_email_is_kept_refused_and_changes_nothing(self):
        self._alias()
        before = self._snapshot(self.invoice)
        message = self._message("207", self.invoice, self.today)
        for name, (data, error) in bad_files(message).items():
            if error == "too_large":
                continue  # a mail server refuses it before Odoo
            with self.subTest(file=name):
                # Named as a status message would be: read, and refused.
                self._process(self._email([(name.rsplit(".", 1)[0] + ".xml", data)]))
                self.assertEqual(self._logged()[:1].error_code, error)
        self._process(self._email([]))
        self.assertEqual(self._logged()[:1].error_code, "no_file")
        # A file that is no status message by its name nor its bytes is not read.
        self._process(self._email([("facture.pdf", b"%PDF-1.7\n")]))
        self.assertEqual(self._logged()[:1].error_code, "no_file")
        self.assertEqual(self._snapshot(self.invoice), before)

    def test_the_company_may_accept_statuses_from_its_platform_only(self):
        self._alias()
        self.company.dunning_einvoice_allowed_senders = "plateforme.example, pdp@autre.example"
        message = self._message("207", self.invoice, self.today)
        self._process(self._email([("207.xml", message)], sender="escroc@ailleurs.example"))
        record = self._logged()[:1]
        self.assertEqual((record.state, record.error_code), ("refused", "sender"))
        self.assertFalse(self.invoice.dunning_excluded)
        self._process(self._email([("207.xml", message)], sender="Statuts <pdp@autre.example>"))
        self.assertEqual(self._logged()[:1].state, "matched")
        self.assertTrue(self.invoice.dunning_excluded)

    def test_without_a_mail_domain_the_alias_is_found_by_its_name(self):
        self.company.alias_domain_id = False
        self.company._dunning_einvoice_set_alias("statuts-factures")
        data = self._message("207", self.invoice, self.today)
        self._process(self._email([("207.xml", data)], to="statuts-factures@odoo.example"))
        self.assertEqual(self._logged()[:1].state, "matched")

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------

    def test_settings_set_the_alias_the_wait_and_give_the_key(self):
        settings = self.env["res.config.settings"].create(
            {
                "dunning_einvoice_alias_name": "cdv",
                "dunning_einvoice_paid_hold_days": 3,
            }
        )
        settings.execute()
        self.assertEqual(self.company.dunning_einvoice_alias_id.alias_name, "cdv")
        self.assertEqual(self.company.dunning_einvoice_paid_hold_days, 3)
        action = settings.action_dunning_einvoice_new_api_key()
        key = action["context"]["default_key"]
        self.assertEqual(
            self.env["res.company"]._dunning_einvoice_company_of_key(key), self.company
        )
        self.assertTrue(action["context"]["default_endpoint"].endswith("/dunning/einvoicing/cdar"))
        self.assertTrue(self.company.dunning_einvoice_api_key_date)
        settings = self.env["res.config.settings"].create({"dunning_einvoice_alias_name": False})
        settings.execute()
        self.assertFalse(self.company.dunning_einvoice_alias_id)
