# Two commands: `make run` installs everything and starts Viva on its embedded engines;
# `make test` installs what the tests need and runs the whole suite. `make install` only installs.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
DEBIAN_TEST_PACKAGES := chromium chromium-driver espeak-ng sox

.PHONY: install run test lint types web system-packages bench clean

install: $(VENV)/.installed web/node_modules/.installed web

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[test]'
	touch $@

web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

web: web/node_modules/.installed
	cd web && npm run --silent build

run: install
	$(VENV)/bin/viva serve

# Debian packages the tests use: Chromium for the browser tests, espeak-ng and sox to make test speech.
system-packages:
	@if ! command -v chromium >/dev/null || ! command -v espeak-ng >/dev/null || ! command -v sox >/dev/null; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(DEBIAN_TEST_PACKAGES); \
	fi

types: web/node_modules/.installed $(VENV)/.installed
	$(PY) -m protocol.schema | (cd web && npm run --silent gen-types)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	cd web && npm run --silent typecheck

test: install system-packages lint
	$(PY) -m pytest

bench: install system-packages
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) web/node_modules web/dist
