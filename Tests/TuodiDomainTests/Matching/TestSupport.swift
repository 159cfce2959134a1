@testable import TuodiDomain

/// The domain's seeded generator, so randomized tests are reproducible everywhere.
typealias SplitMix64 = SeededGenerator

extension SeededGenerator {
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
}

/// Random instance: each estate gets up to `maxDegree` edges (duplicates possible).
func randomProblem(_ rng: inout SplitMix64, maxEstates: Int, maxCompanies: Int, maxDegree: Int,
                   maxCapacity: Int, costs: ClosedRange<Int>) -> AssignmentProblem {
    let n = rng.int(0...maxEstates)
    let m = rng.int(1...maxCompanies)
    let caps = (0..<m).map { _ in rng.int(0...maxCapacity) }
    var edges: [AssignmentEdge] = []
    for i in 0..<n {
        for _ in 0..<rng.int(0...maxDegree) {
            edges.append(AssignmentEdge(estate: i, company: rng.int(0...(m - 1)), cost: rng.int(costs)))
        }
    }
    return AssignmentProblem(estateCount: n, capacities: caps, edges: edges)
}

/// Cheapest cost per (estate, company) over usable edges (capacity > 0).
func cheapestEdges(_ p: AssignmentProblem) -> [[Int: Int]] {
    var best = [[Int: Int]](repeating: [:], count: p.estateCount)
    for e in p.edges where p.capacities[e.company] > 0 {
        best[e.estate][e.company] = min(best[e.estate][e.company] ?? Int.max, e.cost)
    }
    return best
}

/// Checks that `s` is a feasible solution of `p` with consistent bookkeeping; returns a
/// description of the first problem found, or nil.
func feasibilityProblem(_ p: AssignmentProblem, _ s: AssignmentSolution) -> String? {
    let best = cheapestEdges(p)
    guard s.companyOfEstate.count == p.estateCount else { return "wrong length" }
    var load = [Int](repeating: 0, count: p.companyCount)
    var total = 0
    var unplacedExpected: [UnplacedEstate] = []
    for i in 0..<p.estateCount {
        if let j = s.companyOfEstate[i] {
            guard let c = best[i][j] else { return "estate \(i) on company \(j) without an edge" }
            load[j] += 1
            total += c
        } else {
            unplacedExpected.append(UnplacedEstate(estate: i, reason: best[i].isEmpty ? .noEligibleCompany : .insufficientCapacity))
        }
    }
    for j in 0..<p.companyCount where load[j] > p.capacities[j] { return "company \(j) over capacity" }
    if total != s.totalCost { return "totalCost \(s.totalCost) but edges sum to \(total)" }
    if unplacedExpected != s.unplaced { return "unplaced list mismatch" }
    if s.isComplete != unplacedExpected.isEmpty { return "isComplete mismatch" }
    return nil
}

/// Exhaustive search: (max placed count, min cost among those). Tiny instances only.
func bruteForce(_ p: AssignmentProblem) -> (placed: Int, cost: Int) {
    let best = cheapestEdges(p).map { $0.sorted { $0.key < $1.key } }
    var load = [Int](repeating: 0, count: p.companyCount)
    var result = (placed: -1, cost: 0)
    func go(_ i: Int, _ placed: Int, _ cost: Int) {
        if i == p.estateCount {
            if placed > result.placed || (placed == result.placed && cost < result.cost) { result = (placed, cost) }
            return
        }
        go(i + 1, placed, cost)
        for (j, c) in best[i] where load[j] < p.capacities[j] {
            load[j] += 1
            go(i + 1, placed + 1, cost + c)
            load[j] -= 1
        }
    }
    go(0, 0, 0)
    return result
}

/// Textbook min-cost max-flow: successive shortest paths with Bellman-Ford on the full
/// source/estate/company/sink network. Slow but simple; returns (flow, cost).
func bellmanFordMinCostMaxFlow(_ p: AssignmentProblem) -> (placed: Int, cost: Int) {
    let n = p.estateCount, m = p.companyCount
    let source = n + m, sink = n + m + 1, nodes = n + m + 2
    var to: [Int] = [], cap: [Int] = [], cost: [Int] = [], adj = [[Int]](repeating: [], count: nodes)
    func addArc(_ u: Int, _ v: Int, _ c: Int, _ w: Int) {
        adj[u].append(to.count); to.append(v); cap.append(c); cost.append(w)
        adj[v].append(to.count); to.append(u); cap.append(0); cost.append(-w)
    }
    for i in 0..<n { addArc(source, i, 1, 0) }
    for e in p.edges { addArc(e.estate, n + e.company, 1, e.cost) }
    for j in 0..<m { addArc(n + j, sink, p.capacities[j], 0) }
    var flow = 0, total = 0
    while true {
        var dist = [Int](repeating: Int.max, count: nodes)
        var via = [Int](repeating: -1, count: nodes)
        dist[source] = 0
        var changed = true
        while changed {
            changed = false
            for u in 0..<nodes where dist[u] != Int.max {
                for a in adj[u] where cap[a] > 0 && dist[u] + cost[a] < dist[to[a]] {
                    dist[to[a]] = dist[u] + cost[a]
                    via[to[a]] = a
                    changed = true
                }
            }
        }
        if dist[sink] == Int.max { break }
        var v = sink
        while v != source {
            let a = via[v]
            cap[a] -= 1
            cap[a ^ 1] += 1
            v = to[a ^ 1]
        }
        flow += 1
        total += dist[sink]
    }
    return (flow, total)
}
