#!/usr/bin/env python3
"""HTTP benchmark at city scale (`tuodi demo generate`, 20,000 estates over 10 years), on SQLite
and on PostgreSQL, against the release build of `tuodi serve`. Every figure is printed next to a
baseline measured in the same run:

- custody appointments per second (POST /api/v1/arrangements) with 8 connections (wrk and
  appointments.lua), and the CPU time each takes in the server, in PostgreSQL and in the
  clients; against pgbench
  running the same two-row insert transaction (an arrangement and an audit row) with 8 clients on
  the same PostgreSQL cluster, and against pgbench running it behind the two contended locks an
  appointment takes (the company's row and the audit chain's lock); three runs in a row against
  one company, so the second runs against a company that already holds APPOINTMENTS arrangements
  and the third against one that holds twice as many (flatness with history), after a warm-up
  run against another company;
- read requests per second with 8 connections (wrk): /health, the estate GET, unit coverage and
  year-end coverage, as ratios to the estate GET;
- the web application's 工作台 (`/`) and estate list (`/estates`) for a district clerk: rps, p50
  and p99, next to /health's p50 and p99;
- the roll-up's latency just after a change (computed, not cached) and asked again (cached);
- the estate GET's p50/p99 alone and while two roll-ups run back to back;
- the server's RSS idle, at its peak while 8 roll-ups are asked for at once, and after.

Run it through `make bench-http` (release build, wrk installed if missing, a throwaway PostgreSQL).
HTTP_BENCH_BACKENDS=sqlite (or postgres) runs one backend; HTTP_BENCH_ESTATES, HTTP_BENCH_YEARS
and HTTP_BENCH_SECONDS scale it down for a quick look.
"""
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ESTATES = int(os.environ.get("HTTP_BENCH_ESTATES", "20000"))
YEARS = int(os.environ.get("HTTP_BENCH_YEARS", "10"))
SECONDS = int(os.environ.get("HTTP_BENCH_SECONDS", "10"))
BACKENDS = os.environ.get("HTTP_BENCH_BACKENDS", "sqlite,postgres").split(",")
# 300 a run: the second run books against a company that holds 300 arrangements, and each run
# lasts long enough (half a second and more) that its rate is not mostly noise.
APPOINTMENTS = int(os.environ.get("HTTP_BENCH_APPOINTMENTS", "300"))
CLIENTS = 8
BIN = os.environ.get("TUODI_BIN", ".build/release/tuodi")
PASSWORD = "bench password 123"
UNIT = "310101"
# Each appointment run books every bench estate for two months; the runs follow one another.
TERMS = [("2027-01-01", "2027-02-28"), ("2027-03-01", "2027-04-30"), ("2027-05-01", "2027-06-30")]
WARM_UP, WARM_UP_TERM = min(100, APPOINTMENTS), ("2027-07-01", "2027-08-31")
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(body):
    """A USCC with its GB 32100 check character."""
    s = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS))
    return body + ALPHABET[(31 - s % 31) % 31]


def cli(args, env, stdin=None):
    r = subprocess.run([BIN] + args, env=env, input=stdin, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"tuodi {' '.join(args)} failed: {r.stderr}")
    return r.stdout


