"""Our side of the benchmark (run inside `odoo shell`, see scripts/bench.sh).

On a copy of the data database (bench_data.py) where account_dunning_fr was
just installed (and checked by bench_check.py, in its own process), runs
the dunning the way the scheduler does (one batch per call, a commit between
calls, the cron progress API) and measures it with the shared helper
(measure.py). Letters (PDF) are measured apart, on BENCH_LETTERS reminders,
since they are rendered after the mails.
"""

import os
import sys
import time

sys.path.insert(0, os.environ.get("BENCH_DIR", "bench"))
from measure import measure, per, save_result

env = env  # noqa: F821 - provided by `odoo shell`

LETTERS = int(os.environ.get("BENCH_LETTERS", 20))
BATCH_SIZE = os.environ.get("BENCH_BATCH_SIZE", "500")


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


# The letters would otherwise be rendered in the same calls: measure the
# reminders (actions made, emails queued) first, letters apart below.
env["ir.config_parameter"].sudo().set_param("account_dunning_fr.batch_size", BATCH_SIZE)
env.cr.commit()
result = {"side": "account_dunning_fr", "batch_size": int(BATCH_SIZE)}
with measure(env, result):
    result["calls"] = run_like_the_scheduler()
actions = env["account.dunning.action"].search([])
result.update(
    reminders=len(actions),
    sent=len(actions.filtered(lambda a: a.state == "sent")),
    customers_reminded=len(actions.partner_id),
    invoice_lines=len(actions.line_ids),
)
per(result, "queries_per_customer", "customers_reminded")
per(result, "queries_per_call", "calls")
# Wall time varies by 15 % from one run to the next on a shared virtual
# machine; the Odoo process's CPU time and the query count compare better.
print(
    f"ours: {result['wall_s']:.1f} s wall, {result['cpu_s']:.1f} s CPU (Odoo), "
    f"{result['calls']} scheduler calls, {result['queries']} SQL queries "
    f"({result['queries_per_call']:.0f} a call, {result['queries_per_customer']:.2f} "
    f"a customer reminded), peak RSS {result['peak_rss_mb']} MB "
    f"(was {result['rss_before_mb']} MB before the run)"
)
print(
    f"ours: {result['reminders']} reminders ({result['sent']} sent) to "
    f"{result['customers_reminded']} customers, {result['mails']} emails queued, "
    f"{result['invoice_lines']} invoice lines"
)

# Letters: render LETTERS of them the way the cron's letter phase does.
sample = actions[:LETTERS]
started = time.monotonic()
env["account.dunning.sender"]._generate_letters(sample)
env.cr.commit()
letters_wall = time.monotonic() - started
result.update(letters=len(sample), letters_wall_s=round(letters_wall, 2))
print(
    f"letters: {len(sample)} PDF letters in {letters_wall:.1f} s "
    f"({letters_wall / max(len(sample), 1):.2f} s each)"
)
save_result("ours", result)
