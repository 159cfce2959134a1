#!/usr/bin/env python3
"""OR-Tools SimpleMinCostFlow baseline for the capacitated assignment instances.

Builds source -> estate (cap 1, cost 0), estate -> company (cap 1, edge cost),
company -> sink (cap cap_j, cost 0), supply N at the source and -N at the sink, and
times model build + solve (parsing excluded), median of R runs (default 5).
If the instance is infeasible, falls back to SolveMaxFlowWithMinCost.

Usage: python3 benchmarks/ortools_baseline.py [--runs R] [FILE_OR_DIR ...]
Default directory: $TUODI_BENCH_ASSIGNMENT_DIR or ../shared/bench/assignment.
"""
import argparse, glob, json, os, statistics, sys, time

import numpy as np
from ortools.graph.python import min_cost_flow


def read_instance(path):
    """Minimal format-v1 reader (numpy arrays); not timed."""
    n = m = k = None
    cap = None
    ei, ej, ec = [], [], []
    with open(path) as f:
        for line in f:
            t = line.split()
            if not t or t[0] == "c":
                continue
            if t[0] == "p":
                n, m, k = int(t[1]), int(t[2]), int(t[3])
                cap = np.zeros(m, dtype=np.int64)
            elif t[0] == "m":
                cap[int(t[1])] = int(t[4])
            elif t[0] == "a":
                ei.append(int(t[1])); ej.append(int(t[2])); ec.append(int(t[3]))
    return n, m, cap, np.array(ei, np.int64), np.array(ej, np.int64), np.array(ec, np.int64)


def build_and_solve(n, m, cap, ei, ej, ec):
    smcf = min_cost_flow.SimpleMinCostFlow()
    source, sink = n + m, n + m + 1
    # Vectorised arc creation (as fast as the Python API allows).
    tails = np.concatenate([np.full(n, source), ei, n + np.arange(m)])
    heads = np.concatenate([np.arange(n), n + ej, np.full(m, sink)])
    caps = np.concatenate([np.ones(n, np.int64), np.ones(len(ei), np.int64), cap])
    costs = np.concatenate([np.zeros(n, np.int64), ec, np.zeros(m, np.int64)])
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    smcf.set_node_supply(source, n)
    smcf.set_node_supply(sink, -n)
    status = smcf.solve()
    if status != smcf.OPTIMAL:
        status = smcf.solve_max_flow_with_min_cost()
    return status, smcf.optimal_cost(), smcf.maximum_flow()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("paths", nargs="*")
    a = ap.parse_args()
    paths = a.paths or [os.environ.get("TUODI_BENCH_ASSIGNMENT_DIR", "../shared/bench/assignment")]
    files = []
    for p in paths:
        files += sorted(glob.glob(os.path.join(p, "inst_*.txt"))) if os.path.isdir(p) else [p]
    print(f"{'instance':30} {'N':>6} {'M':>4} {'cost':>10} {'optimal':>10} {'match':>5} {'median ms':>10} {'min ms':>8}")
    for path in files:
        n, m, cap, ei, ej, ec = read_instance(path)
        exp_path = os.path.join(os.path.dirname(path), "EXPECTED.json")
        optimal = None
        if os.path.exists(exp_path):
            optimal = json.load(open(exp_path)).get(os.path.basename(path), {}).get("optimal_cost")
        times, cost = [], None
        for _ in range(a.runs):
            t0 = time.perf_counter()
            status, cost, flow = build_and_solve(n, m, cap, ei, ej, ec)
            times.append(time.perf_counter() - t0)
        match = "-" if optimal is None else ("yes" if cost == optimal else "NO")
        print(f"{os.path.basename(path):30} {n:>6} {m:>4} {cost:>10} {str(optimal or '-'):>10} {match:>5} "
              f"{statistics.median(times) * 1000:>10.1f} {min(times) * 1000:>8.1f}"
              + ("" if flow == n else f"  (max flow {flow} < N)"))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
