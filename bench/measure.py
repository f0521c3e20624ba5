"""What both sides of the benchmark measure, measured the same way.

Imported by the `odoo shell` scripts of the benchmark (bench_dunning.py,
bench_oca.py), which find it through BENCH_DIR. The figures of a run are
merged into the JSON file BENCH_RESULT_FILE (one key per side), which
bench_report.py prints.
"""

import json
import os
import resource
import time
from contextlib import contextmanager

from odoo import sql_db


def _rss_mb():
    # ru_maxrss: the process's peak resident size, in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def measure(env, result):
    """Wall time, Odoo CPU time, SQL queries (odoo.sql_db.sql_counter), peak
    RSS and the mail.mail queued by the block, into the dict ``result``."""
    mails_before = env["mail.mail"].sudo().search_count([])
    queries_before = sql_db.sql_counter
    rss_before = _rss_mb()
    started, cpu_started = time.monotonic(), time.process_time()
    yield result
    result.update(
        wall_s=round(time.monotonic() - started, 2),
        cpu_s=round(time.process_time() - cpu_started, 2),
        queries=sql_db.sql_counter - queries_before,
        peak_rss_mb=round(_rss_mb()),
        rss_before_mb=round(rss_before),
    )
    env.invalidate_all()
    result["mails"] = env["mail.mail"].sudo().search_count([]) - mails_before


def per(result, name, count_key, value_key="queries"):
    """result[name] = result[value_key] / result[count_key] (0 when none)."""
    count = result.get(count_key) or 0
    result[name] = round(result[value_key] / count, 2) if count else 0


def save_result(side, result):
    """Merge ``result`` under ``side`` into BENCH_RESULT_FILE, if set (with
    the add-on's install time, BENCH_INSTALL_S, measured by bench.sh)."""
    path = os.environ.get("BENCH_RESULT_FILE")
    if not path:
        return
    if os.environ.get("BENCH_INSTALL_S"):
        result["install_s"] = float(os.environ["BENCH_INSTALL_S"])
    data = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    data[side] = result
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, sort_keys=True)
