# Commands of the README. ODOO_PYTHON selects the interpreter that imports Odoo 18.0.
SHELL := /bin/bash

.PHONY: test demo bench bench-queue backtest lint odoo-tests readme

test:  ## fresh test database with the add-on, then the pytest-odoo suite
	bash scripts/test.sh

demo:  ## rebuild the dunning_demo database and serve it on http://localhost:8069
	bash scripts/demo.sh

bench:  ## one run on generated data (BENCH_SCALE=1 or 10), ours and OCA side by side, then 1 and 2 queue_job workers (BENCH_QUEUE=0 skips them)
	bash scripts/bench.sh
	if [ "$${BENCH_QUEUE:-1}" != 0 ]; then BENCH_QUEUE_SRC_DB="dunning_b_data_$${BENCH_CUSTOMERS:-$$((2000 * $${BENCH_SCALE:-1}))}_$${BENCH_INVOICES:-$$((10000 * $${BENCH_SCALE:-1}))}" bash scripts/bench_queue.sh; fi

bench-queue:  ## the run as queue_job jobs on a copy of the bench data, 1 then 2 workers
	bash scripts/bench_queue.sh

backtest:  ## expected payment dates replayed over 12 month ends of a generated ledger
	bash scripts/backtest.sh

lint:  ## ruff and pylint-odoo on the add-on
	bash scripts/lint.sh

odoo-tests:  ## Odoo's own test runner (--test-enable) on a fresh database
	bash scripts/odoo_tests.sh

readme:  ## README.rst and static/description/index.html of each add-on (oca-gen-addon-readme)
	bash scripts/readme.sh
