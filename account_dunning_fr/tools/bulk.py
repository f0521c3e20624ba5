"""Writing many rows at once: the add-on's SQL toolkit, and every raw write
into a table another module owns.

The toolkit: typed arrays sent as one literal per column, rows inserted in
one statement into the add-ons' own tables, fields flushed by the query that
reads them.

The writers into other modules' tables (mail, invoices) are here and only
here, each beside its ORM twin, which writes the same values through
``create()`` / ``write()`` / ``_message_log_batch()``; a test per writer
compares every stored column of both. The system parameter
``account_dunning_fr.orm_writes`` sends every writer down its ORM twin, for
databases whose other modules extend those methods.
"""

from contextlib import contextmanager

from odoo.tools import SQL, str2bool
from odoo.tools.mail import generate_tracking_message_id

from .prefetch import fetch_only

ORM_WRITES_PARAM = "account_dunning_fr.orm_writes"
# Ids beyond PostgreSQL's integer make any look-up fail: a route checks
# them first, so that an error does not tell them apart from unknown ones.
MAX_ID = 2**31 - 1
# A portal access token, as portal.mixin's _portal_ensure_token() makes it
# (str(uuid4())), made by PostgreSQL for many invoices in one statement.
NEW_PORTAL_TOKEN = SQL("gen_random_uuid()::text")


def orm_writes(env):
    """Whether the writers below take their ORM twin: the system parameter
    ``account_dunning_fr.orm_writes`` (for databases whose other modules
    extend mail's or the invoices' create() and write())."""
    return str2bool(env["ir.config_parameter"].sudo().get_param(ORM_WRITES_PARAM) or "0")


def flush_fields(model, *names):
    """An empty SQL fragment that makes ``execute_query`` flush these fields."""
    return SQL(" ".join(["%s"] * len(names)), *(SQL("", to_flush=model._fields[n]) for n in names))


def _quote_array_text(value):
    # An array element in double quotes: only " and \ are escaped, and a
    # quoted NULL, comma or brace is plain text. str() first: Markup's
    # replace() would escape the backslashes as HTML.
    return '"%s"' % str(value).replace("\\", "\\\\").replace('"', '\\"')


def _int_text(value):
    # A whole float (a count summed as floats) is written as the integer it
    # is; a bool as 0 or 1.
    return str(value) if type(value) is int else str(round(value))


# How one element of each array type is written in an array literal (None is
# NULL). psycopg2 adapts a list element by element (an adapter object and a
# quoted string each): building and quoting a night's 8,201 claim lines took
# 0.23 s that way, 0.05 s as one string per column (measured).
ARRAY_ELEMENT_TEXT = {
    "int[]": _int_text,
    "float8[]": str,
    "numeric[]": str,
    "bool[]": lambda value: "t" if value else "f",
    "date[]": lambda value: value.isoformat() if hasattr(value, "isoformat") else str(value),
    "varchar[]": _quote_array_text,
    "text[]": _quote_array_text,
}


def array_literal(values, kind):
    """The PostgreSQL array literal of ``values`` for a ``kind`` array
    ('int[]', 'varchar[]'...), as one string: ``'{1,NULL,3}'``."""
    text = ARRAY_ELEMENT_TEXT[kind]
    return "{%s}" % ",".join("NULL" if value is None else text(value) for value in values)


def unnest_arrays(columns, rows):
    """(the column names, one typed array per column) of ``rows`` (tuples),
    for ``unnest``: ``columns`` are (name, PostgreSQL array type) pairs."""
    values = list(zip(*rows, strict=True))
    names = SQL(", ").join(SQL.identifier(name) for name, _kind in columns)
    arrays = SQL(", ").join(
        SQL("%s::" + kind, array_literal(column, kind))
        for (_name, kind), column in zip(columns, values, strict=True)
    )
    return names, arrays


