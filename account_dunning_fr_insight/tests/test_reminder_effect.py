"""What each reminder brings back for what it costs, per level, and how
long the money takes to come in (the reminder-effect and collection-time
reports)."""

from datetime import timedelta

from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.account_dunning_fr.tests.test_reminder_tracking import ReminderCase


@tagged("post_install", "-at_install")
class TestReminderEffect(ReminderCase):
    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    def _level_figures(self, partners, fields, groupby="level_id"):
        return self.env["account.dunning.reminder.report"]._read_group(
            [("partner_id", "in", partners.ids)], [groupby], [f"{f}:sum" for f in fields]
        )

    def test_reminder_effect_per_level(self):
        customers = self.customer | self.customer_2
        customers |= self._customer("Fromagerie Petit SARL") | self._customer("Imprimerie Roux SA")
        first, second, third, fourth = customers
        amounts = {first: 1000.0, second: 500.0, third: 300.0, fourth: 200.0}
        invoices = {
            customer: self._invoice(customer, amount, days_late=1)
            for customer, amount in amounts.items()
        }
        self._run(partners=customers)
        actions = {customer: self._actions(customer) for customer in customers}
        self.assertEqual({a.state for a in actions.values()}, {"sent"})
        actions[first]._record_tracking_event("open")
        actions[first]._record_tracking_event("click")
        actions[second]._record_tracking_event("open")
        actions[second]._record_tracking_event("open")
        # Paid in full 10 days after: within 15 days, not within 7.
        self._pay(invoices[first], date=self.today + timedelta(days=10))
        # 200 of 500 three days after: recovered, but not paid in full.
        self._pay(invoices[second], 200.0, date=self.today + timedelta(days=3))
        # Paid 20 days after: too late to count.
        self._pay(invoices[third], date=self.today + timedelta(days=20))
        self.company.dunning_cost_email = 1.5
        fields = [
            "sent_count",
            "delivered_count",
            "opened_count",
            "clicked_count",
            "paid_7_count",
            "paid_15_count",
            "amount_reminded",
            "amount_recovered_7",
            "amount_recovered",
            "cost",
            "open_rate",
            "click_rate",
            "paid_15_rate",
            "cost_per_euro",
        ]
        ((level, *figures),) = self._level_figures(customers, fields)
        self.assertEqual(level, self.level_1)
        figures = dict(zip(fields, figures, strict=True))
        # 4 sent and delivered, 2 opened (one twice), 1 clicked, 1 paid in full
        # within 15 days (none within 7).
        self.assertEqual(
            [figures[f] for f in fields[:6]],
            [4, 4, 2, 1, 0, 1],
        )
        # Reminded 1000 + 500 + 300 + 200 = 2000; within 7 days 200; within
        # 15 days 1000 + 200 = 1200; cost 4 emails x 1.50 = 6.00.
        self.assertEqual([round(figures[f], 2) for f in fields[6:10]], [2000.0, 200.0, 1200.0, 6.0])
        # Open rate 2 / 4 = 50.0 %, click rate 1 / 4 = 25.0 %, paid within 15
        # days 1 / 4 = 25.0 %, cost per euro 6.00 / 1200 = 0.005.
        self.assertEqual([round(figures[f], 2) for f in fields[10:13]], [50.0, 25.0, 25.0])
        self.assertAlmostEqual(figures["cost_per_euro"], 0.005, places=6)

    def test_cost_per_euro_recovered_per_level(self):
        self.company.write(
            {
                "dunning_cost_email": 1.5,
                "dunning_cost_letter": 2.0,
                "dunning_cost_registered_letter": 6.5,
                "dunning_call_minutes": 12.0,
                "dunning_hourly_cost": 45.0,
            }
        )
        # A first reminder (email), paid 300 of 300 five days after.
        first = self._invoice(self.customer, 300.0, days_late=1)
        self._run(partners=self.customer)
        self._pay(first, date=self.today + timedelta(days=5))
        # A formal notice (email and registered letter), 400 of 1000 paid 10
        # days after.
        notice_invoice = self._invoice(self.customer_2, 1000.0, days_late=45)
        self._set_level(notice_invoice, self.level_call, days_ago=15)
        self._run(partners=self.customer_2)
        notice = self._actions(self.customer_2)
        self.assertEqual(notice.level_id, self.level_notice)
        notice.with_context(dunning_defer_letters=True).action_send_anyway()
        self.assertTrue(notice.send_email and notice.send_letter and notice.state == "sent")
        # The formal notice's email carries the tracked link too.
        self.assertIn(self._paths(notice)[0], notice.mail_id.body_html)
        self._pay(notice_invoice, 400.0, date=self.today + timedelta(days=10))
        customers = self.customer | self.customer_2
        rows = {
            level: (cost, recovered, per_euro)
            for level, cost, recovered, per_euro in self._level_figures(
                customers, ["cost", "amount_recovered", "cost_per_euro"]
            )
        }
        # The first reminder was paid in full within 7 days, the notice was not.
        paid_7 = dict(self._level_figures(customers, ["paid_7_count"]))
        self.assertEqual((paid_7[self.level_1], paid_7[self.level_notice]), (1, 0))
        # First reminder: 1.50 / 300 = 0.005 per euro.
        self.assertEqual(rows[self.level_1][:2], (1.5, 300.0))
        self.assertAlmostEqual(rows[self.level_1][2], 0.005, places=6)
        # Formal notice: (1.50 + 6.50) / 400 = 0.02 per euro.
        self.assertEqual(rows[self.level_notice][:2], (8.0, 400.0))
        self.assertAlmostEqual(rows[self.level_notice][2], 0.02, places=6)
        # Both: (1.50 + 8.00) / (300 + 400) = 0.013571..., not 0.005 + 0.02.
        ((_company, per_euro),) = self.env["account.dunning.reminder.report"]._read_group(
            [("partner_id", "in", customers.ids)], ["company_id"], ["cost_per_euro:sum"]
        )
        self.assertAlmostEqual(per_euro, 9.5 / 700, places=6)
        # A phone call costs 12 min at 45.00 an hour = 9.00.
        terms = self.env["account.dunning.action"]._cost_terms_sql()
        call_cost = self.env.execute_query(
            SQL(
                "SELECT %s FROM (SELECT FALSE AS send_email, FALSE AS send_letter, "
                "FALSE AS formal_notice, TRUE AS create_activity, FALSE AS send_sms) act, "
                "res_company rc WHERE rc.id = %s",
                SQL(" + ").join(terms),
                self.company.id,
            )
        )[0][0]
        self.assertEqual(round(float(call_cost), 2), 9.0)

    def test_average_collection_time_is_weighted_by_the_amounts(self):
        # 1000 paid 20 days after its due date, 3000 paid 4 days after, and
        # 500 of 2000 paid 10 days after (the rest still open), all today:
        # (1000 x 20 + 3000 x 4 + 500 x 10) / (1000 + 3000 + 500)
        # = 37000 / 4500 = 8.2 days (the plain average of 20, 4, 10 is 11.3).
        self._pay(self._invoice(self.customer, 1000.0, days_late=20))
        self._pay(self._invoice(self.customer, 3000.0, days_late=4))
        self._pay(self._invoice(self.customer, 2000.0, days_late=10), 500.0)
        ((month, amount, days),) = self.env["account.dunning.collection.report"]._read_group(
            [("partner_id", "=", self.customer.id)],
            ["date:month"],
            ["amount:sum", "collection_days:sum"],
        )
        self.assertEqual(month.month, self.today.month)
        self.assertEqual(amount, 4500.0)
        self.assertAlmostEqual(days, 37000 / 4500, places=6)
        self.assertEqual(round(days, 1), 8.2)

    # ------------------------------------------------------------------
    # Multi-company
    # ------------------------------------------------------------------

    def test_the_reports_of_another_company_are_not_visible(self):
        other_company = self.env["res.company"].create({"name": "Filiale Nantes"})
        theirs = self._send_reminder(self.customer)
        ours = self._send_reminder(self.customer_2)
        paid = self._invoice(self.customer, 700.0, days_late=3)
        self._pay(paid)
        # Hand-built: the first reminder and payment as if made in the other company.
        self.env.flush_all()
        self.env.execute_query(
            SQL(
                "UPDATE account_dunning_action SET company_id = %s WHERE id = %s",
                other_company.id,
                theirs.id,
            )
        )
        self.env.execute_query(
            SQL("UPDATE account_move SET company_id = %s WHERE id = %s", other_company.id, paid.id)
        )
        self.env.invalidate_all()
        accountant = new_test_user(
            self.env,
            login="compta.lyon",
            groups="base.group_user,account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[(6, 0, (self.company | other_company).ids)],
        )
        # Working in this company only (the company switcher).
        ours_only = {"allowed_company_ids": self.company.ids}
        Reminders = (
            self.env["account.dunning.reminder.report"]
            .with_user(accountant)
            .with_context(**ours_only)
        )
        Payments = (
            self.env["account.dunning.collection.report"]
            .with_user(accountant)
            .with_context(**ours_only)
        )
        customers = [("partner_id", "in", (self.customer | self.customer_2).ids)]
        self.assertEqual(Reminders.search(customers).action_id, ours)
        self.assertFalse(Payments.search([("move_id", "=", paid.id)]))
        # Both companies allowed: both visible.
        both = {"allowed_company_ids": (self.company | other_company).ids}
        self.assertEqual(Reminders.with_context(**both).search(customers).action_id, ours | theirs)
        self.assertTrue(Payments.with_context(**both).search([("move_id", "=", paid.id)]))
