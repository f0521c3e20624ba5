"""The answer page of a reminder, over real HTTP: without an account, in
the customer's language, the same URL as an API; bad input gets the page
back with the reason and creates nothing."""

import base64
from datetime import timedelta

from odoo import http
from odoo.tests import HttpCase, tagged

from .test_answers import AnswerCase

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = base64.b64decode(
    b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestAnswerRoutes(AnswerCase, HttpCase):
    def setUp(self):
        super().setUp()
        self.authenticate(None, None)  # a visitor's session, for the CSRF token

    def _url(self, action, token=None):
        return "/dunning/answer/%s/%s" % (action.id, token or action.sudo().answer_token)

    def _post(self, action, data, files=None, token=None):
        data = {"csrf_token": http.Request.csrf_token(self), **data}
        return self.url_open(
            self._url(action, token), data=data, files=files, allow_redirects=False
        )

    def _answers(self, action):
        return self.env["account.dunning.answer"].search([("action_id", "=", action.id)])

    def test_the_email_and_the_letter_carry_the_link(self):
        action, _invoice = self._sent_reminder()
        self.assertIn(self._url(action), action.mail_id.body_html)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account_dunning_fr.action_report_dunning_letter", action.ids)[0]
            .decode()
        )
        self.assertIn(self._url(action), html)
        self.assertIn("data:image/png;base64,", html)

    def test_the_page_lists_the_invoices_with_what_is_still_due(self):
        action, invoice = self._sent_reminder(amount=1234.5)
        self._pay(invoice, 234.5)
        response = self.url_open(self._url(action))
        self.assertEqual(response.status_code, 200)
        self.assertIn(invoice.name, response.text)
        self.assertIn("1,000.00", response.text)
        self.assertIn("I have already paid", response.text)

    def test_the_page_speaks_the_customers_language(self):
        self.customer.lang = "fr_FR"
        action, _invoice = self._sent_reminder()
        response = self.url_open(self._url(action))
        self.assertIn("J&#39;ai déjà payé", response.text.replace("'", "&#39;"))

    def test_paid_with_a_proof_from_the_page(self):
        action, invoice = self._sent_reminder()
        paid_on = self.today - timedelta(days=2)
        form = {
            "kind": "paid",
            "move_ids": str(invoice.id),
            "paid_date": paid_on.isoformat(),
            "paid_amount": "300,00",
            "payment_reference": "VIR-1203",
        }
        response = self._post(
            action,
            form,
            files={"attachment": ("virement.pdf", PDF, "application/pdf")},
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("answered=1", response.headers["Location"])
        answer = self._answers(action)
        self.assertEqual(
            (answer.kind, answer.paid_date, answer.paid_amount, answer.payment_reference),
            ("paid", paid_on, 300.0, "VIR-1203"),
        )
        self.assertEqual(answer.source, "portal")
        self.assertEqual(answer.attachment_ids.mimetype, "application/pdf")
        self.assertEqual(invoice.dunning_payment_paid_on, paid_on)
        thanks = self.url_open(response.headers["Location"])
        self.assertIn("your answer has been recorded", thanks.text)
        # A double click: one answer.
        self._post(action, form)
        self.assertEqual(len(self._answers(action)), 1)

    def test_a_promise_and_a_dispute_from_the_page(self):
        first = self._invoice(self.customer, 300.0, days_late=3)
        second = self._invoice(self.customer, 200.0, days_late=3)
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        self._post(
            action,
            {
                "kind": "promise",
                "move_ids": str(second.id),
                "promise_date": (self.today + timedelta(days=5)).isoformat(),
            },
        )
        self._post(
            action,
            {
                "kind": "dispute",
                "move_ids": str(first.id),
                "dispute_reason": "wrong_amount",
                "note": "TVA à 10 %, pas 20 %",
            },
            files={"attachment": ("photo.png", PNG, "image/png")},
        )
        kinds = {answer.kind: answer for answer in self._answers(action)}
        self.assertEqual(set(kinds), {"promise", "dispute"})
        self.assertEqual(second.dunning_exclusion_reason, "promise")
        self.assertEqual(first.dunning_exclusion_reason, "dispute")
        self.assertEqual(kinds["dispute"].attachment_ids.mimetype, "image/png")

    def test_bad_answers_get_the_page_back_and_create_nothing(self):
        action, invoice = self._sent_reminder()
        other, _other_invoice = self._sent_reminder(partner=self.customer_2)
        future = (self.today + timedelta(days=3)).isoformat()
        cases = (
            ({"kind": "paid", "paid_date": future}, "cannot be after"),
            ({"kind": "paid", "paid_date": "2026-02-30"}, "enter a date"),
            ({"kind": "paid", "paid_date": "abc"}, "enter a date"),
            ({"kind": "paid", "paid_date": self.today.isoformat(), "paid_amount": "0"}, "above 0"),
            ({"kind": "paid", "paid_date": self.today.isoformat(), "paid_amount": "-5"}, "above 0"),
            (
                {"kind": "paid", "paid_date": self.today.isoformat(), "paid_amount": "1e9"},
                "above 0",
            ),
            (
                {"kind": "paid", "paid_date": self.today.isoformat(), "paid_amount": "9" * 30},
                "above 0",
            ),
            ({"kind": "promise", "promise_date": "2020-01-01"}, "cannot be before"),
            ({"kind": "promise", "promise_date": "2099-01-01"}, "cannot be after"),
            ({"kind": "promise"}, "this field is required"),
            ({"kind": "dispute", "dispute_reason": "bogus"}, "Say why"),
            ({"kind": "bogus"}, "Choose your answer"),
            ({}, "Choose your answer"),
            ({"kind": "dispute", "dispute_reason": "other", "move_ids": "abc"}, "not valid"),
            (
                {"kind": "dispute", "dispute_reason": "other", "move_ids": str(_other_invoice.id)},
                "not an unpaid invoice of this reminder",
            ),
            ({"kind": "dispute", "dispute_reason": "other", "note": "x" * 5000}, "4000 characters"),
        )
        for data, reason in cases:
            with self.subTest(data=data):
                response = self._post(action, data)
                self.assertEqual(response.status_code, 400)
                self.assertIn(reason, response.text)
        response = self._post(
            action,
            {"kind": "paid", "paid_date": self.today.isoformat()},
            files={"attachment": ("script.exe", b"MZ\x90\x00binary", "application/pdf")},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Send a PDF or a picture", response.text)
        # Over 10 MB, Odoo refuses the request itself (werkzeug's form limit).
        big = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)
        response = self._post(
            action,
            {"kind": "paid", "paid_date": self.today.isoformat()},
            files={"attachment": ("big.pdf", big, "application/pdf")},
        )
        self.assertTrue(400 <= response.status_code < 500, response.status_code)
        self.assertIn("Request Entity Too Large", response.text)
        self.assertFalse(self._answers(action))
        self.assertFalse(invoice.dunning_hold_until)
        self.assertFalse(self._answers(other))

    def test_a_wrong_token_an_old_reminder_and_a_superseded_one(self):
        action, _invoice = self._sent_reminder()
        for token in ("A" * 16, "abc", action.sudo().answer_token[:-1]):
            response = self.url_open(self._url(action, token))
            self.assertEqual(response.status_code, 404)
            self.assertIn("This link is not valid", response.text)
        response = self._post(action, {"kind": "paid"}, token="A" * 16)
        self.assertEqual(response.status_code, 404)
        # Another customer's token does not open this reminder.
        other, _other_invoice = self._sent_reminder(partner=self.customer_2)
        response = self.url_open(self._url(action, other.sudo().answer_token))
        self.assertEqual(response.status_code, 404)
        # A newer reminder sent since: this one is superseded.
        self._run_on(self.today + timedelta(days=14))
        response = self.url_open(self._url(action))
        self.assertEqual(response.status_code, 410)
        self.assertIn("more recent reminder", response.text)
        # 90 days after it was sent: expired.
        later = self._actions(self.customer) - action
        self.env.cr.execute(
            "UPDATE account_dunning_action SET date_sent = %s WHERE id = %s",
            [self.today - timedelta(days=91), later.id],
        )
        later.invalidate_recordset()
        response = self.url_open(self._url(later))
        self.assertEqual(response.status_code, 410)
        self.assertIn("more than 90 days old", response.text)
        self.assertFalse(self._answers(action) | self._answers(later))

    def test_the_customer_sees_its_answers_on_the_portal(self):
        action, invoice = self._sent_reminder()
        self._answer(action, kind="paid", paid_date=self.today, payment_reference="REF-42")
        self.env["res.users"].create(
            {
                "name": "Client Martin",
                "login": "client.answers.portal",
                "password": "client.answers.portal",
                "partner_id": self.customer.id,
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        self.authenticate("client.answers.portal", "client.answers.portal")
        response = self.url_open("/my/dunning_answers")
        self.assertEqual(response.status_code, 200)
        self.assertIn("REF-42", response.text)
        self.assertIn(invoice.name, response.text)
