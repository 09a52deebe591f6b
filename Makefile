# The README's commands. Each target sets up what it needs, so a fresh clone needs only `make`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast setup system-deps bench bench-quick clean

demo: setup
	$(BIN)/lingshu demo

test: setup
	$(BIN)/pytest

# The quick inner loop: skip the marked heavy suites (CI runs everything through `make test`).
test-fast: setup
	$(BIN)/pytest -m "not slow"

setup: system-deps $(STAMP)

# Debian packages (browser and CJK fonts for dashboards and documents); installed only if missing.
system-deps:
	@scripts/system-deps.sh

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) demo-workspace .pytest_cache
