"""The French late-payment base (l10n_fr_payment_delay) as the dunning
add-on completes it: disputes in dunning count as disputed in the D441-6
tables (D441-6 IV), the dunning responsible is asked for a missing rate,
and the night asks the ECB feed for a semester without its rate."""

from datetime import date

import requests

from odoo.tests import tagged

from odoo.addons.l10n_fr_payment_delay.models import account_dunning_ecb_rate
from odoo.addons.l10n_fr_payment_delay.tests.test_ecb_rate_fetch import (
    RECORDED_CSV,
    EcbFetchCase,
    FakeResponse,
)
from odoo.addons.l10n_fr_payment_delay.tests.test_payment_delay_report import (
    CLOSING,
    PaymentDelayCase,
)

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestPaymentDelayDisputes(PaymentDelayCase):
    def test_an_invoice_in_dispute_in_dunning_goes_to_b_not_a(self):
        self._move(self.customer, 400, date(2025, 10, 1), date(2025, 11, 30))  # 31 days
        disputed = self._move(self.customer, 250, date(2025, 10, 1), date(2025, 11, 1))
        disputed._dunning_exclude("dispute")
        table = self._wizard(side="customer")._get_table()
        self.assertEqual(self._column(table, "count"), [0, 0, 1, 0, 0, 1])
        self.assertEqual(table["excluded"], {"count": 1, "amount": 250.0})
        # Another reason to exclude it from dunning is no dispute.
        disputed.write({"dunning_exclusion_reason": "other"})
        table = self._wizard(side="customer")._get_table()
        self.assertEqual(table["excluded"], {"count": 0, "amount": 0.0})
        self.assertEqual(self._column(table, "count")[-1], 2)

    def test_a_vendor_bill_flagged_in_dispute_by_the_accountant(self):
        bill = self._move(self.supplier, 900, date(2025, 9, 1), date(2025, 10, 1), "in_invoice")
        bill.write({"dunning_excluded": True, "dunning_exclusion_reason": "dispute"})
        table = self._wizard(side="supplier", date_to=CLOSING)._get_table()
        self.assertEqual(table["excluded"], {"count": 1, "amount": 900.0})
        self.assertEqual(table["brackets"][-1]["count"], 0)


@tagged("post_install", "-at_install")
class TestEcbRateFetchForDunning(EcbFetchCase, DunningCase):
    def test_offline_fails_quietly_then_asks_an_accountant_once(self):
        self.Rate.search([("semester_start", ">=", date(2026, 7, 1))]).unlink()
        self.company.dunning_responsible_id = self.env.ref("base.user_admin")
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
        self.assertEqual(activity.user_id, self.env.ref("base.user_admin"))
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

    def test_run_asks_the_feed_for_a_missing_ecb_rate_and_an_accountant_for_the_legal_rate(self):
        self.Rate.search([("semester_start", ">=", date(2026, 7, 1))]).unlink()
        self.env["account.dunning.legal.rate"].search(
            [("semester_start", ">=", date(2026, 7, 1))]
        ).unlink()
        cron = self.env.ref("l10n_fr_payment_delay.ir_cron_ecb_rate_fetch")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        label = "%s-H%s" % (self.today.year, 1 if self.today.month <= 6 else 2)
        run = self._run()
        self.assertGreater(
            len(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])), len(triggers)
        )
        self.assertIn("ECB rate of %s missing: asked of the ECB Data Portal." % label, run.log)
        summaries = (
            self.env["mail.activity"]
            .search([("res_model", "=", "account.dunning.run")])
            .mapped("summary")
        )
        self.assertNotIn("ECB rate of %s missing" % label, summaries)
        self.assertIn("Legal interest rate of %s missing" % label, summaries)
        # Feed turned off: the accountant is asked for the ECB rate too, once.
        self.env["ir.config_parameter"].sudo().set_param(
            account_dunning_ecb_rate.AUTO_FETCH_PARAM, False
        )
        self._run()
        self._run()
        domain = [
            ("res_model", "=", "account.dunning.run"),
            ("summary", "=", "ECB rate of %s missing" % label),
        ]
        self.assertEqual(self.env["mail.activity"].search_count(domain), 1)
