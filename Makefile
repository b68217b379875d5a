# The verbs people type. Everything installs itself into .venv from the pinned files.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements-dev.txt layers/common/requirements.txt | cksum | cut -d' ' -f1)
SAM_VENV := .venv-sam
PYTEST_ARGS ?=

.PHONY: install run test lint typecheck unit bench build deploy openapi clean

$(STAMP): requirements-dev.txt layers/common/requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

## make run: the service with demo data on an embedded DynamoDB, http://127.0.0.1:3000
run: $(STAMP)
	$(BIN)/python -m infra.local

## make test: lint, types, template checks and every test
test: lint typecheck
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/cfn-lint template.yaml

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit $(PYTEST_ARGS)

openapi: $(STAMP)
	$(BIN)/python -m infra.openapi > docs/openapi.json

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(SAM_VENV) .aws-sam .pytest_cache .mypy_cache .ruff_cache
