# UrbanGrid. `make demo`: a running demo city on a fresh machine. `make test`: the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := urbangrid.settings

.PHONY: install demo serve test lint bench messages clean prod-check soak

$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "UrbanGrid needs Python 3.11 or newer"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -c constraints.txt -e '.[dev]'
	touch $@

install: $(BIN)/.installed

demo: install
	$(BIN)/urbangrid migrate --no-input -v 0
	$(BIN)/urbangrid collectstatic --no-input -v 0
	$(BIN)/urbangrid demo
	$(MAKE) --no-print-directory serve

serve: install
	@echo "UrbanGrid: http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	$(BIN)/urbangrid runserver --noreload 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/urbangrid makemigrations --check --dry-run -v 1

test: lint
	$(BIN)/pytest

# Every goal of every bench/bench_*.py in one table: SCALE=ci (default, the CI size) or SCALE=city (hours).
# BENCH_ARGS=--check-baseline fails on a ratio 30 % worse than bench/results/baseline.json (.ci/run does).
SCALE ?= ci
bench: install
	SCALE=$(SCALE) $(BIN)/python bench/run.py $(BENCH_ARGS)

# The load test (bench/load/run.py; figures in bench/README.md "Load"): 1,000,000 cases, 100 operators and 1,000
# collectors on loopback for 10 minutes. SOAK_ARGS=--short is the shortened form .ci/run runs (about 2 minutes).
# It serves with gunicorn, as production does (Django's runserver refused connections under this load).
soak: install
	test -x $(BIN)/gunicorn || $(BIN)/pip install --disable-pip-version-check -q -c constraints.txt -e '.[dev,prod]'
	$(BIN)/python bench/load/run.py $(SOAK_ARGS)

# Regenerate the Chinese catalogue after adding strings (needs GNU gettext: apt-get install gettext).
messages: install
	cd src/urbangrid && ../../$(BIN)/urbangrid makemessages -l zh_Hans --no-obsolete --no-location
	cd src/urbangrid && ../../$(BIN)/urbangrid compilemessages -l zh_Hans

# The production stack of deploy/ on this machine (PostgreSQL on 127.0.0.1:5432 with trust auth, gunicorn, nginx,
# workers), driven through nginx and stopped again: docs/production.md. Installs nginx and openssl if missing.
prod-check: install
	test -x $(BIN)/gunicorn || $(BIN)/pip install --disable-pip-version-check -q -c constraints.txt -e '.[dev,prod]'
	test -x /usr/sbin/nginx || { apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx openssl; }
	$(BIN)/python tools/prodcheck.py $(PRODCHECK_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache

# Browser libraries, pinned by package-lock.json and copied into the map app. The copies are committed, so
# `make demo` and CI need neither npm nor a network; run this only to upgrade (see maps/static/maps/vendor/).
VENDOR := src/urbangrid/maps/static/maps/vendor
WEB_VENDOR := src/urbangrid/web/static/web/vendor
.PHONY: assets
assets:
	npm ci --no-audit --no-fund
	rm -rf $(VENDOR)/leaflet
	mkdir -p $(VENDOR)/leaflet/images
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map \
		node_modules/leaflet/dist/leaflet.css node_modules/leaflet/LICENSE $(VENDOR)/leaflet/
	cp node_modules/leaflet/dist/images/*.png $(VENDOR)/leaflet/images/
	rm -rf $(VENDOR)/leaflet.heat && mkdir -p $(VENDOR)/leaflet.heat
	cp node_modules/leaflet.heat/dist/leaflet-heat.js $(VENDOR)/leaflet.heat/
	rm -rf $(WEB_VENDOR)/htmx && mkdir -p $(WEB_VENDOR)/htmx
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE $(WEB_VENDOR)/htmx/
