# The interface for people and CI. `make run` and `make test` are all a fresh machine needs.
SHELL := /bin/bash
SWIFT ?= swift
DATABASE_URL ?= ./var/tuodi.sqlite
TUODI_HTTP_ADDRESS ?= 127.0.0.1:8080
PGDATA_DIR ?= $(CURDIR)/.pgdata
BIN := .build/debug/tuodi
# Release builds link Swift's runtime and Foundation into the binary (`--static-swift-stdlib`):
# one file to deploy, and a CLI command starts in about 20 ms instead of 28 (the dynamic loader
# no longer resolves symbols across a dozen Swift libraries). Every release target uses this
# same command, so they share one build.
RELEASE_BUILD := $(SWIFT) build -c release --static-swift-stdlib
# The reference assignment instances, beside the repository (as on CI).
TUODI_BENCH_ASSIGNMENT_DIR ?= $(abspath $(CURDIR)/../shared/bench/assignment)
export DATABASE_URL TUODI_HTTP_ADDRESS TUODI_BENCH_ASSIGNMENT_DIR

.PHONY: help api build release run migrate test test-deps test-browser screenshots fuzz db-up db-down bench bench-match bench-import bench-returns bench-http clean

help:
	@echo "make run      build, migrate ./var/tuodi.sqlite, load demo data when empty, serve on $(TUODI_HTTP_ADDRESS)"
	@echo "make test     every test, on SQLite and on a throwaway PostgreSQL this target starts and stops, the browser suite, then a minute of schemathesis"
	@echo "make fuzz     schemathesis against a running server for FUZZ_SECONDS (default 600)"
	@echo "make screenshots  pictures of the web pages from the demo data into docs/screenshots"
	@echo "make migrate  apply pending migrations to DATABASE_URL"
	@echo "make release  the binary to deploy, .build/release/tuodi (Swift's runtime linked in)"
	@echo "make api      regenerate Sources/TuodiAPI/Generated after editing openapi.yaml"
	@echo "make db-up    start a local PostgreSQL in .pgdata (prints its DATABASE_URL); make db-down stops it"
	@echo "make bench    benchmarks (release build): matching against OR-Tools, import, quarterly returns, HTTP at city scale"
	@echo "make clean    remove build output and the local SQLite database"

build:
	$(SWIFT) build --product tuodi

# The code generated from the contract is committed; this regenerates it with the pinned
# swift-openapi-generator (tools/openapi-generator). A test fails when it is stale.
api:
	scripts/generate-api.sh

# The binary to deploy: .build/release/tuodi.
release:
	$(RELEASE_BUILD) --product tuodi

run: build
	$(BIN) serve --migrate --demo-data

migrate: build
	$(BIN) migrate

