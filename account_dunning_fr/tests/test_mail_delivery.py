"""The night's reminders through a real SMTP server (aiosmtpd on loopback):
delivered, refused for good (undelivered, one activity), or deferred
(retried by Odoo, the address not blamed)."""

from unittest.mock import patch

from odoo.modules import module as odoo_module
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import DunningCase
from .smtp_server import free_port, smtp_server


@tagged("post_install", "-at_install")
class TestMailDelivery(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env, login="claire.smtp", groups="base.group_user,account.group_account_invoice"
        )
        cls.company.dunning_responsible_id = cls.accountant
        cls.accepted = cls._customer("Accepted SARL", email="paie@accepted.example")
        cls.refused = cls._customer("Refused SARL", email="refuse@refused.example")
        cls.deferred = cls._customer("Deferred SARL", email="defer@deferred.example")

    def setUp(self):
        super().setUp()
        self.server = self.enterContext(smtp_server())
        host, port, self.mailbox = self.server
        self.env["ir.mail_server"].search([]).active = False
        self.env["ir.mail_server"].create(
            {
                "name": "Loopback test server",
                "smtp_host": host,
                "smtp_port": port,
                "smtp_encryption": "none",
            }
        )

    def _send_queue(self, mails):
        """Send the queued mails for real: Odoo skips SMTP while a test runs."""
        # Odoo logs each failure as an error, which its test runner counts.
        with (
            patch.object(odoo_module, "current_test", None),
            mute_logger("odoo.addons.mail.models.mail_mail"),
        ):
            mails.send(raise_exception=False)

    def _activities(self, action):
        return self.env["mail.activity"].search(
            [("res_model", "=", action._name), ("res_id", "=", action.id)]
        )

    def _night(self):
        for partner, amount in (
            (self.accepted, 300.0),
            (self.refused, 450.0),
            (self.deferred, 120.0),
        ):
            self._invoice(partner, amount, days_late=1)
        self._run(partners=self.accepted | self.refused | self.deferred)
        actions = {
            partner: self._actions(partner)
            for partner in (self.accepted, self.refused, self.deferred)
        }
        for action in actions.values():
            self.assertEqual(action.state, "sent")
            self.assertEqual(action.mail_id.state, "outgoing")
        self._send_queue(self.env["mail.mail"].browse([a.mail_id.id for a in actions.values()]))
        return actions

    def test_a_delivered_reminder_reads_as_sent(self):
        actions = self._night()
        action = actions[self.accepted]
        received = self.mailbox.received_by("paie@accepted.example")
        self.assertEqual(len(received), 1)
        message = received[0]
        self.assertEqual(message["To"].addresses[0].addr_spec, "paie@accepted.example")
        self.assertEqual(message["To"].addresses[0].display_name, "Accepted SARL")
        sender = self.company.email or self.env.user.email
        self.assertEqual(message["From"].addresses[0].addr_spec, sender)
        self.assertEqual(message["Subject"], "%s: payment reminder" % self.company.name)
        html = message.get_body(("html",)).get_content()
        invoice = action.line_ids.move_id
        self.assertIn(invoice.name, html)
        self.assertIn("300.00", html)
        self.assertEqual(action.mail_id.state, "sent")
        self.assertFalse(action.email_undelivered)
        self.assertFalse(self._activities(action))

    def test_a_recipient_refused_with_550_is_undelivered_and_asks_once(self):
        actions = self._night()
        action = actions[self.refused]
        self.assertFalse(self.mailbox.received_by("refuse@refused.example"))
        self.assertTrue(action.email_undelivered)
        self.assertTrue(action.email_undelivered_date)
        self.assertIn("refuse@refused.example: 550 5.1.1", action.email_undelivered_reason)
        self.assertIn("Recipient address rejected", action.email_undelivered_reason)
        activity = self._activities(action)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.accountant)
        self.assertIn("Recipient address rejected", str(activity.note))
        # Sent again and refused again: still one activity, the proof kept.
        action.mail_id.mark_outgoing()
        self._send_queue(action.mail_id)
        self.assertEqual(len(self._activities(action)), 1)
        self.assertEqual(action.state, "sent")

    def test_a_recipient_deferred_with_451_is_not_blamed(self):
        actions = self._night()
        action = actions[self.deferred]
        self.assertFalse(self.mailbox.received_by("defer@deferred.example"))
        self.assertEqual(action.mail_id.state, "exception")
        self.assertIn("451", action.mail_id.failure_reason)
        self.assertFalse(action.email_undelivered)
        self.assertFalse(self._activities(action))

    def test_a_server_down_does_not_blame_the_address(self):
        self._invoice(self.accepted, 300.0, days_late=1)
        self._run(partners=self.accepted)
        action = self._actions(self.accepted)
        # Nothing listens on a port just freed: the connection is refused.
        self.env["ir.mail_server"].search([]).smtp_port = free_port()
        self._send_queue(action.mail_id)
        self.assertEqual(action.mail_id.state, "exception")
        self.assertFalse(action.email_undelivered)
        self.assertFalse(self._activities(action))
