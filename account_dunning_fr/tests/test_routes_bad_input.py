"""Every route of the add-ons, over real HTTP, as a stranger, as another
customer and as the customer, with bad input: letters for numbers, unknown
and other customers' ids, ids beyond PostgreSQL's integer, missing fields,
huge values, a wrong CSRF token. Never a 500, nothing created; the customer
gets the page back with the reason in their language.

A route added to an add-on without its cases here fails the first test."""

import inspect

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged

from .common import DunningCase

DUNNING_MODULES = (
    "account_dunning_fr",
    "account_dunning_fr_sale",
    "account_dunning_fr_sms",
    "account_dunning_fr_payment",
    "account_dunning_fr_queue",
    "account_dunning_fr_spreadsheet",
)
DUNNING_PACKAGES = tuple("odoo.addons.%s." % module for module in DUNNING_MODULES)
HUGE_ID = 10**12
# An empty number of instalments is the default (3), not bad input.
BAD_NUMBERS = ("abc", "-1", "0", "61", "1e3", "3.5", "9" * 40, "NaN", "<b>3</b>", "٣")
BAD_IDS = ("abc", "", "-5", "0", "1.5", str(HUGE_ID), "9" * 40, "%00")


def dunning_routes():
    """The URL patterns the add-ons define (not those they inherit)."""
    urls, classes = set(), [http.Controller]
    while classes:
        controller = classes.pop()
        classes.extend(controller.__subclasses__())
        for _name, member in inspect.getmembers(controller, inspect.isfunction):
            routing = getattr(member, "original_routing", None)
            if routing and member.__module__.startswith(DUNNING_PACKAGES):
                urls.update(routing["routes"])
    return urls


