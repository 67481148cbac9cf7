# One command sets up and runs the main job (make demo), one the tests (make test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
KG := $(BIN)/kg
HASH := $(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: demo test lint lab build clean
NODE_STAMP := node_modules/.installed-$(shell cksum package-lock.json | cut -d' ' -f1)

# One stamp per set of extras, renewed whenever pyproject.toml changes.
$(VENV)/.installed-%-$(HASH): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$*]'
	touch $@

# The front-end packages (YASGUI, cytoscape.js), exactly as package-lock.json pins them.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## demo: set up, build and validate the graph, answer the headline queries, write the exports
demo: $(VENV)/.installed-test,fast-$(HASH) $(NODE_STAMP)
	$(KG) build
	$(KG) stats --dist dist
	$(KG) query accountability-on-date -p council=doncaster -p date=2016-01-15 && $(KG) query split-responsibility && $(KG) query stance-matrix
	$(KG) export

build: $(VENV)/.installed-test,fast-$(HASH) $(NODE_STAMP)
	$(KG) build

## test: set up with the test and fast extras and run the whole suite
test: $(VENV)/.installed-test,fast-$(HASH) $(NODE_STAMP)
	$(BIN)/ruff check kg tests benchmarks
	$(BIN)/mypy kg
	$(BIN)/python -m pytest

lab: $(VENV)/.installed-lab-$(HASH)
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf dist .pytest_cache
