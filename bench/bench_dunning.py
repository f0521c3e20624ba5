"""Benchmark of the daily dunning run (run inside `odoo shell`, see scripts/bench.sh).

Builds BENCH_CUSTOMERS customers and BENCH_INVOICES overdue invoices, then
runs the dunning the way the scheduler does (one batch per call, a commit
between calls, the cron progress API) and prints wall time, SQL queries,
peak memory, and the actions and mails made. Letters (PDF) are measured
apart, on BENCH_LETTERS reminders, since they are rendered after the mails.
"""

import os
import resource
import time
from datetime import timedelta

from odoo import Command, fields, sql_db

env = env  # noqa: F821 - provided by `odoo shell`

CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", 2000))
INVOICES = int(os.environ.get("BENCH_INVOICES", 10000))
LETTERS = int(os.environ.get("BENCH_LETTERS", 20))
CHUNK = 500


def build_data():
    today = fields.Date.context_today(env["account.dunning.run"])
    partners = env["res.partner"].create(
        [
            {
                "name": f"Client {i:05d} SARL",
                "is_company": True,
                "email": f"compta{i}@client.example",
                "lang": "fr_FR" if i % 3 else "en_US",
            }
            for i in range(CUSTOMERS)
        ]
    )
    env.cr.commit()
    for start in range(0, INVOICES, CHUNK):
        vals_list = []
        for i in range(start, min(start + CHUNK, INVOICES)):
            late = 1 + (i * 7) % 120
            due = today - timedelta(days=late)
            vals_list.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": partners[i % CUSTOMERS].id,
                    "invoice_date": due - timedelta(days=30),
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Prestation", "price_unit": 100 + i % 900, "tax_ids": []}
                        )
                    ],
                }
            )
        moves = env["account.move"].create(vals_list)
        moves.action_post()
        env.cr.commit()
        env.invalidate_all()
    return partners


def run_like_the_scheduler():
    cron = env.ref("account_dunning_fr.ir_cron_dunning_run")
    Run = env["account.dunning.run"]
    calls = 0
    while True:
        _cron, progress = cron._add_progress()
        Run.with_context(ir_cron_progress_id=progress.id)._cron_run_dunning()
        env.cr.commit()
        env.invalidate_all()
        calls += 1
        if not progress.remaining:
            return calls


PHASE = os.environ.get("BENCH_PHASE", "all")
if PHASE in ("build", "all"):
    started = time.monotonic()
    build_data()
    print(f"data: {CUSTOMERS} customers, {INVOICES} invoices, {time.monotonic() - started:.0f}s")
if PHASE == "build":
    env.cr.commit()
    raise SystemExit(0)

# The letters would otherwise be rendered in the same calls: measure the
# reminders (actions made, emails queued) first, letters apart below.
env["ir.config_parameter"].sudo().set_param("account_dunning_fr.batch_size", "500")
env.cr.commit()
mails_before = env["mail.mail"].search_count([])
queries_before = sql_db.sql_counter
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started, cpu_started = time.monotonic(), time.process_time()
calls = run_like_the_scheduler()
wall, cpu = time.monotonic() - started, time.process_time() - cpu_started
queries = sql_db.sql_counter - queries_before
actions = env["account.dunning.action"].search([])
mails = env["mail.mail"].search_count([]) - mails_before
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
# Wall time varies by 15 % from one run to the next on a shared virtual
# machine; the Odoo process's CPU time and the query count compare better.
print(
    f"run: {wall:.1f} s wall, {cpu:.1f} s CPU (Odoo), {calls} scheduler calls, "
    f"{queries} SQL queries, "
    f"peak RSS {peak_mb:.0f} MB (was {rss_before / 1024:.0f} MB before the run)"
)
print(
    f"run: {len(actions)} actions ({len(actions.filtered(lambda a: a.state == 'sent'))} sent), "
    f"{mails} emails queued, {len(actions.line_ids)} invoice lines"
)

# Letters: render LETTERS of them the way the cron's letter phase does.
sample = actions[:LETTERS]
started = time.monotonic()
sample._generate_letters()
env.cr.commit()
letters_wall = time.monotonic() - started
print(
    f"letters: {len(sample)} PDF letters in {letters_wall:.1f} s "
    f"({letters_wall / max(len(sample), 1):.2f} s each)"
)
