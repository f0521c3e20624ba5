"""The raw writers into other modules' tables (tools/bulk.py) write what
their ORM twins write, column for column; the system parameter
``account_dunning_fr.orm_writes`` sends every one of them down the ORM.

Mails and chatter notes are compared in test_dunning_action.py and
test_dunning_run.py; the invoices' levels and portal tokens here."""

from datetime import timedelta
from unittest.mock import patch

import psycopg2

from odoo import models
from odoo.exceptions import AccessError, UserError
from odoo.modules.migration import load_script
from odoo.tests import new_test_user, tagged
from odoo.tools import file_path, mute_logger

from ..models.reminder.dunning_proof import writing_proof
from ..tools import bulk
from .common import DunningCase

# Written by any write(), whatever its values.
LOG_COLUMNS = set(models.LOG_ACCESS_COLUMNS)


@tagged("post_install", "-at_install")
class TestBulkWriters(DunningCase):
    def _orm_writes(self, on):
        self.env["ir.config_parameter"].sudo().set_param(bulk.ORM_WRITES_PARAM, (on and "1") or "0")

    def _stored(self, records):
        """Every stored column of ``records`` but the log columns."""
        names = [
            name
            for name, field in records._fields.items()
            if field.store and field.column_type and name not in LOG_COLUMNS
        ]
        self.env.flush_all()
        self.env.invalidate_all()
        return {record.id: record.read(names, load=None)[0] for record in records}

    def _changes(self, records, write):
        """{record id: {column: (before, after)}} of what ``write`` changed."""
        before = self._stored(records)
        write()
        after = self._stored(records)
        return [
            {name: (before[rid][name], value) for name, value in after[rid].items()
             if value != before[rid][name]}
            for rid in records.ids
        ]  # fmt: skip

    def _reminder_mails_created(self, create):
        """The reminders whose email went through mail.mail.create()."""
        return [
            vals["res_id"]
            for call in create.call_args_list
            for vals in (call.args[1] if isinstance(call.args[1], list) else [call.args[1]])
            if vals.get("model") == "account.dunning.action"
        ]

    def _twin_invoices(self):
        """Two invoices alike: one for each path."""
        return [self._invoice(partner, 300.0, days_late=5) for partner in (self.customer,) * 2]

    def test_instalment_levels_written_in_bulk_are_what_write_makes(self):
        day = self.today
        changes = []
        for orm in (False, True):
            self._orm_writes(orm)
            invoice = self._invoice(self.customer, 300.0, days_late=5)
            lines = invoice._dunning_receivable_lines()
            key = (self.level_1.id, day)
            changes += self._changes(
                lines, lambda lines=lines, k=key: bulk.write_line_levels({k: lines})
            )
        self.assertEqual(changes[0], changes[1])
        self.assertEqual(
            changes[0],
            {"dunning_level_id": (False, self.level_1.id), "dunning_last_date": (False, day)},
        )

    def test_invoice_levels_and_tokens_written_in_bulk_are_what_write_makes(self):
        day = self.today
        changes = []
        for orm in (False, True):
            self._orm_writes(orm)
            invoice = self._invoice(self.customer, 300.0, days_late=5)
            self.assertFalse(invoice.access_token)

            def write(invoice=invoice):
                bulk.write_move_levels({(self.level_1.id, day): invoice}, portal_tokens=True)

            changes += self._changes(invoice, write)
        # The tokens are random: each a fresh UUID, where there was none.
        for change in changes:
            before, token = change.pop("access_token")
            self.assertFalse(before)
            self.assertEqual(len(token), 36)
        self.assertEqual(changes[0], changes[1])
        self.assertEqual(
            changes[0],
            {"dunning_level_id": (False, self.level_1.id), "dunning_last_date": (False, day)},
        )

    def test_mail_results_written_in_bulk_are_what_write_makes(self):
        """The batch's emails go on its reminders in one UPDATE: what
        _write_sending_result writes, a reminder without an email cleared."""
        changes = []
        for orm in (False, True):
            self._orm_writes(orm)
            # A reminder a customer a day: the ORM's pair made the day before.
            day = self.today - timedelta(days=int(orm))
            with_mail = self._new_reminder(self.customer, day)
            without = self._new_reminder(self.customer_2, day)
            mail = self.env["mail.mail"].create({"body_html": "<p>Relance</p>"})
            with writing_proof():
                without.write({"email_to": "ancien@example.com"})
            results = {
                with_mail.id: (mail.id, "compta@boulangerie.fr, dg@boulangerie.fr"),
                without.id: (None, None),
            }
            reminders = with_mail | without
            changes.append(
                (
                    mail.id,
                    self._changes(
                        reminders, lambda r=reminders, v=results: r._write_mail_results(v)
                    ),
                )
            )
        for mail_id, (with_mail_change, without_change) in changes:
            self.assertEqual(
                with_mail_change,
                {
                    "mail_id": (False, mail_id),
                    "email_to": (False, "compta@boulangerie.fr, dg@boulangerie.fr"),
                },
            )
            self.assertEqual(without_change, {"email_to": ("ancien@example.com", False)})

    def test_only_who_may_write_reminders_writes_their_mail_results(self):
        self._orm_writes(False)
        reminder = self._new_reminder(self.customer)
        seller = new_test_user(self.env, login="vendeur.bulk", groups="base.group_user")
        with self.assertRaises(AccessError):
            reminder.with_user(seller)._write_mail_results({reminder.id: (None, "x@example.com")})
        self.env.invalidate_all()
        self.assertFalse(reminder.email_to)

    def _night_reminders(self, day, run):
        """A batch's reminders as the night makes them: one to email, one
        failed, through _insert_reminders."""
        Action = self.env["account.dunning.action"].with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
        )
        common = {"company_id": self.company.id, "run_id": run.id, "date": day, "automatic": True}
        with writing_proof():
            return Action._insert_reminders(
                [
                    {
                        **common,
                        "partner_id": self.customer.id,
                        "level_id": self.level_1.id,
                        "currency_id": self.company.currency_id.id,
                        **self.level_1._get_action_channel_values(),
                    },
                    {
                        **common,
                        "partner_id": self.customer_2.id,
                        "level_id": self.level_notice.id,
                        "send_email": True,
                        "state": "failed",
                        "error_message": "Le rappel n'a pas pu être préparé.",
                    },
                ]
            )

    def test_reminders_inserted_in_bulk_are_what_create_makes(self):
        self.company.dunning_track_links = True
        Action = self.env["account.dunning.action"]
        computed = [field for field in Action._fields.values() if field.store and field.compute]
        made = []
        for orm in (False, True):
            self._orm_writes(orm)
            day = self.today - timedelta(days=int(orm))
            run = self.env["account.dunning.run"].create({"date": day})
            self.assertFalse(run.action_ids)  # read before: in the cache
            reminders = self._night_reminders(day, run)
            self.assertEqual(reminders.partner_id, self.customer | self.customer_2)
            # The cache as create() leaves it: the run's side updated, the
            # totals to compute, no lines to fetch.
            self.assertEqual(run.action_ids, reminders)
            for field in computed:
                self.assertEqual(
                    bool(self.env.records_to_compute(field) & reminders),
                    field.name not in ("policy_id", "formal_notice", "litigation"),
                    field.name,
                )
            with self.assertQueryCount(0):
                self.assertFalse(reminders.line_ids)
                self.assertEqual(reminders.mapped("state"), ["to_review", "failed"])
            made.append((day, run, self._stored(reminders)))
        (day_0, run_0, bulk_rows), (day_1, run_1, orm_rows) = made
        for (bulk_id, bulk_row), (orm_id, orm_row) in zip(
            bulk_rows.items(), orm_rows.items(), strict=True
        ):
            self.assertEqual(bulk_row.pop("id"), bulk_id)
            self.assertEqual(orm_row.pop("id"), orm_id)
            self.assertEqual((bulk_row.pop("date"), orm_row.pop("date")), (day_0, day_1))
            self.assertEqual((bulk_row.pop("run_id"), orm_row.pop("run_id")), (run_0.id, run_1.id))
            # The tokens are random: each drawn where create() draws one.
            for name in ("answer_token", "tracking_token"):
                self.assertEqual(bool(bulk_row.pop(name)), bool(orm_row.pop(name)), name)
            self.assertEqual(bulk_row, orm_row)
        first, failed = bulk_rows.values()
        self.assertEqual(
            (first["partner_id"], first["level_id"], first["policy_id"], first["state"]),
            (self.customer.id, self.level_1.id, self.level_1.policy_id.id, "to_review"),
        )
        self.assertEqual(
            (failed["state"], failed["formal_notice"], failed["error_message"]),
            ("failed", True, "Le rappel n'a pas pu être préparé."),
        )
        inserted = Action.browse(list(bulk_rows)).sudo()
        self.assertTrue(all(inserted.mapped("answer_token")))
        self.assertTrue(all(inserted.mapped("tracking_token")))

    def test_reminders_inserted_in_bulk_keep_the_rules_of_create(self):
        self._orm_writes(False)
        run = self.env["account.dunning.run"].create({"date": self.today})
        Action = self.env["account.dunning.action"]
        before = Action.search_count([])
        # Outside the sending pipeline, no reminder is made already sent.
        with self.assertRaises(UserError):
            Action._insert_reminders(
                [{"partner_id": self.customer.id, "level_id": self.level_1.id, "state": "sent"}]
            )
        # Who may not create reminders makes none.
        seller = new_test_user(self.env, login="vendeur.insert", groups="base.group_user")
        with self.assertRaises(AccessError), writing_proof():
            Action.with_user(seller)._insert_reminders(
                [{"partner_id": self.customer.id, "level_id": self.level_1.id}]
            )
        # Made with a chatter note: create() makes it.
        Class = type(Action)
        with patch.object(Class, "create", autospec=True, side_effect=Class.create) as create:
            noted = Action._insert_reminders(
                [
                    {
                        "partner_id": self._customer("Fromagerie Roux SARL").id,
                        "level_id": self.level_1.id,
                    }
                ]
            )
        self.assertTrue(create.called)
        self.assertTrue(noted.message_ids)
        # A customer reminded today already: the unique key, as create().
        self._night_reminders(self.today, run)
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self._night_reminders(self.today, run)
        self.assertEqual(Action.search_count([]), before + 3)

    def test_a_token_is_never_replaced_nor_given_to_a_credit_note(self):
        for orm in (False, True):
            self._orm_writes(orm)
            invoice, other = self._twin_invoices()
            other._portal_ensure_token()
            token = other.access_token
            refund = self._credit_note(self.customer, 50.0)
            bulk.ensure_portal_tokens(invoice | other | refund)
            self.env.invalidate_all()
            self.assertTrue(invoice.access_token)
            self.assertEqual(other.access_token, token)
            self.assertFalse(refund.access_token)

    def test_the_parameter_sends_every_writer_down_the_orm(self):
        self._orm_writes(True)
        self.customer.email = "boulangerie@example.com"
        invoice = self._invoice(self.customer, 300.0, days_late=1)
        Mail = type(self.env["mail.mail"])
        Move = type(self.env["account.move"])
        Line = type(self.env["account.move.line"])
        Action = type(self.env["account.dunning.action"])
        with (
            patch.object(Action, "create", autospec=True, side_effect=Action.create) as create,
            patch.object(Mail, "create", autospec=True, side_effect=Mail.create) as mail_create,
            patch.object(
                Move, "_message_log_batch", autospec=True, side_effect=Move._message_log_batch
            ) as move_notes,
            patch.object(Move, "write", autospec=True, side_effect=Move.write) as move_write,
            patch.object(Line, "write", autospec=True, side_effect=Line.write) as line_write,
        ):
            self._run(partners=self.customer)
        action = self._actions(self.customer)
        self.assertEqual(action.state, "sent")
        self.assertTrue(create.called)
        self.assertEqual(self._reminder_mails_created(mail_create), [action.id])
        self.assertEqual(action.mail_id.state, "outgoing")
        self.assertTrue(move_notes.called)
        self.assertTrue(
            any("dunning_level_id" in call.args[1] for call in move_write.call_args_list)
        )
        self.assertTrue(
            any("dunning_level_id" in call.args[1] for call in line_write.call_args_list)
        )
        self.env.invalidate_all()
        self.assertEqual(invoice.dunning_level_id, self.level_1)
        self.assertTrue(invoice.access_token)
        self.assertIn("Reminder sent", invoice.message_ids[0].body)

    def test_without_the_parameter_the_night_writes_in_bulk(self):
        self._orm_writes(False)
        self._invoice(self.customer, 300.0, days_late=1)
        Mail = type(self.env["mail.mail"])
        Action = type(self.env["account.dunning.action"])
        with (
            patch.object(Action, "create", autospec=True, side_effect=Action.create) as create,
            patch.object(Mail, "create", autospec=True, side_effect=Mail.create) as mail_create,
        ):
            self._run(partners=self.customer)
        self.assertEqual(self._actions(self.customer).state, "sent")
        self.assertFalse(create.called)
        self.assertFalse(self._reminder_mails_created(mail_create))

    def _indexes_on(self, table, columns):
        """The indexes of ``table`` that read one of ``columns`` (as a key, an
        expression or in their WHERE): any one of them makes an update of
        these columns a non-HOT one, written again in every index."""
        self.env.cr.execute(
            """
            SELECT DISTINCT i.relname
              FROM pg_index x
              JOIN pg_class t ON t.oid = x.indrelid
              JOIN pg_class i ON i.oid = x.indexrelid
              JOIN pg_attribute a ON a.attrelid = t.oid AND a.attname IN %s
             WHERE t.relname = %s
               AND (a.attnum = ANY(x.indkey)
                    OR pg_get_expr(x.indexprs, x.indrelid) ~ ('\\m' || a.attname || '\\M')
                    OR pg_get_expr(x.indpred, x.indrelid) ~ ('\\m' || a.attname || '\\M'))
            """,
            [tuple(columns), table],
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def test_the_nights_level_writes_touch_no_index(self):
        # write_instalment_levels / write_move_levels: the columns they set.
        self.assertEqual(
            self._indexes_on("account_move_line", ["dunning_level_id", "dunning_last_date"]), set()
        )
        self.assertEqual(
            self._indexes_on("account_move", ["dunning_level_id", "dunning_last_date"]), set()
        )
        # The check sees an index when there is one.
        self.env.cr.execute(
            "CREATE INDEX account_move_line__dunning_level_id_index"
            " ON account_move_line (dunning_level_id) WHERE dunning_level_id IS NOT NULL"
        )
        self.assertEqual(
            self._indexes_on("account_move_line", ["dunning_level_id"]),
            {"account_move_line__dunning_level_id_index"},
        )

    def test_the_upgrade_drops_the_former_level_indexes(self):
        migration = load_script(
            file_path("account_dunning_fr/migrations/18.0.2.1.0/post-migrate.py"), "dunning_2_1"
        )
        for table in ("account_move", "account_move_line"):
            self.env.cr.execute(
                f"CREATE INDEX {table}__dunning_level_id_index ON {table} (dunning_level_id)"
                " WHERE dunning_level_id IS NOT NULL"
            )
        migration.migrate(self.env.cr, "18.0.2.0.0")
        self.assertEqual(self._indexes_on("account_move", ["dunning_level_id"]), set())
        self.assertEqual(self._indexes_on("account_move_line", ["dunning_level_id"]), set())
        # A new install has nothing to drop.
        migration.migrate(self.env.cr, None)
