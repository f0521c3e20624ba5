"""POST /dunning/einvoicing/cdar over real HTTP, as a platform's webhook
calls it: one CDAR message per request, the company's API key in
``Authorization: Bearer``. 200 with a JSON of what matched; 4xx with a JSON
reason for a wrong key, bad files, another company's SIREN; never a 500,
and a refused message changes nothing but the import log."""

from datetime import timedelta

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .einvoicing_common import EinvoicingCase, bad_files

URL = "/dunning/einvoicing/cdar"
STATUS_OF_ERROR = {
    "not_xml": 400,
    "not_cdar": 400,
    "invalid": 400,
    "unknown_code": 422,
    "too_large": 413,
}


@tagged("post_install", "-at_install")
class TestEinvoicingEndpoint(EinvoicingCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key = cls.company._dunning_einvoice_new_api_key()
        due = cls.today - timedelta(days=10)
        cls.invoice = cls._invoice_named(
            cls.customer, "FA2026-0300", due - timedelta(days=30), due_date=due
        )

    def _post(self, data, key=None, content_type="application/xml"):
        headers = {"Content-Type": content_type}
        if key is not False:
            headers["Authorization"] = "Bearer %s" % (self.key if key is None else key)
        with mute_logger("odoo.http", "werkzeug"):
            return self.url_open(URL, data=data, headers=headers, allow_redirects=False)

    def _logged(self):
        return self.env["account.dunning.einvoice.import"].search(
            [("company_id", "=", self.company.id)]
        )

    def test_a_dispute_posted_answers_what_matched_and_pauses_dunning(self):
        data = self._message("207", self.invoice, self.today - timedelta(days=1))
        response = self._post(data)
        self.assertEqual(response.status_code, 200, response.text)
        answer = response.json()
        self.assertTrue(answer["ok"])
        self.assertEqual(answer["state"], "matched")
        (status,) = answer["statuses"]
        self.assertEqual(
            (status["code"], status["matched"], status["invoice_id"], status["duplicate"]),
            ("207", True, self.invoice.id, False),
        )
        self.assertEqual(status["invoice_number"], "FA2026-0300")
        record = self._logged()
        self.assertEqual((record.source, record.attachment_id.raw), ("api", data))
        self.assertEqual(self.invoice.dunning_exclusion_reason, "einvoice")
        self.assertFalse(self._run_on(self.today + timedelta(days=1), self.customer))
        # The same message again: kept once, said so.
        again = self._post(data).json()
        self.assertTrue(again["statuses"][0]["duplicate"])
        self.assertEqual(again["state"], "duplicate")
        self.assertEqual(len(self.invoice.dunning_einvoice_status_ids), 1)
        # Approved the next day: the run after reminds.
        response = self._post(self._message("205", self.invoice, self.today))
        self.assertEqual(response.status_code, 200, response.text)
        self.assertTrue(self._run_on(self.today + timedelta(days=2), self.customer))

    def test_a_refusal_posted_stops_dunning(self):
        response = self._post(self._message("210", self.invoice, self.today))
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self.invoice.dunning_einvoice_effect, "stop")
        self.assertFalse(self._run_on(self.today + timedelta(days=15), self.customer))

    def test_a_payment_transmitted_posted_holds_then_reminds(self):
        paid_on = self.today - timedelta(days=2)
        response = self._post(self._message("211", self.invoice, paid_on))
        self.assertEqual(response.status_code, 200, response.text)
        until = paid_on + timedelta(days=5)
        self.assertFalse(self._run_on(until, self.customer))
        self.assertTrue(self._run_on(until + timedelta(days=1), self.customer))

    def test_an_unknown_invoice_is_kept_unmatched_and_said(self):
        other = self.invoice.copy(
            {"name": "FA2026-0301", "invoice_date": self.invoice.invoice_date}
        )
        data = self._message("207", other, self.today)
        other.unlink()
        response = self._post(data)
        self.assertEqual(response.status_code, 200, response.text)
        status = response.json()["statuses"][0]
        self.assertEqual((status["matched"], status["unmatched_reason"]), (False, "unknown_number"))
        self.assertFalse(self.invoice.dunning_excluded)

    def test_a_wrong_key_is_refused_and_nothing_kept(self):
        data = self._message("210", self.invoice, self.today)
        before = self._snapshot(self.invoice)
        for key in (
            False,
            "",
            "cdar_" + "x" * 43,
            self.key + "x",
            "Basic YWRtaW46YWRtaW4=",
            "x" * 5000,
        ):
            with self.subTest(key=key):
                response = self._post(data, key=key)
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response.json()["error"], "unauthorized")
        with mute_logger("odoo.http", "werkzeug"):
            response = self.url_open(
                URL, data=data, headers={"Authorization": "Basic YWRtaW46YWRtaW4="}
            )
        self.assertEqual(response.status_code, 401)
        # The key in a query string or a form is no key.
        with mute_logger("odoo.http", "werkzeug"):
            response = self.url_open("%s?key=%s" % (URL, self.key), data=data)
        self.assertEqual(response.status_code, 401)
        self.assertFalse(self._logged())
        self.assertEqual(self._snapshot(self.invoice), before)

    def test_bad_files_answer_4xx_with_the_reason_kept_on_the_log_and_change_nothing(self):
        message = self._message("210", self.invoice, self.today)
        files = bad_files(message)
        files["sixty-megabytes.xml"] = (b"<" + b"x" * (60 * 1024 * 1024), "too_large")
        before = self._snapshot(self.invoice)
        for name, (data, error) in files.items():
            with self.subTest(file=name):
                response = self._post(data)
                self.assertEqual(response.status_code, STATUS_OF_ERROR[error], response.text[:300])
                answer = response.json()
                self.assertEqual((answer["ok"], answer["error"]), (False, error))
                self.assertTrue(answer["message"])
                record = self._logged()[:1]
                self.assertEqual((record.state, record.error_code), ("refused", error))
                self.assertEqual(answer["import_id"], record.id)
        self.assertEqual(len(self._logged()), len(files))
        self.assertEqual(self._snapshot(self.invoice), before)

    def test_another_companys_siren_answers_422_and_changes_nothing(self):
        before = self._snapshot(self.invoice)
        response = self._post(self._message("210", self.invoice, self.today, siren="552100554"))
        self.assertEqual(response.status_code, 422)
        answer = response.json()
        self.assertEqual((answer["ok"], answer["error"]), (False, "wrong_siren"))
        self.assertIn("552100554", answer["message"])
        self.assertEqual(answer["statuses"][0]["unmatched_reason"], "wrong_siren")
        self.assertEqual(self._snapshot(self.invoice), before)
        self.assertEqual(self._logged().status_ids.unmatched_reason, "wrong_siren")

    def test_only_post_is_answered(self):
        with mute_logger("odoo.http", "werkzeug"):
            response = self.url_open(URL)
        self.assertEqual(response.status_code, 405)
