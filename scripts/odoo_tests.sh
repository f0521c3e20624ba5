#!/usr/bin/env bash
# Odoo's own test runner (--test-enable): installs the project's add-ons in a
# fresh database and runs their at_install and post_install tests.
#
# ODOO_TESTS_DBS chooses the databases (default: "french standard"):
#   french    a copy of the French template dunning_base (French chart, as
#             make test), in ODOO_TEST_DB (default dunning_odoo_test);
#   standard  a database created from nothing, without demo data: Odoo's
#             generic chart, a company that is not French (the tests make it
#             French themselves), in ODOO_STD_TEST_DB (default
#             dunning_odoo_std_test).
# ODOO_TESTS_EXCLUDE: test tags to leave out, comma separated, e.g.
#   ODOO_TESTS_EXCLUDE=dunning_commit (the concurrency test, which commits).
# Fails unless every run reports "0 failed, 0 error(s)"; the summary line of
# each run is printed last.
source "$(dirname "$0")/common.sh"
check_odoo
ensure_postgres
BASE_DB="${BASE_DB:-dunning_base}"
FRENCH_DB="${ODOO_TEST_DB:-dunning_odoo_test}"
STD_DB="${ODOO_STD_TEST_DB:-dunning_odoo_std_test}"
HTTP_PORT="${HTTP_PORT:-18071}"
TAGS="$(addons_csv | sed 's/^/\//; s/,/,\//g')"
if [ -n "${ODOO_TESTS_EXCLUDE:-}" ]; then
    TAGS="$TAGS,$(echo "$ODOO_TESTS_EXCLUDE" | sed 's/^/-/; s/,/,-/g')"
fi
LOG_DIR="$(mktemp -d)"
trap 'rm -rf "$LOG_DIR"' EXIT

# run_tests KIND DB [odoo args...]: the runner's output is shown as it comes
# and kept to read the summary line ("N failed, M error(s) of T tests").
SUMMARIES=()
status=0
run_tests() {
    local kind="$1" db="$2"; shift 2
    echo "== Odoo's test runner, $kind database $db"
    set +e
    ODOO_LOG_LEVEL=test run_odoo "$db" -i "$(addons_csv)" --test-enable \
        --test-tags "$TAGS" --log-handler=odoo.tests.result:INFO --stop-after-init \
        --http-port="$HTTP_PORT" "$@" 2>&1 | tee "$LOG_DIR/$kind.log"
    set -e
    local summary
    summary="$(grep -oE '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests.*' "$LOG_DIR/$kind.log" \
        | tail -n 1 || true)"
    if [ -z "$summary" ]; then
        summary="no test summary (the database $db did not install or no test ran)"
        status=1
    elif ! grep -qE '^0 failed, 0 error\(s\) of [1-9][0-9]* tests' <<<"$summary"; then
        status=1
    fi
    SUMMARIES+=("$kind: $summary")
}

for kind in ${ODOO_TESTS_DBS:-french standard}; do
    case "$kind" in
        french)
            build_base_db "$BASE_DB"
            fresh_db "$BASE_DB" "$FRENCH_DB"
            run_tests french "$FRENCH_DB"
            ;;
        standard)
            dropdb --if-exists "$STD_DB"
            run_tests standard "$STD_DB" --without-demo=all
            ;;
        *) die "ODOO_TESTS_DBS: unknown database kind '$kind' (french, standard)" ;;
    esac
done

echo "== Odoo's test runner: summary"
for line in "${SUMMARIES[@]}"; do echo "$line"; done
exit "$status"