# Tests need the PostgreSQL server binaries (installed on these machines; installed here if not)
# and real spreadsheet writers (openpyxl, XlsxWriter from PyPI) for the import fixtures, and
# jsonschema to validate the OCDS export against the vendored OCDS 1.1 release schema, and
# xmllint (libxml2-utils) to validate the quarterly return's XML against reports/quarterly-return.xsd,
# and prometheus_client's text-format parser to read /metrics.
# The browser suite needs Debian's chromium (Playwright's own browser download cannot run here),
# driven by Playwright for Python under pytest.
test-deps:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "installing PostgreSQL server"; apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; }
	@command -v xmllint >/dev/null || { \
	  echo "installing xmllint"; apt-get update -qq && apt-get install -y -qq libxml2-utils >/dev/null; }
	@python3 -c "import openpyxl, xlsxwriter, jsonschema, prometheus_client" 2>/dev/null || pip install -q openpyxl XlsxWriter jsonschema prometheus-client
	@command -v chromium >/dev/null || { \
	  echo "installing chromium"; apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
	@python3 -c "import playwright.sync_api, pytest, axe_playwright_python" 2>/dev/null || pip install -q playwright pytest axe-playwright-python
	@command -v schemathesis >/dev/null || pip install -q schemathesis

# The suites, then schemathesis against a running server for a minute (fixed seed). Each suite
# runs with TMPDIR in a folder of its own that scratch.sh removes afterwards. The deadline tests
# (a database that goes away, a client that stalls) measure seconds on the wall clock, so they
# run after the others, on a machine not busy with sixty suites at once.
test: test-deps
	$(SWIFT) build --build-tests
	scripts/scratch.sh scripts/pg.sh with $(SWIFT) test --skip-build --disable-xctest --skip FailingFastTests
	scripts/scratch.sh $(SWIFT) test --skip-build --disable-xctest --filter FailingFastTests
	$(MAKE) --no-print-directory test-browser
	scripts/fuzz.sh 60

# The web pages in a real browser against a real `tuodi serve`, on SQLite and on a throwaway PostgreSQL.
test-browser:
	scripts/scratch.sh scripts/pg.sh with python3 -m pytest -p no:cacheprovider Tests/Browser

# The README's pictures of the web pages, from the demo data (Noto CJK so the Chinese renders).
screenshots: build test-deps
	@fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || { \
	  echo "installing fonts-noto-cjk"; apt-get update -qq && apt-get install -y -qq fonts-noto-cjk >/dev/null; }
	python3 scripts/screenshots.py docs/screenshots

# A longer schemathesis run: FUZZ_SECONDS (default 600), FUZZ_SEED (default 13).
fuzz: test-deps
	$(SWIFT) build --product tuodi
	scripts/fuzz.sh $${FUZZ_SECONDS:-600} $${FUZZ_SEED:-13}

# Benchmarks print figures; they are never timed tests.
bench: bench-match bench-import bench-returns bench-http

# The matching engine on the reference instances (release build), then OR-Tools' min-cost flow
# on the same files in the same run, as the baseline (installed from PyPI if missing).
bench-match:
	$(RELEASE_BUILD) --product match-bench
	.build/release/match-bench --runs 7 $(TUODI_BENCH_ASSIGNMENT_DIR)
	@python3 -c "import ortools" 2>/dev/null || pip install -q ortools >/dev/null 2>&1 || true
	@if python3 -c "import ortools" 2>/dev/null; then \
	  python3 benchmarks/ortools_baseline.py --runs 5 $(TUODI_BENCH_ASSIGNMENT_DIR); \
	else echo "OR-Tools is not installable here; compare with the published 0.36 s for N=20000 M=300"; fi

# 20,000 estates from an openpyxl-written XLSX through `tuodi import`, on SQLite and on a
# throwaway PostgreSQL, next to each database's own bulk load of the same rows.
bench-import: test-deps
	$(RELEASE_BUILD) --product tuodi
	TUODI_BIN=.build/release/tuodi scripts/pg.sh with python3 benchmarks/import_bench.py

# A city-scale history (tuodi demo generate: 20,000 estates, 10 years) on SQLite and on a throwaway
# PostgreSQL; one unit's quarterly return and the municipal roll-up, each next to one
# hand-written SQL aggregate of the same headline figures.
bench-returns:
	$(RELEASE_BUILD) --product tuodi
	TUODI_BIN=.build/release/tuodi scripts/pg.sh with python3 benchmarks/returns_bench.py

# `tuodi serve` at city scale (20,000 estates, 10 years) on SQLite and on a throwaway PostgreSQL
# that waits for the disk on commit, as a deployment does and as SQLite's writer does (PG_DURABLE=1):
# custody appointments against pgbench's same two-row transaction on the same cluster, read rps
# against /health and the estate GET (wrk), the estate GET's latency while two roll-ups run, and
# RSS with 8 roll-ups at once. HTTP_BENCH_BACKENDS=sqlite runs one backend.
bench-http: test-deps
	@command -v wrk >/dev/null || { \
	  echo "installing wrk"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(RELEASE_BUILD) --product tuodi
	TUODI_BIN=.build/release/tuodi PG_DURABLE=1 scripts/pg.sh with python3 benchmarks/http_bench.py

db-up:
	@scripts/pg.sh up $(PGDATA_DIR)

db-down:
	@scripts/pg.sh down $(PGDATA_DIR)

clean:
	rm -rf .build var
