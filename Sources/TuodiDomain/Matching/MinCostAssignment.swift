// Exact min-cost capacitated assignment.
//
// Flow model: source -> estate (cap 1) -> company (edge cost) -> sink (cap_j). We solve it by
// successive shortest paths (SSP) with node potentials, but never materialise the estate
// nodes during the search. Because every estate has exactly one unit, a residual path always
// alternates "company j -> estate i assigned to j -> company k". With company prices q
// (estates prefer argmin c_ij + q_j), the reduced cost of that hop is
//     (c_ik + q_k) - (c_ij + q_j) >= 0,
// so the estate potentials cancel and the search runs on a dense graph over the M companies
// (plus the sink) whose arc j -> k costs
//     min over estates i currently at j of (c_ik - c_ij)   +   q_k - q_j.
// The minimum is kept in one lazily-cleaned binary heap per ordered company pair; its keys do
// not depend on prices, so a price change never touches the heaps.
//
// Phases:
//  1. Every estate takes its cheapest edge (prices 0). This is dual feasible but overloads
//     companies.
//  2. Warm start ("price raising", Gauss-Seidel auction without epsilon): an overloaded
//     company raises its price exactly until only `cap` estates still prefer it; the others
//     move to their next-best company. Invariants kept: every estate sits on an argmin of
//     c_ij + q_j, and q_j > 0 only for companies with load >= cap (so complementary slackness
//     holds for every company that is not overloaded). This removes most of the excess
//     cheaply, but can stall on ties (price wars), so it runs under a work budget.
//  3. Exact SSP on the company graph: Dijkstra from all overloaded companies to the sink
//     (reached through any company with spare capacity); move one estate along each arc of
//     the path; raise prices by the Dijkstra distances. Repeat until no overload remains.
//
// Infeasibility: a virtual "overflow" company with unbounded capacity and an edge of cost
// `overflowCost` from every estate. `overflowCost` exceeds the cost of any simple augmenting
// path through real companies, so an optimal solution of the extended problem is a
// maximum-cardinality assignment of minimum cost; estates left on the overflow company are
// reported as `insufficientCapacity`.

/// Exact solver for `AssignmentProblem`.
public enum MinCostAssignment {
    /// Largest accepted `abs(cost)` (2^30 - 1): cost differences must fit in 32 bits because
    /// they are packed with an estate index into one `Int`.
    public static let maxAbsoluteCost = (1 << 30) - 1

    /// Work budget of the warm start, in edge scans per edge. The warm start removes most
    /// overload cheaply but then degrades into price wars; measured on the reference
    /// instances, 8 balances it against the exact phase (see NOTES.md).
    static let warmStartBudgetFactor = 8

    /// Solves `problem` exactly.
    ///
    /// Returns a maximum-cardinality assignment and, among those, one of minimum total cost.
    /// The result is deterministic: it is a function of the input only, and does not depend
    /// on the order of `edges`. Local ties are broken by index (an estate prefers the lower
    /// company index among equal costs; when a company must shed estates at equal cost, the
    /// higher estate indices go first). Among several optimal assignments the one returned is
    /// fixed, but it is not guaranteed to be the lexicographically smallest.
    ///
    /// Complexity: O(E log E) set-up plus, per unit of overload left after the warm start, one
    /// O(M^2) Dijkstra on the company graph. Memory: O(E + M^2).
    ///
    /// - Throws: `AssignmentProblemError` if the problem is malformed (see
    ///   `AssignmentProblem.validate()`).
    public static func solve(_ problem: AssignmentProblem) throws(AssignmentProblemError) -> AssignmentSolution {
        try solveReportingStatistics(problem).solution
    }

    /// Like `solve`, also returning counters of the work done (for benchmarks and tuning).
    public static func solveReportingStatistics(
        _ problem: AssignmentProblem
    ) throws(AssignmentProblemError) -> (solution: AssignmentSolution, statistics: SolveStatistics) {
        try solve(problem, warmStartBudgetFactor: warmStartBudgetFactor)
    }

