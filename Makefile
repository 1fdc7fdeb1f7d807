# Press office site: `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# PostgreSQL used for the second test run when DATABASE_URL is not set and the server answers.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/pressoffice

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Нужен $(PYTHON)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

.PHONY: install
install: $(VENV)/.installed ## Create .venv and install the project with its test tools

.PHONY: browser
browser: ## Install Debian's Chromium for the real-browser tests (needs root)
	@test -x /usr/bin/chromium || { \
		echo "Устанавливаю Chromium для браузерных тестов…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

.PHONY: demo
demo: install ## Migrate and load the demo content (idempotent)
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_content

.PHONY: run
run: demo ## Set up and serve the site with the background worker on http://127.0.0.1:8000/
	@echo "Сайт: http://$(HOST):$(PORT)/   Админка: http://$(HOST):$(PORT)/admin/   (Ctrl+C — остановить)"
	@trap 'kill 0' EXIT INT TERM; \
		$(PY) manage.py qcluster & \
		$(PY) manage.py runserver $(HOST):$(PORT) --noreload

.PHONY: worker
worker: install ## Run only the django-q2 worker
	$(PY) manage.py qcluster

.PHONY: check
check: install ## Django system checks, migrations up to date, production deploy checks, lint, import contracts
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=pressoffice.settings.production \
		SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
		ALLOWED_HOSTS=press.example.ru SITE_BASE_URL=https://press.example.ru TRUSTED_PROXY_COUNT=1 EMAIL_HOST=smtp.example.ru SOCIAL_TOKENS_KEYS=$$($(PY) -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())") $(PY) manage.py check --deploy --fail-level WARNING
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

.PHONY: test
test: install browser check ## Run the whole suite on SQLite, then on PostgreSQL when it answers
	$(PY) -m pytest
	@url="$${DATABASE_URL:-}"; \
	if [ -z "$$url" ] && $(PY) -c "import psycopg; psycopg.connect('$(PG_TEST_URL)'.rsplit('/', 1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		url="$(PG_TEST_URL)"; fi; \
	if [ -n "$$url" ]; then \
		echo "== Набор тестов на PostgreSQL ($$url) =="; \
		DATABASE_URL="$$url" $(PY) -m pytest; \
	else echo "PostgreSQL не отвечает: второй прогон на PostgreSQL пропущен."; fi

.PHONY: bench
bench: install ## Measure the public pages under gunicorn (see docs/benchmarks.md)
	@command -v wrk >/dev/null || { \
		echo "Устанавливаю wrk для замеров…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/pages.py

.PHONY: clean
clean: ## Remove the local database, caches and test media
	rm -rf var static
