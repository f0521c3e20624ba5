"""Who received, opened and acted on a reminder: the tracked link and pixel,
bounces, and what each level brings back for what it costs."""

from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from ..controllers.tracking import PIXEL
from ..models.reminder.dunning_proof import recording_delivery
from .common import DunningCase

BOUNCE = """Return-Path: <>
From: MAILER-DAEMON@mx.example.com (Mail Delivery System)
To: catchall@masociete.example
Subject: Undelivered Mail Returned to Sender
Date: Mon, 15 Apr 2019 15:41:06 +0200
Message-Id: <{bounce_id}@mx.example.com>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="NEXT"

--NEXT
Content-Type: text/plain; charset=us-ascii

Your message could not be delivered to {recipient}.

--NEXT
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com

Final-Recipient: rfc822; {recipient}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 No such user

--NEXT
Content-Type: message/rfc822

Message-Id: {message_id}
From: compta@masociete.example
To: {recipient}
Subject: payment reminder

Reminder.
--NEXT--
"""


class ReminderCase(DunningCase):
    def _send_reminder(self, partner, amount=300.0, days_late=1):
        """``partner``'s reminder at the first level, sent by the run."""
        self._invoice(partner, amount, days_late=days_late)
        self._run(partners=partner)
        action = self._actions(partner)
        self.assertEqual(action.state, "sent")
        return action

    def _paths(self, action, token=None):
        token = token or action.sudo().tracking_token
        return "/dunning/r/%s/%s" % (action.id, token), "/dunning/o/%s/%s.gif" % (action.id, token)


@tagged("post_install", "-at_install")
class TestReminderTrackingRoutes(ReminderCase, HttpCase):
    def test_open_and_click_are_recorded_for_their_reminder_only(self):
        mine = self._send_reminder(self.customer)
        other = self._send_reminder(self.customer_2)
        link, pixel = self._paths(mine)
        self.assertIn(link, mine.mail_id.body_html)
        self.assertIn(pixel, mine.mail_id.body_html)
        self.assertNotEqual(mine.sudo().tracking_token, other.sudo().tracking_token)

        for _i in range(2):
            response = self.url_open(pixel)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.content, PIXEL)
            self.assertEqual(response.headers["Content-Type"], "image/gif")
            self.assertIn("no-store", response.headers["Cache-Control"])
        response = self.url_open(link, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith("/my/invoices?reference=DUN-%06d" % mine.id)
        )
        self.env.invalidate_all()
        self.assertEqual((mine.open_count, mine.click_count), (2, 1))
        self.assertTrue(mine.first_opened and mine.first_clicked)
        self.assertFalse(mine.portal_visit_date)  # not signed in as the customer
        self.assertEqual((other.open_count, other.click_count), (0, 0))
        self.assertFalse(other.first_opened or other.first_clicked)

    def test_each_invoice_links_to_its_own_portal_page(self):
        first = self._invoice(self.customer, 300.0, days_late=10)
        second = self._invoice(self.customer, 120.0, days_late=3)
        self._run(partners=self.customer)
        body = self._actions(self.customer).mail_id.body_html.replace("&amp;", "&")
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        self.env.invalidate_all()
        self.assertNotEqual(first.access_token, second.access_token)
        for invoice in (first, second):
            self.assertTrue(invoice.access_token)
            url = "%s/my/invoices/%s?access_token=%s" % (base, invoice.id, invoice.access_token)
            self.assertIn(url, body)
            # Anyone with the link sees the invoice, without signing in.
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200)
            self.assertIn(invoice.name, response.text)

    def test_a_wrong_token_records_nothing_and_reveals_nothing(self):
        action = self._send_reminder(self.customer)
        unknown_id = (
            self.env["account.dunning.action"].search([], order="id desc", limit=1).id + 1000
        )
        wrong = "0" * 64
        responses = {}
        for name, action_id in (("known", action.id), ("unknown", unknown_id), ("huge", 10**12)):
            pixel = self.url_open("/dunning/o/%s/%s.gif" % (action_id, wrong))
            link = self.url_open("/dunning/r/%s/%s" % (action_id, wrong), allow_redirects=False)
            responses[name] = (
                pixel.status_code,
                pixel.content,
                pixel.headers["Content-Type"],
                pixel.headers["Cache-Control"],
                link.status_code,
                link.headers["Location"].rsplit("/", 1)[-1],
            )
        self.assertEqual(responses["known"], responses["unknown"])
        self.assertEqual(responses["known"], responses["huge"])
        self.assertEqual(responses["known"][:2], (200, PIXEL))
        self.assertEqual(responses["known"][4:], (303, "my"))
        self.env.invalidate_all()
        self.assertEqual((action.open_count, action.click_count), (0, 0))
        self.assertFalse(action.first_opened or action.first_clicked)

    def test_the_customer_reaching_the_portal_through_the_link_is_recorded(self):
        new_test_user(
            self.env,
            login="client.martin",
            groups="base.group_portal",
            partner_id=self.customer.id,
        )
        action = self._send_reminder(self.customer)
        link, _pixel = self._paths(action)
        self.authenticate("client.martin", "client.martin")
        response = self.url_open(link)
        self.assertEqual(response.status_code, 200)
        self.assertIn("/my/invoices", response.url)
        self.env.invalidate_all()
        self.assertEqual(action.click_count, 1)
        self.assertTrue(action.portal_visit_date)


