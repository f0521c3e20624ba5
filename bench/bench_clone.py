# ruff: noqa: S608 - queries built from the fixed table and column names below
"""Scale the benchmark's ledger by copying it (run by scripts/bench.sh).

Generating 100,000 invoices through the ORM takes about 4.5 hours on the
benchmark's machine (bench_data.py posts them as an accountant would). For
the growth measure (BENCH_SCALE=N), the scale-1 ledger already generated is
copied N - 1 times, in SQL, into a copy of its database: each copy has its
own customers (their names suffixed), invoices, credit notes, payments and
matchings, with the same dates, amounts and Pareto shape. A copy is a
ledger the ORM could have written: every id and reference between the
copied rows is moved by the same offset per table, names stay unique per
journal, nothing outside the customers' rows is touched.

Usage: python3 bench/bench_clone.py DB COPIES [SCALE1_JSON DATA_JSON] (DB
already holds one copy, the scale-1 ledger; COPIES is the total wanted; the
scale-1 data's figures, when given, are written multiplied to DATA_JSON).
"""

import json
import os
import sys

import psycopg2

# table: {column: table whose ids it holds} for the columns moved with the copy.
TABLES = {
    "res_partner": {
        "id": "res_partner",
        "commercial_partner_id": "res_partner",
        "parent_id": "res_partner",
    },
    "account_full_reconcile": {"id": "account_full_reconcile", "exchange_move_id": "account_move"},
    "account_move": {
        "id": "account_move",
        "partner_id": "res_partner",
        "commercial_partner_id": "res_partner",
        "partner_shipping_id": "res_partner",
        "origin_payment_id": "account_payment",
        "reversed_entry_id": "account_move",
    },
    "account_payment": {
        "id": "account_payment",
        "move_id": "account_move",
        "partner_id": "res_partner",
        "paired_internal_transfer_payment_id": "account_payment",
        "source_payment_id": "account_payment",
    },
    "account_move_line": {
        "id": "account_move_line",
        "move_id": "account_move",
        "partner_id": "res_partner",
        "payment_id": "account_payment",
        "full_reconcile_id": "account_full_reconcile",
    },
    "account_partial_reconcile": {
        "id": "account_partial_reconcile",
        "debit_move_id": "account_move_line",
        "credit_move_id": "account_move_line",
        "full_reconcile_id": "account_full_reconcile",
        "exchange_move_id": "account_move",
    },
}
# The rows copied: the customers' and what hangs on them.
SELECTED = {
    "res_partner": "id IN (SELECT id FROM clone_customers)",
    "account_move": "partner_id IN (SELECT id FROM clone_customers)",
    "account_payment": "move_id IN (SELECT id FROM clone_moves)",
    "account_move_line": "move_id IN (SELECT id FROM clone_moves)",
    "account_partial_reconcile": "debit_move_id IN (SELECT id FROM clone_lines)",
    "account_full_reconcile": "id IN (SELECT full_reconcile_id FROM account_move_line "
    "WHERE move_id IN (SELECT id FROM clone_moves))",
}
# Columns cleared in a copy: per-record secrets and links to what is not copied.
CLEARED = {
    "res_partner": ("barcode", "partner_gid", "ref", "vat", "siret", "company_registry"),
    "account_move": ("access_token", "inalterable_hash", "message_main_attachment_id"),
    "account_payment": ("message_main_attachment_id", "payment_transaction_id", "payment_token_id"),
}
# Columns made unique per copy: "<value>-<copy>".
SUFFIXED = {
    "res_partner": ("name", "complete_name"),
    "account_move": ("name",),
    "account_move_line": ("move_name",),
    "account_payment": ("name",),
}
ORDER = list(TABLES)


def columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND table_schema = 'public' ORDER BY ordinal_position",
        (table,),
    )
    return [row[0] for row in cr.fetchall()]


