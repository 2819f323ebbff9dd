# Crucible: `make test` and `make run` bootstrap everything they need on a fresh Debian machine.
# Python packages install only from the locks (uv.lock; tests/{trl,verl}/requirements.lock), with hashes.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
PY        := $(VENV)/bin/python
STAMP     := $(VENV)/.installed
UV        := $(VENV)/bin/uv
# uv never fetches an interpreter of its own, and syncs every extra the project's own venv uses.
export UV_PYTHON_DOWNLOADS := never
SYNC      := $(UV) sync --frozen --extra dev --python $(PY)
# The TRL integration test's own environment: Python 3.11, CPU torch, TRL (tests/trl/).
TRL_VENV  := .venv-trl
TRL_PY    := $(TRL_VENV)/bin/python
TRL_STAMP := $(TRL_VENV)/.installed
TRL_LOCK  := tests/trl/requirements.lock
# verl's SandboxFusion client, as a CPU machine runs it: verl without its training stack
# (tests/verl/), for the /run_code test that drives verl's own client code.
VERL_VENV  := .venv-verl
VERL_PY    := $(VERL_VENV)/bin/python
VERL_STAMP := $(VERL_VENV)/.installed
VERL_LOCK  := tests/verl/requirements.lock
SYS_PKGS  := redis-server libnl-route-3-200 python3 python3-numpy python3-pandas python3-sortedcontainers gcc g++ \
             default-jdk-headless nodejs rustc golang-go pypy3
CGROUP    := /sys/fs/cgroup

# The first Python >= 3.12 we can find: PATH, then pyenv's versions, then the system one.
ifndef PYTHON
PYTHON := $(shell for c in python3.13 python3.12 \
	$$(ls -d $$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) \
	/usr/bin/python3 python3; do \
	  command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	  && { command -v $$c; break; }; done)
endif

# Python 3.11 for $(TRL_VENV): trainers run the client there, and this kind of machine keeps a
# CPU build of torch 2.13.0 for 3.11 (elsewhere pip downloads torch from PyPI).
ifndef PYTHON311
PYTHON311 := $(shell for c in python3.11 \
	$$(ls -d $$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)/versions/3.11*/bin/python3 2>/dev/null | sort -rV) \
	/usr/bin/python3.11; do \
	  command -v $$c >/dev/null 2>&1 \
	  && $$c -c 'import sys, ensurepip; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null \
	  && { command -v $$c; break; }; done)
endif

.PHONY: help system docker uv venv trl-venv verl-venv lock test unit integration lint run bench bench-client clean

help:
	@echo "make test   - install what is missing, then lint and run the whole test suite"
	@echo "make run    - start the local stack (Redis, gateway, workers)"
	@echo "make bench  - run the benchmarks and write docs/benchmarks.md (crucible bench all)"
	@echo "make bench-client - grade_many end to end (1,024 x 15 tests) into docs/benchmarks.md (crucible bench client)"
	@echo "make lock   - re-resolve uv.lock, $(TRL_LOCK) and $(VERL_LOCK) after editing them"
	@echo "              (UPGRADE=1: move every pin to the newest allowed release)"

