"""The OCA side of the benchmark (run inside `odoo shell`, see scripts/bench.sh).

On a copy of the same data database where OCA's `account_credit_control`
18.0 was just installed (from a throwaway folder, never from this
repository): one policy with three email levels at 10, 30 and 60 days after
the due date (channel email, no PDF attached to the mail, invoice details in
the body), set as the company's policy (OCA's default for every customer),
then what a user does in its 18.0 flow, each step a transaction of its own:

1. a credit control run dated today, "Compute Credit Control Lines"
   (credit.control.run.generate_credit_lines);
2. every line generated marked "To Do" (wizard credit.control.marker, on the
   lines selected in the list);
3. the emails sent (wizard credit.control.emailer, on the same selection):
   one communication per customer, level and currency, its mail posted with
   the level's template (message_post_with_source), queued as mail.mail
   (mail_notify_force_send=False, as in a scheduled action: nothing is
   delivered).

Measured with the helper our side uses (measure.py).
"""

import os
import sys

from odoo import Command, fields

sys.path.insert(0, os.environ.get("BENCH_DIR", "bench"))
from measure import measure, per, save_result

env = env  # noqa: F821 - provided by `odoo shell`

LEVELS = ((1, 10, "First reminder"), (2, 30, "Second reminder"), (3, 60, "Last reminder"))
MAIL_TEXT = (
    "<p>Our records indicate that we have not received the payment of the "
    "invoices listed below. If it has already been sent, please disregard this "
    "notice.</p>"
)


def configure():
    company = env.company
    receivables = env["account.account"].search(
        [
            ("account_type", "=", "asset_receivable"),
            *env["account.account"]._check_company_domain(company),
        ]
    )
    base = env.ref("account_credit_control.email_template_credit_control_base")
    template = base.copy({"name": "Credit control (benchmark, no PDF)"})
    template.report_template_ids = [Command.clear()]
    policy = env["credit.control.policy"].create(
        {
            "name": "Benchmark: three emails at 10, 30, 60 days",
            "company_id": company.id,
            "account_ids": [Command.set(receivables.ids)],
            "level_ids": [
                Command.create(
                    {
                        "name": name,
                        "level": level,
                        "computation_mode": "net_days",
                        "delay_days": delay,
                        "email_template_id": template.id,
                        "channel": "email",
                        "custom_text": name,
                        "custom_mail_text": MAIL_TEXT,
                        "mail_show_invoice_detail": True,
                    }
                )
                for level, delay, name in LEVELS
            ],
        }
    )
    company.credit_policy_id = policy
    env.cr.commit()
    return policy


def run_like_a_user(policy):
    today = fields.Date.context_today(env.user)
    run = env["credit.control.run"].create({"date": today, "policy_ids": [Command.set(policy.ids)]})
    run.generate_credit_lines()
    env.cr.commit()
    lines = run.line_ids
    selection = {"active_model": "credit.control.line", "active_ids": lines.ids}
    marker = env["credit.control.marker"].with_context(**selection).create({"name": "to_be_sent"})
    marker.mark_lines()
    env.cr.commit()
    emailer = (
        env["credit.control.emailer"]
        .with_context(mail_notify_force_send=False, **selection)
        .create({})
    )
    emailer.email_lines()
    env.cr.commit()
    return run


policy = configure()
result = {
    "side": "account_credit_control",
    "policy": "3 email levels, net days 10/30/60, invoice details, no PDF",
}
with measure(env, result):
    run = run_like_a_user(policy)
    result["calls"] = 3  # compute, mark, email: one transaction each
lines = run.line_ids
comms = lines.communication_id
result.update(
    credit_lines=len(lines),
    letter_lines=len(lines.filtered(lambda line: line.channel == "letter")),
    reminders=len(comms),
    customers_reminded=len(comms.partner_id),
    invoice_lines=len(lines.filtered(lambda line: line.channel == "email")),
    reminder_mails=env["mail.mail"]
    .sudo()
    .search_count(
        [("model", "=", "credit.control.communication"), ("res_id", "in", comms.ids or [0])]
    ),
)
per(result, "queries_per_customer", "customers_reminded")
per(result, "queries_per_call", "calls")
print(
    f"oca: {result['wall_s']:.1f} s wall, {result['cpu_s']:.1f} s CPU (Odoo), "
    f"{result['calls']} user steps, {result['queries']} SQL queries "
    f"({result['queries_per_customer']:.2f} a customer reminded), "
    f"peak RSS {result['peak_rss_mb']} MB (was {result['rss_before_mb']} MB before the run)"
)
print(
    f"oca: {result['credit_lines']} credit lines ({result['letter_lines']} letters left to "
    f"print: no email), {result['reminders']} communications to "
    f"{result['customers_reminded']} customers, {result['mails']} emails queued "
    f"({result['reminder_mails']} of them the reminders)"
)
save_result("oca", result)
