# evalkit: `make reports` and `make test` do all set-up themselves from a fresh clone.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.evalkit-installed
DEMO := data/demo.duckdb
JOBS ?= 2

.PHONY: reports test test-fast lint format bench clean venv demo

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name evalkit --display-name "evalkit (Python 3)" >/dev/null
	@touch $(STAMP)

$(DEMO): $(STAMP)
	$(BIN)/evalkit synth --out $(DEMO)

demo: $(DEMO)

reports: $(STAMP) $(DEMO)
	$(BIN)/evalkit run-all params/ --out reports/ --jobs $(JOBS)

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser and not postgres"

lint: $(STAMP)
	$(BIN)/ruff check evalkit tests benchmarks
	$(BIN)/ruff format --check evalkit tests benchmarks

format: $(STAMP)
	$(BIN)/ruff format evalkit tests benchmarks
	$(BIN)/ruff check --fix evalkit tests benchmarks

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) reports data/demo.* .pytest_cache
