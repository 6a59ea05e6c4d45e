# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench lock

# The versions of every package the README's figures were measured with (`make lock`
# writes it). pyproject.toml's ranges let a later install take newer releases, which can
# move a figure or break an import; the venv takes these. An index that lacks one of
# them (an older mirror) gets the newest versions pyproject.toml allows, with a warning.
CONSTRAINTS := constraints.txt
EXTRAS := test,dask,bench

$(BIN)/newsdedup: pyproject.toml $(CONSTRAINTS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[$(EXTRAS)]' || { \
	    echo "newsdedup: this package index lacks versions in $(CONSTRAINTS);" \
	         "installing the newest that pyproject.toml allows" >&2; \
	    $(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'; }
	touch $@

# After changing pyproject.toml's dependencies: resolve them afresh in a scratch venv.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet -e '.[$(EXTRAS)]'
	{ echo "# Written by \`make lock\` from pyproject.toml; \`make run\` installs these."; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable; } > $(CONSTRAINTS).new
	mv $(CONSTRAINTS).new $(CONSTRAINTS)
	rm -rf .lock-venv

run: $(BIN)/newsdedup
	$(BIN)/newsdedup run

test: $(BIN)/newsdedup
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check .

lint: $(BIN)/newsdedup
	$(BIN)/ruff check .