    /// Implementation, with the warm-start budget exposed for tests (0 = exact phase only).
    static func solve(
        _ problem: AssignmentProblem, warmStartBudgetFactor: Int
    ) throws(AssignmentProblemError) -> (solution: AssignmentSolution, statistics: SolveStatistics) {
        let clock = ContinuousClock()
        let t0 = clock.now
        try problem.validate()
        var solver = try CompanyGraphSolver(problem)
        var stats = SolveStatistics()
        solver.assignCheapest()
        stats.overloadAfterCheapest = solver.totalExcess()
        let t1 = clock.now
        solver.raisePrices(workBudget: warmStartBudgetFactor * (solver.edgeCount + 8 * solver.nodeCount))
        stats.overloadAfterWarmStart = solver.totalExcess()
        let t2 = clock.now
        solver.buildPairHeaps()
        stats.shortestPathSearches = solver.runShortestPaths()
        stats.estateMoves = solver.moveCount
        let solution = solver.makeSolution()
        let t3 = clock.now
        stats.setupTime = t1 - t0
        stats.warmStartTime = t2 - t1
        stats.exactPhaseTime = t3 - t2
        return (solution, stats)
    }
}

/// Work counters of one solve.
public struct SolveStatistics: Sendable, Equatable {
    /// Total overload sum(max(0, load - cap)) when every estate sits on its cheapest edge.
    public var overloadAfterCheapest = 0
    /// Total overload left for the exact phase after the price-raising warm start.
    public var overloadAfterWarmStart = 0
    /// Number of Dijkstra searches on the company graph.
    public var shortestPathSearches = 0
    /// Estates moved along augmenting paths in the exact phase.
    public var estateMoves = 0
    /// Validation, adjacency build and cheapest-edge start.
    public var setupTime = Duration.zero
    /// Price-raising warm start.
    public var warmStartTime = Duration.zero
    /// Pair-heap build, shortest-path phase and result extraction.
    public var exactPhaseTime = Duration.zero

    public init() {}
}

/// The solver state. One value per solve; all storage is flat arrays indexed by
/// estate / company / CSR edge / company pair.
struct CompanyGraphSolver {
    let estateCount: Int
    /// Real companies plus the overflow company (the last node).
    let nodeCount: Int
    let overflowNode: Int
    /// Cost of the edge from any estate to the overflow node.
    let overflowCost: Int
    var capacity: [Int]

    // Estate adjacency (CSR), deduplicated, restricted to companies with positive capacity,
    // plus one edge to the overflow node for every estate that has any usable edge.
    let edgeStart: [Int]
    let edgeCompany: [Int32]
    let edgeCost: [Int]
    var edgeCount: Int { edgeCompany.count }

    /// Company of each estate, or -1 for estates without usable edges.
    var assigned: [Int32]
    /// Cost of the edge `assigned[i]` uses.
    var assignedCost: [Int]
    var load: [Int]
    /// Company prices q_j (q of the sink is 0). The SSP potential of company j is -q_j.
    var price: [Int]

    // Company graph: pairHeaps[j * nodeCount + k] holds packed (key << 32 | estate) with
    // key = keyCost(i, k) - keyCost(i, j) for estates i that sat at j when pushed. Entries of
    // estates that have left j are stale and popped lazily; the top is always valid.
    // pairMin caches the top key (or `noArc`).
    var pairHeaps: [[Int]] = []
    var pairMin: [Int] = []

    // Scratch space of the exact phase, per company node.
    /// keyCost offset + price: the reduced cost of arc j -> k is pairMin + shift[k] - shift[j].
    var shift: [Int] = []
    var nextArc: [Int] = []
    var dead: [Bool] = []
    var onPath: [Bool] = []
    var movers: [Int] = []
    var moveCount = 0

    static let estateMask = (1 << 32) - 1
    static let noArc = 1 << 61
    static let unreached = 1 << 60

