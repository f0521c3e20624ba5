"""Print the benchmark's results side by side (plain Python, no Odoo).

    python3 bench/bench_report.py RESULT_FILE [DATA_JSON]
    python3 bench/bench_report.py --median RESULT_FILE RUN_FILE...

RESULT_FILE is the JSON the sides wrote (measure.save_result); DATA_JSON the
figures of the data build (bench_data.py), stored into RESULT_FILE as "data".
When the results of scale 1 and scale 10 are both in RESULT_FILE's folder
(scale1.json, scale10.json), a growth table follows. With --median, the
results of several runs (BENCH_REPEAT) are merged into RESULT_FILE: for each
side, its run of median wall time, with every run's wall and CPU time.
"""

import json
import os
import sys

SIDES = (("ours", "account_dunning_fr"), ("oca", "OCA account_credit_control"))
ROWS = (
    ("wall time (s)", "wall_s", "{:.1f}"),
    ("CPU time, Odoo process (s)", "cpu_s", "{:.1f}"),
    ("SQL queries", "queries", "{:,}"),
    ("peak RSS (MB)", "peak_rss_mb", "{:,}"),
    ("reminders (customer x level)", "reminders", "{:,}"),
    ("customers reminded", "customers_reminded", "{:,}"),
    ("invoices listed", "invoice_lines", "{:,}"),
    ("emails queued", "mails", "{:,}"),
    ("scheduler calls / user steps", "calls", "{:,}"),
    ("queries per call", "queries_per_call", "{:,.0f}"),
    ("queries per customer reminded", "queries_per_customer", "{:.2f}"),
    ("install on the data (s)", "install_s", "{:.0f}"),
)


def load(path):
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def fmt(pattern, value):
    return "-" if value is None else pattern.format(value)


def table(headers, rows):
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    print(line)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def side_by_side(results):
    data = results.get("data", {})
    if data:
        # A ledger copied, or built from another checkout, may come without
        # the figures of its build.
        built = (
            f"built in {data['build_seconds']:.0f} s, seed {data.get('seed')}, "
            f"dated {data.get('date')}"
            if "build_seconds" in data
            else "the figures of its build are not in bench/.results"
        )
        print(f"\nData: {data['customers']:,} customers, {data['invoices']:,} invoices ({built})")
    sides = [(key, label) for key, label in SIDES if key in results]
    headers = ["", *(label for _key, label in sides)]
    both = len(sides) == 2
    if both:
        headers.append("OCA / ours")
    rows = []
    for name, key, pattern in ROWS:
        values = [results[side].get(key) for side, _label in sides]
        row = [name, *(fmt(pattern, v) for v in values)]
        if both:
            ours, oca = values
            row.append(f"{oca / ours:.1f}x" if ours and oca is not None else "")
        rows.append(row)
    print()
    table(headers, rows)


def growth(folder):
    small, big = (
        load(os.path.join(folder, "scale1.json")),
        load(os.path.join(folder, "scale10.json")),
    )
    if not small or not big:
        return
    rows = []
    for side, label in SIDES:
        if side not in small or side not in big:
            continue
        for scale, results in (("1", small), ("10", big)):
            res, data = results[side], results.get("data", {})
            customers = data.get("customers")

            def per_customer(seconds, customers=customers):
                return f"{1000 * seconds / customers:.1f}" if customers else "n/a"

            rows.append(
                [
                    label,
                    scale,
                    f"{data.get('customers', 0):,} / {data.get('invoices', 0):,}",
                    f"{res['wall_s']:.1f}",
                    per_customer(res["wall_s"]),
                    per_customer(res["cpu_s"]),
                    f"{res.get('queries_per_call', 0):,.0f}",
                    f"{res.get('queries_per_customer', 0):.2f}",
                    f"{res['peak_rss_mb']:,}",
                ]
            )
    if rows:
        print("\nGrowth (scale 1 -> scale 10):\n")
        table(
            [
                "side",
                "scale",
                "customers / invoices",
                "wall (s)",
                "wall ms / customer",
                "CPU ms / customer",
                "queries / call",
                "queries / customer reminded",
                "peak RSS (MB)",
            ],
            rows,
        )


def median_run(path, run_paths):
    """Each side's run of median wall time (the lower middle one of an even
    count), with the wall and CPU times of all its runs, into ``path``."""
    runs = [load(run_path) for run_path in run_paths]
    merged = {}
    for side, _label in SIDES:
        results = sorted((run[side] for run in runs if side in run), key=lambda r: r["wall_s"])
        if not results:
            continue
        chosen = dict(results[(len(results) - 1) // 2])
        if len(results) > 1:
            chosen["runs_wall_s"] = [r["wall_s"] for r in results]
            chosen["runs_cpu_s"] = sorted(r["cpu_s"] for r in results)
        merged[side] = chosen
    with open(path, "w", encoding="utf-8") as f:
        json.dump(merged, f, indent=1, sort_keys=True)
    for side, label in SIDES:
        if len(merged.get(side, {}).get("runs_wall_s", [])) > 1:
            walls = ", ".join(f"{w:.1f}" for w in merged[side]["runs_wall_s"])
            cpus = ", ".join(f"{c:.1f}" for c in merged[side]["runs_cpu_s"])
            print(f"{label}: runs of {walls} s wall ({cpus} s CPU), the median one reported")


def ledger_size():
    """The ledger's size as scripts/bench.sh asked for it, when the figures
    of its build are not here (a data database kept from another checkout,
    bench/.results not shared): the figures per customer need it."""
    customers, invoices = os.environ.get("BENCH_CUSTOMERS"), os.environ.get("BENCH_INVOICES")
    if not (customers and invoices):
        return {}
    return {"customers": int(customers), "invoices": int(invoices)}


def main(argv):
    if argv[1] == "--median":
        median_run(argv[2], argv[3:])
        return
    path = argv[1]
    results = load(path)
    if len(argv) > 2:
        results["data"] = load(argv[2]) or ledger_size()
        with open(path, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1, sort_keys=True)
    side_by_side(results)
    growth(os.path.dirname(os.path.abspath(path)))


if __name__ == "__main__":
    main(sys.argv)
