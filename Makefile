# The README's commands. Each target sets up what it needs, so a fresh clone needs only `make`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Benchmark baselines (benchmarks/requirements.txt); defined here because rules below name it.
BENCH_STAMP := $(VENV)/.bench-installed

.PHONY: demo test test-fast setup system-deps web bench bench-quick clean

demo: setup
	$(BIN)/lingshu demo

test: setup $(BENCH_STAMP)
	$(BIN)/pytest

# The quick inner loop: skip the marked heavy suites (CI runs everything through `make test`).
test-fast: setup
	$(BIN)/pytest -m "not slow"

setup: system-deps $(STAMP) web

# Front end: ECharts from the npm registry (pinned in package-lock.json), copied with our own
# scripts and styles into src/lingshu/web/dist, which the server serves under /static. Nothing is
# loaded from a CDN at run time. `npm ci` runs only when node_modules is missing or the lock changed.
WEB_SRC  := src/lingshu/web/static
WEB_DIST := src/lingshu/web/dist
NPM_STAMP := node_modules/.lingshu-installed

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NPM_STAMP)

web: $(NPM_STAMP) $(wildcard $(WEB_SRC)/*)
	mkdir -p $(WEB_DIST)
	cp node_modules/echarts/dist/echarts.min.js $(WEB_SRC)/*.js $(WEB_SRC)/*.css $(WEB_SRC)/*.svg $(WEB_DIST)/
	mkdir -p $(WEB_DIST)/swagger
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css $(WEB_DIST)/swagger/

# Debian packages (browser and CJK fonts for dashboards and documents); installed only if missing.
system-deps:
	@scripts/system-deps.sh

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Benchmarks: every script in benchmarks/, figures and baselines into docs/benchmarks.md.
# The baselines (Datasette, Great Expectations, recordlinkage, id-validator) are benchmark-only.

$(BENCH_STAMP): benchmarks/requirements.txt $(STAMP)
	$(BIN)/pip install --quiet -r benchmarks/requirements.txt
	# recordlinkage declares pandas<3 but runs on 3.x: install it without letting it downgrade pandas.
	$(BIN)/pip install --quiet --no-deps recordlinkage==0.16
	touch $(BENCH_STAMP)

bench: setup $(BENCH_STAMP)
	$(BIN)/python benchmarks/run_all.py

# Small sizes in a few minutes: CI runs this (tests/benchmarks) to check the scripts still work.
bench-quick: setup $(BENCH_STAMP)
	$(BIN)/python benchmarks/run_all.py --quick --out build/benchmarks-quick.md

clean:
	rm -rf $(VENV) demo-workspace .pytest_cache node_modules $(WEB_DIST)
