# Liaison: `make run` serves the platform, `make test` runs the whole suite.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON_SYSTEM ?= python3
VENV := .venv
PYTHON := $(VENV)/bin/python
MANAGE := $(PYTHON) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# An extra pip index with CPU builds of torch, for machines whose default index has none.
TORCH_INDEX ?=
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)
STATIC_SOURCES := $(shell find static -type f 2>/dev/null)

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z0-9-]*:.*## / {printf "  make %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(VENV)/.installed: pyproject.toml
	test -x $(PYTHON) || $(PYTHON_SYSTEM) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	# torch first, pinned, so nothing pulls in a multi-gigabyte GPU build.
	$(PYTHON) -m pip install --quiet "torch==2.13.0" $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX))
	$(PYTHON) -m pip install --quiet -e ".[test,dev]"
	touch $@

.PHONY: install
install: $(VENV)/.installed ## Create .venv and install Liaison with its test and dev tools

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	@command -v msgfmt >/dev/null || bin/ensure-test-packages
	msgfmt --check -o $@ $<

.PHONY: messages
messages: $(MO_FILES) ## Compile the translation catalogs (locale/*/django.po)

.PHONY: makemessages
makemessages: install ## Extract new UI strings into every catalog (then translate them)
	$(MANAGE) makemessages --all --no-obsolete --no-location --ignore=.venv --ignore=var

var/static/staticfiles.json: $(VENV)/.installed $(STATIC_SOURCES)
	$(MANAGE) collectstatic --noinput --verbosity 0

.PHONY: static
static: var/static/staticfiles.json ## Collect, hash and compress static files

.PHONY: migrate
migrate: install ## Apply database migrations
	$(MANAGE) migrate --noinput

.PHONY: demo
demo: migrate ## Load the demo officials (idempotent) and print their sign-ins
	$(MANAGE) seed_demo

.PHONY: run
run: install messages static demo ## Set up and serve Liaison on http://127.0.0.1:8000
	@echo "Serving Liaison on http://$(HOST):$(PORT)/ (Ctrl+C stops)"
	DEBUG=$${DEBUG:-1} $(VENV)/bin/daphne -b $(HOST) -p $(PORT) config.asgi:application

.PHONY: test-packages
test-packages:
	bin/ensure-test-packages

.PHONY: test
test: test-packages install messages static ## Run the whole suite: embedded (SQLite) and production (PostgreSQL + Redis)
	@echo "== Embedded configuration: SQLite, in-memory channel layer"
	env -u DATABASE_URL -u REDIS_URL $(PYTHON) -m pytest $(PYTEST_ARGS)
	@echo "== Production configuration: PostgreSQL, Redis"
	bin/with-test-services $(PYTHON) -m pytest $(PYTEST_ARGS)

.PHONY: test-embedded
test-embedded: test-packages install messages static ## Run the suite on SQLite and the in-memory layer only
	env -u DATABASE_URL -u REDIS_URL $(PYTHON) -m pytest $(PYTEST_ARGS)

.PHONY: test-production
test-production: test-packages install messages static ## Run the suite on throwaway PostgreSQL and Redis only
	bin/with-test-services $(PYTHON) -m pytest $(PYTEST_ARGS)

.PHONY: bench-directory
bench-directory: test-packages install ## Time directory search at IMI scale on SQLite and PostgreSQL (docs/benchmarks.md)
	bin/with-test-services $(PYTHON) bench/directory.py

.PHONY: bench-realtime
bench-realtime: test-packages install ## Time live delivery for 200 officials, 1 and 2 processes (docs/benchmarks.md)
	bin/with-test-services $(PYTHON) bench/realtime.py

.PHONY: bench-translation
bench-translation: test-packages install ## Time the translation pipeline, workers and send-to-screen on tiny models (docs/benchmarks.md)
	bin/with-test-services $(PYTHON) bench/translation.py

.PHONY: bench-alerts
bench-alerts: test-packages install ## Time an alert to 12,600 authorities with 2,000 officials connected, 1 and 2 processes (docs/benchmarks.md)
	bin/with-test-services $(PYTHON) bench/alerts.py

.PHONY: lint
lint: install ## Check the code with ruff (lint and formatting)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

.PHONY: check-deploy
check-deploy: install ## Run Django's deployment checks under a production-like environment
	DEBUG=0 SECRET_KEY=$${SECRET_KEY:-$$(openssl rand -base64 48)} ALLOWED_HOSTS=$${ALLOWED_HOSTS:-liaison.example.eu} \
	  $(MANAGE) check --deploy --fail-level WARNING

.PHONY: clean
clean: ## Remove the virtualenv, compiled catalogs and local data (var/)
	rm -rf $(VENV) var $(MO_FILES)
