"""The customer answers a reminder: paid, will pay on a day, disputes. What
each answer changes at once, and what the next runs do (issue 23)."""

from collections import Counter
from datetime import timedelta
from unittest import TestCase
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..models.answer import account_dunning_action_answer as answer_module
from ..tools import bulk
from .common import DunningCase


class AnswerCase(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env, login="compta_answers", groups="base.group_user,account.group_account_invoice"
        )
        cls.company.dunning_responsible_id = cls.accountant

    def _sent_reminder(self, partner=None, amount=300.0, days_late=3):
        partner = partner or self.customer
        invoice = self._invoice(partner, amount, days_late=days_late)
        self._run(partners=partner)
        action = self._actions(partner).filtered(lambda a: a.state == "sent")
        self.assertEqual(len(action), 1)
        return action, invoice

    def _answer(self, action, **values):
        return self.env["account.dunning.answer"]._record_answer(
            action, {"source": "portal", **values}
        )

    def _activities(self, answer):
        return self.env["mail.activity"].search(
            [("res_model", "=", answer._name), ("res_id", "=", answer.id)]
        )

    def _run_on(self, day, partner=None):
        partner = partner or self.customer
        return self.env["account.dunning.run"]._run_manual(self.company, partners=partner, date=day)


@tagged("post_install", "-at_install")
class TestAnswers(AnswerCase):
    def test_paid_holds_the_invoices_then_dunning_resumes_and_says_so(self):
        self.company.dunning_answer_paid_hold_days = 7
        action, invoice = self._sent_reminder()
        paid_on = self.today - timedelta(days=1)
        answer = self._answer(
            action, kind="paid", paid_date=paid_on, paid_amount=300.0, payment_reference="VIR-77"
        )
        self.assertEqual(answer.state, "accepted")
        self.assertEqual(answer.move_ids, invoice)
        self.assertEqual(invoice.dunning_hold_until, self.today + timedelta(days=7))
        self.assertEqual(invoice.dunning_payment_announced_on, self.today)
        self.assertEqual(invoice.dunning_payment_paid_on, paid_on)
        self.assertEqual(invoice.dunning_payment_announced_ref, "VIR-77")
        self.assertEqual(len(self._activities(answer)), 1)
        self.assertEqual(self._activities(answer).user_id, self.accountant)
        self.assertEqual(self._activities(answer).summary, "Check the payment announced")
        # Within the hold, the run leaves the invoice alone (day 7 included).
        for day in (3, 7):
            self._run_on(self.today + timedelta(days=day))
            self.assertEqual(len(self._actions(self.customer)), 1)
        # After it, unpaid: dunning resumes (the second reminder is due 14
        # days after the first), and the reminder says the payment announced
        # was not received.
        self._run_on(self.today + timedelta(days=14))
        later = self._actions(self.customer) - action
        self.assertEqual(len(later), 1)
        self.assertEqual(later.situation, "payment_not_received")
        self.assertEqual(later.situation_date, paid_on)
        self.assertEqual(later.situation_reference, "VIR-77")
        self.assertIn("VIR-77", later.mail_id.body_html)
        self.assertIn("We have not received this payment to date", later.mail_id.body_html)

    def test_paid_answer_is_done_once_the_payment_is_matched(self):
        action, invoice = self._sent_reminder()
        answer = self._answer(action, kind="paid", paid_date=self.today, paid_amount=300.0)
        self._pay(invoice)
        self._run_on(self.today + timedelta(days=1))
        self.assertEqual(answer.state, "done")
        self.assertFalse(self._activities(answer))

    def test_a_promise_within_the_policys_limit_is_taken_at_its_word(self):
        self.policy.dunning_promise_max_days = 15
        action, invoice = self._sent_reminder()
        day = self.today + timedelta(days=10)
        answer = self._answer(action, kind="promise", promise_date=day, note="fin de mois")
        self.assertEqual(answer.state, "accepted")
        self.assertTrue(invoice.dunning_excluded)
        self.assertEqual(invoice.dunning_exclusion_reason, "promise")
        self.assertEqual(invoice.dunning_promise_date, day)
        call = self.env["account.dunning.call"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(
            (call.channel, call.promise_state, call.promise_date), ("answer", "pending", day)
        )
        # Broken: the next reminder after the day (the second is due 14 days
        # after the first) says so.
        self._run_on(self.today + timedelta(days=14))
        later = self._actions(self.customer) - action
        self.assertEqual(call.promise_state, "broken")
        self.assertEqual(later.situation, "broken_promise")
        self.assertEqual(later.situation_date, day)
        self.assertIn("You had committed to pay on", later.mail_id.body_html)

    def test_a_promise_too_far_waits_for_an_accountant(self):
        self.policy.dunning_promise_max_days = 15
        action, invoice = self._sent_reminder()
        answer = self._answer(action, kind="promise", promise_date=self.today + timedelta(days=40))
        self.assertEqual(answer.state, "to_review")
        self.assertFalse(invoice.dunning_excluded)
        self.assertEqual(len(self._activities(answer)), 1)
        answer.with_user(self.accountant).action_confirm()
        self.assertEqual(answer.state, "accepted")
        self.assertEqual(invoice.dunning_exclusion_reason, "promise")

    def test_a_dispute_excludes_the_chosen_invoices_with_the_reason(self):
        first = self._invoice(self.customer, 300.0, days_late=3)
        second = self._invoice(self.customer, 200.0, days_late=3)
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        answer = self._answer(
            action,
            kind="dispute",
            move_ids=first.ids,
            dispute_reason="not_conform",
            note="Pièces cassées à la livraison",
        )
        self.assertEqual(answer.state, "accepted")
        self.assertEqual(first.dunning_exclusion_reason, "dispute")
        self.assertIn("Pièces cassées", first.dunning_exclusion_note)
        self.assertFalse(second.dunning_excluded)
        self.assertIn("disputes this invoice", first.message_ids[0].body)
        self.assertEqual(len(self._activities(answer)), 1)
        self.assertEqual(self.customer.dunning_status, "dispute")

    def test_the_same_answer_twice_is_one(self):
        action, _invoice = self._sent_reminder()
        values = {"kind": "paid", "paid_date": self.today, "paid_amount": 300.0}
        first = self._answer(action, **values)
        second = self._answer(action, **values)
        self.assertEqual(first, second)
        self.assertEqual(len(self._activities(first)), 1)

    def test_the_answer_is_in_the_customers_chatter(self):
        action, _invoice = self._sent_reminder()
        self._answer(action, kind="paid", paid_date=self.today, payment_reference="REF-9")
        self.assertIn("REF-9", self.customer.message_ids[0].body)

    def test_who_reads_and_changes_answers(self):
        action, _invoice = self._sent_reminder()
        answer = self._answer(action, kind="question", note="Quel RIB ?")
        salesman = new_test_user(self.env, login="vendeur_answers", groups="base.group_user")
        self.assertEqual(answer.with_user(salesman).kind, "question")
        with self.assertRaises(AccessError):
            answer.with_user(salesman).action_confirm()
        other = self.env["res.company"].create({"name": "Filiale Answers"})
        elsewhere = new_test_user(
            self.env,
            login="compta_other",
            groups="base.group_user,account.group_account_invoice",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertFalse(self.env["account.dunning.answer"].with_user(elsewhere).search([]))
        # The customer reads its own answers on the portal, no one else's.
        portal = new_test_user(
            self.env,
            login="client_answers",
            groups="base.group_portal",
            partner_id=self.customer.id,
        )
        self.assertEqual(self.env["account.dunning.answer"].with_user(portal).search([]), answer)
        stranger = new_test_user(
            self.env,
            login="client_other",
            groups="base.group_portal",
            partner_id=self.customer_2.id,
        )
        self.assertFalse(self.env["account.dunning.answer"].with_user(stranger).search([]))

    def test_answers_to_check_are_counted_on_the_customer_and_the_worklist(self):
        action, _invoice = self._sent_reminder()
        self._answer(action, kind="question", note="Quel RIB ?")
        self.assertEqual(self.customer.dunning_answer_count, 1)
        row = self.env["account.dunning.worklist"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(row.answer_count, 1)


@tagged("post_install", "-at_install")
class TestSituationWording(AnswerCase):
    def test_a_good_payer_late_for_once_gets_the_courteous_wording(self):
        action, _invoice = self._sent_reminder()
        self.assertEqual(action.situation, "first_lateness")
        self.assertIn("surely a simple oversight", action.mail_id.body_html)

    def test_a_partial_payment_is_thanked_for(self):
        invoice = self._invoice(self.customer, 300.0, days_late=3)
        self._pay(invoice, 100.0)
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        self.assertEqual(action.situation, "partial_payment")
        self.assertIn(
            "Thank you for the payments we have already received", action.mail_id.body_html
        )

    def test_the_night_writes_situations_with_the_totals(self):
        # One statement writes both for the batch's reminders, read back
        # from the database: 200 due less 100 paid, the partial payment.
        invoice = self._invoice(self.customer, 300.0, days_late=3)
        self._pay(invoice, 100.0)
        self._invoice(self.customer_2, 80.0, days_late=3)
        update_rows, written = bulk.update_rows, []

        def spy(actions, columns, rows):
            names = [name for name, _kind in columns]
            # The emails' statement (_write_mail_results) is another matter.
            if actions._name == "account.dunning.action" and "mail_id" not in names:
                written.append((names, set(rows)))
            return update_rows(actions, columns, rows)

        with patch.object(bulk, "update_rows", side_effect=spy):
            self._run(partners=self.customer | self.customer_2)
        self.assertEqual(len(written), 1)
        columns, action_ids = written[0]
        self.assertIn("amount_due", columns)
        self.assertIn("situation", columns)
        self.assertEqual(len(action_ids), 2)
        self.env.invalidate_all()
        action, action_2 = self._actions(self.customer), self._actions(self.customer_2)
        self.assertEqual((action.situation, action.amount_due), ("partial_payment", 200.0))
        self.assertEqual((action_2.situation, action_2.amount_due), ("first_lateness", 80.0))

    def test_after_a_breached_plan(self):
        invoice = self._invoice(self.customer, 900.0, days_late=40)
        plan = (
            self.env["account.dunning.payment.plan.wizard"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"instalment_count": 3, "first_date": self.today - timedelta(days=30)})
            .action_create_plan()
        )
        plan = self.env["account.dunning.payment.plan"].browse(plan["res_id"])
        plan.action_confirm()
        self._run(partners=self.customer)
        self.assertEqual(plan.state, "breached")
        action = self._actions(self.customer).filtered(lambda a: a.state == "sent")[:1]
        self.assertEqual(action.situation, "plan_breached")
        self.assertEqual(action.situation_reference, plan.name)

    def test_the_level_previews_each_situation(self):
        preview = str(self.level_1.situation_preview)
        for sentence in (
            "surely a simple oversight",
            "Your payments to us are regularly late",
            "You had committed to pay on",
            "We have not received this payment to date",
            "has not\n        been kept",
        ):
            self.assertIn(sentence.split("\n")[0], preview)

    def test_french_wording_for_a_french_customer(self):
        self.customer.lang = "fr_FR"
        action, _invoice = self._sent_reminder()
        self.assertEqual(action.situation, "first_lateness")
        self.assertIn("simple oubli", action.mail_id.body_html)


class TestAnswerToken(TestCase):
    def test_tokens_draw_every_symbol_alike(self):
        alphabet = answer_module.ANSWER_TOKEN_ALPHABET
        # A byte's low five bits pick a symbol uniformly only for 32 symbols.
        self.assertEqual(len(alphabet), 32)
        tokens = [answer_module.new_answer_token() for _i in range(2000)]
        self.assertEqual(len(set(tokens)), 2000)
        for token in tokens:
            self.assertEqual(len(token), answer_module.ANSWER_TOKEN_LENGTH)
            self.assertLessEqual(set(token), set(alphabet))
        # 32,000 symbols, 1,000 expected of each (standard deviation 31):
        # a symbol drawn twice as often, or never, is far outside.
        counts = Counter("".join(tokens))
        self.assertEqual(set(counts), set(alphabet))
        self.assertLess(max(counts.values()) - min(counts.values()), 400)