@tagged("post_install", "-at_install")
class TestReminderTracking(ReminderCase):
    # ------------------------------------------------------------------
    # Privacy: what goes into the email
    # ------------------------------------------------------------------

    def test_french_and_english_emails_carry_the_link_and_the_pixel(self):
        self.customer.lang = "fr_FR"
        french = self._send_reminder(self.customer)
        english = self._send_reminder(self.customer_2)
        self.assertIn("Sauf erreur de notre part", french.mail_id.body_html)
        # How to pay, one template shared by every level, in French too.
        self.assertIn("Modalités de règlement", french.mail_id.body_html)
        self.assertIn("Voir toutes vos factures et payer en ligne", french.mail_id.body_html)
        self.assertIn("See all your invoices and pay online", english.mail_id.body_html)
        for action in (french, english):
            link, pixel = self._paths(action)
            self.assertIn(link, action.mail_id.body_html)
            self.assertIn(pixel, action.mail_id.body_html)

    def test_no_pixel_when_the_company_turns_it_off(self):
        self.company.dunning_pixel_business = False
        action = self._send_reminder(self.customer)
        link, _pixel = self._paths(action)
        self.assertIn(link, action.mail_id.body_html)
        self.assertNotIn("/dunning/o/", action.mail_id.body_html)

    def test_no_pixel_for_consumers_by_default(self):
        consumer = self._customer("Jeanne Durand", is_company=False)
        self.assertEqual(consumer.dunning_regime, "b2c")
        action = self._send_reminder(consumer, days_late=4)
        body = action.mail_id.body_html
        self.assertIn(self._paths(action)[0], body)
        self.assertNotIn("/dunning/o/", body)
        # With the consumer's consent collected, the company may turn it on.
        self.company.dunning_pixel_consumer = True
        self.assertTrue(action._get_email_tracking()["pixel"].endswith(self._paths(action)[1]))

    def test_without_link_tracking_a_plain_portal_link_and_no_token(self):
        self.company.write({"dunning_track_links": False, "dunning_pixel_business": False})
        action = self._send_reminder(self.customer)
        self.assertFalse(action.sudo().tracking_token)
        body = action.mail_id.body_html
        self.assertNotIn("/dunning/r/", body)
        self.assertNotIn("/dunning/o/", body)
        # The answer link stays: answering is the customer's act, opening
        # its page records nothing.
        self.assertIn(action._get_answer_url(), body)
        self.assertIn(
            "/my/invoices?reference=DUN-%06d" % action.id,
            action.mail_id.body_html.replace("&amp;", "&"),
        )

    # ------------------------------------------------------------------
    # The proof and the access rights
    # ------------------------------------------------------------------

    def test_nobody_reads_the_token_nor_writes_the_figures(self):
        action = self._send_reminder(self.customer)
        salesperson = new_test_user(self.env, login="paul.vente", groups="base.group_user")
        accountant = new_test_user(
            self.env, login="claire.compta", groups="base.group_user,account.group_account_invoice"
        )
        for user in (salesperson, accountant):
            with self.assertRaises(AccessError):
                action.with_user(user).read(["tracking_token"])
        # The accountant reads the figures, and can no more forge them than
        # change the sent reminder.
        self.assertEqual(action.with_user(accountant).open_count, 0)
        with self.assertRaises(UserError):
            action.with_user(accountant).write({"open_count": 5})
        with self.assertRaises(UserError):
            action.write({"first_clicked": "2026-01-01 10:00:00"})
        # Recording an open leaves the sent reminder as it was.
        action._record_tracking_event("open")
        self.assertEqual((action.open_count, action.state), (1, "sent"))
        with self.assertRaises(UserError):
            action.write({"date": self.today - timedelta(days=3)})
        # Even where the tracking records, only its own fields may change.
        with recording_delivery(), self.assertRaises(UserError):
            action.write({"email_undelivered": True, "amount_due": 0.0})

    # ------------------------------------------------------------------
    # Undelivered
    # ------------------------------------------------------------------

    def _process_bounce(self, action, number):
        self.env["mail.thread"].sudo().message_process(
            None,
            BOUNCE.format(
                bounce_id="bounce-%s-%s" % (action.id, number),
                recipient=self.customer.email,
                message_id=action.mail_id.mail_message_id.message_id,
            ),
        )

    def _undelivered_activities(self, action):
        return self.env["mail.activity"].search(
            [("res_model", "=", action._name), ("res_id", "=", action.id)]
        )

    def test_a_bounce_marks_the_reminder_undelivered_and_asks_once_to_fix_the_address(self):
        accountant = new_test_user(
            self.env, login="claire.compta", groups="base.group_user,account.group_account_invoice"
        )
        self.company.dunning_responsible_id = accountant
        action = self._send_reminder(self.customer)
        other = self._send_reminder(self.customer_2)
        self._process_bounce(action, 1)
        self.assertTrue(action.email_undelivered)
        self.assertTrue(action.email_undelivered_date)
        self.assertIn(self.customer.email, action.email_undelivered_reason)
        activity = self._undelivered_activities(action)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, accountant)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        self.assertFalse(other.email_undelivered)
        # The same address bounces again: still one activity.
        self._process_bounce(action, 2)
        self.assertEqual(len(self._undelivered_activities(action)), 1)
        # Filterable, and the proof is untouched.
        self.assertEqual(
            self.env["account.dunning.action"].search(
                [("email_undelivered", "=", True), ("id", "in", (action | other).ids)]
            ),
            action,
        )
        self.assertEqual(action.state, "sent")

    def test_an_address_refused_by_the_mail_server_marks_it_undelivered(self):
        self.customer.email = "boulangerie-martin-at-example"
        action = self._send_reminder(self.customer)
        action.mail_id.send(raise_exception=False)
        self.assertTrue(action.email_undelivered)
        self.assertEqual(len(self._undelivered_activities(action)), 1)

    def test_reminder_costs_are_never_negative(self):
        with self.assertRaises(ValidationError):
            self.company.dunning_cost_registered_letter = -1.0
        with self.assertRaises(ValidationError):
            self.company.dunning_call_minutes = -5.0
