"""Reminder emails queued in bulk: the mail.mail of a batch and their
mail.message rows written with one INSERT each.

mail.mail.create() spends, per email, three HTML sanitizations of the
chatter summary (1.6 ms each), a record name, a message id and the ORM's
conversions: measured 5.9 s of a 500-reminder batch profiled at 28 s. The
rows below are what create() writes for the values the sending pipeline
gives (account.dunning.action._queue_emails_with_view); the test
``test_mails_queued_in_bulk_are_what_create_makes`` compares both, field by
field. The summary is Markup built from escaped values
(account_dunning_action_chatter.py), so it is stored as built.

Values create() would treat beyond that (attachments, tracking values, a
message given) go through create(), as does any batch holding them.
"""

from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id

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
    """The mail.mail of ``vals_list`` (as for mail.mail.create()), queued."""
    if not vals_list or not _bulk_possible(vals_list):
        return Mail.create(vals_list)
    env = Mail.env
    Mail.check_access("create")
    Message = env["mail.message"]
    Mail.flush_model()
    Message.flush_model()
    by_model, names = _group_ids(vals_list), {}
    for model, res_ids in by_model.items():
        records = env[model].sudo().browse(res_ids)
        names.update({(model, rec.id): rec.display_name for rec in records})
    message_ids = [
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
    mail_ids = [
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
    Mail.invalidate_model()
    Message.invalidate_model()
    for model, res_ids in by_model.items():
        env[model].browse(res_ids).invalidate_recordset(["message_ids"])
    return Mail.browse(mail_ids)


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