def insert_rows(model, columns, rows, table=None, cache=False):
    """Insert ``rows`` (tuples) into ``model``'s table in one statement:
    ``columns`` are (name, PostgreSQL array type) pairs, one array per
    column given to ``unnest``. ``table`` names a plain table ``model``
    keeps instead (no Odoo log columns). The model's cache is invalidated.

    With ``cache``, returns the new records with the values inserted in
    the cache, as create() leaves them: read right after, they were fetched
    back from the table (a night's 8,201 claim lines: 0.06 s of its CPU)."""
    records = model.browse()
    if rows:
        names, arrays = unnest_arrays(columns, rows)
        if table:
            query = SQL(
                "INSERT INTO %s (%s) SELECT * FROM unnest(%s)",
                SQL.identifier(table),
                names,
                arrays,
            )
        else:
            # RETURNING gives the ids in the order of the rows, as Odoo's
            # own _create() relies on for its multi-row INSERT.
            query = SQL(
                """
                INSERT INTO %s (%s, create_uid, create_date, write_uid, write_date)
                SELECT *, %s, NOW() AT TIME ZONE 'UTC', %s, NOW() AT TIME ZONE 'UTC'
                  FROM unnest(%s)
                %s
                """,
                SQL.identifier(model._table),
                names,
                model.env.uid,
                model.env.uid,
                arrays,
                SQL("RETURNING id") if cache else SQL(),
            )
        returned = model.env.execute_query(query)
        if cache and not table:
            records = model.browse(row[0] for row in returned)
    model.invalidate_model()
    if records:
        _cache_inserted(records, columns, rows)
    return records


def _cache_inserted(records, columns, rows):
    """Put the values of ``rows`` (one per record, ``columns`` as for
    ``insert_rows``) in the cache of the records just inserted."""
    cache = records.env.cache
    for (name, _kind), values in zip(columns, zip(*rows, strict=True), strict=True):
        field = records._fields[name]
        cache.update(
            records,
            field,
            [field.convert_to_cache(value, records, validate=False) for value in values],
        )


def update_rows(records, columns, rows):
    """Write ``rows`` ({record id: the values of ``columns``}) into the
    rows of ``records``' table in one statement: ``columns`` are (name,
    PostgreSQL array type) pairs, one array per column given to
    ``unnest``. The records' pending ORM writes go first; the columns are
    read again afterwards."""
    if not rows:
        return
    records = records.browse(rows)
    records.flush_recordset()
    names, arrays = unnest_arrays(
        (("id", "int[]"), *columns), [(record_id, *row) for record_id, row in rows.items()]
    )
    records.env.execute_query(
        SQL(
            "UPDATE %s a SET %s FROM unnest(%s) AS t(%s) WHERE a.id = t.id",
            SQL.identifier(records._table),
            SQL(", ").join(
                SQL("%s = t.%s", SQL.identifier(name), SQL.identifier(name))
                for name, _kind in columns
            ),
            arrays,
            names,
        )
    )
    records.invalidate_recordset([name for name, _kind in columns])


# ----------------------------------------------------------------------
# Queued emails: mail_message, mail_mail, mail_mail_res_partner_rel
# ----------------------------------------------------------------------

# What the pipeline may give; anything else goes through create().
BULK_KEYS = {
    "subject",
    "body_html",
    "body",
    "email_from",
    "email_cc",
    "email_to",
    "reply_to",
    "mail_server_id",
    "scheduled_date",
    "recipient_ids",
    "attachment_ids",
    "model",
    "res_id",
    "auto_delete",
}


def _bulk_possible(vals_list):
    return all(
        set(vals) <= BULK_KEYS and not vals.get("attachment_ids") and vals.get("model")
        for vals in vals_list
    )


def _recipient_ids(commands):
    """Partner ids of ``Command.link`` commands (the only ones given)."""
    ids = []
    for command in commands or ():
        if command[0] != 4:
            raise ValueError("unexpected recipient command %r" % (command,))
        ids.append(command[1])
    return ids


