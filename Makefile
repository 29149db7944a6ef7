# Two commands set everything up on a fresh machine: `make demo` and `make test`.
# Each creates .venv and installs what it needs when it is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements.lock

.PHONY: demo test lint typecheck contracts pytest bench lock screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The stamp files record which install a venv has, so a second `make` is instant.
$(VENV)/.installed: $(BIN)/python pyproject.toml $(LOCK)
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml $(LOCK)
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[dev]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: $(VENV)/.installed-dev
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[dev,bench]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/slowcode demo

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check slowcode tests bench
	$(BIN)/ruff format --check slowcode tests bench

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

contracts: $(VENV)/.installed-dev
	$(BIN)/lint-imports

pytest: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q

test: lint typecheck contracts pytest

bench: $(VENV)/.installed-bench
	$(BIN)/python bench/startup.py --runs 15
	$(BIN)/python bench/review_large_diff.py
	$(BIN)/python bench/repomap.py
	$(BIN)/python bench/request_cost.py
	$(BIN)/python bench/decision_tools.py
	$(BIN)/python bench/tool_input.py --check
	$(BIN)/python bench/journal_growth.py --check
	$(BIN)/python bench/stream_fold.py --check
	$(BIN)/python -m pytest -q -s -m slow tests/engine/test_recovery_faults.py tests/engine/test_recovery_kill_each_event.py
	$(BIN)/python -m pytest -q -s -m slow tests/engine/test_paths_property.py tests/engine/test_protocol_fuzz.py tests/engine/test_load.py
	$(BIN)/python -m pytest -q -s -m slow tests/tui/test_hostile_text.py

# Re-renders the README's screenshot of the review screen from the offline demo.
screenshots: $(VENV)/.installed-dev
	$(BIN)/python docs/images/review_screenshot.py
	$(BIN)/python docs/images/decisions_export_screenshot.py

# Re-resolve the lock file from pyproject.toml (needs the package index).
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile --quiet --python-version 3.11 --extra dev pyproject.toml -o $(LOCK)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