    init(_ problem: AssignmentProblem) throws(AssignmentProblemError) {
        let n = problem.estateCount
        let m = problem.companyCount
        // Estate indices are packed into 32 bits in the pair heaps.
        if n >= 1 << 31 || m >= 1 << 30 {
            throw .instanceTooLarge(companyCount: m, maxAbsoluteCost: 0)
        }
        estateCount = n
        nodeCount = m + 1
        overflowNode = m

        // Count usable edges per estate.
        var start = [Int](repeating: 0, count: n + 1)
        var maxAbsCost = 1
        for e in problem.edges where problem.capacities[e.company] > 0 {
            start[e.estate + 1] += 1
            maxAbsCost = max(maxAbsCost, abs(e.cost))
        }
        // overflowCost > (M+1) max c - M min c, the largest cost of a simple augmenting path.
        let big = (2 * m + 2) * maxAbsCost + 1
        // Prices and Dijkstra distances stay within a small multiple of big + 2 (M+2) maxAbsCost.
        let (span, o1) = (2 * maxAbsCost).multipliedReportingOverflow(by: m + 2)
        let (bound, o2) = (big + span).multipliedReportingOverflow(by: 16)
        if o1 || o2 || bound > (1 << 58) {
            throw .instanceTooLarge(companyCount: m, maxAbsoluteCost: maxAbsCost)
        }
        overflowCost = big

        for i in 0..<n { start[i + 1] += start[i] }
        var rawCompany = [Int32](repeating: 0, count: start[n])
        var rawCost = [Int](repeating: 0, count: start[n])
        var fill = start
        for e in problem.edges where problem.capacities[e.company] > 0 {
            let p = fill[e.estate]
            rawCompany[p] = Int32(truncatingIfNeeded: e.company)
            rawCost[p] = e.cost
            fill[e.estate] = p + 1
        }

        // Deduplicate (keep the cheapest edge per pair) and append the overflow edge.
        var cs = [Int](repeating: 0, count: n + 1)
        var co = [Int32]()
        var cc = [Int]()
        co.reserveCapacity(start[n] + n)
        cc.reserveCapacity(start[n] + n)
        var seenBy = [Int](repeating: -1, count: m)
        var seenAt = [Int](repeating: 0, count: m)
        for i in 0..<n {
            let first = co.count
            for p in start[i]..<start[i + 1] {
                let j = Int(rawCompany[p])
                if seenBy[j] == i {
                    let q = seenAt[j]
                    if rawCost[p] < cc[q] { cc[q] = rawCost[p] }
                } else {
                    seenBy[j] = i
                    seenAt[j] = co.count
                    co.append(rawCompany[p])
                    cc.append(rawCost[p])
                }
            }
            if co.count > first {
                co.append(Int32(truncatingIfNeeded: m))
                cc.append(big)
            }
            cs[i + 1] = co.count
        }
        edgeStart = cs
        edgeCompany = co
        edgeCost = cc

        capacity = problem.capacities.map { min($0, n) }
        capacity.append(n)
        assigned = [Int32](repeating: -1, count: n)
        assignedCost = [Int](repeating: 0, count: n)
        load = [Int](repeating: 0, count: m + 1)
        price = [Int](repeating: 0, count: m + 1)
    }

    /// Cost with the overflow surcharge removed: the pair-heap keys are differences of these,
    /// so they stay within +-2^31 and pack into 32 bits.
    @inline(__always)
    func keyCost(_ cost: Int, _ company: Int) -> Int {
        company == overflowNode ? cost - overflowCost : cost
    }

    // MARK: Phase 1 - cheapest edge

    mutating func assignCheapest() {
        for i in 0..<estateCount {
            var best = -1
            var bestCost = Int.max
            for p in edgeStart[i]..<edgeStart[i + 1] {
                let c = edgeCost[p]
                let j = Int(edgeCompany[p])
                if c < bestCost || (c == bestCost && j < best) {
                    best = j
                    bestCost = c
                }
            }
            if best >= 0 {
                assigned[i] = Int32(best)
                assignedCost[i] = bestCost
                load[best] += 1
            }
        }
    }

    // MARK: Phase 2 - warm start by price raising

