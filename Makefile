# The interface for people and CI. `make run` and `make test` are all a fresh machine needs.
SHELL := /bin/bash
SWIFT ?= swift
DATABASE_URL ?= ./var/tuodi.sqlite
TUODI_HTTP_ADDRESS ?= 127.0.0.1:8080
PGDATA_DIR ?= $(CURDIR)/.pgdata
BIN := .build/debug/tuodi
export DATABASE_URL TUODI_HTTP_ADDRESS

.PHONY: help build run migrate test test-deps db-up db-down bench bench-match clean

help:
	@echo "make run      build, migrate ./var/tuodi.sqlite, load demo data when empty, serve on $(TUODI_HTTP_ADDRESS)"
	@echo "make test     every test, on SQLite and on a throwaway PostgreSQL this target starts and stops"
	@echo "make migrate  apply pending migrations to DATABASE_URL"
	@echo "make db-up    start a local PostgreSQL in .pgdata (prints its DATABASE_URL); make db-down stops it"
	@echo "make bench    benchmarks (release build)"
	@echo "make clean    remove build output and the local SQLite database"

build:
	$(SWIFT) build --product tuodi

run: build
	$(BIN) serve --migrate --demo-data

migrate: build
	$(BIN) migrate

# Tests need the PostgreSQL server binaries (installed on these machines; installed here if not).
test-deps:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "installing PostgreSQL server"; apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; }

test: test-deps
	$(SWIFT) build --build-tests
	scripts/pg.sh with $(SWIFT) test --skip-build --disable-xctest

db-up:
	@scripts/pg.sh up $(PGDATA_DIR)

db-down:
	@scripts/pg.sh down $(PGDATA_DIR)

clean:
	rm -rf .build var
