#!/usr/bin/env python3
"""Import benchmark: a 20,000-row estate XLSX (written by openpyxl) through `tuodi import estates`,
on SQLite and on PostgreSQL, next to a baseline measured in the same run: the same rows loaded
into a bare table by the database's own bulk path (Python's sqlite3 executemany; psql \\copy).

Run it through `make bench-import` (which starts a throwaway PostgreSQL and builds tuodi).
Prints one line per backend: tuodi's time (median of 3), the baseline's, and the ratio; then
the same number of management facts (one per estate, openpyxl-written) through `tuodi import
facts` into the estates just imported (median of 3).
"""
import csv
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROWS = int(os.environ.get("IMPORT_BENCH_ROWS", "20000"))
BIN = os.environ.get("TUODI_BIN", ".build/debug/tuodi")
HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "bench password 123"


def run(args, env, stdin=None):
    r = subprocess.run([BIN] + args, env=env, input=stdin, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"tuodi {' '.join(args)} failed: {r.stderr}")
    return r


def prepare(env):
    run(["migrate"], env)
    run(["user", "add", "--username", "admin", "--display-name", "admin", "--role", "admin"], env, PASSWORD + "\n")
    run(["user", "add", "--as", "admin", "--username", "clerk", "--display-name", "clerk", "--role", "districtClerk",
         "--unit", "310101"], env, PASSWORD + "\n")


FACT_TIMES = {}


def time_import(make_env, xlsx):
    times, facts = [], []
    for _ in range(3):
        env = make_env()
        prepare(env)
        start = time.perf_counter()
        run(["import", "estates", "--as", "clerk", xlsx], env)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        run(["import", "facts", "--as", "clerk", os.path.join(os.path.dirname(xlsx), "facts.xlsx")], env)
        facts.append(time.perf_counter() - start)
    FACT_TIMES[len(FACT_TIMES)] = statistics.median(facts)
    return statistics.median(times)


COLUMNS = "code, name, address, unit, sub_district, category, high_dispute, households, buildings, floor_area, year_built, registered"


def main(work):
    subprocess.run([sys.executable, os.path.join(HERE, "..", "Tests", "Fixtures", "make_import_files.py"), work,
                    "--estates", str(ROWS)], check=True)
    xlsx, csv_path = os.path.join(work, "estates.xlsx"), os.path.join(work, "estates.csv")
    base_env = dict(os.environ, TUODI_LOG_LEVEL="warning", TUODI_BCRYPT_COST="4")
    with open(csv_path, encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))[1:]

    counter = [0]

    def sqlite_env():
        counter[0] += 1
        return dict(base_env, DATABASE_URL=os.path.join(work, f"bench{counter[0]}.sqlite"))

    tuodi_sqlite = time_import(sqlite_env, xlsx)
    baseline = []
    for i in range(3):
        db = sqlite3.connect(os.path.join(work, f"baseline{i}.sqlite"))
        db.execute(f"CREATE TABLE estates ({COLUMNS})")
        start = time.perf_counter()
        with db:
            db.executemany(f"INSERT INTO estates VALUES ({', '.join('?' * 12)})", rows)
        baseline.append(time.perf_counter() - start)
        db.close()
    report("sqlite", tuodi_sqlite, statistics.median(baseline))

    admin_url = os.environ.get("TUODI_TEST_POSTGRES_URL")
    if not admin_url:
        print("postgres: skipped (run through make bench-import, which starts a throwaway PostgreSQL)")
        return
    parsed = urllib.parse.urlparse(admin_url)
    socket_dir = urllib.parse.parse_qs(parsed.query)["host"][0]

    def psql(db, *args):
        subprocess.run(["psql", "-h", socket_dir, "-U", "postgres", "-d", db, "-q", "-v", "ON_ERROR_STOP=1", *args],
                       check=True, capture_output=True)

    def pg_env():
        counter[0] += 1
        name = f"bench{counter[0]}"
        psql("postgres", "-c", f"CREATE DATABASE {name}")
        return dict(base_env, DATABASE_URL=f"postgres://postgres@localhost/{name}?host={socket_dir}")

    tuodi_pg = time_import(pg_env, xlsx)
    baseline = []
    for i in range(3):
        name = f"baseline{i}"
        psql("postgres", "-c", f"CREATE DATABASE {name}")
        psql(name, "-c", f"CREATE TABLE estates ({', '.join(c + ' text' for c in COLUMNS.split(', '))})")
        start = time.perf_counter()
        psql(name, "-c", f"\\copy estates FROM '{csv_path}' WITH (FORMAT csv, HEADER true)")
        baseline.append(time.perf_counter() - start)
    report("postgres", tuodi_pg, statistics.median(baseline))


def report(backend, tuodi, baseline):
    print(f"{backend:9s} {ROWS} rows: tuodi import (read XLSX, validate, check duplicates, insert, audit) "
          f"{tuodi:6.2f} s; bulk-load baseline {baseline:6.3f} s; ratio {tuodi / baseline:5.1f}×")
    print(f"{backend:9s} {ROWS} facts: tuodi import facts (read XLSX, validate, check each estate's history, insert, audit) "
          f"{FACT_TIMES[len(FACT_TIMES) - 1]:6.2f} s")


if __name__ == "__main__":
    # The databases and files of a run (up to 100 MB) go when it ends, however it ends.
    folder = tempfile.mkdtemp(prefix="tuodi-import-bench-")
    try:
        main(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
