#!/usr/bin/env bash
# make bench: the daily dunning run of account_dunning_fr and, on a copy of
# the same data, OCA's account_credit_control 18.0 flow, side by side.
#
# BENCH_SCALE=1 (default): 2,000 customers, 10,000 invoices; BENCH_SCALE=10:
# 20,000 / 100,000, the scale-1 ledger copied 10 times with its own customers
# (bench/bench_clone.py, half a minute; BENCH_GENERATE=1 generates it through
# the ORM instead, about 4.5 hours). BENCH_CUSTOMERS / BENCH_INVOICES
# override the sizes (generated).
# The generated data (bench/bench_data.py, only accounting installed) is kept
# as a template database, dunning_b_data_<customers>_<invoices>, so that later
# runs only copy it (BENCH_REBUILD=1 to generate it again). Each side installs
# its add-on on its own copy.
# BENCH_OCA=0 skips the OCA side. BENCH_REPEAT=N runs each side N times (ours
# and OCA's in turn) and reports each side's median run. OCA's add-on is installed from its wheel
# into a throwaway folder outside the repository (BENCH_OCA_DIR, default
# /tmp/dunning_bench_oca), never committed; BENCH_OCA_WHEEL may name a local
# wheel file instead of the package index.
# Results: bench/.results/scale<N>.json (gitignored), printed side by side,
# with a growth table once scale 1 and scale 10 were both run.
source "$(dirname "$0")/common.sh"
check_odoo
ensure_postgres
BASE_DB="${BASE_DB:-dunning_base}"
SCALE="${BENCH_SCALE:-1}"
[[ "$SCALE" =~ ^[0-9]+$ ]] && [ "$SCALE" -ge 1 ] || die "BENCH_SCALE must be a positive integer"
export BENCH_CUSTOMERS="${BENCH_CUSTOMERS:-$((2000 * SCALE))}"
export BENCH_INVOICES="${BENCH_INVOICES:-$((10000 * SCALE))}"
DATA_DB="${BENCH_DATA_DB:-dunning_b_data_${BENCH_CUSTOMERS}_${BENCH_INVOICES}}"
DB="${BENCH_DB:-dunning_b_ours}"
OCA_DB="${BENCH_OCA_DB:-dunning_b_oca}"
PORT="${HTTP_PORT:-18300}"
OCA_DIR="${BENCH_OCA_DIR:-/tmp/dunning_bench_oca}"
RESULTS="$PROJECT_ROOT/bench/.results"
if [ "$BENCH_CUSTOMERS" = $((2000 * SCALE)) ] && [ "$BENCH_INVOICES" = $((10000 * SCALE)) ]; then
    NAME="scale$SCALE"
else
    NAME="custom_${BENCH_CUSTOMERS}_${BENCH_INVOICES}"
fi
export BENCH_DIR="$PROJECT_ROOT/bench"
export BENCH_RESULT_FILE="$RESULTS/$NAME.json"
DATA_JSON="$RESULTS/data_${BENCH_CUSTOMERS}_${BENCH_INVOICES}.json"
mkdir -p "$RESULTS"
rm -f "$BENCH_RESULT_FILE"

build_base_db "$BASE_DB"
# generate_data DB: BENCH_CUSTOMERS / BENCH_INVOICES generated into DB (bench_data.py).
generate_data() {
    echo "Generating $BENCH_CUSTOMERS customers / $BENCH_INVOICES invoices into $1..."
    fresh_db "$BASE_DB" "$1"
    BENCH_DATA_JSON="$DATA_JSON" run_odoo_shell "$1" --http-port="$PORT" \
        < "$PROJECT_ROOT/bench/bench_data.py" || die "the data could not be generated"
}
if [ -n "${BENCH_REBUILD:-}" ] || ! db_exists "$DATA_DB"; then
    # Built under another name and renamed at the end: an interrupted build
    # is never taken for the data.
    if [ "$SCALE" -gt 1 ] && [ -z "${BENCH_GENERATE:-}" ] \
        && [ "$BENCH_CUSTOMERS" = $((2000 * SCALE)) ] && [ "$BENCH_INVOICES" = $((10000 * SCALE)) ]; then
        # Generating 100,000 invoices through the ORM takes hours: the scale-1
        # ledger is copied SCALE times instead (bench_clone.py;
        # BENCH_GENERATE=1 generates it all).
        ONE_DB="dunning_b_data_2000_10000"
        if ! db_exists "$ONE_DB"; then
            BENCH_CUSTOMERS=2000 BENCH_INVOICES=10000 DATA_JSON="$RESULTS/data_2000_10000.json" \
                generate_data "${ONE_DB}_building"
            psql -d postgres -qc "ALTER DATABASE \"${ONE_DB}_building\" RENAME TO \"$ONE_DB\"" >/dev/null
        fi
        fresh_db "$ONE_DB" "${DATA_DB}_building"
        "$ODOO_PYTHON" "$PROJECT_ROOT/bench/bench_clone.py" "${DATA_DB}_building" "$SCALE" \
            "$RESULTS/data_2000_10000.json" "$DATA_JSON" || die "the scale-1 ledger could not be copied"
    else
        generate_data "${DATA_DB}_building"
    fi
    dropdb --if-exists "$DATA_DB"
    psql -d postgres -qc "ALTER DATABASE \"${DATA_DB}_building\" RENAME TO \"$DATA_DB\"" >/dev/null
    store="${ODOO_DATA_DIR:-$HOME/.local/share/Odoo}/filestore"
    rm -rf "${store:?}/$DATA_DB"
    if [ -d "$store/${DATA_DB}_building" ]; then mv "$store/${DATA_DB}_building" "$store/$DATA_DB"; fi
