# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench

$(BIN)/newsdedup: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dask,bench]'
	touch $@

run: $(BIN)/newsdedup
	$(BIN)/newsdedup run

test: $(BIN)/newsdedup
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check .

lint: $(BIN)/newsdedup
	$(BIN)/ruff check .