def expression(table, column, copy, offsets):
    target = TABLES[table].get(column)
    if target == "res_partner" and column != "id":
        # Only the customers move; a salesperson or the company stays.
        return (
            f"CASE WHEN {column} IN (SELECT id FROM clone_customers) "
            f"THEN {column} + {copy * offsets[target]} ELSE {column} END"
        )
    if target:
        return f"{column} + {copy * offsets[target]}"
    if column in CLEARED.get(table, ()):
        return "NULL"
    if column in SUFFIXED.get(table, ()):
        return (
            f"CASE WHEN {column} IS NULL OR {column} = '/' THEN {column} "
            f"ELSE {column} || '-{copy}' END"
        )
    if table == "account_move_line" and column == "matching_number":
        # Odoo's matching number: the full reconciliation's id, or P + the
        # lowest partial's id.
        return (
            "CASE WHEN matching_number ~ '^P[0-9]+$' "
            "THEN 'P' || (substr(matching_number, 2)::int + "
            f"{copy * offsets['account_partial_reconcile']}) "
            "WHEN matching_number ~ '^[0-9]+$' "
            f"THEN (matching_number::int + {copy * offsets['account_full_reconcile']})::text "
            "ELSE matching_number END"
        )
    return column


def main(dbname, total):
    conn = psycopg2.connect(dbname=dbname)
    conn.autocommit = False
    cr = conn.cursor()
    cr.execute(
        """
        CREATE TEMP TABLE clone_customers AS
        SELECT DISTINCT partner_id AS id FROM account_move
         WHERE partner_id IS NOT NULL
           AND partner_id NOT IN (SELECT partner_id FROM res_company)
           AND partner_id NOT IN (SELECT partner_id FROM res_users);
        CREATE TEMP TABLE clone_moves AS
        SELECT id FROM account_move WHERE partner_id IN (SELECT id FROM clone_customers);
        CREATE TEMP TABLE clone_lines AS
        SELECT id FROM account_move_line WHERE move_id IN (SELECT id FROM clone_moves);
        """
    )
    offsets = {}
    for table in ORDER:
        cr.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        offsets[table] = cr.fetchone()[0]
    cr.execute("SELECT COUNT(*) FROM clone_customers")
    print(f"cloning {cr.fetchone()[0]} customers {total - 1} times into {dbname}")
    # References between the copied rows point both ways (a payment and its
    # move): checked as a whole at the end, not row by row.
    cr.execute("SET session_replication_role = replica")
    for copy in range(1, total):
        for table in ORDER:
            names = columns(cr, table)
            select = ", ".join(expression(table, name, copy, offsets) for name in names)
            cr.execute(
                f"INSERT INTO {table} ({', '.join(names)}) "
                + f"SELECT {select} FROM {table} WHERE {SELECTED[table]}"
            )
        print(f"  copy {copy + 1} / {total}")
    cr.execute("SET session_replication_role = DEFAULT")
    for table in ORDER:
        cr.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
        )
    check_references(cr)
    conn.commit()
    cr.execute("ANALYZE")
    conn.close()


def check_references(cr):
    """Every moved reference points at a row that exists."""
    for table, moved in TABLES.items():
        for column, target in moved.items():
            if column == "id":
                continue
            query = (
                f"SELECT COUNT(*) FROM {table} t WHERE t.{column} IS NOT NULL "
                f"AND NOT EXISTS (SELECT 1 FROM {target} x WHERE x.id = t.{column})"
            )
            cr.execute(query)
            missing = cr.fetchone()[0]
            if missing:
                raise SystemExit(f"{missing} rows of {table}.{column} point nowhere")


def write_figures(source, target, total):
    """The data's figures (bench_data.py's JSON), as many times as copies."""
    figures = {}
    if os.path.exists(source):
        with open(source, encoding="utf-8") as f:
            figures = json.load(f)
    counts = ("customers", "invoices", "paid", "partial", "refund_reconciled", "refund_open")
    counts += ("unmatched_payments", "english", "without_email", "individuals")
    counts += ("customers_1_to_3_invoices", "customers_100_plus_invoices")
    scaled = {key: value * total if key in counts else value for key, value in figures.items()}
    scaled.update(copies_of_scale_1=total, customers=2000 * total, invoices=10000 * total)
    with open(target, "w", encoding="utf-8") as f:
        json.dump(scaled, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
    if len(sys.argv) > 4:
        write_figures(sys.argv[3], sys.argv[4], int(sys.argv[2]))
