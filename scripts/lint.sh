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
# Odoo's runner runs only the test modules tests/__init__.py imports;
# pytest finds the others: a file left out would pass one runner unseen.
missing=0
for addon in "${ADDONS_LIST[@]}"; do
    for test_file in "$addon"/tests/test_*.py; do
        [ -e "$test_file" ] || continue
        module=$(basename "$test_file" .py)
        if ! grep -qw "$module" "$addon/tests/__init__.py"; then
            echo "$test_file is not imported by $addon/tests/__init__.py (Odoo's runner would skip it)" >&2
            missing=1
        fi
    done
done
exit "$missing"