system:
	@missing=""; for p in $(SYS_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing system packages (run as root or install them):$$missing"; exit 1; fi; \
	fi
	@if [ -d $(CGROUP)/memory ] && [ ! -f $(CGROUP)/cgroup.controllers ]; then \
	  for c in memory pids cpu cpuacct; do [ -d $(CGROUP)/$$c ] && mkdir -p $(CGROUP)/$$c/NSJAIL; done; true; \
	fi

# The compose test (tests/deploy/test_compose_live.py) needs a Docker engine and the local
# base image made from Debian's archive (no image registry is needed).
docker:
	@sh deploy/docker/engine.sh
	@sh deploy/docker/base-images.sh

# .venv holds the locked uv itself (dev extra); it is bootstrapped from uv.lock's own hashes
# when missing or of another version, then `uv sync --frozen` makes the venv exactly the lock.
uv:
	@test -n "$(PYTHON)" || { echo "no Python >= 3.12 found; set PYTHON=/path/to/python3.12"; exit 1; }
	@test -x $(PY) || { echo "building $(VENV) from $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	@want=$$($(PY) tools/uv_pin.py | cut -d' ' -f1); \
	if [ "$$($(UV) --version 2>/dev/null | cut -d' ' -f2)" != "$${want#uv==}" ]; then \
	  $(PY) -m ensurepip -q >/dev/null 2>&1; \
	  $(PY) -m pip install -q --disable-pip-version-check --require-hashes -r <($(PY) tools/uv_pin.py) \
	    2> >(grep -v '^WARNING: Location' >&2); \
	fi

$(STAMP): pyproject.toml uv.lock
	@$(MAKE) --no-print-directory uv
	@$(SYNC) -q
	@touch $(STAMP)

venv: $(STAMP)

# A hatchling-built project in .venv-trl would fetch a build backend; a .pth file puts the
# checkout on its path instead (only the client side, crucible/, is used there).
$(TRL_STAMP): crucible/pyproject.toml $(TRL_LOCK)
	@test -n "$(PYTHON311)" || { echo "no Python 3.11 found for $(TRL_VENV); set PYTHON311=/path/to/python3.11"; exit 1; }
	@echo "building $(TRL_VENV) from $(PYTHON311): CPU torch and TRL (a few minutes, once)"
	@test -x $(TRL_PY) || $(PYTHON311) -m venv $(TRL_VENV)
	@$(TRL_PY) -m pip install -q --disable-pip-version-check --require-hashes -r $(TRL_LOCK) \
	  2> >(grep -v '^WARNING: Location' >&2)
	@echo "$(CURDIR)" > "$$($(TRL_PY) -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/crucible-checkout.pth"
	@touch $(TRL_STAMP)

trl-venv: $(TRL_STAMP)

# verl 0.9.1 asks for Python < 3.13; --no-deps leaves out what the client never imports.
$(VERL_STAMP): $(VERL_LOCK)
	@test -n "$(PYTHON311)" || { echo "no Python 3.11 found for $(VERL_VENV); set PYTHON311=/path/to/python3.11"; exit 1; }
	@test -x $(VERL_PY) || $(PYTHON311) -m venv $(VERL_VENV)
	@$(VERL_PY) -m pip install -q --disable-pip-version-check --no-deps --require-hashes -r $(VERL_LOCK) \
	  2> >(grep -v '^WARNING: Location' >&2)
	@touch $(VERL_STAMP)

verl-venv: $(VERL_STAMP)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check crucible server service workers bench curate tests examples tools
	$(VENV)/bin/mypy

unit: venv
	$(PY) -m pytest -q tests/unit

integration: system venv trl-venv verl-venv
	$(PY) -m pytest -q tests/integration

test: system docker venv trl-venv verl-venv lint
	$(PY) -m pytest -q

run: system venv
	$(VENV)/bin/crucible run

bench: system venv
	$(VENV)/bin/crucible bench all

bench-client: system venv
	$(VENV)/bin/crucible bench client

# uv.lock for .venv and the images; the TRL venv's lock is compiled for Python 3.11 and the
# CPU torch in /opt/wheels (this kind of machine's; elsewhere it resolves from PyPI alone);
# the verl venv's, for Python 3.11, with --no-deps (tests/verl/requirements.in says why).
lock: uv
	$(UV) lock $(if $(UPGRADE),--upgrade)
	$(UV) pip compile crucible/pyproject.toml tests/trl/requirements.in --python-version 3.11 \
	  --generate-hashes $(if $(wildcard /opt/wheels),--find-links /opt/wheels --emit-find-links) \
	  $(if $(UPGRADE),--upgrade) --quiet -o $(TRL_LOCK)
	$(UV) pip compile tests/verl/requirements.in --python-version 3.11 --no-deps \
	  --generate-hashes $(if $(UPGRADE),--upgrade) --quiet -o $(VERL_LOCK)

clean:
	rm -rf $(VENV) $(TRL_VENV) $(VERL_VENV) .pytest_cache .mypy_cache .ruff_cache
