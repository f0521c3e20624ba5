#!/usr/bin/env bash
# make test: a fresh database with the add-on installed, then the suite
# with pytest-odoo. Extra arguments go to pytest (e.g. -k level).
# DUNNING_ORM_WRITES=1: with the system parameter account_dunning_fr.orm_writes.
source "$(dirname "$0")/common.sh"
check_odoo
ensure_postgres
"$ODOO_PYTHON" -c 'import pytest_odoo' 2>/dev/null \
    || die "pytest-odoo is not installed for $ODOO_PYTHON (pip install -r requirements-test.txt)"
BASE_DB="${BASE_DB:-dunning_base}"
TEST_DB="${TEST_DB:-dunning_test}"
HTTP_PORT="${HTTP_PORT:-18070}"
build_base_db "$BASE_DB"
fresh_db "$BASE_DB" "$TEST_DB"
ADDONS="$(addons_csv)"
echo "Installing $ADDONS in $TEST_DB..."
run_odoo "$TEST_DB" -i "$ADDONS" --stop-after-init --http-port="$HTTP_PORT" \
    || die "$ADDONS did not install"
if [ "${DUNNING_ORM_WRITES:-0}" = 1 ]; then
    # Every raw writer into another module's table takes its ORM twin
    # (tools/bulk.py): the whole suite again, as a database whose modules
    # extend mail's or the invoices' writes would run it.
    echo "System parameter account_dunning_fr.orm_writes = 1 in $TEST_DB"
    psql -d "$TEST_DB" -qc "INSERT INTO ir_config_parameter (key, value, create_date, write_date)
        VALUES ('account_dunning_fr.orm_writes', '1', now(), now())
        ON CONFLICT (key) DO UPDATE SET value = '1'" >/dev/null
fi
cd "$PROJECT_ROOT"
set +e
"$ODOO_PYTHON" -m pytest --odoo-database="$TEST_DB" --odoo-log-level=warn --odoo-http \
    --odoo-addons-path="$(odoo_addons_path)" --odoo-extra "http-port=$HTTP_PORT" \
    $(addons_tests) "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "ERROR: pytest collected no test" >&2
fi
exit "$status"