def create_mails(Mail, vals_list):
    """The mail.mail of ``vals_list`` (as for mail.mail.create()), queued.

    mail.mail.create() spends, per email, three HTML sanitizations of the
    chatter summary (1.6 ms each), a record name, a message id and the
    ORM's conversions: measured 5.9 s of a 500-reminder batch profiled at
    28 s. The rows below are what create() writes for the values the
    sending pipeline gives (account.dunning.sender._queue_emails_with_view);
    ``test_mails_queued_in_bulk_are_what_create_makes`` compares both, field
    by field. The summary is Markup built from escaped values, so it is
    stored as built. Values create() would treat beyond that (attachments,
    tracking values, a message given) go through create(), as does any
    batch holding them.
    """
    if not vals_list or orm_writes(Mail.env) or not _bulk_possible(vals_list):
        return Mail.create(vals_list)
    env = Mail.env
    Mail.check_access("create")
    Message = env["mail.message"]
    Mail.flush_model()
    Message.flush_model()
    by_model = _group_ids(vals_list)
    message_ids = _insert_messages(env, vals_list, _record_names(env, by_model))
    with compressed_with(env, "lz4"):
        mail_ids = _insert_mails(Mail, vals_list, message_ids)
    _link_recipients(env, vals_list, mail_ids)
    Mail.invalidate_model()
    Message.invalidate_model()
    for model, res_ids in by_model.items():
        env[model].browse(res_ids).invalidate_recordset(["message_ids"])
    return Mail.browse(mail_ids)


@contextmanager
def compressed_with(env, method):
    """Within it, this transaction compresses the large values it writes
    with ``method`` ('lz4') where the server offers it (PostgreSQL 14 or
    later, built with it), then as before.

    PostgreSQL compresses a value too large for its row (a 10 kB email
    body) with pglz by default: 235 ms for a night's 1,735 bodies, 45 ms
    with lz4 (the same bodies, INSERT ... SELECT, measured). The method is
    stored with each value and every reader decompresses either: only the
    writing transaction chooses. The setting is local to the transaction
    (``set_config(..., true)``): a rollback takes it back with the rest.
    """
    rows = env.execute_query(
        SQL(
            "SELECT current_setting(name), set_config(name, %s, true) FROM pg_settings "
            "WHERE name = 'default_toast_compression' AND %s = ANY(enumvals)",
            method,
            method,
        )
    )
    yield
    if rows:
        env.execute_query(
            SQL("SELECT set_config('default_toast_compression', %s, true)", rows[0][0])
        )


def _record_names(env, by_model):
    """{(model, id): display name} of the records the mails are about."""
    names = {}
    for model, res_ids in by_model.items():
        records = env[model].sudo().browse(res_ids)
        names.update({(model, rec.id): rec.display_name for rec in records})
    return names


def _insert_messages(env, vals_list, names):
    """The mail.message of each mail, as create() writes it; their ids."""
    Message = env["mail.message"]
    return [
        row[0]
        for row in env.execute_query(
            SQL(
                """
                INSERT INTO mail_message (
                    author_id, model, res_id, record_name, subject, body, email_from, reply_to,
                    mail_server_id, message_id, message_type, email_add_signature, date,
                    create_uid, create_date, write_uid, write_date)
                SELECT %(author)s, model, res_id, record_name, subject, body, email_from, reply_to,
                       mail_server_id, message_id, 'email_outgoing', TRUE,
                       now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC',
                       %(uid)s, now() AT TIME ZONE 'UTC'
                  FROM unnest(%(model)s::varchar[], %(res_id)s::int[],
                              %(record_name)s::varchar[], %(subject)s::varchar[],
                              %(body)s::text[], %(email_from)s::varchar[],
                              %(reply_to)s::varchar[], %(mail_server_id)s::int[],
                              %(message_id)s::varchar[])
                       WITH ORDINALITY
                       AS t(model, res_id, record_name, subject, body, email_from, reply_to,
                            mail_server_id, message_id, position)
              ORDER BY position
             RETURNING id
                """,
                uid=env.uid,
                # What mail.message.default_get() gives each message: the user's partner.
                author=Message.default_get(["author_id"]).get("author_id") or None,
                model=[vals["model"] for vals in vals_list],
                res_id=[vals["res_id"] for vals in vals_list],
                record_name=[names[(vals["model"], vals["res_id"])] or None for vals in vals_list],
                subject=[vals.get("subject") or None for vals in vals_list],
                body=[str(vals.get("body") or "") or None for vals in vals_list],
                email_from=[vals.get("email_from") or None for vals in vals_list],
                reply_to=[vals.get("reply_to") or None for vals in vals_list],
                mail_server_id=[vals.get("mail_server_id") or None for vals in vals_list],
                message_id=[
                    generate_tracking_message_id("%s-%s" % (vals["res_id"], vals["model"]))
                    for vals in vals_list
                ],
            )
        )
    ]


