"""A sent reminder is the proof: nobody changes it, whatever the path; it
counts from the day it was sent."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestDunningProof(DunningCase):
    def _sent_letter(self):
        invoice = self._invoice(self.customer, 900.0, days_late=15)
        self._set_level(invoice, self.level_1, days_ago=14)
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        self.assertEqual((action.state, bool(action.letter_attachment_id)), ("sent", True))
        return action

    def test_nobody_marks_a_reminder_sent_by_writing_it(self):
        invoice = self._invoice(self.customer, 1000.0, days_late=45)
        self._set_level(invoice, self.level_call, days_ago=15)
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        for actions in (action, action.sudo(), action.with_context(dunning_action_sending=True)):
            with self.assertRaisesRegex(UserError, "through its buttons only"):
                actions.write({"state": "sent"})
        with self.assertRaises(UserError):
            self.env["account.dunning.action"].sudo().create(
                {
                    "partner_id": self.customer.id,
                    "level_id": self.level_1.id,
                    "date": self.today - timedelta(days=9),
                    "state": "sent",
                }
            )
        self.assertEqual(action.state, "to_review")

    def test_a_sent_reminder_its_lines_and_its_letter_are_frozen(self):
        action = self._sent_letter()
        line = action.line_ids
        letter = action.letter_attachment_id
        for context in ({}, {"dunning_action_sending": True}):
            sent = action.with_context(**context).sudo()
            with self.assertRaises(UserError):
                sent.write({"amount_due": 1.0})
            with self.assertRaises(UserError):
                sent.line_ids.write({"amount_residual": 1.0})
            with self.assertRaises(UserError):
                sent.line_ids.unlink()
            with self.assertRaises(UserError):
                sent.write({"line_ids": [Command.create({**line.copy_data()[0]})]})
            with self.assertRaises(UserError):
                letter.with_context(**context).sudo().write({"raw": b"forged"})
            with self.assertRaises(UserError):
                letter.with_context(**context).sudo().unlink()
            with self.assertRaises(UserError):
                sent.write({"letter_attachment_id": False})
        # What the accountant records after sending stays possible.
        action.write({"registered_letter_number": "1A 234 567 8901 2"})
        self.assertEqual(action.registered_letter_number, "1A 234 567 8901 2")
        self.assertEqual(letter.res_id, action.id)

    def test_a_reviewed_reminder_counts_from_the_day_it_is_sent(self):
        invoice = self._invoice(self.customer, 1000.0, days_late=45)
        self._set_level(invoice, self.level_call, days_ago=15)
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        sent_on = self.today + timedelta(days=3)
        with freeze_time(sent_on):
            action.action_send()
        self.assertEqual((action.date, action.date_sent), (self.today, sent_on))
        receivable = invoice.line_ids.filtered(lambda line: line.debit)
        self.assertEqual(receivable.dunning_last_date, sent_on)
        self.assertEqual(
            (invoice.dunning_level_id, invoice.dunning_last_date), (self.level_notice, sent_on)
        )
        # The letter is dated the day it left.
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account_dunning_fr.report_dunning_letter", action.ids)[0]
            .decode()
        )
        self.assertIn(sent_on.strftime("%B %-d, %Y"), html)

    def test_an_old_cancelled_reminder_never_writes_an_older_level_back(self):
        invoice = self._invoice(self.customer, 1000.0, days_late=45)
        self._set_level(invoice, self.level_call, days_ago=15)
        self._run(partners=self.customer)
        old = self._actions(self.customer)
        old.action_cancel()
        # Meanwhile the invoice reached litigation (another reminder).
        self._set_level(invoice, self.level_litigation, days_ago=1)
        old.action_reset_to_review()
        old.action_send()
        self.assertEqual(old.state, "sent")
        self.assertEqual(invoice.dunning_level_id, self.level_litigation)
        receivable = invoice.line_ids.filtered(lambda line: line.debit)
        self.assertEqual(receivable.dunning_level_id, self.level_litigation)
