# Two commands set everything up on a machine with Python 3.11+ and make:
#   make demo   - create .venv, install kg and its pinned dependencies, ingest seeds/ into
#                 ./kg-store, print the group-affiliation table, write out/graph.ttl,
#                 out/graph.trig and out/network.html
#   make test   - install the test dependencies, lint (ruff) and run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= kg-store

.PHONY: demo test install clean bench

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "kg needs Python 3.11 or newer: run make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/kg ingest seeds --store $(STORE)
	$(BIN)/kg query affiliations --store $(STORE)
	@mkdir -p out
	$(BIN)/kg export --format turtle -o out/graph.ttl --store $(STORE)
	$(BIN)/kg export --format trig -o out/graph.trig --store $(STORE)
	$(BIN)/kg viz -o out/network.html --store $(STORE)

test: $(VENV)/.dev-installed
	$(BIN)/ruff check kg tests benchmarks
	$(BIN)/python -m pytest

# speed, memory and scale on ../shared/corpora/bbc against bare spaCy (about 25 minutes)
bench: $(VENV)/.dev-installed
	$(BIN)/python benchmarks/bench.py --json benchmarks/results.json

clean:
	rm -rf $(VENV) $(STORE) out .pytest_cache
