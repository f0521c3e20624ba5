#!/usr/bin/env bash
# make bench: a throwaway database with BENCH_CUSTOMERS customers and
# BENCH_INVOICES overdue invoices, then one dunning run, timed.
source "$(dirname "$0")/common.sh"
check_odoo
ensure_postgres
BASE_DB="${BASE_DB:-dunning_base}"
DB="${BENCH_DB:-dunning_bench}"
PORT="${HTTP_PORT:-18072}"
build_base_db "$BASE_DB"
fresh_db "$BASE_DB" "$DB"
run_odoo "$DB" -i account_dunning_fr --stop-after-init --http-port="$PORT" \
    || die "account_dunning_fr did not install"
export BENCH_CUSTOMERS="${BENCH_CUSTOMERS:-2000}" BENCH_INVOICES="${BENCH_INVOICES:-10000}"
run_odoo_shell "$DB" --http-port="$PORT" < "$PROJECT_ROOT/bench/bench_dunning.py"
[ -n "${BENCH_KEEP:-}" ] || dropdb "$DB"
