# Two set-up commands: `make run` (the app on http://localhost:8000, offline) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint typecheck pytest bench evaluation install install-dev install-bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Benny needs Python >= 3.11; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-install only when pyproject.toml changes.
$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.runtime

# The benchmarks' peers (penaltyblog, sports-betting, DuckDB) are benchmark-only dependencies.
$(VENV)/.bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@touch $@ $(VENV)/.dev $(VENV)/.runtime

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev
install-bench: $(VENV)/.bench

run: $(VENV)/.runtime
	$(BIN)/benny init --demo
	$(BIN)/benny run --host $(HOST) --port $(PORT)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(VENV)/.dev
	$(BIN)/mypy

pytest: $(VENV)/.dev
	$(BIN)/pytest

test: lint typecheck pytest

# Every benchmark in bench/, Benny against its peers where it has one (see bench/README.md).
bench: $(VENV)/.bench
	$(BIN)/python -m bench

# docs/EVALUATION.md and docs/evaluation/*.png, walk-forward over ../shared/data (~5-8 min).
evaluation: $(VENV)/.dev
	$(BIN)/python -m bench.evaluation

clean:
	rm -rf $(VENV) .benny .files .pytest_cache .mypy_cache .ruff_cache .hypothesis
