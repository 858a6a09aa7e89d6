# One-command set-up for mutua. `make demo` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	MUTUA_DEBUG=$${MUTUA_DEBUG:-1} $(BIN)/mutua migrate --no-input
	MUTUA_DEBUG=$${MUTUA_DEBUG:-1} $(BIN)/mutua demo --if-empty
	MUTUA_DEBUG=$${MUTUA_DEBUG:-1} $(BIN)/mutua serve --port $${PORT:-8000}

test: $(STAMP)
	$(BIN)/python -m pytest -n $${MUTUA_TEST_WORKERS:-auto} $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src
	$(BIN)/ruff format --check src
	$(BIN)/mypy src/mutua

format: $(STAMP)
	$(BIN)/ruff check --fix src
	$(BIN)/ruff format src

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