def _insert_mails(Mail, vals_list, message_ids):
    """The queued mail.mail rows, one per message; their ids."""
    env = Mail.env
    return [
        row[0]
        for row in env.execute_query(
            SQL(
                """
                INSERT INTO mail_mail (
                    mail_message_id, body_html, email_to, email_cc, state, auto_delete,
                    scheduled_date, create_uid, create_date, write_uid, write_date)
                SELECT message, body_html, email_to, email_cc, 'outgoing', auto_delete,
                       scheduled_date, %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s,
                       now() AT TIME ZONE 'UTC'
                  FROM unnest(%(message)s::int[], %(body_html)s::text[],
                              %(email_to)s::text[], %(email_cc)s::varchar[],
                              %(auto_delete)s::bool[], %(scheduled_date)s::timestamp[])
                       WITH ORDINALITY
                       AS t(message, body_html, email_to, email_cc, auto_delete,
                            scheduled_date, position)
              ORDER BY position
             RETURNING id
                """,
                uid=env.uid,
                message=message_ids,
                body_html=[str(vals.get("body_html") or "") or None for vals in vals_list],
                email_to=[vals.get("email_to") or None for vals in vals_list],
                email_cc=[vals.get("email_cc") or None for vals in vals_list],
                auto_delete=[bool(vals.get("auto_delete")) for vals in vals_list],
                scheduled_date=[_scheduled_date(Mail, vals) for vals in vals_list],
            )
        )
    ]


def _link_recipients(env, vals_list, mail_ids):
    """The recipients of each mail (mail_mail_res_partner_rel)."""
    links = [
        (mail_id, partner_id)
        for mail_id, vals in zip(mail_ids, vals_list, strict=True)
        for partner_id in _recipient_ids(vals.get("recipient_ids"))
    ]
    if links:
        env.execute_query(
            SQL(
                "INSERT INTO mail_mail_res_partner_rel (mail_mail_id, res_partner_id) "
                "SELECT * FROM unnest(%s::int[], %s::int[]) ON CONFLICT DO NOTHING",
                [mail for mail, _partner in links],
                [partner for _mail, partner in links],
            )
        )


def _group_ids(vals_list):
    grouped = {}
    for vals in vals_list:
        grouped.setdefault(vals["model"], []).append(vals["res_id"])
    return grouped


def _scheduled_date(Mail, vals):
    """As mail.mail.create() reads it: a date, a datetime or a string; None when empty."""
    if not vals.get("scheduled_date"):
        return None
    parsed = Mail._parse_scheduled_datetime(vals["scheduled_date"])
    return parsed.replace(tzinfo=None) if parsed else None


# ----------------------------------------------------------------------
# Chatter notes: mail_message
# ----------------------------------------------------------------------


def log_notes(env, model, bodies):
    """Internal notes, one per record of ``model`` ({res id: Markup body}),
    as ``_message_log_batch`` makes them.

    Written with one INSERT: the ORM spends ~1.5 ms per message on
    sanitizing and notification machinery that internal log notes (no
    recipients, no followers notified) do not need, and a night logs one per
    invoice reminded (10,000 on the benchmark, 15 s).
    ``test_chatter_notes_are_the_notes_message_log_batch_makes`` compares
    both. Bodies are Markup built from escaped values.
    """
    if not bodies:
        return
    if orm_writes(env):
        env[model].browse(bodies)._message_log_batch(bodies=bodies)
        return
    env["mail.message"].flush_model()
    author_id, email_from = env["mail.thread"]._message_compute_author(raise_on_email=False)
    # The values _message_log_batch gives every note of a batch.
    reply_to = env["mail.thread"]._notify_get_reply_to(default=email_from)[False]
    env.execute_query(
        SQL(
            """
        INSERT INTO mail_message (
            model, res_id, body, message_type, subtype_id, author_id, email_from,
            is_internal, email_add_signature, message_id, reply_to,
            date, create_uid, create_date, write_uid, write_date)
        SELECT %(model)s, res_id, body, 'notification', %(subtype)s, %(author)s,
               %(email_from)s, TRUE, FALSE, %(message_id)s, %(reply_to)s,
               now() at time zone 'UTC', %(uid)s,
               now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
          FROM unnest(%(res_ids)s::int[], %(bodies)s::text[]) AS t(res_id, body)
        """,
            model=model,
            subtype=env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            author=author_id,
            email_from=email_from or None,
            message_id=generate_tracking_message_id("message-notify"),
            reply_to=reply_to,
            uid=env.uid,
            res_ids=list(bodies),
            bodies=[str(body) for body in bodies.values()],
        )
    )
    env["mail.message"].invalidate_model()
    env[model].browse(bodies).invalidate_recordset(["message_ids"])


