from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..models.legal import account_move_legal
from ..tools import bulk
from ..tools.prefetch import fetch_only
from .common import DunningCase


@tagged("post_install", "-at_install")
class TestFetchOnly(DunningCase):
    def test_only_the_fields_named_are_read(self):
        invoices = self._invoice(self.customer, 100.0, days_late=5) | self._invoice(
            self.customer_2, 200.0, days_late=5
        )
        invoices.invalidate_model()
        fetch_only(invoices, ["move_type", "invoice_date_due"])
        cache = self.env.cache
        for invoice in invoices:
            self.assertTrue(cache.contains(invoice, invoices._fields["move_type"]))
            self.assertTrue(cache.contains(invoice, invoices._fields["invoice_date_due"]))
            self.assertFalse(cache.contains(invoice, invoices._fields["narration"]))
            self.assertFalse(cache.contains(invoice, invoices._fields["invoice_origin"]))

    def test_a_record_the_user_may_not_read_raises_on_access_as_before(self):
        invoice = self._invoice(self.customer, 100.0, days_late=5)
        outsider = new_test_user(
            self.env, login="dunning_prefetch_outsider", groups="base.group_user"
        )
        hidden = invoice.with_user(outsider)
        hidden.invalidate_model()
        fetch_only(hidden, ["move_type"])  # no error here
        with self.assertRaises(AccessError):
            hidden.mapped("move_type")

    def test_a_new_record_is_left_alone(self):
        draft = self.env["account.move"].new({"move_type": "out_invoice"})
        fetch_only(draft, ["move_type"])
        self.assertEqual(draft.move_type, "out_invoice")


@tagged("post_install", "-at_install")
class TestNightReadsOfInvoices(DunningCase):
    def test_the_night_fetches_the_invoices_columns_it_reads_only(self):
        # From a cold cache, every read of the reminded invoices takes the
        # columns named in DUNNING_MOVE_FIELDS, or fewer: a field the night
        # reads that is not named there fetches all of them (94) again. The
        # bulk writers' path: their ORM twins write() the invoices, which
        # reads them whole.
        self.env["ir.config_parameter"].sudo().set_param(bulk.ORM_WRITES_PARAM, "0")
        self.customer_2.email = False  # a letter's reminder as well
        for partner, amounts in ((self.customer, (300.0, 120.5)), (self.customer_2, (80.0,))):
            for amount in amounts:
                self._invoice(partner, amount, days_late=20)
        self._pay_unmatched(self.customer, 50.0)
        self._credit_note(self.customer_2, 10.0)
        self.env.invalidate_all()
        Move = type(self.env["account.move"])
        fetched, fetch_query = [], Move._fetch_query

        def spy(records, query, fields):
            fetched.append(len(fields))
            return fetch_query(records, query, fields)

        with patch.object(Move, "_fetch_query", autospec=True, side_effect=spy):
            self._run(partners=self.customer | self.customer_2)
        self.assertEqual(len(self._actions(self.customer).line_ids), 3)
        self.assertEqual(self._actions(self.customer).state, "sent")
        self.assertTrue(fetched)
        self.assertLessEqual(max(fetched), len(account_move_legal.DUNNING_MOVE_FIELDS))

    def test_the_night_never_reads_the_instalments_whole(self):
        # Their levels, read after the sending to raise them, were fetched
        # with the 49 columns of a first access (200 ms of a night).
        self.env["ir.config_parameter"].sudo().set_param(bulk.ORM_WRITES_PARAM, "0")
        first = self._invoice(self.customer, 300.0, days_late=20)
        self._invoice(self.customer_2, 80.0, days_late=20)
        self.env.invalidate_all()
        Line = type(self.env["account.move.line"])
        fetched, fetch_query = [], Line._fetch_query

        def spy(records, query, fields):
            fetched.append(sorted(field.name for field in fields))
            return fetch_query(records, query, fields)

        with patch.object(Line, "_fetch_query", autospec=True, side_effect=spy):
            self._run(partners=self.customer | self.customer_2)
        self.assertEqual(self._actions(self.customer).state, "sent")
        instalment = first.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        self.assertEqual(instalment.dunning_level_id, self._actions(self.customer).level_id)
        self.assertTrue(fetched)
        self.assertLessEqual(max(len(names) for names in fetched), 3, fetched)


@tagged("post_install", "-at_install")
class TestSituationReads(DunningCase):
    def _reminders_after_announced_payments(self, customers):
        """One reminder per customer, each on an invoice whose payment was
        announced (reference VIR-<customer id>) and whose hold ended
        yesterday."""
        for customer in customers:
            invoice = self._invoice(customer, 400.0, days_late=20)
            invoice._dunning_hold_for_announced_payment(
                self.today - timedelta(days=8),
                self.today - timedelta(days=1),
                reference="VIR-%s" % customer.id,
            )
        self._run(partners=customers)
        return self.env["account.dunning.action"].search([("partner_id", "in", customers.ids)])

    def _queries_of_situation_facts(self, actions):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        facts = actions._get_situation_facts()
        return self.env.cr.sql_log_count - before, facts

    def test_announced_payments_are_read_once_for_all_reminders(self):
        customers = self.customer | self.customer_2 | self._customer("Fromagerie Roux SARL")
        actions = self._reminders_after_announced_payments(customers)
        self.assertEqual(len(actions), 3)
        for action in actions:
            self.assertEqual(action.situation, "payment_not_received")
            self.assertEqual(action.situation_reference, "VIR-%s" % action.partner_id.id)
        one, _facts = self._queries_of_situation_facts(actions[0])
        three, facts = self._queries_of_situation_facts(actions)
        # Three reminders cost what one does: no query per reminder.
        self.assertEqual(three, one)
        for action in actions:
            self.assertEqual(facts[action.id].payment_reference, "VIR-%s" % action.partner_id.id)
            self.assertEqual(facts[action.id].payment_hold_until, self.today - timedelta(days=1))


@tagged("post_install", "-at_install")
class TestRecipientReads(DunningCase):
    def _reviewed_reminders(self, customers):
        """A formal notice waiting for review per customer, each to the
        contact of its invoice."""
        for customer in customers:
            contact = self.env["res.partner"].create(
                {
                    "name": "Comptabilité %s" % customer.name,
                    "parent_id": customer.id,
                    "type": "invoice",
                    "email": "compta.%s@example.com" % customer.id,
                }
            )
            invoice = self._invoice(contact, 900.0, days_late=45)
            self._set_level(invoice, self.level_call, days_ago=15)
        self._run(partners=customers)
        actions = self.env["account.dunning.action"].search([("partner_id", "in", customers.ids)])
        self.assertEqual(set(actions.mapped("state")), {"to_review"})
        return actions

    def _queries_of_reachability(self, actions):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        reachable = self.env["account.dunning.sender"]._fail_unreachable(actions)
        recipients = {action.id: action._get_reminder_recipients() for action in reachable}
        return self.env.cr.sql_log_count - before, recipients

    def test_recipients_are_read_once_for_all_reminders(self):
        customers = self.customer | self.customer_2 | self._customer("Fromagerie Roux SARL")
        actions = self._reviewed_reminders(customers)
        self.assertEqual(len(actions), 3)
        one, _recipients = self._queries_of_reachability(actions[0])
        three, recipients = self._queries_of_reachability(actions)
        # Three reminders cost what one does: no query per reminder.
        self.assertEqual(three, one)
        for action in actions:
            self.assertEqual(
                recipients[action.id].mapped("email"),
                ["compta.%s@example.com" % action.partner_id.id],
            )
