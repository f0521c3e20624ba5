from datetime import date, timedelta
from decimal import Decimal
from unittest.mock import patch

from markupsafe import Markup

from odoo import Command, models
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from ..models.reminder.account_dunning_action_line import INSERT_COLUMNS
from ..tools import bulk
from ..tools.bulk import unnest_arrays
from .common import DunningCase


@tagged("post_install", "-at_install")
class TestDunningAction(DunningCase):
    def _prepare_formal_notice(self, *amounts):
        invoices = self.env["account.move"]
        for amount in amounts:
            invoice = self._invoice(self.customer, amount, days_late=45)
            self._set_level(invoice, self.level_call, days_ago=15)
            invoices |= invoice
        self._run()
        action = self._actions(self.customer)
        self.assertEqual(action.state, "to_review")
        return action, invoices

    def test_paid_between_preparation_and_sending_is_cancelled_not_sent(self):
        action, invoice = self._prepare_formal_notice(1000.0)
        self._pay(invoice)
        action.action_send()
        self.assertEqual(action.state, "cancelled")
        self.assertFalse(action.mail_id)
        self.assertTrue(action.line_ids.dropped)
        self.assertIn("paid", action.cancel_reason)
        self.assertEqual(invoice.dunning_level_id, self.level_call)

    def test_one_invoice_paid_before_sending_is_dropped_from_the_reminder(self):
        action, invoices = self._prepare_formal_notice(1000.0, 400.0)
        paid, unpaid = invoices
        self._pay(paid)
        action.action_send()
        self.assertEqual(action.state, "sent")
        self.assertEqual(action.line_ids.filtered("dropped").move_id, paid)
        self.assertEqual(action.amount_due, 400.0)
        self.assertNotIn(paid.name, action.mail_id.body_html)
        self.assertIn(unpaid.name, action.mail_id.body_html)
        self.assertEqual(unpaid.dunning_level_id, self.level_notice)
        self.assertEqual(paid.dunning_level_id, self.level_call)

    def test_partial_payment_before_sending_updates_the_amount(self):
        action, invoice = self._prepare_formal_notice(1000.0)
        self._pay(invoice, 600.0)
        action.action_send()
        # 1000 - 600 = 400 left to claim
        self.assertEqual(action.amount_due, 400.0)
        self.assertEqual(action.line_ids.amount_residual, 400.0)

    def test_excluded_after_preparation_is_dropped(self):
        action, invoice = self._prepare_formal_notice(1000.0)
        invoice._dunning_exclude("dispute")
        action.action_send()
        self.assertEqual(action.state, "cancelled")

    def test_sent_action_is_immutable_and_cannot_be_deleted(self):
        self._invoice(self.customer, 300.0, days_late=1)
        self._run()
        action = self._actions(self.customer)
        self.assertEqual(action.state, "sent")
        with self.assertRaises(UserError):
            action.write({"date": self.today.replace(day=1)})
        with self.assertRaises(UserError):
            action.unlink()
        with self.assertRaises(UserError):
            action.action_cancel()

    def test_cancel_waiting_reminder(self):
        action, invoice = self._prepare_formal_notice(1000.0)
        action.action_cancel()
        self.assertEqual(action.state, "cancelled")
        self.assertEqual(invoice.dunning_level_id, self.level_call)
        # Cancelled today: not made again today.
        self.assertFalse(self._run().action_ids)

    def test_retry_a_failed_reminder_once_the_email_is_fixed(self):
        self.customer.email = False
        self._invoice(self.customer, 300.0, days_late=1)
        self._run()
        action = self._actions(self.customer)
        self.assertEqual(action.state, "failed")
        self.customer.email = "compta@boulangerie-martin.example"
        action.action_send()
        self.assertEqual(action.state, "sent")
        self.assertFalse(action.error_message)
        self.assertEqual(action.email_to, "compta@boulangerie-martin.example")

    def test_invoicing_contact_receives_the_reminder(self):
        billing = self.env["res.partner"].create(
            {
                "name": "Service comptable",
                "type": "invoice",
                "parent_id": self.customer.id,
                "email": "factures@martin.example",
            }
        )
        self._invoice(self.customer, 300.0, days_late=1)
        self._run()
        self.assertEqual(self._actions(self.customer).mail_id.recipient_ids, billing)

    def test_defaults_are_asked_once_per_create(self):
        Action = self.env["account.dunning.action"]
        # What makes it right: no default of the model varies from a call to
        # the next (a field defaulting to a token must be drawn by create()).
        for name, field in Action._fields.items():
            if field.default is not None:
                with self.subTest(field=name):
                    self.assertEqual(field.default(Action), field.default(Action))
        IrDefault = type(self.env["ir.default"])
        asked, get_model_defaults = [], IrDefault._get_model_defaults

        def spy(model, model_name, *args, **kwargs):
            asked.append(model_name)
            return get_model_defaults(model, model_name, *args, **kwargs)

        customers = self.customer | self.customer_2 | self._customer("Fromagerie Roux SARL")
        with patch.object(IrDefault, "_get_model_defaults", autospec=True, side_effect=spy):
            actions = Action.create(
                [{"partner_id": customer.id, "level_id": self.level_1.id} for customer in customers]
            )
        self.assertEqual(asked.count("account.dunning.action"), 1)
        self.assertEqual(actions.partner_id, customers)
        self.assertEqual(set(actions.mapped("state")), {"to_review"})
        self.assertEqual(set(actions.mapped("date")), {self.today})
        self.assertEqual(actions.company_id, self.env.company)
        self.assertEqual(actions.currency_id, self.env.company.currency_id)
        self.assertEqual(len(set(actions.sudo().mapped("answer_token"))), 3)
        # Outside create(), Odoo's own answer, asked each time.
        asked.clear()
        with patch.object(IrDefault, "_get_model_defaults", autospec=True, side_effect=spy):
            Action.default_get(["state"])
            Action.default_get(["state"])
        self.assertEqual(asked.count("account.dunning.action"), 2)

    def _claim_lines_of_one_customer(self, invoice_name="FAC/1", payment_name="PAY/1"):
        """The line values of a reminder to ``customer``: an instalment in
        dollars, its amounts to round, and an unmatched payment in euros."""
        usd = self._usd_at(self.today.replace(day=1))
        invoice = self._invoice(self.customer, 1000.0, days_late=20)
        payment = self._pay_unmatched(self.customer, 123.456)
        return [
            {
                "line_type": "invoice",
                "move_id": invoice.id,
                "move_line_id": invoice.line_ids.filtered("date_maturity")[:1].id,
                "name": invoice_name,
                "invoice_date": invoice.invoice_date,
                "date_maturity": invoice.invoice_date_due,
                "days_late": 20,
                "level_id": self.level_1.id,
                "escalated": True,
                "currency_id": usd.id,
                "amount_total": 2000.004,
                "amount_residual": 1999.996,
                "amount_residual_company": 999.998,
                "late_penalty_amount": 12.3449,
                "recovery_indemnity_amount": 40.0,
            },
            {
                "line_type": "payment",
                "move_id": payment.move_id.id,
                "name": payment_name,
                "date": self.today,
                "currency_id": self.company.currency_id.id,
                "amount_residual": -123.456,
                "amount_residual_company": -123.456,
            },
        ]

    def test_the_levels_values_are_read_once_for_a_create_not_computed_again(self):
        # A reminder's policy and kind are its level's, set in create()'s
        # INSERT for all the reminders at once: no new record per reminder
        # to compute them, nothing left to compute at the next flush.
        Action = self.env["account.dunning.action"]
        fields_of_level = [
            Action._fields[name] for name in ("policy_id", "formal_notice", "litigation")
        ]
        new_records = []
        new = type(Action).new

        def spy_new(model, *args, **kwargs):
            if model._name == Action._name:
                new_records.append(args)
            return new(model, *args, **kwargs)

        with patch.object(type(Action), "new", spy_new):
            actions = Action.create(
                [
                    {"partner_id": self.customer.id, "level_id": self.level_1.id},
                    # A value given for them is the level's all the same.
                    {
                        "partner_id": self.customer_2.id,
                        "level_id": self.level_notice.id,
                        "formal_notice": False,
                    },
                ]
            )
        self.assertEqual(new_records, [])
        for field in fields_of_level:
            self.assertFalse(self.env.records_to_compute(field) & actions, field.name)
        self.env.invalidate_all()
        for action, level in zip(actions, self.level_1 | self.level_notice, strict=True):
            self.assertEqual(action.level_id, level)
            self.assertEqual(action.policy_id, level.policy_id)
            self.assertEqual(action.formal_notice, level.formal_notice)
            self.assertEqual(action.litigation, level.litigation)
        self.assertEqual(actions.mapped("formal_notice"), [False, True])

    def test_lines_inserted_in_bulk_are_what_create_makes(self):
        """The run inserts a batch's lines in one statement: the rows must
        be those create() would write, rounded the same, claimed the same."""
        Line = self.env["account.dunning.action.line"]
        lines = self._claim_lines_of_one_customer()
        made = self._new_reminder(self.customer) | self._new_reminder(self.customer_2)
        by_orm, in_bulk = made
        Line.create([{**vals, "action_id": by_orm.id} for vals in lines])
        Line._insert_claim_lines({in_bulk: lines})
        names = [
            name
            for name, field in Line._fields.items()
            if field.store and name not in ("id", "action_id", *models.LOG_ACCESS_COLUMNS)
        ]
        self.env.invalidate_all()

        def rows(action):
            return [
                {name: value for name, value in row.items() if name != "id"}
                for row in action.line_ids.read(names, load=None)
            ]

        self.assertEqual(rows(in_bulk), rows(by_orm))
        # Claimed in euros: the dollar line counts its company amount, rounded.
        self.assertEqual(sorted(in_bulk.line_ids.mapped("amount_claim")), [-123.46, 1000.0])
        self.assertAlmostEqual(in_bulk.amount_due, 876.54)
        self.assertAlmostEqual(in_bulk.amount_penalties, 12.34)
        # The totals, written in bulk with the lines, are what the compute
        # stores (read back from the database).
        self.env.invalidate_all()
        totals = ["amount_invoices", "amount_credits", "amount_due", "amount_penalties"]
        totals += ["amount_indemnities", "amount_claimed", "invoice_count"]
        bulk_totals = in_bulk.read(totals)[0]
        self.assertEqual(
            {name: bulk_totals[name] for name in totals},
            {name: value for name, value in by_orm.read(totals)[0].items() if name != "id"},
        )
        self.assertEqual(bulk_totals["amount_claimed"], 928.88)  # 876.54 + 12.34 + 40
        self.assertEqual(bulk_totals["invoice_count"], 1)

        # The lines listed are kept in the cache, and follow a line dropped
        # or added, without invalidating anything.
        invoice_line = in_bulk.line_ids.filtered(lambda line: line.line_type == "invoice")
        payment_line = in_bulk.line_ids - invoice_line
        self.assertEqual(in_bulk._get_invoice_lines(), invoice_line)
        self.assertEqual(in_bulk._get_credit_lines(), payment_line)
        self.assertEqual((in_bulk | by_orm)._get_invoice_lines().mapped("name"), ["FAC/1", "FAC/1"])
        invoice_line.dropped = True
        self.assertFalse(in_bulk._get_invoice_lines())
        self.assertEqual(in_bulk._get_credit_lines(), payment_line)
        Line._insert_claim_lines({in_bulk: lines[:1]})
        self.assertEqual(len(in_bulk._get_invoice_lines()), 1)
        self.assertNotEqual(in_bulk._get_invoice_lines(), invoice_line)

    def test_claim_lines_inserted_in_bulk_are_in_the_cache_as_stored(self):
        """The lines inserted in one statement are left in the cache as
        create() leaves them: the reminder's lines are listed by one query
        and every inserted value then read without another, and each is
        what the table holds once read back."""
        lines = self._claim_lines_of_one_customer('FAC/1 "a" \\ {b}', False)
        action = self._new_reminder(self.customer)
        self.env["account.dunning.action.line"]._insert_claim_lines({action: lines})
        self.env.flush_all()
        names = [name for name, _kind in INSERT_COLUMNS]
        with self.assertQueryCount(1):
            cached = [[line[name] for name in names] for line in action.line_ids]
        self.env.invalidate_all()
        stored = [[line[name] for name in names] for line in action.line_ids]
        self.assertEqual(cached, stored)
        by_type = {
            row[names.index("line_type")]: dict(zip(names, row, strict=True)) for row in stored
        }
        self.assertEqual(by_type["invoice"]["amount_total"], 2000.0)
        self.assertEqual(by_type["invoice"]["name"], 'FAC/1 "a" \\ {b}')
        self.assertEqual(by_type["payment"]["amount_claim"], -123.46)
        self.assertIs(by_type["payment"]["name"], False)

    def test_array_literals_read_back_as_the_values_given(self):
        """The bulk statements send each column as one array literal
        (unnest_arrays): every value must come back from PostgreSQL as it
        was, quotes, backslashes, braces and the word NULL included."""
        texts = ['a "quoted" word', "back\\slash\\", "{brace}, comma", "NULL", "", None, "é €"]
        columns = {
            "varchar[]": texts,
            "text[]": texts,
            "int[]": [1, -20, None, 2**31 - 1],
            "numeric[]": [0.1 + 0.2, 1e-07, -123.46, None, Decimal("928.88")],
            "float8[]": [0.1 + 0.2, 1e-07, -5.0, None],
            "bool[]": [True, False, None],
            "date[]": [self.today, date(2024, 2, 29), None],
        }
        for kind, values in columns.items():
            with self.subTest(kind=kind):
                rows = [(value,) for value in values]
                _names, arrays = unnest_arrays([("value", kind)], rows)
                query = SQL(
                    "SELECT value FROM unnest(%s) WITH ORDINALITY AS t(value, n) ORDER BY n",
                    arrays,
                )
                read = [row[0] for row in self.env.execute_query(query)]
                if kind == "numeric[]":  # Odoo reads numeric columns as floats
                    values = [None if value is None else float(value) for value in values]
                self.assertEqual(read, values)

    def test_mails_queued_in_bulk_are_what_create_makes(self):
        """The sending pipeline writes a batch's emails in bulk
        (dunning_mail_queue.py): the same mail and message as create()."""
        Action = self.env["account.dunning.action"]
        Mail = self.env["mail.mail"].sudo()
        actions = Action.create(
            [
                {"partner_id": partner.id, "level_id": self.level_1.id, "date": self.today}
                for partner in (self.customer, self.customer_2)
            ]
        )
        summary = Markup("<p>%s</p><ul><li>%s</li></ul>") % ("Relance 1 : 1 000,00 €", "FAC/1 <x>")

        def vals(action):
            return {
                "subject": "Relance - Boulangerie",
                "body_html": Markup("<div><p>Bonjour,</p></div>"),
                "body": summary,
                "email_from": "compta@example.com",
                "email_cc": "commercial@example.com",
                "email_to": False,
                "reply_to": "compta@example.com",
                "mail_server_id": None,
                "scheduled_date": False,
                "recipient_ids": [Command.link(self.customer.id), Command.link(self.customer_2.id)],
                "attachment_ids": [],
                "model": Action._name,
                "res_id": action.id,
                "auto_delete": False,
            }

        by_orm = Mail.create([vals(actions[0])])
        in_bulk = bulk.create_mails(Mail, [vals(actions[1])])
        skip = {"id", "mail_message_id", "message_id", "res_id", "record_name", "date"}

        def stored(records):
            names = [
                name
                for name, field in records._fields.items()
                if field.store
                and field.type not in ("one2many", "binary")
                and name not in skip
                and name not in models.LOG_ACCESS_COLUMNS
            ]
            return records.read(names, load=None)[0] | {"id": 0}

        self.env.invalidate_all()
        self.maxDiff = None
        self.assertEqual(stored(in_bulk), stored(by_orm))
        self.assertEqual(stored(in_bulk.mail_message_id), stored(by_orm.mail_message_id))
        self.assertIn("body", stored(in_bulk.mail_message_id))
        self.assertEqual(in_bulk.state, "outgoing")
        self.assertEqual(in_bulk.recipient_ids, self.customer | self.customer_2)
        self.assertEqual((in_bulk.model, in_bulk.res_id), (Action._name, actions[1].id))
        self.assertEqual(in_bulk.record_name, actions[1].display_name)
        self.assertIn(in_bulk.mail_message_id, actions[1].message_ids)
        self.assertNotEqual(in_bulk.message_id, by_orm.message_id)
        self.assertIn("-account.dunning.action", in_bulk.message_id)

    def _toast_compression(self):
        return self.env.execute_query(SQL("SHOW default_toast_compression"))[0][0]

    def _offers_lz4(self):
        query = (
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        return self.env.execute_query(SQL(query))[0][0]

    def test_mail_bodies_queued_in_bulk_are_compressed_with_lz4(self):
        """A 10 kB body, as a reminder's, is compressed with lz4 in bulk
        where the server offers it (the server's default by create()), reads
        back the same, and the transaction's setting is as before once the
        mails are in."""
        # The bulk writer, whatever the suite's setting (its ORM twin,
        # create(), is what it is compared with).
        self.env["ir.config_parameter"].sudo().set_param(bulk.ORM_WRITES_PARAM, "0")
        default = self._toast_compression()
        action = self._new_reminder(self.customer)
        rows = "".join(
            "<tr><td>FAC/2026/%05d</td><td>%d,00 €</td><td>%d jours</td></tr>" % (n, n * 7, n)
            for n in range(200)
        )
        body = Markup("<div><p>Bonjour,</p><table>%s</table></div>") % Markup(rows)
        self.assertGreater(len(body), 10_000)
        vals = {"body_html": body, "model": action._name, "res_id": action.id}
        Mail = self.env["mail.mail"].sudo()
        by_orm = Mail.create([dict(vals)])
        in_bulk = bulk.create_mails(Mail, [dict(vals)])
        self.assertEqual(self._toast_compression(), default)
        self.env.flush_all()
        methods = dict(
            self.env.execute_query(
                SQL(
                    "SELECT id, pg_column_compression(body_html) FROM mail_mail WHERE id IN %s",
                    (by_orm.id, in_bulk.id),
                )
            )
        )
        expected = "lz4" if self._offers_lz4() else default
        self.assertEqual(methods, {by_orm.id: default, in_bulk.id: expected})
        self.env.invalidate_all()
        self.assertEqual(in_bulk.body_html, by_orm.body_html)
        self.assertEqual(in_bulk.body_html, str(body))

    def test_a_compression_the_server_does_not_offer_changes_nothing(self):
        default = self._toast_compression()
        with bulk.compressed_with(self.env, "snappy"):  # no PostgreSQL has it
            self.assertEqual(self._toast_compression(), default)
        with bulk.compressed_with(self.env, "lz4"):
            self.assertEqual(self._toast_compression(), "lz4" if self._offers_lz4() else default)
        self.assertEqual(self._toast_compression(), default)


@tagged("post_install", "-at_install")
class TestAnnouncedPayment(DunningCase):
    def test_an_announced_payment_holds_the_invoice_until_its_day_included(self):
        invoice = self._invoice(self.customer, 400.0, days_late=10)
        until = self.today + timedelta(days=7)
        invoice._dunning_hold_for_announced_payment(
            self.today - timedelta(days=1), until, reference="VIR-1203"
        )
        self.assertEqual(invoice.dunning_payment_announced_ref, "VIR-1203")
        self._run(partners=self.customer)
        self.assertFalse(self._actions(self.customer))
        # On its last day it still holds; the day after, the invoice is due again.
        Run = self.env["account.dunning.run"]
        Run._run_manual(self.company, partners=self.customer, date=until)
        self.assertFalse(self._actions(self.customer))
        self.assertFalse(invoice._dunning_announced_payment_missing(until))
        after = until + timedelta(days=1)
        self.assertEqual(invoice._dunning_announced_payment_missing(after), invoice)
        self._pay(invoice)
        self.assertFalse(invoice._dunning_announced_payment_missing(after))

    def test_a_salesperson_cannot_hold_an_invoice(self):
        invoice = self._invoice(self.customer, 400.0, days_late=10)
        salesman = new_test_user(self.env, login="vendeur_hold", groups="base.group_user")
        with self.assertRaises(AccessError):
            invoice.with_user(salesman).write({"dunning_hold_until": self.today})
