# khuyenhoc — `make demo` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: demo setup install system-packages test lint check-messages messages bench serve clean

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

test: install
	$(BIN)/pytest

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
	$(BIN)/pip install -q --disable-pip-version-check -r bench/requirements.txt
	$(BIN)/python bench/run.py
	-psql "$(dir $(BENCH_PG))postgres" -qc "CREATE DATABASE $(notdir $(BENCH_PG))" 2>/dev/null
	BENCH_DATABASE_URL=$(BENCH_PG) $(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules staticfiles
