# Parley. `make demo` and `make test` bootstrap everything they need on first use.
SHELL := /bin/bash
PYTHON ?= python3.12
TOOLS := .tools
UV := $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)
VENV := .venv
STAMP := $(VENV)/.installed
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install demo demo-reset serve test test-e2e lint messages bench clean

install: $(STAMP)

$(TOOLS)/bin/uv:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv

# Bytecode compiled at install: a machine that sets PYTHONDONTWRITEBYTECODE (CI does) would
# otherwise compile Django and the rest from source in every process it starts.
$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/parley demo --port $(PORT)

demo-reset: $(STAMP)
	$(VENV)/bin/parley demo --reset --port $(PORT)

serve: $(STAMP)
	$(VENV)/bin/parley serve --port $(PORT)

# The suite on every core (pytest-xdist), each module's tests on one worker so that what a
# module shares (the demo scenario, the isolation suite's world) is built once. TEST_WORKERS=0
# runs it in this process, as `.venv/bin/pytest PATH` does for a part of it.
# The tests keep their compiled and assertion-rewritten modules in __pycache__ even where
# PYTHONDONTWRITEBYTECODE is set: each worker would otherwise rewrite every test module again.
# The schemathesis tests run in a process of their own: their 111 cases share one test id,
# which pytest-xdist runs once (tests/conftest.py refuses such ids on a worker).
TEST_WORKERS ?= auto
SCHEMATHESIS := tests/api/test_schemathesis.py
test: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadscope --ignore=$(SCHEMATHESIS)
	PYTHONDONTWRITEBYTECODE= $(VENV)/bin/pytest $(SCHEMATHESIS)

test-e2e: $(STAMP)
	$(VENV)/bin/pytest tests/e2e

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

# Translations: the compiled .mo files are committed so that a new machine needs no gettext.
messages: $(STAMP)
	cd src/parley && DEBUG=true DJANGO_SETTINGS_MODULE=config.settings PYTHONPATH=../.. ../../$(VENV)/bin/django-admin makemessages -l uk -l ru -i 'ui/static/vendor/*'
	cd src/parley && DEBUG=true DJANGO_SETTINGS_MODULE=config.settings PYTHONPATH=../.. ../../$(VENV)/bin/django-admin makemessages -d djangojs -l uk -l ru -i 'ui/static/vendor/*'
	cd src/parley && DEBUG=true DJANGO_SETTINGS_MODULE=config.settings PYTHONPATH=../.. ../../$(VENV)/bin/django-admin compilemessages

bench: $(STAMP)
	$(UV) sync --frozen --compile-bytecode --group bench
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	@for b in bench/*.py; do echo "== $$b"; $(VENV)/bin/python $$b; done

clean:
	rm -rf $(VENV) $(TOOLS) var/*.sqlite3*
