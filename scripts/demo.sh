#!/usr/bin/env bash
# make demo: rebuild the dunning_demo database (Sales and Contacts, about 30
# customers with 24 months of paid history and open invoices of every age,
# one dunning run, a few quotations) and serve it on
# http://localhost:${DEMO_PORT:-8069}.
#   DEMO_NO_SERVE=1  stop once the data is loaded (README screenshots, CI)
#   DEMO_PORT        port of the final server (default 8069)
#   DEMO_DB          database name (default dunning_demo)
#   HTTP_PORT        port of the install and loading steps (default 18075)
source "$(dirname "$0")/common.sh"
check_odoo
ensure_postgres
BASE_DB="${BASE_DB:-dunning_base}"
DB="${DEMO_DB:-dunning_demo}"
export DEMO_PORT="${DEMO_PORT:-8069}"
SETUP_PORT="${HTTP_PORT:-18075}"
serve=1
if [ -n "${DEMO_NO_SERVE:-}" ] && [ "$DEMO_NO_SERVE" != 0 ]; then serve=0; fi
started=$SECONDS

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Fail now rather than after the rebuild (and a busy port is another server).
if [ "$serve" = 1 ] && port_in_use "$DEMO_PORT"; then
    die "port $DEMO_PORT is in use (another Odoo?): stop it or choose another DEMO_PORT."
fi

# The apps salespeople work in, for the demo only: the base stays the one the
# tests use (account only), and the Sales menu is sale_management's.
DEMO_APPS="sale_management,contacts"
build_base_db "$BASE_DB"
fresh_db "$BASE_DB" "$DB"
echo "Installing $(addons_csv),$DEMO_APPS in $DB..."
run_odoo "$DB" -i "$(addons_csv),$DEMO_APPS" --stop-after-init --http-port="$SETUP_PORT" \
    || die "account_dunning_fr did not install"

# wkhtmltopdf fetches the letters' CSS over HTTP from `report.url`: while the
# data is loaded (and the first letters rendered), a server without cron
# answers on ASSETS_PORT (the first free one). Without it the letters would
# come out unstyled.
ASSETS_PORT="${DEMO_ASSETS_PORT:-$((SETUP_PORT + 1))}"
for _ in 1 2 3 4 5 6 7 8 9; do
    port_in_use "$ASSETS_PORT" || break
    ASSETS_PORT=$((ASSETS_PORT + 1))
done
assets_pid=""
assets_log="$(mktemp -t dunning_demo_assets.XXXXXX.log)"
stop_assets_server() {
    if [ -n "$assets_pid" ]; then
        kill "$assets_pid" 2>/dev/null || true
        wait "$assets_pid" 2>/dev/null || true
        assets_pid=""
    fi
    rm -f "$assets_log"
}
trap stop_assets_server EXIT
# run_odoo's command line, spelt out so that $! (and exec below) is Odoo itself.
odoo_server=("$ODOO_PYTHON" -m odoo --addons-path="$(odoo_addons_path)" -d "$DB"
    --db-filter="^$DB\$" --log-level="${ODOO_LOG_LEVEL:-warn}")
"${odoo_server[@]}" --http-port="$ASSETS_PORT" --max-cron-threads=0 >"$assets_log" 2>&1 &
assets_pid=$!
DEMO_LOAD_REPORT_URL=""
for _ in $(seq 1 60); do
    kill -0 "$assets_pid" 2>/dev/null || break
    if curl -sf -o /dev/null "http://localhost:$ASSETS_PORT/web/login"; then
        DEMO_LOAD_REPORT_URL="http://localhost:$ASSETS_PORT"
        break
    fi
    sleep 1
done
if [ -z "$DEMO_LOAD_REPORT_URL" ]; then
    echo "WARNING: no server on port $ASSETS_PORT: the letters will be unstyled." >&2
    tail -n 5 "$assets_log" >&2
fi
export DEMO_LOAD_REPORT_URL

echo "Loading demo data into $DB..."
run_odoo_shell "$DB" --http-port="$SETUP_PORT" < "$PROJECT_ROOT/scripts/demo_data.py" \
    || die "the demo data could not be loaded"
stop_assets_server
echo "Demo database $DB ready in $((SECONDS - started)) s."

cat <<EOF

  URL:    http://localhost:$DEMO_PORT  (database $DB)
  Logins: admin / admin    accounting manager (French)
          claire / claire  accountant
          paul / paul      salesperson, lands on his quotations (also sophie / sophie)
          client / client  portal customer with a payment plan (/my)

EOF
[ "$serve" = 1 ] || exit 0
trap - EXIT
echo "Serving $DB on http://localhost:$DEMO_PORT (Ctrl-C to stop)..."
exec "${odoo_server[@]}" --http-port="$DEMO_PORT"
