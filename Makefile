# Kurze Wege – the two commands: `make run` (demo system) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV_ENV := DEBUG=1

.PHONY: run test setup pdf-libs browser bench lint format lock messages demo worker

run: setup
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py generate_demo --if-empty
	@echo ""
	@echo "Kurze Wege läuft auf http://127.0.0.1:8000 (Strg+C beendet den Server)"
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: setup browser
	bash scripts/test.sh

setup: $(VENV)/.installed static/vendor/.installed locale/en/LC_MESSAGES/django.mo pdf-libs

# WeasyPrint (PDFs of plans, consent forms, subject access exports) needs Debian's pango.
pdf-libs:
	@ldconfig -p | grep -q libpangoft2-1.0 || bash scripts/apt-install.sh libpango-1.0-0 libpangoft2-1.0-0

$(VENV)/.installed: requirements/lock.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	touch $@

static/vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor
	mkdir -p static/vendor/kern static/vendor/htmx static/vendor/leaflet
	cp -r node_modules/@kern-ux/native/dist/. static/vendor/kern/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp -r node_modules/leaflet/dist/. static/vendor/leaflet/
	touch $@

locale/en/LC_MESSAGES/django.mo: locale/en/LC_MESSAGES/django.po $(VENV)/.installed
	@command -v msgfmt >/dev/null || bash scripts/apt-install.sh gettext
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

browser:
	@command -v chromium >/dev/null || bash scripts/apt-install.sh chromium

worker: setup
	$(DEV_ENV) $(PY) manage.py db_worker

bench: setup
	$(PY) benchmarks/run.py $(BENCH_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: setup
	$(DEV_ENV) $(PY) manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=static/vendor

lock:
	$(VENV)/bin/pip freeze --exclude-editable > requirements/lock.txt
