# Two commands: `make demo` serves the product with the demo enterprise; `make test` runs every check.
# Both install what they need on a fresh Debian 12 machine with Python 3.11 (system packages through
# apt-get, only when missing).

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
CQO := $(VENV)/bin/cqo
export CQO_VAR_DIR ?= $(CURDIR)/var
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/cqo
STAMPS := $(CQO_VAR_DIR)/test-stamps

.PHONY: demo test serve install install-dev system-deps browser-deps messages migrate lint typecheck \
        importlint i18n migrations-check test-sqlite test-postgres test-postgres-suite test-postgres-browser \
        test-browser bench clean

demo: install system-deps messages migrate
	$(CQO) demo --if-empty
	$(CQO) serve --bind $(HOST):$(PORT)

serve: install messages migrate
	$(CQO) serve --bind $(HOST):$(PORT)

# The machine has two cores; the parts that use one at a time run side by side (docs/testing.md):
# the static checks together (mypy dominates), then each database's suite on two xdist workers,
# then the two browser runs together (each one process waiting on Chromium half the time).
# --output-sync keeps each part's output in one piece; make stops with the first part that fails
# (after the parts running beside it end).
PARALLEL := $(MAKE) --no-print-directory --output-sync=target

test: install-dev system-deps browser-deps messages
	$(PARALLEL) -j5 lint typecheck importlint i18n migrations-check
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres-suite
	$(PARALLEL) -j2 test-browser test-postgres-browser
	@echo "make test: every check passed"

# --- installation -------------------------------------------------------------------------
$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

APT_INSTALL = DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends

system-deps:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	command -v fc-list >/dev/null || missing="$$missing fontconfig"; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  apt-get update -qq && $(APT_INSTALL) $$missing; \
	fi

browser-deps:
	@command -v chromium >/dev/null || { echo "installing Debian's Chromium"; apt-get update -qq && $(APT_INSTALL) chromium; }

messages: install
	cd src/cqo && DJANGO_SETTINGS_MODULE=cqo.settings ../../$(PY) -m django compilemessages -v0

migrate: install
	$(CQO) migrate --no-input -v0

# --- checks -------------------------------------------------------------------------------
lint: install-dev
	$(VENV)/bin/ruff check src tests benchmarks conftest.py
	$(VENV)/bin/ruff format --check src tests benchmarks conftest.py

typecheck: install-dev
	$(VENV)/bin/mypy

importlint: install-dev
	$(VENV)/bin/lint-imports

i18n: install-dev
	$(CQO) i18ncheck

# A model change without its migration fails here, not on someone's first deploy.
migrations-check: install-dev
	$(CQO) makemigrations --check --dry-run

test-sqlite: install-dev messages
	@mkdir -p $(STAMPS) && rm -f $(STAMPS)/sqlite
	env -u DATABASE_URL $(VENV)/bin/pytest -m "not browser" -n 2 -q
	@touch $(STAMPS)/sqlite

# PostgreSQL: CQO_TEST_DATABASE_URL when set, else the local server when one answers. The browser
# flows run here too: the post and veto flows must hold on both databases. The stamp says both
# halves ran (`make test` runs them apart, the browser half beside SQLite's browser run).
PG_TEST_URL = $${CQO_TEST_DATABASE_URL:-$$(command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432 && echo "$(PG_URL)")}
PG_NOT_RUN = echo "PostgreSQL part NOT RUN: no CQO_TEST_DATABASE_URL and no server at 127.0.0.1:5432"

test-postgres: test-postgres-suite test-postgres-browser

test-postgres-suite: install-dev messages
	@mkdir -p $(STAMPS) && rm -f $(STAMPS)/postgres $(STAMPS)/postgres-suite
	@url="$(PG_TEST_URL)"; if [ -z "$$url" ]; then $(PG_NOT_RUN); exit 0; fi; \
	echo "PostgreSQL part: $$url"; \
	DATABASE_URL="$$url" $(VENV)/bin/pytest -m "not browser" -n 2 -q --database-tests-only && \
	touch $(STAMPS)/postgres-suite

test-postgres-browser: install-dev browser-deps messages
	@mkdir -p $(STAMPS)
	@url="$(PG_TEST_URL)"; if [ -z "$$url" ]; then $(PG_NOT_RUN); exit 0; fi; \
	echo "PostgreSQL browser flows: $$url"; \
	DATABASE_URL="$$url" $(VENV)/bin/pytest -m browser -q -p no:xdist && \
	if [ -f $(STAMPS)/postgres-suite ]; then touch $(STAMPS)/postgres; fi

test-browser: install-dev browser-deps messages
	@mkdir -p $(STAMPS) && rm -f $(STAMPS)/browser
	env -u DATABASE_URL $(VENV)/bin/pytest -m browser -q -p no:xdist
	@touch $(STAMPS)/browser

bench: install-dev
	$(PY) benchmarks/bench_methods.py
	$(PY) benchmarks/bench_web.py

clean:
	rm -rf $(VENV) var build *.egg-info
