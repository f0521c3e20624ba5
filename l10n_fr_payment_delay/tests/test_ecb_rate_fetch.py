"""The ECB rates keep themselves current (legal_fr_addendum.md 4.1-4.2).

No network in tests: the ECB Data Portal's answers are recorded in
tests/data/ecb_mro_fr.csv (its CSV layout, with the observations of
../shared/legal/ecb_mro_rates.csv).
"""

from datetime import date
from decimal import Decimal
from pathlib import Path
from unittest.mock import patch

import requests

from odoo.exceptions import AccessError, UserError
from odoo.tests import BaseCase, tagged

from ..core import rates
from ..models import account_dunning_ecb_rate
from .common import LatePaymentCase

RECORDED_CSV = (Path(__file__).parent / "data" / "ecb_mro_fr.csv").read_text()


class FakeResponse:
    def __init__(self, text, status=200):
        self.text = text
        self.status_code = status

    def raise_for_status(self):
        if self.status_code >= 400:
            raise requests.HTTPError("%s Server Error" % self.status_code)


@tagged("post_install", "-at_install")
class TestCoreRates(BaseCase):
    def test_observations_read_by_header_not_position(self):
        text = "OBS_VALUE,TIME_PERIOD,KEY\n2.15,2025-06-11,x\n2.40,2025-04-23,x\n"
        self.assertEqual(
            rates.parse_observations(text),
            [(date(2025, 4, 23), Decimal("2.40")), (date(2025, 6, 11), Decimal("2.15"))],
        )

    def test_rate_in_force_on_the_first_day_of_the_semester(self):
        observations = rates.parse_observations(RECORDED_CSV)
        # Decided 6 June 2024, in force from 12 June: 1 July 2024 has 4.25.
        self.assertEqual(
            rates.rate_in_force(observations, date(2024, 7, 1)),
            (date(2024, 6, 12), Decimal("4.25")),
        )
        # A change taking effect on the day itself counts (2.50 from 21 Dec 2022).
        self.assertEqual(rates.rate_in_force(observations, date(2022, 12, 21))[1], Decimal("2.50"))
        self.assertEqual(rates.rate_in_force(observations, date(2022, 12, 20))[1], Decimal("2.00"))
        self.assertIsNone(rates.rate_in_force(observations, date(2011, 1, 1)))

    def test_only_begun_semesters_are_filled(self):
        known = [date(2026, 1, 1), date(2025, 7, 1)]
        self.assertEqual(rates.semesters_to_fill(known, date(2026, 6, 30)), [])
        self.assertEqual(rates.semesters_to_fill(known, date(2026, 7, 1)), [date(2026, 7, 1)])
        self.assertEqual(
            rates.semesters_to_fill(known, date(2027, 1, 1)), [date(2026, 7, 1), date(2027, 1, 1)]
        )

    def test_not_the_series_is_refused(self):
        for text in ("", "<html>Service unavailable</html>", "TIME_PERIOD,OBS_VALUE\n"):
            with self.assertRaises(rates.BadEcbData):
                rates.parse_observations(text)
        with self.assertRaises(rates.BadEcbData):
            rates.parse_observations("TIME_PERIOD,OBS_VALUE\n2025-06-11,215\n")


class EcbFetchCase(LatePaymentCase):
    def setUp(self):
        super().setUp()
        self.Rate = self.env["account.dunning.ecb.rate"]
        self.env["ir.config_parameter"].sudo().set_param(
            account_dunning_ecb_rate.FAILURES_PARAM, "0"
        )

    def _fetch(self, answer):
        """Run the scheduled action with the ECB's answer (a text, or an
        exception raised by requests)."""
        calls = []

        def fake_get(url, **kwargs):
            calls.append((url, kwargs))
            if isinstance(answer, Exception):
                raise answer
            return answer if isinstance(answer, FakeResponse) else FakeResponse(answer)

        with patch.object(account_dunning_ecb_rate.requests, "get", fake_get):
            self.env.ref("l10n_fr_payment_delay.ir_cron_ecb_rate_fetch").method_direct_trigger()
        return calls

    def _rate(self, start):
        return self.Rate.search([("semester_start", "=", start)])


