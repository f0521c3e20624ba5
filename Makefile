# Commands of the README. ODOO_PYTHON selects the interpreter that imports Odoo 18.0.
SHELL := /bin/bash

.PHONY: test demo bench backtest lint odoo-tests readme

test:  ## fresh test database with the add-on, then the pytest-odoo suite
	bash scripts/test.sh

demo:  ## rebuild the dunning_demo database and serve it on http://localhost:8069
	bash scripts/demo.sh

bench:  ## throwaway database, N customers / M invoices, time one run
	bash scripts/bench.sh

backtest:  ## expected payment dates replayed over 12 month ends of a generated ledger
	bash scripts/backtest.sh

lint:  ## ruff and pylint-odoo on the add-on
	bash scripts/lint.sh

odoo-tests:  ## Odoo's own test runner (--test-enable) on a fresh database
	bash scripts/odoo_tests.sh

readme:  ## README.rst and static/description/index.html of each add-on (oca-gen-addon-readme)
	bash scripts/readme.sh
