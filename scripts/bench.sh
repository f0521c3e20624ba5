#!/usr/bin/env bash
# make bench: BENCH_CUSTOMERS customers and BENCH_INVOICES overdue invoices
# in a throwaway database, then one dunning run the way the scheduler does it.
# The generated data is kept as a template database (dunning_bench_data_N_M)
# so that later runs only update the add-on and copy it (BENCH_REBUILD=1 to
# generate it again).
source "$(dirname "$0")/common.sh"
check_odoo
ensure_postgres
BASE_DB="${BASE_DB:-dunning_base}"
export BENCH_CUSTOMERS="${BENCH_CUSTOMERS:-2000}" BENCH_INVOICES="${BENCH_INVOICES:-10000}"
DATA_DB="dunning_bench_data_${BENCH_CUSTOMERS}_${BENCH_INVOICES}"
DB="${BENCH_DB:-dunning_bench}"
PORT="${HTTP_PORT:-18072}"
build_base_db "$BASE_DB"
if [ -n "${BENCH_REBUILD:-}" ] || ! db_exists "$DATA_DB"; then
    fresh_db "$BASE_DB" "$DATA_DB"
    run_odoo "$DATA_DB" -i account_dunning_fr --stop-after-init --http-port="$PORT" \
        || die "account_dunning_fr did not install"
    BENCH_PHASE=build run_odoo_shell "$DATA_DB" --http-port="$PORT" \
        < "$PROJECT_ROOT/bench/bench_dunning.py"
fi
fresh_db "$DATA_DB" "$DB"
run_odoo "$DB" -u account_dunning_fr --stop-after-init --http-port="$PORT" \
    || die "account_dunning_fr did not update"
BENCH_PHASE=run run_odoo_shell "$DB" --http-port="$PORT" < "$PROJECT_ROOT/bench/bench_dunning.py"
[ -n "${BENCH_KEEP:-}" ] || dropdb "$DB"