@tagged("post_install", "-at_install")
class TestEcbRateFetch(EcbFetchCase):
    def test_missing_semesters_are_filled_with_the_rate_of_their_first_day(self):
        self.Rate.search([("semester_start", ">=", date(2025, 1, 1))]).unlink()
        calls = self._fetch(RECORDED_CSV)
        self.assertEqual(calls[0][0], rates.ECB_DATA_URL)
        self.assertEqual(calls[0][1]["params"]["format"], "csvdata")
        # 1 Jan 2025: 3.15 (since 18 Dec 2024); 1 Jul 2025 and later: 2.15 (since 11 Jun 2025).
        self.assertEqual(self._rate(date(2025, 1, 1)).rate, 3.15)
        self.assertEqual(self._rate(date(2025, 7, 1)).rate, 2.15)
        filled = self.Rate.search([("semester_start", ">=", date(2025, 1, 1))])
        # Through the semester of today, never one not begun.
        self.assertEqual(max(filled.mapped("semester_start")).year, self.today.year)
        self.assertTrue(all(rate.origin == "ecb" and rate.retrieved_at for rate in filled))
        self.assertIn("in force since 2025-06-11", self._rate(date(2025, 7, 1)).source)
        # Penalties of 2025-H1 run at 3.15 + 10 = 13.15 % again.
        self.assertEqual(self._rate(date(2025, 1, 1)).late_penalty_rate, 13.15)

    def test_nothing_asked_when_no_semester_is_missing(self):
        self._add_test_rates_to_today()
        self.assertEqual(self._fetch(RECORDED_CSV), [])

    def test_a_rate_entered_by_a_manager_is_never_overwritten(self):
        self.Rate.search([("semester_start", ">=", date(2025, 7, 1))]).unlink()
        manual = self.Rate.create({"semester_start": date(2025, 7, 1), "rate": 2.0})
        self.assertEqual(manual.origin, "manual")
        self._fetch(RECORDED_CSV)
        self.assertEqual(manual.rate, 2.0)
        self.assertEqual(manual.origin, "manual")
        # The semesters after it are filled.
        self.assertEqual(self._rate(date(2026, 1, 1)).origin, "ecb")

    def test_offline_fails_quietly_then_asks_an_accountant_once(self):
        self.Rate.search([("semester_start", ">=", date(2026, 7, 1))]).unlink()
        activities = self.env["mail.activity"].search([("res_model", "=", self.Rate._name)])
        activities.unlink()
        offline = requests.ConnectionError("Could not resolve host: data-api.ecb.europa.eu")
        with self.assertLogs(account_dunning_ecb_rate.__name__, "WARNING") as logs:
            self._fetch(offline)
            self._fetch(offline)
        self.assertEqual(len(logs.output), 2)
        self.assertFalse(self.env["mail.activity"].search([("res_model", "=", self.Rate._name)]))
        with self.assertLogs(account_dunning_ecb_rate.__name__, "WARNING"):
            self._fetch(offline)
            self._fetch(FakeResponse("<html>Service unavailable</html>", status=503))
        activity = self.env["mail.activity"].search([("res_model", "=", self.Rate._name)])
        self.assertEqual(len(activity), 1)
        # The hook's choice: an accounting manager here, the dunning
        # responsible with a dunning add-on.
        (asked,) = self.Rate._get_rate_alert_users()
        self.assertEqual(activity.user_id, asked)
        self.assertEqual(activity.summary, "ECB rate of 2026-H2: enter it by hand")
        self.assertFalse(self._rate(date(2026, 7, 1)))
        # Back online: filled, and the count starts again.
        self._fetch(RECORDED_CSV)
        self.assertEqual(self._rate(date(2026, 7, 1)).rate, 2.15)
        self.assertEqual(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(account_dunning_ecb_rate.FAILURES_PARAM),
            "0",
        )

    def test_an_accounting_manager_of_each_french_company_is_asked(self):
        manager = self.env["res.users"].create(
            {
                "name": "Marc Gérant",
                "login": "marc.ecb",
                "groups_id": [(6, 0, [self.env.ref("account.group_account_manager").id])],
            }
        )
        users = account_dunning_ecb_rate.AccountDunningEcbRate._get_rate_alert_users(self.Rate)
        self.assertEqual(len(users), 1)
        (user,) = users
        self.assertTrue(user.has_group("account.group_account_manager"))
        self.assertIn(self.company, user.company_ids)
        self.assertLessEqual(user.id, manager.id)

    def test_turned_off_asks_nothing(self):
        self.Rate.search([("semester_start", ">=", date(2026, 7, 1))]).unlink()
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.ecb_rate_auto_fetch)
        settings.ecb_rate_auto_fetch = False
        settings.execute()
        self.assertEqual(self._fetch(RECORDED_CSV), [])
        self.assertFalse(self._rate(date(2026, 7, 1)))

    def test_fetch_button_says_why_and_a_corrected_rate_becomes_the_managers(self):
        self.Rate.search([("semester_start", ">=", date(2026, 7, 1))]).unlink()
        offline = requests.ConnectionError("Could not resolve host")
        with patch.object(account_dunning_ecb_rate.requests, "get", side_effect=offline):
            with self.assertRaisesRegex(UserError, "could not be read: Could not resolve host"):
                self.Rate.action_fetch_now()
        with patch.object(
            account_dunning_ecb_rate.requests, "get", return_value=FakeResponse(RECORDED_CSV)
        ):
            self.Rate.action_fetch_now()
        fetched = self._rate(date(2026, 7, 1))
        self.assertEqual((fetched.rate, fetched.origin), (2.15, "ecb"))
        fetched.rate = 2.4
        self.assertEqual(fetched.origin, "manual")
        self.assertFalse(fetched.retrieved_at)

    def test_only_a_manager_fetches_by_hand(self):
        self.Rate.search([("semester_start", ">=", date(2026, 7, 1))]).unlink()
        accountant = self.env["res.users"].create(
            {
                "name": "Claire Comptable",
                "login": "claire.ecb",
                "groups_id": [(6, 0, [self.env.ref("account.group_account_invoice").id])],
            }
        )
        with self.assertRaises(AccessError):
            self.Rate.with_user(accountant).action_fetch_now()
        self.assertFalse(self._rate(date(2026, 7, 1)))
