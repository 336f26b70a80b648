# jifen-check: every target installs what it needs first (Python deps into .venv, system packages when missing).
VENV   := .venv
PY     := $(VENV)/bin/python
CLI    := $(VENV)/bin/jifen-check
STAMP  := $(VENV)/.installed
OUT    := out

.PHONY: setup system-deps demo test test-fast bench preview lint cases clean serve

setup: system-deps $(STAMP)

system-deps:
	@./scripts/install-system-deps.sh

$(STAMP): pyproject.toml
	@test -x $(PY) || "$$(./scripts/find-python.sh)" -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

demo: setup
	@./scripts/demo.sh $(OUT)

test: setup
	@$(PY) -m pytest
	@$(PY) ../shared/tools/runcases.py ../shared/spec/cases 2>/dev/null || test ! -d ../shared/spec/cases

# The local web app: prints http://127.0.0.1:PORT/?token=… first. PORT=8000 HOST=127.0.0.1 by default.
PORT ?= 8000
HOST ?= 127.0.0.1
serve: setup
	@$(CLI) serve --host $(HOST) --port $(PORT)

bench: setup
	@$(PY) bench/run.py

preview: setup
	@./scripts/preview.sh $(OUT)

lint: setup
	@$(VENV)/bin/ruff check jifen_check tests bench

cases: setup
	@$(PY) ../shared/tools/runcases.py ../shared/spec/cases -v

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
