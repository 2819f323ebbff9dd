# Crucible: `make test` and `make run` bootstrap everything they need on a fresh Debian machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
PY        := $(VENV)/bin/python
STAMP     := $(VENV)/.installed
SYS_PKGS  := redis-server libnl-route-3-200 python3 python3-numpy python3-pandas python3-sortedcontainers
CGROUP    := /sys/fs/cgroup

# The first Python >= 3.12 we can find: PATH, then pyenv's versions, then the system one.
ifndef PYTHON
PYTHON := $(shell for c in python3.13 python3.12 \
	$$(ls -d $$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) \
	/usr/bin/python3 python3; do \
	  command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	  && { command -v $$c; break; }; done)
endif

.PHONY: help system venv test unit integration lint run bench clean

help:
	@echo "make test   - install what is missing, then lint and run the whole test suite"
	@echo "make run    - start the local stack (Redis, gateway, workers)"
	@echo "make bench  - run the benchmarks and write docs/benchmarks.md"

system:
	@missing=""; for p in $(SYS_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing system packages (run as root or install them):$$missing"; exit 1; fi; \
	fi
	@if [ -d $(CGROUP)/memory ] && [ ! -f $(CGROUP)/cgroup.controllers ]; then \
	  for c in memory pids cpu; do [ -d $(CGROUP)/$$c ] && mkdir -p $(CGROUP)/$$c/NSJAIL; done; true; \
	fi

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "no Python >= 3.12 found; set PYTHON=/path/to/python3.12"; exit 1; }
	@echo "building $(VENV) from $(PYTHON)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

unit: venv
	$(PY) -m pytest -q tests/unit

integration: system venv
	$(PY) -m pytest -q tests/integration

test: system venv lint
	$(PY) -m pytest -q

run: system venv
	$(VENV)/bin/crucible run

bench: system venv
	$(VENV)/bin/crucible bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
