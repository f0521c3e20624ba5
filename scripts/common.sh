# Shared settings for the project's scripts. Source it, do not run it.
# ODOO_PYTHON: the Python interpreter that can `import odoo` (Odoo 18.0).
# ODOO_ADDONS_PATH: extra addons paths (comma separated), e.g. enterprise-free
#   OCA repositories; Odoo's own addons are found from the odoo package.
set -euo pipefail
PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_PYTHON="${ODOO_PYTHON:-python3}"
PGHOST_ARGS=()
# The project's add-ons: the core and its bridges (each bridge is installed
# automatically with the Odoo module it joins: sale, sms, account_payment,
# queue_job, spreadsheet_dashboard; installing account_dunning_fr_queue pulls
# queue_job).
ADDONS_LIST=(l10n_fr_payment_delay account_dunning_fr account_dunning_fr_insight account_dunning_fr_sale account_dunning_fr_sms account_dunning_fr_payment account_dunning_fr_queue account_dunning_fr_spreadsheet)
addons_csv() { local IFS=,; echo "${ADDONS_LIST[*]}"; }
addons_tests() { local a; for a in "${ADDONS_LIST[@]}"; do echo "$a/tests"; done; }

die() { echo "ERROR: $*" >&2; exit 1; }

check_odoo() {
    "$ODOO_PYTHON" - <<'PY' || die "Odoo 18.0 is not importable from '$ODOO_PYTHON'. Install Odoo 18.0 (see README.md, Prerequisites) or set ODOO_PYTHON."
import sys
import odoo.release
if odoo.release.version_info[0] != 18:
    sys.exit("Odoo %s found, 18.0 required" % odoo.release.version)
PY
}

odoo_addons_path() {
    local odoo_root
    odoo_root="$("$ODOO_PYTHON" -c 'import os, odoo; print(os.path.dirname(os.path.dirname(odoo.__file__)))')"
    local paths="$odoo_root/odoo/addons"
    [ -d "$odoo_root/addons" ] && paths="$paths,$odoo_root/addons"
    [ -n "${ODOO_ADDONS_PATH:-}" ] && paths="$paths,$ODOO_ADDONS_PATH"
    echo "$paths,$PROJECT_ROOT"
}

ensure_postgres() {
    if ! command -v psql >/dev/null 2>&1; then
        die "PostgreSQL client (psql) not found: install PostgreSQL 15 (apt-get install postgresql)."
    fi
    if ! pg_isready -q 2>/dev/null; then
        if command -v pg_ctlcluster >/dev/null 2>&1; then
            echo "Starting PostgreSQL..."
            local ver
            ver="$(pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1}')"
            [ -n "$ver" ] || die "No PostgreSQL cluster found (pg_lsclusters is empty)."
            pg_ctlcluster "$ver" main start || die "Could not start PostgreSQL cluster $ver/main."
            for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
        fi
        pg_isready -q || die "PostgreSQL is not running and could not be started."
    fi
    # A superuser role for the user that runs Odoo.
    local me
    me="$(id -un)"
    if ! psql -d postgres -tAc "select 1" >/dev/null 2>&1; then
        if [ "$me" = root ] || command -v sudo >/dev/null 2>&1; then
            su postgres -c "psql -tAc \"select 1 from pg_roles where rolname='$me'\"" | grep -q 1 \
                || su postgres -c "psql -c 'create role \"$me\" superuser login'" >/dev/null
        fi
    fi
    psql -d postgres -tAc "select 1" >/dev/null 2>&1 || die "Cannot connect to PostgreSQL as '$me'."
}

db_exists() { psql -d postgres -tAc "select 1 from pg_database where datname='$1'" | grep -q 1; }

run_odoo() {
    # run_odoo DB [odoo args...]
    local db="$1"; shift
    "$ODOO_PYTHON" -m odoo --addons-path="$(odoo_addons_path)" -d "$db" \
        --db-filter="^$db\$" --log-level="${ODOO_LOG_LEVEL:-warn}" "$@"
}

run_odoo_shell() {
    # run_odoo_shell DB < script.py
    local db="$1"; shift
    "$ODOO_PYTHON" -m odoo shell --addons-path="$(odoo_addons_path)" -d "$db" \
        --log-level="${ODOO_LOG_LEVEL:-warn}" --no-http "$@"
}

# build_base_db NAME: an empty French company with the French chart
# (account + l10n_fr_account), French and English loaded, no demo data.
# Built once and reused as a template (createdb -T) by tests, demo, bench.
build_base_db() {
    local db="$1"
    if db_exists "$db"; then return 0; fi
    echo "Building base database $db (French company, French chart; about a minute)..."
    local tmp="${db}_building"
    dropdb --if-exists "$tmp"
    run_odoo "$tmp" -i base --without-demo=all --stop-after-init --http-port="${HTTP_PORT:-18069}" \
        || die "Odoo could not initialise database $tmp"
    # The country must be France before `account` is installed, or the
    # generic chart is loaded and stays (see ODOO18 notes).
    run_odoo_shell "$tmp" --http-port="${HTTP_PORT:-18069}" <<'PY' || die "Could not configure the French company"
eur = env.ref('base.EUR')
eur.active = True
company = env.ref('base.main_company')
company.write({
    'name': 'Ma Société SAS',
    'country_id': env.ref('base.fr').id,
    'currency_id': eur.id,
    'street': '12 rue de la Paix',
    'zip': '75002',
    'city': 'Paris',
    'email': 'compta@masociete.example',
    'phone': '+33 1 23 45 67 89',
    'vat': 'FR23334175221',
    'company_registry': '334175221',
})
env.cr.commit()
PY
    run_odoo "$tmp" -i account,l10n_fr_account --without-demo=all --load-language=fr_FR \
        --stop-after-init --http-port="${HTTP_PORT:-18069}" || die "Could not install account + l10n_fr_account"
    psql -d postgres -qc "ALTER DATABASE \"$tmp\" RENAME TO \"$db\"" >/dev/null
    local store="${ODOO_DATA_DIR:-$HOME/.local/share/Odoo}/filestore"
    rm -rf "${store:?}/$db"
    if [ -d "$store/$tmp" ]; then mv "$store/$tmp" "$store/$db"; fi
}

# settle_db DB: after an install, the rows it rewrote (stored fields computed
# on the invoices) vacuumed, analyzed and checkpointed now, as a nightly
# run's database is, so that a timed run does not meet the autovacuum and the
# checkpoint they trigger (seen: VACUUM ANALYZE account_move_line during a
# 20-second run).
settle_db() {
    psql -d "$1" -qc "VACUUM ANALYZE" -c "CHECKPOINT" >&2 || die "$1 could not be vacuumed"
}

# fresh_db TEMPLATE NAME: NAME becomes a copy of TEMPLATE.
fresh_db() {
    dropdb --if-exists "$2"
    createdb -T "$1" "$2" || die "createdb -T $1 $2 failed (is $1 in use?)"
    # createdb -T does not copy the filestore (attachments, asset bundles).
    local store="${ODOO_DATA_DIR:-$HOME/.local/share/Odoo}/filestore"
    rm -rf "${store:?}/$2"
    if [ -d "$store/$1" ]; then cp -r "$store/$1" "$store/$2"; fi
}
