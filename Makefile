# The verbs people type. Everything installs itself into .venv from the pinned files.
# Python 3.13 (the Lambda runtime python3.13): on PATH, else the newest 3.13 under pyenv.
PY ?= $(shell for p in python3.13 $$(ls -d $$(pyenv root 2>/dev/null)/versions/3.13*/bin/python3.13 2>/dev/null | sort -V | tail -n 1); do "$$p" -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null && { command -v "$$p"; break; }; done)
ifeq ($(PY),)
$(error Python 3.13 not found: install python3.13 (python.org, your package manager, or `pyenv install 3.13`))
endif
# `sam build` runs the template's Python (python3.13) from PATH.
export PATH := $(dir $(PY)):$(PATH)
VENV := .venv
BIN := $(VENV)/bin
# The stamps name the requirement files' contents (a checksum), with no file prerequisite:
# a checkout or a touch that changes no byte does not run pip again; a changed pin does.
STAMP := $(VENV)/.installed-py313-$(shell cat requirements-dev.txt layers/common/requirements.txt | cksum | cut -d' ' -f1)
SAM_VENV := .venv-sam
SAM_STAMP := $(SAM_VENV)/.installed-py313-$(shell cksum < requirements-sam.txt | cut -d' ' -f1)
SAM := $(SAM_VENV)/bin/sam
SAM_REGION ?= $(or $(AWS_REGION),$(AWS_DEFAULT_REGION),ap-northeast-1)
export SAM_CLI_TELEMETRY := 0
PYTEST_ARGS ?=

.PHONY: install run dynamodb events env-local test checks lint ruff typecheck validate unit bench build deploy openapi screenshots clean lock import

$(STAMP):
	$(BIN)/python -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null || { rm -rf $(VENV); $(PY) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

$(SAM_STAMP):
	$(SAM_VENV)/bin/python -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null || { rm -rf $(SAM_VENV); $(PY) -m venv $(SAM_VENV); }
	$(SAM_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-sam.txt
	rm -f $(SAM_VENV)/.installed-* && touch $@

## make run: the service with demo data on an embedded DynamoDB, http://127.0.0.1:3000
run: $(STAMP)
	$(BIN)/python -m infra.local

## make dynamodb: only the embedded DynamoDB (template's tables, demo data unless SEED=0) on
## http://127.0.0.1:8000 (DYNAMODB_PORT, DYNAMODB_HOST to change), for `sam local` and other tools
dynamodb: $(STAMP)
	$(BIN)/python -m infra.local.dynamodb

## make events: regenerate events/ (sample events of every function and trigger) from infra/events.py
events: $(STAMP) $(SAM_STAMP)
	$(BIN)/python -m infra.events

## make env-local: regenerate env.local.json and env.local.host-network.json (sam local --env-vars)
env-local: $(STAMP)
	$(BIN)/python -m infra.env_local

## make test: lint, types, template checks and every test (`sam validate --lint` runs cfn-lint, so
## the template is linted once; worksteal lets an idle worker take a busy one's queued tests).
## The two venvs install, and the three checks run, two at a time (a fresh clone: about 40 s less).
test: checks
	$(BIN)/python -m pytest -n 2 --dist worksteal $(PYTEST_ARGS)

checks:
	$(MAKE) --no-print-directory -j 2 ruff typecheck validate

lint: ruff
	$(BIN)/cfn-lint template.yaml

ruff: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## make typecheck: mypy over every Python folder (the layer, functions, infra, bench, tests: pyproject.toml)
typecheck: $(STAMP)
	$(BIN)/mypy

## make validate: `sam validate --lint` (the SAM CLI's own transform and cfn-lint), offline
validate: $(SAM_STAMP)
	$(SAM) validate --lint --region $(SAM_REGION)

## make build: `sam build` (arm64) into .aws-sam/build from the hashed lock
## (layers/common/requirements.txt), then checks what it built. SOURCE_DATE_EPOCH makes the
## compiled .pyc files hash-based, so two builds of one commit hold the same bytes
## (BUILD_TWICE=1 builds again and compares: python -m infra.build_check --compare).
export SOURCE_DATE_EPOCH := 315532800
build: $(SAM_STAMP)
	$(SAM) build --parallel
	$(SAM_VENV)/bin/python -m infra.build_check
ifeq ($(BUILD_TWICE),1)
	$(SAM_VENV)/bin/python -m infra.build_check --snapshot .aws-sam/first-build.json
	$(SAM) build --parallel
	$(SAM_VENV)/bin/python -m infra.build_check --compare .aws-sam/first-build.json
endif

## make lock: regenerate the layer's fully pinned, hashed lock from its top-level pins
lock:
	test -x .venv-lock/bin/pip-compile || ($(PY) -m venv .venv-lock && .venv-lock/bin/pip install --quiet pip-tools==7.5.1)
	cd layers/common && CUSTOM_COMPILE_COMMAND="make lock" ../../.venv-lock/bin/pip-compile --quiet \
		--generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
		--output-file requirements.txt requirements.in
	CUSTOM_COMPILE_COMMAND="make lock" .venv-lock/bin/pip-compile --quiet \
		--generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
		--output-file requirements-dev.txt requirements-dev.in

## make deploy ENV=dev|prod: `sam deploy` with that environment of samconfig.toml
ENV ?= dev
deploy: build
	$(SAM) deploy --config-env $(ENV)

## make import FILE=passes.jsonl: the file into the running local runtime's import bucket
import: $(STAMP)
	$(BIN)/python -m infra.local.import_file $(FILE)

unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit $(PYTEST_ARGS)

openapi: $(STAMP)
	$(BIN)/python -m infra.openapi > docs/openapi.json

## make screenshots: every screen of the web client at 1366 and 390 px, checked by axe-core,
## into tests/artifacts/screens/ (needs /usr/bin/chromium; fonts-noto-cjk for the zh-TW text)
screenshots: $(STAMP)
	$(BIN)/python -m pytest -n 0 -p no:cacheprovider tests/browser/test_screens.py $(PYTEST_ARGS)

## make bench: calls, items and billed capacity units of every page, export, history, write path
## and cold start at 10,000 and 200,000 passes, with the targets' verdicts, into
## docs/benchmarks.md (BENCH_SIZES=10000 for a quick run; exit status 1 when a target is missed)
bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(SAM_VENV) .venv-lock .aws-sam .pytest_cache .mypy_cache .ruff_cache