fi

# A copied ledger whose figures were lost with bench/.results (not kept):
# written again from the scale-1 figures, as bench_clone.py wrote them.
if [ ! -f "$DATA_JSON" ] && [ "$SCALE" -gt 1 ] && [ -z "${BENCH_GENERATE:-}" ] \
    && [ "$NAME" = "scale$SCALE" ] && [ -f "$RESULTS/data_2000_10000.json" ]; then
    "$ODOO_PYTHON" -c 'import sys; sys.path.insert(0, sys.argv[1]); import bench_clone
bench_clone.write_figures(sys.argv[2], sys.argv[3], int(sys.argv[4]))' \
        "$PROJECT_ROOT/bench" "$RESULTS/data_2000_10000.json" "$DATA_JSON" "$SCALE"
fi

# install_on_copy DB ADDON PORT: DB becomes a copy of the data with ADDON
# installed, then settled; prints the seconds the install took.
install_on_copy() {
    fresh_db "$DATA_DB" "$1"
    local started=$SECONDS
    run_odoo "$1" -i "$2" --stop-after-init --http-port="$3" >&2 || die "$2 did not install"
    echo $((SECONDS - started))
    settle_db "$1"  # both sides the same
}

if [ "${BENCH_OCA:-1}" != 0 ] && [ ! -f "$OCA_DIR/odoo/addons/account_credit_control/__manifest__.py" ]; then
    echo "Installing OCA account_credit_control 18.0 into $OCA_DIR (throwaway)..."
    "$ODOO_PYTHON" -m pip install --quiet --no-deps --target "$OCA_DIR" \
        "${BENCH_OCA_WHEEL:-odoo-addon-account_credit_control>=18.0,<18.1}" \
        || die "could not install account_credit_control into $OCA_DIR"
fi
OCA_PATH="$OCA_DIR/odoo/addons${ODOO_ADDONS_PATH:+,$ODOO_ADDONS_PATH}"
# BENCH_REPEAT runs of each side, ours then OCA's in turn, each on a fresh
# copy: the wall time of identical runs varies by 20 % on a shared virtual
# machine, so the report takes each side's median run.
REPEAT="${BENCH_REPEAT:-1}"
[[ "$REPEAT" =~ ^[0-9]+$ ]] && [ "$REPEAT" -ge 1 ] || die "BENCH_REPEAT must be a positive integer"
RUN_FILES=()
for run in $(seq 1 "$REPEAT"); do
    [ "$REPEAT" = 1 ] || echo "== run $run / $REPEAT"
    export BENCH_RESULT_FILE="$RESULTS/$NAME.run$run.json"
    rm -f "$BENCH_RESULT_FILE"
    RUN_FILES+=("$BENCH_RESULT_FILE")
    # Our side.
    INSTALL_S="$(install_on_copy "$DB" account_dunning_fr "$PORT")"
    # The policy check in its own process: the measured one's peak RSS is
    # the night's.
    run_odoo_shell "$DB" --http-port="$PORT" < "$PROJECT_ROOT/bench/bench_check.py" \
        || die "a customer finds no policy"
    BENCH_INSTALL_S="$INSTALL_S" run_odoo_shell "$DB" --http-port="$PORT" \
        < "$PROJECT_ROOT/bench/bench_dunning.py" || die "our run failed"
    [ -n "${BENCH_KEEP:-}" ] || dropdb "$DB"
    # OCA's side, with its add-on on the addons path for these commands only.
    if [ "${BENCH_OCA:-1}" != 0 ]; then
        OCA_PORT=$((PORT + 1))
        INSTALL_S="$(ODOO_ADDONS_PATH="$OCA_PATH" install_on_copy "$OCA_DB" account_credit_control "$OCA_PORT")"
        ODOO_ADDONS_PATH="$OCA_PATH" BENCH_INSTALL_S="$INSTALL_S" \
            run_odoo_shell "$OCA_DB" --http-port="$OCA_PORT" \
            < "$PROJECT_ROOT/bench/bench_oca.py" || die "the OCA run failed"
        [ -n "${BENCH_KEEP:-}" ] || dropdb "$OCA_DB"
    fi
done
export BENCH_RESULT_FILE="$RESULTS/$NAME.json"
"$ODOO_PYTHON" "$PROJECT_ROOT/bench/bench_report.py" --median "$BENCH_RESULT_FILE" "${RUN_FILES[@]}"
"$ODOO_PYTHON" "$PROJECT_ROOT/bench/bench_report.py" "$BENCH_RESULT_FILE" "$DATA_JSON"