# ----------------------------------------------------------------------
# Invoices: account_move, account_move_line
# ----------------------------------------------------------------------
# Dunning's own fields: no change of the invoice, which account.move.write()
# would otherwise flag as manually modified (is_manually_modified).
NOT_AN_EDIT = {"skip_is_manually_modified": True}
# Plain dunning fields of the invoices: account.move(.line).write() re-checks
# and re-syncs the whole accounting entry for them (measured below, in the
# tests' comparison and in the README), so one UPDATE per group of values.


def write_line_levels(lines_by_values):
    """Write ``{(level id, day): journal items}``: the level each instalment
    reached and the day it was sent."""
    for (level_id, day), lines in lines_by_values.items():
        values = {"dunning_level_id": level_id, "dunning_last_date": day}
        if orm_writes(lines.env):
            lines.sudo().write(values)
            continue
        lines.env.execute_query(
            SQL(
                "UPDATE account_move_line SET dunning_level_id = %s, dunning_last_date = %s "
                "WHERE id IN %s %s",
                level_id,
                day,
                tuple(lines.ids),
                flush_fields(lines, *values),
            )
        )
        lines.invalidate_recordset(list(values))
        lines.modified(list(values))


def write_move_levels(moves_by_values, portal_tokens=False):
    """Write ``{(level id, day): invoices}``: each invoice's highest level
    and last reminder day; with ``portal_tokens``, a customer invoice
    without a portal token gets one in the same statement (one new version
    of each invoice row rather than two: 0.3 s of a 2,000-customer night)."""
    for (level_id, day), moves in moves_by_values.items():
        values = {"dunning_level_id": level_id, "dunning_last_date": day}
        if orm_writes(moves.env):
            moves.sudo().with_context(**NOT_AN_EDIT).write(values)
            if portal_tokens:
                ensure_portal_tokens(moves)
            continue
        written, token = list(values), SQL()
        if portal_tokens:
            written.append("access_token")
            token = SQL(
                ", access_token = CASE WHEN move_type = 'out_invoice' "
                "THEN COALESCE(access_token, %s) ELSE access_token END",
                NEW_PORTAL_TOKEN,
            )
        moves.env.execute_query(
            SQL(
                "UPDATE account_move SET dunning_level_id = %s, dunning_last_date = %s%s "
                "WHERE id IN %s %s",
                level_id,
                day,
                token,
                tuple(moves.ids),
                flush_fields(moves, *written, "move_type"),
            )
        )
        moves.invalidate_recordset(written)
        moves.modified(written)


def ensure_portal_tokens(moves):
    """A portal token for each customer invoice of ``moves`` without one, as
    ``get_portal_url()`` would give it through write() invoice by invoice,
    the slowest write there is."""
    # Only the two columns: the figures fetched the invoices' others the
    # night reads (DUNNING_MOVE_FIELDS), and the levels' write has just
    # dropped the tokens from the cache.
    fetch_only(moves, ["move_type", "access_token"])
    missing = moves.filtered(lambda move: move.move_type == "out_invoice" and not move.access_token)
    if not missing:
        return
    if orm_writes(moves.env):
        for move in missing.sudo().with_context(**NOT_AN_EDIT):
            move._portal_ensure_token()
        return
    moves.env.execute_query(
        SQL(
            "UPDATE account_move SET access_token = %s WHERE id IN %s AND access_token IS NULL %s",
            NEW_PORTAL_TOKEN,
            tuple(missing.ids),
            flush_fields(moves, "access_token"),
        )
    )
    missing.invalidate_recordset(["access_token"])
