# Two commands from a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test bench lint format install clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# A development key kept in an ignored file, so the demo needs nothing set by hand.
.dev-secret-key:
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@

run: $(STAMP) .dev-secret-key
	DEBUG=1 SECRET_KEY="$$(cat .dev-secret-key)" $(BIN)/python manage.py migrate --no-input
	DEBUG=1 SECRET_KEY="$$(cat .dev-secret-key)" $(BIN)/python manage.py seed_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/"
	DEBUG=1 SECRET_KEY="$$(cat .dev-secret-key)" $(BIN)/daphne -b 127.0.0.1 -p $(PORT) network.asgi:application

# axe-core for the accessibility tests, pinned in package-lock.json. Without npm those tests
# skip and say why (with REQUIRE_SERVICES=1 they fail instead).
node_modules/.package-lock.json: package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund; \
	else echo "npm not found: the axe-core accessibility tests will be skipped"; fi

test: $(STAMP) node_modules/.package-lock.json
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	@set -e; for script in bench/*.py; do [ -e "$$script" ] || continue; \
		echo "== $$script"; $(BIN)/python $$script; done

lint: $(STAMP)
	$(BIN)/ruff check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles

# Refresh the translation catalogues from the code, then compile them (the .mo files are
# committed, as Django does, so a fresh clone needs no gettext tools to run).
LANGS := ar es fr ru zh_Hans
messages: $(STAMP)
	SECRET_KEY=messages $(BIN)/python manage.py makemessages $(foreach l,$(LANGS),-l $(l)) \
		--add-location=file --no-obsolete --ignore='.venv/*' --ignore='tests/*' \
		--ignore='bench/*' --ignore='staticfiles/*'
	SECRET_KEY=messages $(BIN)/python manage.py compilemessages --ignore='.venv/*'
