# Two commands: `make run` starts the workbench, `make test` runs the whole suite.
PORT ?= 8501
HOST ?= 127.0.0.1
VENV := .venv
PY := $(VENV)/bin/python
# A Saturday that is also the last day of a month and of a year (see tests/dates.py).
HARD_DAY ?= 2033-12-31

.PHONY: run test lint bench

run:
	@scripts/bootstrap_venv.sh requirements.txt
	@$(PY) -m workbench migrate
	@$(PY) -m workbench seed
	@echo "Scoping Workbench: open http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	@$(PY) -m streamlit run app.py --server.headless true --server.address $(HOST) --server.port $(PORT)

test:
	@scripts/bootstrap_venv.sh requirements-dev.txt
	@scripts/install_test_system_deps.sh
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest
	@echo "Again, the AppTest and browser tests on a date that is hard for calendars: $(HARD_DAY)"
	WORKBENCH_TODAY=$(HARD_DAY) $(PY) -m pytest tests/ui tests/browser

lint:
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

# Benchmarks, not tests: a synthetic portfolio of 1,000 projects and a large one, every page's
# warm rerun on SQLite and PostgreSQL (when installed), reports, one estimate; a table and
# test-artifacts/bench.json. BENCH_ARGS passes options, e.g. BENCH_ARGS="--backends sqlite".
BENCH_ARGS ?=
bench:
	@scripts/bootstrap_venv.sh requirements-dev.txt
	PYTHONPATH=. $(PY) scripts/bench_estimate.py
	PYTHONPATH=. $(PY) scripts/bench_report.py
	PYTHONPATH=. $(PY) scripts/bench_pages.py $(BENCH_ARGS)
	PYTHONPATH=. $(PY) scripts/bench_browser.py
