"""Which failed emails say the customer's address is wrong (core/delivery.py).

RFC 5321 4.2.1: 5yz is permanent, 4yz transient (retried); RFC 3463: the
enhanced codes X.1.1, X.1.2, X.1.3, X.1.6 and X.2.1 are about the
recipient's address. The texts are those Odoo 18 stores on a mail that
failed (ir.mail_server.send_email wraps smtplib's exception).
"""

from odoo.tests import BaseCase, tagged

from ..core.delivery import address_refused

ODOO_PREFIX = "Mail Delivery Failed\nMail delivery failed via SMTP server '127.0.0.1'.\n"


@tagged("post_install", "-at_install")
class TestCoreDelivery(BaseCase):
    def test_recipient_refused_with_550_is_undelivered_with_the_servers_words(self):
        reason = ODOO_PREFIX + (
            "SMTPRecipientsRefused: {'refuse@client.example': (550, b'5.1.1 "
            "<refuse@client.example>: Recipient address rejected: User unknown')}"
        )
        refusal = address_refused("unknown", reason)
        self.assertEqual(
            refusal.reason,
            "refuse@client.example: 550 5.1.1 <refuse@client.example>: "
            "Recipient address rejected: User unknown",
        )

    def test_recipient_deferred_with_451_says_nothing_of_the_address(self):
        reason = ODOO_PREFIX + (
            "SMTPRecipientsRefused: {'defer@client.example': (451, b'4.7.1 Try again later')}"
        )
        self.assertIsNone(address_refused("unknown", reason))

    def test_of_two_recipients_only_the_permanently_refused_one_is_named(self):
        reason = ODOO_PREFIX + (
            "SMTPRecipientsRefused: {'a@client.example': (451, b'4.3.0 busy'), "
            "'b@client.example': (553, \"5.1.3 bad syntax 'b'\")}"
        )
        self.assertEqual(
            address_refused("unknown", reason).reason,
            "b@client.example: 553 5.1.3 bad syntax 'b'",
        )

    def test_a_server_down_or_a_refused_sender_is_not_the_customers_address(self):
        self.assertIsNone(address_refused("mail_smtp", "[Errno 111] Connection refused"))
        self.assertIsNone(
            address_refused(
                "unknown",
                ODOO_PREFIX + "SMTPSenderRefused: (553, b'5.7.1 Sender address rejected', "
                "'compta@masociete.example')",
            )
        )
        self.assertIsNone(address_refused("mail_from_invalid", "Malformed 'Return-Path'"))

    def test_a_message_refused_for_its_content_is_not_the_address(self):
        reason = ODOO_PREFIX + "SMTPDataError: (554, b'5.7.1 Message rejected as spam')"
        self.assertIsNone(address_refused("unknown", reason))

    def test_a_mailbox_unknown_said_after_the_data_is_the_address(self):
        reason = ODOO_PREFIX + "SMTPDataError: (550, b'5.1.1 Mailbox does not exist')"
        self.assertEqual(
            address_refused("unknown", reason).reason, "550 5.1.1 Mailbox does not exist"
        )

    def test_an_address_odoo_itself_refused(self):
        self.assertEqual(address_refused("mail_email_invalid", "").reason, "")
        self.assertIsNotNone(address_refused("mail_email_missing", None))
