#!/usr/bin/env bash
# make backtest: the expected payment dates replayed over the last 12 month
# ends of a generated ledger (bench/backtest_payer.py), against two naive
# baselines. The ledger (BACKTEST_CUSTOMERS customers, default 300, over 24
# months) is built once into BACKTEST_DB (default dunning_i_backtest) and
# kept; BACKTEST_REBUILD=1 builds it again. The run phase commits nothing.
source "$(dirname "$0")/common.sh"
check_odoo
ensure_postgres
BASE_DB="${BASE_DB:-dunning_base}"
DB="${BACKTEST_DB:-dunning_i_backtest}"
PORT="${HTTP_PORT:-18409}"
export BACKTEST_CUSTOMERS="${BACKTEST_CUSTOMERS:-300}"
build_base_db "$BASE_DB"
if [ -n "${BACKTEST_REBUILD:-}" ] || ! db_exists "$DB"; then
    fresh_db "$BASE_DB" "$DB"
    run_odoo "$DB" -i account_dunning_fr_insight --stop-after-init --http-port="$PORT" \
        || die "account_dunning_fr_insight did not install"
    BACKTEST_PHASE=build run_odoo_shell "$DB" < "$PROJECT_ROOT/bench/backtest_payer.py"
else
    run_odoo "$DB" -u account_dunning_fr,account_dunning_fr_insight -i account_dunning_fr_insight \
        --stop-after-init --http-port="$PORT" || die "account_dunning_fr_insight did not update"
fi
BACKTEST_PHASE=run run_odoo_shell "$DB" < "$PROJECT_ROOT/bench/backtest_payer.py"
