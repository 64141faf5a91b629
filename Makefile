# khuyenhoc — `make demo` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: demo setup install system-packages test lint check-messages messages bench bench-load serve clean

# Without DEBUG the app refuses to start unless SECRET_KEY and ALLOWED_HOSTS are set (README, Settings):
# the demo, its setup and the catalogues run as development (DEBUG=1, on 127.0.0.1); the benchmarks keep
# DEBUG off with a key of their own, over plain HTTP; the tests use khuyenhoc/settings_test.py.
demo setup messages check-messages: export DEBUG ?= 1
bench: export SECRET_KEY ?= khuyenhoc-benchmarks-only-key-3f9a1c7e5b2d8f4a6c0e9b1d3f5a7c9e
bench: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
bench: export KHUYENHOC_HTTPS ?= 0

demo: setup
	@scripts/serve

setup: install
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) load_admin_units
	$(MANAGE) load_demo
	$(MANAGE) collectstatic --noinput -v0

install: system-packages $(VENV)/.installed node_modules/.installed

# Checked on every run (a second when nothing is missing): a machine can lose a package after the
# virtual environment was built.
system-packages:
	scripts/ensure-system-packages

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The suite in as many worker processes as the machine has cores (pytest-xdist; each worker its own test
# database), a file's tests kept together in one worker; TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: install
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

check-messages: install
	scripts/check-translations

messages: install
	$(MANAGE) makemessages -l vi -l en --no-obsolete --no-location --ignore=.venv --ignore=node_modules --ignore=staticfiles
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules

BENCH_PG ?= postgres://postgres@127.0.0.1:5432/khuyenhoc_bench

bench: install
	$(BIN)/pip install -q --disable-pip-version-check -r bench/requirements.txt -c constraints.txt
	$(BIN)/python bench/run.py
	-psql "$(dir $(BENCH_PG))postgres" -qc "CREATE DATABASE $(notdir $(BENCH_PG))" 2>/dev/null
	BENCH_DATABASE_URL=$(BENCH_PG) $(BIN)/python bench/run.py

# 50 simulated users for 5 minutes (locust) against gunicorn and PostgreSQL on the demo: bench/load.py.
BENCH_LOAD_PG ?= postgres://postgres@127.0.0.1:5432/khuyenhoc_load

bench-load: install
	$(BIN)/pip install -q --disable-pip-version-check -r bench/requirements.txt -c constraints.txt
	-psql "$(dir $(BENCH_LOAD_PG))postgres" -qc "CREATE DATABASE $(notdir $(BENCH_LOAD_PG))" 2>/dev/null
	BENCH_LOAD_DATABASE_URL=$(BENCH_LOAD_PG) $(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) node_modules staticfiles
