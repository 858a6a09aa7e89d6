# One-command set-up for mutua. `make demo` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format clean messages compilemessages

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

# lint-imports checks the layers between the apps (docs/ARCHITECTURE.md; the contracts
# are in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check src
	$(BIN)/ruff format --check src
	$(BIN)/mypy src/mutua
	$(BIN)/lint-imports --no-logo

format: $(STAMP)
	$(BIN)/ruff check --fix src
	$(BIN)/ruff format src

# Translations (docs/languages.md). `make messages` gathers every string to translate into
# src/mutua/locale/LANG/LC_MESSAGES/django.po; `make compilemessages` turns them into the
# .mo files the server reads. Both need GNU gettext; the .mo files are committed, so
# running mutua does not.
LOCALES ?= es fr pl ar
I18N := cd src/mutua && MUTUA_DATA_DIR=$(CURDIR)/var $(abspath $(BIN))/mutua

messages: $(STAMP)
	$(I18N) makemessages $(addprefix --locale ,$(LOCALES)) --ignore tests --no-obsolete --add-location file

compilemessages: $(STAMP)
	$(I18N) compilemessages $(addprefix --locale ,$(LOCALES))

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