    /// Lowers the total overload while keeping dual feasibility (see file header). Stops when
    /// no company is overloaded or after roughly `workBudget` edge scans.
    mutating func raisePrices(workBudget: Int) {
        // Members of each company, with back-pointers for O(1) removal.
        var members = [[Int32]](repeating: [], count: nodeCount)
        var slot = [Int32](repeating: 0, count: estateCount)
        for i in 0..<estateCount where assigned[i] >= 0 {
            let j = Int(assigned[i])
            slot[i] = Int32(members[j].count)
            members[j].append(Int32(i))
        }

        // FIFO of overloaded companies (each at most once, hence a ring of nodeCount slots).
        var ring = [Int](repeating: 0, count: nodeCount)
        var queued = [Bool](repeating: false, count: nodeCount)
        var head = 0, count = 0
        for j in 0..<nodeCount where load[j] > capacity[j] {
            ring[(head + count) % nodeCount] = j
            queued[j] = true
            count += 1
        }

        // (margin, estate) of the members of the company being processed; the next-best
        // company of each estate (target), its edge cost and its price when cached are kept
        // in side arrays indexed by the estate.
        var order = [(margin: Int, estate: Int)]()
        var target = [Int32](repeating: -1, count: estateCount)
        var targetCost = [Int](repeating: 0, count: estateCount)
        var targetPrice = [Int](repeating: 0, count: estateCount)
        var work = 0
        while count > 0 && work < workBudget {
            let j = ring[head]
            head = (head + 1) % nodeCount
            count -= 1
            queued[j] = false
            let excess = load[j] - capacity[j]
            if excess <= 0 { continue }

            // Margin of each member: how much j's price may rise before it prefers another
            // company (ties broken towards the smaller company index). The next-best company
            // is cached per estate: prices only rise, so the cached argmin stays the argmin
            // as long as its own price is unchanged.
            order.removeAll(keepingCapacity: true)
            let own = price[j]
            for i32 in members[j] {
                let i = Int(i32)
                var best = Int(target[i])
                if best < 0 || price[best] != targetPrice[i] {
                    best = -1
                    var bestValue = Int.max
                    var bestCost = 0
                    for p in edgeStart[i]..<edgeStart[i + 1] {
                        let k = Int(edgeCompany[p])
                        if k == j { continue }
                        let v = edgeCost[p] + price[k]
                        if v < bestValue || (v == bestValue && k < best) {
                            best = k
                            bestValue = v
                            bestCost = edgeCost[p]
                        }
                    }
                    work += edgeStart[i + 1] - edgeStart[i]
                    target[i] = Int32(best)
                    targetCost[i] = bestCost
                    targetPrice[i] = price[best]
                }
                work += 1
                order.append((targetCost[i] + targetPrice[i] - (assignedCost[i] + own), i))
            }
            // Among equal margins the higher estate index leaves first, so lower indices keep
            // their preferred company.
            order.sort { $0.margin < $1.margin || ($0.margin == $1.margin && $0.estate > $1.estate) }
            // Raise the price to the excess-th smallest margin: the `excess` estates with the
            // smallest margins leave; everyone else still weakly prefers j.
            let delta = order[excess - 1].margin
            price[j] += delta
            for t in 0..<excess {
                let i = order[t].estate
                let k = Int(target[i])
                // Remove i from members[j] (swap with last).
                let s = Int(slot[i])
                let last = members[j].removeLast()
                if Int(last) != i {
                    members[j][s] = last
                    slot[Int(last)] = Int32(s)
                }
                slot[i] = Int32(members[k].count)
                members[k].append(Int32(i))
                assigned[i] = Int32(k)
                assignedCost[i] = targetCost[i]
                target[i] = -1  // the set of "other" companies changed
                load[j] -= 1
                load[k] += 1
                if load[k] > capacity[k] && !queued[k] {
                    ring[(head + count) % nodeCount] = k
                    queued[k] = true
                    count += 1
                }
            }
        }
    }

    // MARK: Phase 3 - successive shortest paths on the company graph

    mutating func buildPairHeaps() {
        let nn = nodeCount
        pairHeaps = [[Int]](repeating: [], count: nn * nn)
        pairMin = [Int](repeating: Self.noArc, count: nn * nn)
        for i in 0..<estateCount where assigned[i] >= 0 {
            let j = Int(assigned[i])
            let base = keyCost(assignedCost[i], j)
            for p in edgeStart[i]..<edgeStart[i + 1] {
                let k = Int(edgeCompany[p])
                if k == j { continue }
                let key = keyCost(edgeCost[p], k) - base
                pairHeaps[j * nn + k].append(key << 32 | i)
            }
        }
        // A sorted array is a valid binary min-heap.
        for idx in 0..<(nn * nn) where !pairHeaps[idx].isEmpty {
            pairHeaps[idx].sort()
            pairMin[idx] = pairHeaps[idx][0] >> 32
        }
    }

    /// Total overload sum(max(0, load - cap)).
    func totalExcess() -> Int {
        var s = 0
        for j in 0..<nodeCount where load[j] > capacity[j] { s += load[j] - capacity[j] }
        return s
    }

