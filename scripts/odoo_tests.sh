#!/usr/bin/env bash
# Odoo's own test runner (--test-enable) on a fresh database: installs the
# add-on and runs its at_install and post_install tests.
source "$(dirname "$0")/common.sh"
check_odoo
ensure_postgres
BASE_DB="${BASE_DB:-dunning_base}"
DB="${ODOO_TEST_DB:-dunning_odoo_test}"
build_base_db "$BASE_DB"
fresh_db "$BASE_DB" "$DB"
TAGS="$(addons_csv | sed 's/^/\//; s/,/,\//g')"
ODOO_LOG_LEVEL=test run_odoo "$DB" -i "$(addons_csv)" --test-enable \
    --test-tags "$TAGS" --stop-after-init \
    --http-port="${HTTP_PORT:-18071}"
