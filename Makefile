# One-command set-up for mutua. `make demo` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The versions every install uses, hashes included (`make lock` renews them from pyproject.toml).
RUN_LOCK := requirements/run.txt
DEV_LOCK := requirements/dev.txt
UV_VERSION := 0.13.9

.PHONY: demo test lint format clean messages compilemessages lock

# uv installs the locked packages in seconds where pip takes minutes. A uv already on the
# PATH is used; otherwise one is put into the venv with pip; where even that fails (no
# network to PyPI's uv, an unusual platform) pip installs the same lock files on its own.
define install
	@uv=$$(command -v uv || true); \
	if [ -z "$$uv" ] && $(BIN)/pip install --quiet --disable-pip-version-check 'uv==$(UV_VERSION)' 2>/dev/null; then \
		uv=$(BIN)/uv; fi; \
	if [ -n "$$uv" ]; then \
		echo "installing $(1) with uv"; \
		$$uv pip install --quiet --python $(BIN)/python -r $(1) && \
		$$uv pip install --quiet --python $(BIN)/python --no-deps -e .; \
	else \
		echo "installing $(1) with pip (uv not available)"; \
		$(BIN)/pip install --quiet --disable-pip-version-check -r $(1) && \
		$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .; \
	fi
endef

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a lock file changes. `make demo` needs only what running needs;
# `make test` adds the test and lint tools on top.
$(VENV)/.installed-run: $(RUN_LOCK) pyproject.toml | $(BIN)/python
	$(call install,$(RUN_LOCK))
	touch $@

$(VENV)/.installed-dev: $(DEV_LOCK) $(VENV)/.installed-run
	$(call install,$(DEV_LOCK))
	touch $@

# Static files with hashed names (docs/DEPLOY.md), collected again only when one changed
# or the packages did: compressing them takes a minute, too long for every start. The
# manifest collectstatic writes is the mark of when it last ran.
STATIC_SOURCES := $(shell find src/mutua -path '*/static/*' -type f 2>/dev/null)
STATIC_MANIFEST := $(or $(MUTUA_DATA_DIR),var)/static/staticfiles.json
$(STATIC_MANIFEST): $(STATIC_SOURCES) $(VENV)/.installed-run
	$(BIN)/mutua collectstatic --no-input --verbosity 0

# With MUTUA_DEBUG=1, the demo's default, pages link the plain names and the collected
# files would go unused: the demo collects them only when run with MUTUA_DEBUG=0.
demo: $(VENV)/.installed-run $(if $(filter 0,$(MUTUA_DEBUG)),$(STATIC_MANIFEST))
	MUTUA_DEBUG=$${MUTUA_DEBUG:-1} $(BIN)/mutua migrate --no-input
	MUTUA_DEBUG=$${MUTUA_DEBUG:-1} $(BIN)/mutua demo --if-empty --port $${PORT:-8000}
	MUTUA_DEBUG=$${MUTUA_DEBUG:-1} $(BIN)/mutua serve --port $${PORT:-8000}

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n $${MUTUA_TEST_WORKERS:-auto} $(PYTEST_ARGS)

# lint-imports checks the layers between the apps (docs/ARCHITECTURE.md; the contracts
# are in pyproject.toml).
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src
	$(BIN)/ruff format --check src
	$(BIN)/mypy src/mutua
	$(BIN)/lint-imports --no-logo

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix src
	$(BIN)/ruff format src

# Renew the lock files after changing the dependencies in pyproject.toml (needs uv and PyPI).
# Both resolve for every platform and Python 3.11+; the dev lock keeps the run lock's versions.
LOCK_FLAGS := --quiet --universal --python-version 3.11 --generate-hashes
lock:
	uv pip compile pyproject.toml $(LOCK_FLAGS) -o $(RUN_LOCK)
	uv pip compile pyproject.toml --extra dev $(LOCK_FLAGS) -c $(RUN_LOCK) -o $(DEV_LOCK)

# Translations (docs/languages.md). `make messages` gathers every string to translate into
# src/mutua/locale/LANG/LC_MESSAGES/django.po; `make compilemessages` turns them into the
# .mo files the server reads. Both need GNU gettext; the .mo files are committed, so
# running mutua does not.
LOCALES ?= es fr pl ar
I18N := cd src/mutua && MUTUA_DATA_DIR=$(CURDIR)/var $(abspath $(BIN))/mutua

messages: $(VENV)/.installed-dev
	$(I18N) makemessages $(addprefix --locale ,$(LOCALES)) --ignore tests --no-obsolete --add-location file

compilemessages: $(VENV)/.installed-dev
	$(I18N) compilemessages $(addprefix --locale ,$(LOCALES))

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
