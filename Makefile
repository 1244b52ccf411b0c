# Entry points for a newcomer: `make run` serves the site with the 2021 data, `make test` tests it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install browser migrate load run worker test lint format

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Browser tests drive Debian's Chromium (never a downloaded browser build).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; } || \
	  echo "chromium is not installed: browser tests will be skipped (apt-get install chromium)"

migrate: install
	$(PY) manage.py migrate --noinput

load: migrate
	$(PY) manage.py load_bundled_data
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo_accounts

# The development server with one background worker beside it (stopped with the server).
run: load
	DEBUG=$${DEBUG:-1} $(PY) manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

# The background jobs' worker (后台任务: large exports, the annual report's .docx).
worker: migrate
	DEBUG=$${DEBUG:-1} $(PY) manage.py db_worker --no-reload

test: install browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Apache ECharts for the public charts, from the npm registry (never a CDN): the minified
# build and its licence files into static/vendor/echarts/. After a refresh, record the
# version and the printed sha256 in static/vendor/echarts/README.md.
ECHARTS_VERSION ?= 5.6.0
ECHARTS_DIR := static/vendor/echarts
.PHONY: vendor-echarts
vendor-echarts:
	@tmp=$$(mktemp -d) && \
	  (cd $$tmp && npm pack --silent echarts@$(ECHARTS_VERSION) >/dev/null && \
	    tar xzf echarts-$(ECHARTS_VERSION).tgz) && \
	  cp $$tmp/package/dist/echarts.min.js $$tmp/package/LICENSE $$tmp/package/NOTICE \
	    $(ECHARTS_DIR)/ && \
	  cp $$tmp/package/licenses/LICENSE-d3 $(ECHARTS_DIR)/ && \
	  rm -rf $$tmp && \
	  echo "echarts $(ECHARTS_VERSION)" && sha256sum $(ECHARTS_DIR)/echarts.min.js

# -- Scale (issue 7): benchmarks/README.md ----------------------------------------------
# A generated province (about 11 M rows, ~30 min) in PostgreSQL database `province`, for the
# query plans and the load test. Refuses to run into regions that already exist.
PROVINCE_URL ?= postgres://postgres@127.0.0.1:5432/province
.PHONY: province load-test bench
province: install
	createdb -h 127.0.0.1 -U postgres province
	DATABASE_URL=$(PROVINCE_URL) $(PY) manage.py migrate --noinput
	DATABASE_URL=$(PROVINCE_URL) $(PY) manage.py generate_demo_data

# gunicorn on 127.0.0.1:8765 under wrk, 60 s, 50 connections (needs Redis on 127.0.0.1:6379).
load-test: install
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	DATABASE_URL=$(PROVINCE_URL) benchmarks/load.sh

# Every in-process benchmark, one after another; each writes benchmarks/results/NAME.md.
bench: install
	$(PY) benchmarks/pages.py
	$(PY) benchmarks/exports.py
	$(PY) benchmarks/imports.py
	$(PY) benchmarks/xlsx_job.py
	$(PY) benchmarks/workbook_guard.py