class Client:
    """One keep-alive HTTP connection."""

    def __init__(self, port, token=None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        self.token = token

    def call(self, method, path, body=None):
        headers = {"content-type": "application/json"}
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        self.conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        r = self.conn.getresponse()
        data = r.read()
        return r.status, data


def login(port, username):
    status, data = Client(port).call("POST", "/api/v1/auth/login", {"username": username, "password": PASSWORD})
    assert status == 200, (status, data)
    return json.loads(data)["token"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def wrk(port, path, token, seconds=SECONDS, connections=CLIENTS, cookie=False):
    """Requests per second, p50 and p99 in ms; warns of any answer that is not 2xx. With `cookie`
    the token goes in the web application's session cookie instead of a bearer header."""
    header = f"Cookie: tuodi_session={token}" if cookie else f"Authorization: Bearer {token}"
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", header,
                          f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(label):
        m = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if bad:
        total = int(re.search(r"(\d+) requests in", out).group(1))
        print(f"  warning: {path}: {int(bad.group(1))} of {total} answers were not 2xx", flush=True)
    return rps, ms("50%"), ms("99%")


def prepare(env):
    cli(["migrate"], env)
    start = time.perf_counter()
    cli(["demo", "generate", "--estates", str(ESTATES), "--years", str(YEARS), "--through", "2026-12-31"], env)
    generated = time.perf_counter() - start
    cli(["user", "add", "--username", "admin", "--display-name", "admin", "--role", "admin"], env, PASSWORD + "\n")
    for name, role, unit in [("b.clerk", "districtClerk", UNIT), ("b.approver", "districtApprover", UNIT),
                             ("analyst", "municipalAnalyst", None)]:
        cli(["user", "add", "--as", "admin", "--username", name, "--display-name", name, "--role", role]
            + (["--unit", unit] if unit else []), env, PASSWORD + "\n")
    company, warm_up = uscc("91310101MABENCH00"), uscc("91310101MABENCH01")
    for c, name in ((company, "基准测试物业有限公司"), (warm_up, "基准预热物业有限公司")):
        cli(["company", "add", "--as", "admin", "--uscc", c, "--name", name, "--ownership", "private"], env)
    recorded = json.loads(cli(["pool", "record-admission", "--as", "b.clerk", "--unit", UNIT, "--decided-on", "2026-06-01",
                               "--document", "基准〔2026〕1号", "--company", f"{company}:{APPOINTMENTS + 10}:2029-05-31",
                               "--company", f"{warm_up}:{APPOINTMENTS + 10}:2029-05-31", "--format", "json"], env))
    for application in recorded["applications"]:
        cli(["pool", "decide", "--as", "b.approver", "--application", str(application["id"]), "--approve"], env)
    return company, warm_up, generated


def serve(env):
    port = free_port()
    server = subprocess.Popen([BIN, "serve"], env=dict(env, TUODI_HTTP_ADDRESS=f"127.0.0.1:{port}"),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            if Client(port).call("GET", "/health")[0] == 200:
                return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    sys.exit("tuodi serve did not come up")


def bench_estates(port, clerk):
    """Registers the estates the appointments book, unmanaged since 2026-11-01."""
    c = Client(port, clerk)
    codes = []
    for i in range(APPOINTMENTS):
        code = f"BENCH-{i:04d}"
        status, data = c.call("POST", "/api/v1/estates", {
            "code": code, "name": f"基准小区{i}", "address": f"基准路{i}号", "unit": UNIT, "subDistrict": "基准街道",
            "category": "directPublic", "households": 100, "buildings": 3, "floorArea": 5000})
        assert status in (200, 201), (status, data)
        status, data = c.call("POST", f"/api/v1/estates/{code}/facts", {"kind": "becameUnmanaged", "date": "2026-11-01", "reason": "other"})
        assert status in (200, 201), (status, data)
        codes.append(code)
    return codes


def appointments(port, clerk, company, codes, term):
    """Appointments per second: wrk with CLIENTS connections on 2 threads (appointments.lua),
    each estate booked once, from the first request sent to the last answer."""
    start_day, end_day = term
    assert codes == [f"BENCH-{i:04d}" for i in range(len(codes))], "appointments.lua books the estates by number"
    threads = 2
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "done")
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "appointments.lua")
        wrk = subprocess.Popen(["wrk", f"-t{threads}", f"-c{CLIENTS}", "-d600s", "-s", script, f"http://127.0.0.1:{port}",
                                "--", clerk, company, start_day, end_day, str(len(codes)), str(threads), out],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        reports = [f"{out}.{k}" for k in range(threads)]
        while not all(os.path.exists(r) for r in reports):
            if wrk.poll() is not None:
                sys.exit(f"wrk ended before the appointments were answered: {wrk.stderr.read()}")
            time.sleep(0.01)
        wrk.kill()
        wrk.wait()
        lines = [open(r).read().split("\n", 1) for r in reports]
    figures = [[float(x) for x in head.split()] for head, _ in lines]
    created, refused = sum(f[0] for f in figures), sum(f[1] for f in figures)
    if refused:
        sys.exit(f"{refused:.0f} appointments refused, e.g. {' / '.join(rest.strip() for _, rest in lines)[:400]}")
    assert created == len(codes), (created, len(codes))
    return created / (max(f[3] for f in figures) - min(f[2] for f in figures))


def pgbench(socket_dir, database):
    """pgbench's TPS for the same two-row insert transaction, 8 clients, on copies of the tables:
    as it stands (the target's baseline; each commit waits for the disk, as SQLite's write
    connection's does: `make bench-http` starts its cluster with PG_DURABLE=1), and with the two contended locks an appointment must
    take (the company's row, for its capacity, and the audit chain's lock, both held until
    commit; here all clients book one company, as the appointments do; the estate's row lock is
    left out, each appointment having an estate of its own), which is what PostgreSQL itself
    allows writers that have to queue. The advisory key differs from the application's so that
    the run cannot wait for a server on the same cluster. Third, the plain transaction again without
    waiting for the disk (synchronous_commit=off), for comparison with a cluster that does not
    flush (the tests' own)."""
    psql = ["psql", "-h", socket_dir, "-U", "postgres", "-d", database, "-q", "-v", "ON_ERROR_STOP=1", "-c"]
    # The columns and indexes of arrangements and audit_log (migrations 0002, 0006), without the
    # foreign keys, so that the same cluster serves as baseline for the SQLite run as well.
    subprocess.run(psql + ["""
        DROP TABLE IF EXISTS pgb_arrangements, pgb_audit, pgb_company; DROP SEQUENCE IF EXISTS pgb_seq;
        CREATE TABLE pgb_arrangements (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, estate_id BIGINT NOT NULL, unit TEXT NOT NULL, kind TEXT NOT NULL,
            provider_uscc TEXT, start_date TEXT NOT NULL, planned_end TEXT, status TEXT NOT NULL, justification TEXT,
            proposed_by TEXT NOT NULL, created_at TEXT NOT NULL);
        CREATE INDEX ON pgb_arrangements (estate_id, start_date);
        CREATE INDEX ON pgb_arrangements (provider_uscc, unit, start_date);
        CREATE INDEX ON pgb_arrangements (unit, status);
        CREATE TABLE pgb_audit (
            seq BIGINT PRIMARY KEY, recorded_at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, entity TEXT NOT NULL,
            entity_id TEXT NOT NULL, unit TEXT, reason TEXT, before_json TEXT, after_json TEXT, prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL);
        CREATE INDEX ON pgb_audit (entity, entity_id);
        CREATE INDEX ON pgb_audit (actor);
        CREATE SEQUENCE pgb_seq;
        CREATE TABLE pgb_company (uscc TEXT PRIMARY KEY);
        INSERT INTO pgb_company VALUES ('91310101MABENCH00X');"""], check=True, capture_output=True)
    insert_arrangement = """INSERT INTO pgb_arrangements (estate_id, unit, kind, provider_uscc, start_date, planned_end, status, justification, proposed_by, created_at)
VALUES (:estate, '310101', 'custody', '91310101MABENCH00X', '2027-01-01', '2027-02-28', 'proposed', '基准测试：原物业撤场', 'b.clerk', now()::text);
"""
    insert_audit = """INSERT INTO pgb_audit (seq, recorded_at, actor, action, entity, entity_id, unit, reason, before_json, after_json, prev_hash, hash)
VALUES (nextval('pgb_seq'), now()::text, 'b.clerk', 'arrangement.propose', 'arrangement', :estate, '310101', '基准测试',
        NULL, '{"id": 1}', md5(random()::text), md5(random()::text));
"""
    plain = "\\set estate random(1, 20000)\nBEGIN;\n" + insert_arrangement + insert_audit + "COMMIT;\n"
    locked = ("\\set estate random(1, 20000)\nBEGIN;\nSELECT uscc FROM pgb_company WHERE uscc = '91310101MABENCH00X' FOR UPDATE;\n"
              + insert_arrangement + "SELECT pg_advisory_xact_lock(7261002);\n" + insert_audit + "COMMIT;\n")
    pg_bin = sorted(d for d in os.listdir("/usr/lib/postgresql"))[-1]
    durable = subprocess.run(psql[:-1] + ["-Atc", "SELECT current_setting('fsync') || current_setting('synchronous_commit')"],
                             capture_output=True, text=True, check=True).stdout.strip() == "onon"
    results = []
    for text, options in ((plain, ""), (locked, ""), (plain, "-c synchronous_commit=off")):
        script = tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False)
        script.write(text)
        script.close()
        out = subprocess.run([f"/usr/lib/postgresql/{pg_bin}/bin/pgbench", "-h", socket_dir, "-U", "postgres", "-n", "-c", str(CLIENTS),
                              "-j", "2", "-T", str(SECONDS), "-f", script.name, database], capture_output=True, text=True, check=True,
                             env=dict(os.environ, PGOPTIONS=options)).stdout
        os.unlink(script.name)
        results.append(float(re.search(r"tps = ([\d.]+)", out).group(1)))
    subprocess.run(psql + ["DROP TABLE pgb_arrangements, pgb_audit, pgb_company; DROP SEQUENCE pgb_seq;"], check=True, capture_output=True)
    return results + [durable]


def rollups_while(port, analyst, count, during):
    """Runs `count` roll-up loops (each asks again as soon as it is answered) while `during()` runs."""
    stop, answered, statuses = threading.Event(), [0], []

    def loop():
        c = Client(port, analyst)
        while not stop.is_set():
            status, _ = c.call("GET", "/api/v1/returns/2026/4/rollup")
            statuses.append(status)
            answered[0] += 1

    threads = [threading.Thread(target=loop) for _ in range(count)]
    for t in threads:
        t.start()
    time.sleep(1)   # let both roll-ups get going first
    result = during()
    stop.set()
    for t in threads:
        t.join()
    return result, answered[0], statuses


def concurrent_rollups(port, analyst, pid, count=CLIENTS):
    """Peak RSS while `count` roll-ups are asked for at once, and their statuses."""
    statuses, peak, done = [], [0], threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss_kb(pid))
            time.sleep(0.05)

    def one():
        statuses.append(Client(port, analyst).call("GET", "/api/v1/returns/2026/4/rollup")[0])

    sampler = threading.Thread(target=sample)
    sampler.start()
    threads = [threading.Thread(target=one) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    sampler.join()
    return peak[0], statuses


def rollup_after_changes(port, clerk, analyst, times=11):
    """The roll-up's latency when a change has just moved the audit head (so it is computed, not
    served from the report cache): p50 and max in ms; and asked again at once (cached): p50."""
    c, a = Client(port, clerk), Client(port, analyst)
    cold, cached = [], []
    for i in range(times):
        status, data = c.call("POST", "/api/v1/estates", {
            "code": f"ROLLUP-{i:02d}", "name": f"汇总基准{i}", "address": f"汇总路{i}号", "unit": UNIT, "subDistrict": "基准街道",
            "category": "directPublic", "households": 10, "buildings": 1, "floorArea": 500})
        assert status in (200, 201), (status, data)
        for sink in (cold, cached):
            began = time.perf_counter()
            status, _ = a.call("GET", "/api/v1/returns/2026/4/rollup")
            sink.append((time.perf_counter() - began) * 1000)
            assert status == 200, status
    return statistics.median(cold), max(cold), statistics.median(cached)


def load():
    return open("/proc/loadavg").read().split()[0]


def proc_stat(pid):
    """The fields of /proc/PID/stat after the command name: [0] state, [1] parent, [11] user and
    [12] system CPU time in clock ticks."""
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()


def thread_cpu_seconds(pid):
    """CPU seconds the process's live threads have run, to the nanosecond (schedstat), where
    /proc's user and system times count 10 ms ticks: a run of 300 appointments takes about 0.2 s."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total / 1e9


def cpu_seconds(pids):
    """User and system CPU seconds the processes have used so far (one that has exited counts 0)."""
    total = 0
    for pid in pids:
        try:
            fields = proc_stat(pid)
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / os.sysconf("SC_CLK_TCK")


def cluster_pids(socket_dir):
    """The PostgreSQL cluster whose folder is socket_dir (pg.sh): its postmaster and the
    postmaster's children, one backend per connection among them."""
    with open(os.path.join(socket_dir, "postmaster.pid")) as f:
        postmaster = int(f.readline())
    children = []
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and int(proc_stat(entry)[1]) == postmaster:
                children.append(int(entry))
        except OSError:
            pass
    return [postmaster] + children


def bench(backend, env, pg=None):
    company, warm_up, generated = prepare(env)
    server, port = serve(env)
    try:
        pid = server.pid
        clerk, analyst = login(port, "b.clerk"), login(port, "analyst")
        print(f"{backend}: {ESTATES} estates, {YEARS} years (generated in {generated:.0f} s); load average {load()}", flush=True)
        idle = rss_kb(pid)

        codes = bench_estates(port, clerk)
        # A warm-up run first, against another company in a later term (run 1's company still
        # holds nothing): the server's connections open and prepare their statements, which run 1
        # would otherwise pay alone (without it, run 1 reached 0.70× the rate of runs 2 and 3 on
        # PostgreSQL).
        warm = appointments(port, clerk, warm_up, codes[:WARM_UP], WARM_UP_TERM)
        # CPU time per appointment, steadier than the rate on a busy machine: the server's, the
        # cluster's (the PostgreSQL backend only) and the clients' (wrk, a child of this process).
        # The backends are listed after the warm-up, which opened most of them: one opened
        # since would count its whole life in the runs' time.
        cluster = cluster_pids(pg[0]) if backend == "postgres" else []
        before = (cpu_seconds([pid]), cpu_seconds(cluster), sum(os.times()[:4]))
        # Each run's server CPU per appointment too: a run takes a fraction of a second here, so
        # its rate moves with the machine's load; its CPU time much less (flatness with history).
        runs, run_cpu = [], []
        for term in TERMS:
            server_before = thread_cpu_seconds(pid)
            runs.append(appointments(port, clerk, company, codes, term))
            run_cpu.append((thread_cpu_seconds(pid) - server_before) * 1000 / len(codes))
        cluster = cluster_pids(pg[0]) if backend == "postgres" else []
        used = [(now - then) * 1000 / (len(codes) * len(TERMS))
                for now, then in zip((cpu_seconds([pid]), cpu_seconds(cluster), sum(os.times()[:4])), before)]
        base = pgbench(*pg) if pg else None
        line = f"  appointments/s, 8 connections (after {WARM_UP} to warm up at {warm:.0f}/s): " + ", ".join(f"{r:.0f}" for r in runs)
        line += (f" (run 2 against {APPOINTMENTS} held: {runs[1] / runs[0]:.2f}× run 1; "
                 f"run 3 against {2 * APPOINTMENTS}: {runs[2] / runs[0]:.2f}×)")
        if base:
            line += (f"; pgbench same two-row transaction{'' if base[3] else ' (NOT waiting for the disk: fsync or synchronous_commit off)'} {base[0]:.0f} tps: "
                     f"{runs[0] / base[0]:.3f}×; with the company's and the chain's locks {base[1]:.0f} tps: {runs[0] / base[1]:.3f}×"
                     f"; without waiting for the disk (synchronous_commit=off) {base[2]:.0f} tps: {runs[0] / base[2]:.3f}×")
        print(line, flush=True)
        print(f"  server CPU per appointment by run: " + ", ".join(f"{c:.2f}" for c in run_cpu)
              + f" ms (run 3 against run 1: {run_cpu[2] / run_cpu[0]:.2f}×)", flush=True)
        # The rate this machine's cores could carry at that CPU cost if nothing ever waited (for
        # a lock, the disk or a round trip): no change that leaves it as it is can go faster.
        cores = len(os.sched_getaffinity(0))
        ceiling = cores * 1000 / sum(used)
        print(f"  CPU per appointment: server {used[0]:.2f} ms" + (f", PostgreSQL {used[1]:.2f} ms" if backend == "postgres" else "")
              + f", the clients (wrk) {used[2]:.2f} ms; with nothing waiting, {cores} cores carry at most {ceiling:.0f}/s"
              + (f" ({ceiling / base[0]:.3f}× pgbench's two-row transaction)" if base else ""), flush=True)

        estate = codes[0]
        health = wrk(port, "/health", clerk)
        get = wrk(port, f"/api/v1/estates/{estate}", clerk)
        coverage = wrk(port, f"/api/v1/coverage?unit={UNIT}", clerk)
        year_end = wrk(port, f"/api/v1/coverage/year-end?year=2026&unit={UNIT}", clerk)
        print(f"  rps, 8 connections: /health {health[0]:.0f}; estate GET {get[0]:.0f} (p50 {get[1]:.1f} ms, p99 {get[2]:.1f} ms), "
              f"{get[0] / health[0]:.3f}× /health", flush=True)
        print(f"  coverage {coverage[0]:.1f} rps: {coverage[0] / get[0]:.3f}× estate GET; year-end {year_end[0]:.1f} rps: "
              f"{year_end[0] / get[0]:.3f}× estate GET; load average {load()}", flush=True)

        # The web application's 工作台 and estate list (the clerk's first pages), next to /health.
        # A session that had expired would be a 303 to /login, which wrk counts as success: check first.
        for path, marker in (("/", "工作台"), ("/estates", "小区")):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            conn.request("GET", path, headers={"Cookie": f"tuodi_session={clerk}"})
            r = conn.getresponse()
            body = r.read().decode()
            assert r.status == 200 and marker in body, (path, r.status)
        dashboard = wrk(port, "/", clerk, cookie=True)
        estate_list = wrk(port, "/estates", clerk, cookie=True)
        print(f"  web pages, 8 connections: 工作台 {dashboard[0]:.0f} rps, p50 {dashboard[1]:.1f} ms, p99 {dashboard[2]:.1f} ms; "
              f"estate list {estate_list[0]:.0f} rps, p50 {estate_list[1]:.1f} ms, p99 {estate_list[2]:.1f} ms; "
              f"/health p50 {health[1]:.2f} ms, p99 {health[2]:.2f} ms; load average {load()}", flush=True)

        cold, cold_max, cached = rollup_after_changes(port, clerk, analyst)
        print(f"  roll-up just after a change: p50 {cold:.0f} ms, max {cold_max:.0f} ms; asked again (cached): p50 {cached:.1f} ms",
              flush=True)

        during, answered, statuses = rollups_while(port, analyst, 2, lambda: wrk(port, f"/api/v1/estates/{estate}", clerk))
        print(f"  estate GET while 2 roll-ups run: {during[0]:.0f} rps, p50 {during[1]:.1f} ms, p99 {during[2]:.1f} ms "
              f"(alone: p50 {get[1]:.1f} ms, p99 {get[2]:.1f} ms); {answered} roll-ups answered "
              f"({', '.join(f'{s}: {statuses.count(s)}' for s in sorted(set(statuses)))}); load average {load()}", flush=True)

        peak, statuses = concurrent_rollups(port, analyst, pid)
        time.sleep(2)
        print(f"  RSS: idle {idle / 1024:.0f} MB, peak with 8 roll-ups asked at once {peak / 1024:.0f} MB, "
              f"after {rss_kb(pid) / 1024:.0f} MB (statuses {sorted(statuses)})", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=60)


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (make bench-http installs it)")
    work = tempfile.mkdtemp(prefix="tuodi-http-bench-")
    base_env = dict(os.environ, TUODI_LOG_LEVEL="warning", TUODI_BCRYPT_COST="4")
    admin_url = os.environ.get("TUODI_TEST_POSTGRES_URL")
    socket_dir = urllib.parse.parse_qs(urllib.parse.urlparse(admin_url).query)["host"][0] if admin_url else None
    if "sqlite" in BACKENDS:
        bench("sqlite", dict(base_env, DATABASE_URL=os.path.join(work, "bench.sqlite")),
              pg=(socket_dir, "postgres") if socket_dir else None)
    if "postgres" in BACKENDS:
        if not socket_dir:
            print("postgres: skipped (run through make bench-http, which starts a throwaway PostgreSQL)")
            return
        subprocess.run(["psql", "-h", socket_dir, "-U", "postgres", "-d", "postgres", "-q", "-c", "CREATE DATABASE http_bench"],
                       check=True, capture_output=True)
        bench("postgres", dict(base_env, DATABASE_URL=f"postgres://postgres@localhost/http_bench?host={socket_dir}"),
              pg=(socket_dir, "http_bench"))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
