# 县域经济政策文库. `make site` builds the website from sources/; `make test` runs every test.
# Both set up .venv (pinned dependencies from pyproject.toml) on a fresh machine.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SITE_STAMP := $(VENV)/.site-installed
TEST_STAMP := $(VENV)/.test-installed
# Mermaid for the diagrams, pinned and fetched from the npm registry once (scripts/site/vendor.py)
MERMAID_JS := docs/assets/vendor/mermaid.min.js
# axe-core for the accessibility test, pinned by tests/axe/package-lock.json, from the npm registry
AXE_JS := tests/axe/node_modules/axe-core/axe.min.js
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Python writes its bytecode (__pycache__/, ignored by git) even where the environment says not
# to: the tests start the command line some hundreds of times, and without it every start
# compiles the scripts again (about a second each)
unexport PYTHONDONTWRITEBYTECODE
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: site docs serve test check lint chromium npm clean bench

# docs/ → site/: MkDocs (only the changed pages when that is safe), then the search index (scripts/site/build.py)
site: docs $(MERMAID_JS)
	$(PY) -m scripts site
	$(PY) -m scripts published record
	@echo "site/ is ready: open site/index.html, or run 'make serve'"

# sources/ → docs/ (the generated Markdown is committed, so a pull request shows it)
docs: $(SITE_STAMP)
	$(PY) -m scripts build

serve: docs $(MERMAID_JS)
	$(PY) -m mkdocs serve

# lint and check first: they say in one line per problem what to fix (CI runs this target)
test: $(TEST_STAMP) chromium $(MERMAID_JS) $(AXE_JS)
	$(MAKE) --no-print-directory lint
	$(PY) -m scripts check
	$(PY) -m pytest

# the style (ruff, configured in pyproject.toml), the layers of scripts/ (import-linter) and the
# types of scripts/ (mypy)
lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check scripts tests overrides
	$(VENV)/bin/ruff format --check scripts tests overrides
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

# sidecars, duplicates, docs/ up to date, published anchors, mkdocs build --strict, links
check: $(SITE_STAMP)
	$(PY) -m scripts check

$(SITE_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11, 5))' || { \
	  echo "error: $(PYTHON) is Python $$($(PYTHON) -c 'import platform; print(platform.python_version())'); the pinned packages need 3.11.5 or newer: run make with PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(MERMAID_JS): scripts/site/vendor.py | $(SITE_STAMP) npm
	$(PY) -m scripts.site.vendor

$(AXE_JS): tests/axe/package.json tests/axe/package-lock.json | npm
	npm ci --prefix tests/axe --ignore-scripts --no-audit --no-fund --silent
	touch $@

$(TEST_STAMP): $(SITE_STAMP) pyproject.toml
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@

# What the README requires of the system, installed from Debian's packages when it is missing
# (a python:3.11-bookworm container has none of them): npm fetches the pinned Mermaid and axe-core
# from the npm registry; the browser tests use Debian's chromium, never a downloaded browser.
npm:
	@command -v npm >/dev/null 2>&1 || { \
	  echo "installing Debian's npm, to fetch the pinned Mermaid and axe-core from the npm registry"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq npm >/dev/null; }

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null; }
	@fc-list :lang=zh 2>/dev/null | grep -q . || { \
	  echo "installing a Chinese font, so that the screenshots of the browser tests can be read"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq fontconfig fonts-wqy-microhei >/dev/null; }

# How the archive scales: N synthetic documents, ours against plain mkdocs-material (not a test).
N ?= 1000
bench: $(TEST_STAMP) chromium $(MERMAID_JS)
	$(PY) -m scripts.bench --n $(N)

clean:
	rm -rf site .pytest_cache .cache
