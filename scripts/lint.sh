#!/usr/bin/env bash
# ruff (format + lint) and pylint-odoo on the add-on.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${ODOO_PYTHON:-python3}"
"$PY" -m ruff format --check account_dunning_fr account_dunning_fr_sale scripts bench conftest.py
"$PY" -m ruff check account_dunning_fr account_dunning_fr_sale scripts bench conftest.py
"$PY" -m pylint --rcfile=.pylintrc account_dunning_fr account_dunning_fr_sale
