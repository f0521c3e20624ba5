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
ODOO_LOG_LEVEL=test run_odoo "$DB" -i account_dunning_fr,account_dunning_fr_sale --test-enable \
    --test-tags /account_dunning_fr,/account_dunning_fr_sale --stop-after-init \
    --http-port="${HTTP_PORT:-18071}"
