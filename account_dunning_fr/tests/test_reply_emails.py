"""Replies to a reminder's email, through Odoo's mail gateway: read as an
answer to review (core/replies.py), confirmed in one click; automatic
replies make nothing."""

from datetime import timedelta

from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_answers import AnswerCase

REPLY = """From: Boulangerie Martin <boulangerie@example.com>
To: {to}
Subject: Re: {subject}
Message-Id: <reply-{number}@client.example>
In-Reply-To: {parent}
References: {parent}
Date: Sat, 05 Dec 2026 10:00:00 +0100
{headers}MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

{body}

> Madame, Monsieur, sauf erreur de notre part la facture ci-dessous reste impayée.
"""


@tagged("post_install", "-at_install")
class TestReplyEmails(AnswerCase):
    def _reply(self, action, body, number=1, headers=""):
        raw = REPLY.format(
            to=self.company.email or "compta@example.com",
            subject=action.mail_id.subject,
            number=number,
            parent=action.mail_id.message_id,
            headers=headers,
            body=body,
        )
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            self.env["mail.thread"].message_process(None, raw)
        return self.env["account.dunning.answer"].search([("action_id", "=", action.id)])

    def test_a_reply_saying_paid_waits_for_an_accountant_then_holds(self):
        action, invoice = self._sent_reminder()
        paid_on = self.today - timedelta(days=3)
        answer = self._reply(
            action,
            "Bonjour, nous avons réglé cette facture par virement effectué le %s, "
            "réf. VIR-4521. Cordialement" % paid_on.strftime("%d/%m/%Y"),
        )
        self.assertEqual(len(answer), 1)
        self.assertEqual((answer.kind, answer.source, answer.state), ("paid", "email", "to_review"))
        self.assertEqual(answer.paid_date, paid_on)
        self.assertEqual(answer.payment_reference, "VIR-4521")
        self.assertIn("réglé", answer.evidence)
        self.assertFalse(invoice.dunning_hold_until)
        self.assertEqual(len(self._activities(answer)), 1)
        # The reply is also in the reminder's chatter, as any reply.
        self.assertIn("VIR-4521", action.message_ids[0].body)
        answer.with_user(self.accountant).action_confirm()
        self.assertEqual(answer.state, "accepted")
        self.assertEqual(invoice.dunning_payment_paid_on, paid_on)
        self.assertTrue(invoice.dunning_hold_until)

    def test_a_reply_disputing_the_goods(self):
        action, invoice = self._sent_reminder()
        answer = self._reply(
            action, "Nous contestons cette facture : la marchandise livrée est non conforme."
        )
        self.assertEqual((answer.kind, answer.dispute_reason), ("dispute", "not_conform"))
        self.assertFalse(invoice.dunning_excluded)
        answer.with_user(self.accountant).action_confirm()
        self.assertEqual(invoice.dunning_exclusion_reason, "dispute")

    def test_a_reply_promising_a_day(self):
        action, invoice = self._sent_reminder()
        day = self.today + timedelta(days=10)
        answer = self._reply(
            action, "Bonjour, nous réglerons cette facture le %s." % day.strftime("%d/%m/%Y")
        )
        self.assertEqual((answer.kind, answer.promise_date), ("promise", day))
        answer.with_user(self.accountant).action_confirm()
        self.assertEqual(invoice.dunning_promise_date, day)

    def test_a_question(self):
        action, _invoice = self._sent_reminder()
        answer = self._reply(action, "Pouvez-vous m'envoyer votre RIB ?")
        self.assertEqual((answer.kind, answer.state), ("question", "to_review"))

    def test_automatic_replies_make_nothing(self):
        action, _invoice = self._sent_reminder()
        self.assertFalse(
            self._reply(
                action,
                "Je suis absent jusqu'au 15 décembre. Pour toute urgence, contactez Paul.",
                number=2,
                headers="Auto-Submitted: auto-replied\n",
            )
        )
        self.assertFalse(
            self._reply(
                action,
                "Réponse automatique : je suis en congés jusqu'au lundi 14 décembre.",
                number=3,
            )
        )

    def test_the_same_reply_twice_is_one_answer(self):
        action, _invoice = self._sent_reminder()
        body = "Nous contestons le montant de la facture : la TVA est erronée."
        self._reply(action, body, number=4)
        answers = self._reply(action, body, number=5)
        self.assertEqual(len(answers), 1)
