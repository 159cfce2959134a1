#!/usr/bin/env python3
"""Quarterly-return benchmark: a city-scale history (`tuodi demo generate`, 20,000 estates over 10
years) on SQLite and on PostgreSQL; then the time of one unit's return (`tuodi return show`) and
of the municipal roll-up (`tuodi return rollup`), each next to a baseline measured in the same
run: one hand-written SQL aggregate of the same headline figures (estates newly unmanaged in the
year to date, and how many of them are covered on the quarter's last day), run by the
database's own command-line client (sqlite3, psql), so both sides pay a process start.

Run it through `make bench-returns` (which builds tuodi in release mode and starts a throwaway
PostgreSQL). Prints medians of 9 interleaved runs and the ratios.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

ESTATES = int(os.environ.get("RETURNS_BENCH_ESTATES", "20000"))
YEARS = int(os.environ.get("RETURNS_BENCH_YEARS", "10"))
RUNS = 9
BIN = os.environ.get("TUODI_BIN", ".build/release/tuodi")
PASSWORD = "bench password 123"
YEAR, QUARTER, J, E = 2026, 4, "2026-01-01", "2026-12-31"
UNIT = "310101"


def run(args, env, stdin=None):
    r = subprocess.run([BIN] + args, env=env, input=stdin, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"tuodi {' '.join(args)} failed: {r.stderr}")
    return r


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def interleaved(**commands):
    """The median time of each command over RUNS rounds, one run of each per round, so that a
    change in the machine's load during the bench falls on every command alike and not on
    whichever happened to run in a block of its own."""
    times = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, fn in commands.items():
            times[name].append(timed(fn))
    return {name: statistics.median(ts) for name, ts in times.items()}


# The headline figures in one statement: estates whose current facts start an episode in [J, E]
# (a becameUnmanaged fact, or the day after a regularEnded fact), and of those the ones an
# approved arrangement covers on E or that a regular company manages again by E. One pass of
# hash aggregates and joins, no correlated subqueries. It ignores episodes that begin when an
# arrangement ends, which the real return counts: a speed baseline, not a reference answer.
def headline_sql(unit):
    where_unit = f"AND e.unit = '{unit}'" if unit else ""
    return f"""
WITH live AS (
  SELECT f.estate_id, f.kind, f.effective_date AS d FROM management_facts f
  LEFT JOIN management_facts s ON s.supersedes = f.id
  WHERE f.kind <> 'retraction' AND s.id IS NULL
), per AS (
  SELECT estate_id,
         max(CASE WHEN (kind = 'becameUnmanaged' AND d BETWEEN '{J}' AND '{E}')
                    OR (kind = 'regularEnded' AND d BETWEEN '2025-12-31' AND '2026-12-30') THEN 1 ELSE 0 END) AS newly,
         max(CASE WHEN kind IN ('becameUnmanaged', 'regularEnded') AND d <= '{E}' THEN d END) AS left_on,
         max(CASE WHEN kind = 'regularBegan' AND d <= '{E}' THEN d END) AS hired_on
  FROM live GROUP BY estate_id
), covered AS (
  SELECT DISTINCT estate_id FROM arrangements
  WHERE status IN ('active', 'ended') AND start_date <= '{E}' AND coalesce(ended_on, planned_end, '9999-12-31') >= '{E}'
)
SELECT count(*), sum(CASE WHEN c.estate_id IS NOT NULL OR p.hired_on > p.left_on THEN 1 ELSE 0 END)
FROM per p JOIN estates e ON e.id = p.estate_id LEFT JOIN covered c ON c.estate_id = p.estate_id
WHERE p.newly = 1 {where_unit};
"""


def prepare(env):
    run(["migrate"], env)
    start = time.perf_counter()
    run(["demo", "generate", "--estates", str(ESTATES), "--years", str(YEARS), "--through", E], env)
    generated = time.perf_counter() - start
    run(["user", "add", "--username", "admin", "--display-name", "admin", "--role", "admin"], env, PASSWORD + "\n")
    run(["user", "add", "--as", "admin", "--username", "analyst", "--display-name", "analyst", "--role", "municipalAnalyst"],
        env, PASSWORD + "\n")
    return generated


def bench(backend, env, baseline_cmd):
    generated = prepare(env)
    m = interleaved(
        startup=lambda: run(["district", "list"], env),
        unit=lambda: run(["return", "show", "--as", "analyst", "--unit", UNIT, "--year", str(YEAR), "--quarter", str(QUARTER),
                          "--format", "json"], env),
        base_unit=lambda: subprocess.run(baseline_cmd(headline_sql(UNIT)), check=True, capture_output=True),
        city=lambda: run(["return", "rollup", "--as", "analyst", "--year", str(YEAR), "--quarter", str(QUARTER), "--format", "json"], env),
        base_city=lambda: subprocess.run(baseline_cmd(headline_sql(None)), check=True, capture_output=True))
    startup, unit, city, base_unit, base_city = m["startup"], m["unit"], m["city"], m["base_unit"], m["base_city"]
    print(f"{backend:9s} {ESTATES} estates, {YEARS} years (generated in {generated:5.1f} s); tuodi process start {startup * 1000:5.0f} ms")
    print(f"{'':9s} unit return   {unit:6.3f} s; SQL aggregate {base_unit:6.3f} s; ratio {unit / base_unit:5.1f}×")
    print(f"{'':9s} city roll-up  {city:6.3f} s; SQL aggregate {base_city:6.3f} s; ratio {city / base_city:5.1f}×")


def main(work):
    base_env = dict(os.environ, TUODI_LOG_LEVEL="warning", TUODI_BCRYPT_COST="4")
    path = os.path.join(work, "bench.sqlite")
    bench("sqlite", dict(base_env, DATABASE_URL=path), lambda sql: ["sqlite3", path, sql])

    admin_url = os.environ.get("TUODI_TEST_POSTGRES_URL")
    if not admin_url:
        print("postgres: skipped (run through make bench-returns, which starts a throwaway PostgreSQL)")
        return
    socket_dir = urllib.parse.parse_qs(urllib.parse.urlparse(admin_url).query)["host"][0]
    subprocess.run(["psql", "-h", socket_dir, "-U", "postgres", "-d", "postgres", "-q", "-c", "CREATE DATABASE returns_bench"],
                   check=True, capture_output=True)
    env = dict(base_env, DATABASE_URL=f"postgres://postgres@localhost/returns_bench?host={socket_dir}")
    bench("postgres", env, lambda sql: ["psql", "-h", socket_dir, "-U", "postgres", "-d", "returns_bench", "-q", "-A", "-t", "-c", sql])


if __name__ == "__main__":
    # The databases and files of a run (up to 100 MB) go when it ends, however it ends.
    folder = tempfile.mkdtemp(prefix="tuodi-returns-bench-")
    try:
        main(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