    /// Removes all overload; returns the number of Dijkstra searches.
    @discardableResult
    mutating func runShortestPaths() -> Int {
        let nn = nodeCount
        shift = [Int](repeating: 0, count: nn)
        nextArc = [Int](repeating: 0, count: nn)
        dead = [Bool](repeating: false, count: nn)
        onPath = [Bool](repeating: false, count: nn)
        var dist = [Int](repeating: 0, count: nn)
        var unsettled = [Int](repeating: 0, count: nn)
        var settledList = [Int]()
        settledList.reserveCapacity(nn)

        var excess = totalExcess()
        var searches = 0
        while excess > 0 {
            searches += 1
            // Dijkstra from every overloaded company (distance 0) to the sink, on reduced
            // costs. Dense graph: O(M) per settled node, with the relaxation and the search
            // for the next minimum fused into one pass over the unsettled nodes.
            for v in 0..<nn {
                dist[v] = load[v] > capacity[v] ? 0 : Self.unreached
                unsettled[v] = v
                shift[v] = (v == overflowNode ? overflowCost : 0) + price[v]
            }
            settledList.removeAll(keepingCapacity: true)
            var sinkDist = Self.unreached
            var remaining = nn
            var bestSlot = 0
            var bestDist = dist[0]
            for t in 1..<nn where dist[t] < bestDist {
                bestSlot = t
                bestDist = dist[t]
            }
            pairMin.withUnsafeBufferPointer { pm in
                shift.withUnsafeBufferPointer { sh in
                    dist.withUnsafeMutableBufferPointer { d in
                        unsettled.withUnsafeMutableBufferPointer { us in
                            // Stop when the sink is the closest unsettled node.
                            while bestDist < sinkDist {
                                let u = us[bestSlot]
                                let du = bestDist
                                remaining -= 1
                                us[bestSlot] = us[remaining]
                                settledList.append(u)
                                if load[u] < capacity[u] {
                                    // Arc u -> sink has reduced cost -q_u (q_u <= 0 when not full).
                                    sinkDist = min(sinkDist, du - price[u])
                                }
                                // Relax row u. `noArc` entries never win.
                                let base = du - sh[u]
                                let row = u * nn
                                bestDist = Self.unreached
                                for t in 0..<remaining {
                                    let k = us[t]
                                    let nd = min(d[k], base &+ pm[row + k] &+ sh[k])
                                    d[k] = nd
                                    if nd < bestDist {
                                        bestDist = nd
                                        bestSlot = t
                                    }
                                }
                            }
                        }
                    }
                }
            }
            precondition(sinkDist < Self.unreached, "the overflow company keeps the sink reachable")

            // New prices: q_v += D - d_v for settled nodes (D = sink distance). Keeps every
            // reduced cost >= 0 and makes all shortest paths to the sink tight.
            for v in settledList { price[v] += sinkDist - dist[v] }

            // Augment along tight paths (zero reduced cost = shortest augmenting paths); there
            // is at least one, the path Dijkstra found.
            let moved = augmentTightPaths()
            precondition(moved > 0, "a shortest path is tight after the price update")
            excess -= moved
        }
        return searches
    }

    /// Moves one estate along every arc of `path` (a sequence of companies whose consecutive
    /// arcs are tight). The estates are chosen before any is moved, so that an estate moved
    /// onto a company is not picked again for the next arc.
    mutating func augment(along path: [Int]) {
        let nn = nodeCount
        movers.removeAll(keepingCapacity: true)
        for t in 0..<(path.count - 1) {
            movers.append(pairHeaps[path[t] * nn + path[t + 1]][0] & Self.estateMask)
        }
        for t in 0..<(path.count - 1) {
            moveEstate(movers[t], from: path[t], to: path[t + 1])
        }
    }

    /// Repeatedly augments along tight paths from overloaded companies to the sink, by depth-
    /// first search with current-arc pointers; returns the number of units moved. Exact
    /// because tight paths have zero reduced cost, i.e. they are shortest augmenting paths.
    /// Arcs can become tight again after a move (an estate arrives on a company); those are
    /// simply left to the next Dijkstra search.
    mutating func augmentTightPaths() -> Int {
        let nn = nodeCount
        for v in 0..<nn {
            shift[v] = (v == overflowNode ? overflowCost : 0) + price[v]
            nextArc[v] = 0
            dead[v] = false
            onPath[v] = false
        }
        var moved = 0
        var stack = [Int]()
        for s in 0..<nn where load[s] > capacity[s] {
            while load[s] > capacity[s] && !dead[s] {
                stack.removeAll(keepingCapacity: true)
                stack.append(s)
                onPath[s] = true
                var found = false
                while let v = stack.last {
                    // Tight arc to the sink: spare capacity and price 0.
                    if load[v] < capacity[v] && price[v] == 0 {
                        found = true
                        break
                    }
                    // Next tight arc out of v to a live node not on the path.
                    let k = nextTightArc(from: v, startingAt: nextArc[v])
                    nextArc[v] = k
                    if k == nn {
                        dead[v] = true
                        onPath[v] = false
                        stack.removeLast()
                    } else {
                        onPath[k] = true
                        stack.append(k)
                    }
                }
                for v in stack { onPath[v] = false }
                if !found { break }
                augment(along: stack)
                moved += 1
            }
        }
        return moved
    }