@tagged("post_install", "-at_install")
class TestRoutesBadInput(DunningCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env, login="client.routes", groups="base.group_portal", partner_id=cls.customer.id
        )
        cls.other_portal = new_test_user(
            cls.env, login="other.routes", groups="base.group_portal", partner_id=cls.customer_2.id
        )
        cls.invoice = cls._invoice(cls.customer, 900.0, days_late=20)
        cls.other_invoice = cls._invoice(cls.customer_2, 500.0, days_late=20)
        Plan = cls.env["account.dunning.payment.plan"]
        cls.other_plan = Plan._create_portal_request(cls.customer_2, cls.other_invoice, 3)
        cls.env["account.dunning.run"]._run_manual(cls.company, partners=cls.customer)
        cls.action = cls.env["account.dunning.action"].search(
            [("partner_id", "=", cls.customer.id)]
        )

    # ------------------------------------------------------------------
    # What must not change
    # ------------------------------------------------------------------

    def _snapshot(self):
        self.env.invalidate_all()
        Action = self.env["account.dunning.action"]
        return {
            "plans": self.env["account.dunning.payment.plan"].search_count([]),
            "plan lines": self.env["account.dunning.payment.plan.line"].search_count([]),
            "activities": self.env["mail.activity"].search_count([]),
            "answers": self.env["account.dunning.answer"].search_count([]),
            "holds": self.env["account.move"].search_count([("dunning_hold_until", "!=", False)]),
            "exclusions": self.env["account.move"].search_count([("dunning_excluded", "=", True)]),
            "messages": self.env["mail.message"].search_count([]),
            "attachments": self.env["ir.attachment"].search_count([]),
            "tracking": [
                (a.open_count, a.click_count, a.portal_visit_date) for a in Action.search([])
            ],
        }

    # ------------------------------------------------------------------
    # The cases, per route
    # ------------------------------------------------------------------

    def _plan_request_forms(self, own, foreign):
        """Bad request forms (without the CSRF token) for
        /my/payment_plans/request, for a user whose unpaid invoice is ``own``
        and who must not reach ``foreign``."""
        mine = "invoice_%s" % own.id
        forms = [{mine: str(own.id), "instalment_count": n} for n in BAD_NUMBERS]
        forms += [{"invoice_x": value, "instalment_count": "3"} for value in BAD_IDS]
        forms += [
            {"invoice_%s" % foreign.id: str(foreign.id)},
            {mine: str(own.id), "invoice_1": str(foreign.id)},
            {"invoice_%s" % HUGE_ID: str(HUGE_ID)},
            {},
            {mine: str(own.id), "note": "x" * 100_000},
        ]
        return forms

    def _get_cases(self, login=None):
        """(method, path, data) for each route pattern, as ``login``."""
        own, foreign = self.invoice, self.other_invoice
        if login == "other.routes":
            own, foreign = foreign, own
        token = self.action.sudo().tracking_token
        other_id = self.other_plan.id
        plan_pages = [
            "/my/payment_plans/%s" % other_id,
            "/my/payment_plans/%s?access_token=%s" % (other_id, "0" * 32),
            "/my/payment_plans/%s?access_token=&report_type=pdf&download=abc" % other_id,
            "/my/payment_plans/%s?report_type=bogus" % other_id,
            "/my/payment_plans/987654",
            "/my/payment_plans/%s" % HUGE_ID,
            "/my/payment_plans/%s" % ("9" * 40),
        ]
        tracking = []
        for action_id in (self.action.id, 987654, HUGE_ID, "9" * 40):
            for wrong in ("0" * 64, "abc", token[:-1], "x" * 5000):
                tracking += [
                    ("GET", "/dunning/r/%s/%s" % (action_id, wrong), None),
                    ("GET", "/dunning/o/%s/%s.gif" % (action_id, wrong), None),
                ]
        answer_token = self.action.sudo().answer_token
        answer = "/dunning/answer/%s/%s"
        answer_cases = [
            ("GET", answer % (action_id, wrong), None)
            for action_id in (self.action.id, 987654, HUGE_ID, "9" * 40)
            for wrong in ("A" * 16, "abc", answer_token[:-1], "x" * 5000)
        ]
        bad_forms = [
            {"kind": "paid", "paid_date": "abc"},
            {"kind": "paid", "paid_date": "2099-01-01"},
            {"kind": "paid", "paid_date": "2026-01-01", "paid_amount": "-1"},
            {"kind": "paid", "paid_date": "2026-01-01", "paid_amount": "9" * 40},
            {"kind": "promise", "promise_date": "1999-01-01"},
            {"kind": "dispute", "dispute_reason": "bogus"},
            {"kind": "dispute", "dispute_reason": "other", "move_ids": "abc"},
            # An invoice of another customer's, not of this reminder.
            {"kind": "dispute", "dispute_reason": "other", "move_ids": str(self.other_invoice.id)},
            {"kind": "dispute", "dispute_reason": "other", "move_ids": str(HUGE_ID)},
            {"kind": "bogus"},
            {"kind": "question", "note": "x" * 100_000},
        ]
        answer_cases += [
            ("POST", answer % (self.action.id, token), form)
            for token in (answer_token, "A" * 16)
            for form in bad_forms
        ]
        return {
            "/dunning/answer/<int:action_id>/<string:token>": answer_cases,
            "/my/dunning_answers": [
                ("GET", "/my/dunning_answers?page=%s" % v, None) for v in ("abc", "9" * 40)
            ],
            "/my/payment_plans": [
                ("GET", "/my/payment_plans?requested=%s" % v, None) for v in ("abc", "9" * 40)
            ],
            "/my/payment_plans/<int:plan_id>": [("GET", path, None) for path in plan_pages],
            "/my/payment_plans/request": [
                ("POST", "/my/payment_plans/request", form)
                for form in self._plan_request_forms(own, foreign)
            ],
            "/dunning/r/<int:action_id>/<string:token>": [
                case for case in tracking if case[1].startswith("/dunning/r/")
            ],
            "/dunning/o/<int:action_id>/<string:token>.gif": [
                case for case in tracking if case[1].startswith("/dunning/o/")
            ],
            "/dunning/einvoicing/cdar": self._einvoicing_cases(),
        }

    def _einvoicing_cases(self):
        """The CDAR endpoint without its company's key: a form, a GET, raw
        bodies (``data`` as (bytes, headers)) with no key, a wrong one, a
        huge one, a key in the query string. Each is a 401 or a 405 and
        keeps nothing (the key is checked before the body is read)."""
        path = "/dunning/einvoicing/cdar"
        message = b'<?xml version="1.0"?><rsm:CrossDomainAcknowledgementAndResponse/>'
        keys = (None, "", "Bearer", "Bearer cdar_" + "0" * 43, "Bearer " + "9" * 5000, "Basic eDp4")
        raw = [
            (message, {"Content-Type": "application/xml", **({"Authorization": k} if k else {})})
            for k in keys
        ]
        return [
            ("GET", path, None),
            ("GET", path + "?key=cdar_abc", None),
            ("POST", path, {}),
            ("POST", path, {"data": message.decode(), "Authorization": "Bearer cdar_x"}),
            *[("POST", path + "?access_token=" + value, (b"\x00" * 64, {})) for value in BAD_IDS],
            *[("POST", path, case) for case in raw],
        ]

    def _send(self, method, path, data, csrf=True):
        if method == "GET":
            return self.url_open(path, allow_redirects=False)
        if isinstance(data, tuple):
            # A raw body and its headers, as an API client sends them.
            body, headers = data
            return self.url_open(path, data=body, headers=headers, allow_redirects=False)
        data = dict(data or {})
        if csrf:
            data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(path, data=data, allow_redirects=False)

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------

    def test_every_route_of_the_add_ons_has_its_bad_input_cases(self):
        self.assertEqual(dunning_routes(), set(self._get_cases()))

    def test_no_route_answers_500_and_nothing_is_created(self):
        before = self._snapshot()
        for login in (None, "other.routes", "client.routes"):
            self.authenticate(login, login)
            cases = [
                case for route_cases in self._get_cases(login).values() for case in route_cases
            ]
            for method, path, data in cases:
                for csrf in (True, False) if method == "POST" else (True,):
                    with self.subTest(user=login, path=path, data=data, csrf=csrf):
                        response = self._send(method, path, data, csrf)
                        self.assertLess(response.status_code, 500, response.text[:500])
        self.assertEqual(self._snapshot(), before)

    def test_the_customer_gets_the_form_back_with_the_reason(self):
        self.authenticate("client.routes", "client.routes")
        invoice = "invoice_%s" % self.invoice.id
        cases = (
            (
                {invoice: str(self.invoice.id), "instalment_count": "abc"},
                "enter a whole number from 1 to 60",
            ),
            (
                {invoice: str(self.invoice.id), "instalment_count": "61"},
                "enter a whole number from 1 to 60",
            ),
            ({"invoice_x": "abc"}, "not valid"),
            ({"invoice_1": str(self.other_invoice.id)}, "not one of your unpaid invoices"),
            ({}, "Choose at least one of your unpaid invoices"),
            ({invoice: str(self.invoice.id), "note": "x" * 5000}, "4000 characters at most"),
        )
        for form, reason in cases:
            with self.subTest(form=form):
                response = self._send("POST", "/my/payment_plans/request", form)
                self.assertEqual(response.status_code, 400)
                self.assertIn(reason, response.text)
                self.assertIn('action="/my/payment_plans/request"', response.text)
        self.assertFalse(
            self.env["account.dunning.payment.plan"].search([("partner_id", "=", self.customer.id)])
        )

    def test_the_reason_is_in_the_customers_language(self):
        self.portal.lang = "fr_FR"
        self.authenticate("client.routes", "client.routes")
        form = {"invoice_%s" % self.invoice.id: str(self.invoice.id), "instalment_count": "abc"}
        response = self._send("POST", "/my/payment_plans/request", form)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Échéances : saisissez un nombre entier de 1 à 60.", response.text)

    def test_a_good_request_still_goes_through(self):
        self.authenticate("client.routes", "client.routes")
        form = {"invoice_%s" % self.invoice.id: str(self.invoice.id), "instalment_count": "4"}
        response = self._send("POST", "/my/payment_plans/request", form)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my/payment_plans?requested=1"))
        plan = self.env["account.dunning.payment.plan"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(plan.move_ids, self.invoice)
        self.assertEqual(plan.line_ids.mapped("amount"), [225.0] * 4)
