#!/usr/bin/env bash
# ruff (format + lint) and pylint-odoo on the add-on.
set -euo pipefail
cd "$(dirname "$0")/.."
ADDONS_LIST=()
source <(grep '^ADDONS_LIST=' scripts/common.sh)
PY="${ODOO_PYTHON:-python3}"
"$PY" -m ruff format --check "${ADDONS_LIST[@]}" scripts bench conftest.py
"$PY" -m ruff check "${ADDONS_LIST[@]}" scripts bench conftest.py
"$PY" -m pylint --rcfile=.pylintrc "${ADDONS_LIST[@]}"