    /// First k >= `start` with a tight arc v -> k to a node that is neither dead nor on the
    /// current path; `nodeCount` if none.
    @inline(__always)
    func nextTightArc(from v: Int, startingAt start: Int) -> Int {
        let nn = nodeCount
        let row = v * nn
        let sv = shift[v]
        return pairMin.withUnsafeBufferPointer { pm in
            shift.withUnsafeBufferPointer { sh in
                var k = start
                while k < nn {
                    // `noArc` entries are never tight.
                    if pm[row + k] &+ sh[k] == sv && !dead[k] && !onPath[k] { return k }
                    k += 1
                }
                return nn
            }
        }
    }

    /// Moves estate `i` from company `j` to `k` (an arc of the company graph) and updates the
    /// pair heaps: i's entries in rows j become stale, new entries go to row k.
    mutating func moveEstate(_ i: Int, from j: Int, to k: Int) {
        let nn = nodeCount
        moveCount += 1
        var newCost = 0
        for p in edgeStart[i]..<edgeStart[i + 1] where Int(edgeCompany[p]) == k {
            newCost = edgeCost[p]
        }
        assigned[i] = Int32(truncatingIfNeeded: k)
        assignedCost[i] = newCost
        load[j] -= 1
        load[k] += 1
        let newBase = keyCost(newCost, k)
        for p in edgeStart[i]..<edgeStart[i + 1] {
            let l = Int(edgeCompany[p])
            if l != j {
                let idx = j * nn + l
                if let top = pairHeaps[idx].first, top & Self.estateMask == i {
                    cleanTop(idx, owner: j)
                }
            }
            if l != k {
                let idx = k * nn + l
                let entry = (keyCost(edgeCost[p], l) - newBase) << 32 | i
                Self.heapPush(&pairHeaps[idx], entry)
                let key = entry >> 32
                if key < pairMin[idx] { pairMin[idx] = key }
            }
        }
    }

    /// Pops stale entries (estates no longer at `owner`) and refreshes the cached minimum.
    mutating func cleanTop(_ idx: Int, owner: Int) {
        let o = Int32(truncatingIfNeeded: owner)
        while let top = pairHeaps[idx].first, assigned[top & Self.estateMask] != o {
            Self.heapPop(&pairHeaps[idx])
        }
        pairMin[idx] = pairHeaps[idx].first.map { $0 >> 32 } ?? Self.noArc
    }

    static func heapPush(_ h: inout [Int], _ x: Int) {
        h.append(x)
        var c = h.count - 1
        while c > 0 {
            let p = (c - 1) >> 1
            if h[p] <= x { break }
            h[c] = h[p]
            c = p
        }
        h[c] = x
    }

    static func heapPop(_ h: inout [Int]) {
        let x = h.removeLast()
        let n = h.count
        if n == 0 { return }
        var c = 0
        while true {
            var s = 2 * c + 1
            if s >= n { break }
            if s + 1 < n && h[s + 1] < h[s] { s += 1 }
            if x <= h[s] { break }
            h[c] = h[s]
            c = s
        }
        h[c] = x
    }

    // MARK: Result

    func makeSolution() -> AssignmentSolution {
        var companyOf = [Int?](repeating: nil, count: estateCount)
        var unplaced = [UnplacedEstate]()
        var total = 0
        for i in 0..<estateCount {
            let j = Int(assigned[i])
            if j < 0 {
                unplaced.append(UnplacedEstate(estate: i, reason: .noEligibleCompany))
            } else if j == overflowNode {
                unplaced.append(UnplacedEstate(estate: i, reason: .insufficientCapacity))
            } else {
                companyOf[i] = j
                total += assignedCost[i]
            }
        }
        return AssignmentSolution(companyOfEstate: companyOf, totalCost: total, unplaced: unplaced)
    }
}
