import Testing
@testable import TuodiDomain

private func edge(_ i: Int, _ j: Int, _ c: Int) -> AssignmentEdge { AssignmentEdge(estate: i, company: j, cost: c) }

@Suite("Hand-made cases")
struct HandMadeTests {
    @Test func estateWithoutEdgesIsUnplaced() throws {
        let p = AssignmentProblem(estateCount: 3, capacities: [5], edges: [edge(0, 0, 4), edge(2, 0, 6)])
        let s = try MinCostAssignment.solve(p)
        #expect(s.companyOfEstate == [0, nil, 0])
        #expect(s.totalCost == 10)
        #expect(s.unplaced == [UnplacedEstate(estate: 1, reason: .noEligibleCompany)])
        #expect(!s.isComplete)
        #expect(s.placedCount == 2)
    }

    @Test func insufficientCapacityNamesTheExpensiveEstates() throws {
        // Company 0 takes two of three estates: the two cheapest stay.
        let p = AssignmentProblem(estateCount: 3, capacities: [2], edges: [edge(0, 0, 5), edge(1, 0, 9), edge(2, 0, 1)])
        let s = try MinCostAssignment.solve(p)
        #expect(s.companyOfEstate == [0, nil, 0])
        #expect(s.totalCost == 6)
        #expect(s.unplaced == [UnplacedEstate(estate: 1, reason: .insufficientCapacity)])
    }

    @Test func maximumCardinalityBeatsCost() throws {
        // Placing estate 0 on the expensive company frees company 0 for estate 1: 2 placed.
        let p = AssignmentProblem(estateCount: 2, capacities: [1, 1],
                                  edges: [edge(0, 0, 1), edge(0, 1, 1000), edge(1, 0, 1)])
        let s = try MinCostAssignment.solve(p)
        #expect(s.companyOfEstate == [1, 0])
        #expect(s.totalCost == 1001)
        #expect(s.isComplete)
    }

    @Test func localCapacityShortageIsDetected() throws {
        // Total capacity 3 >= 3 estates, but estates 0-2 all only reach company 0 (cap 1).
        let p = AssignmentProblem(estateCount: 3, capacities: [1, 2],
                                  edges: [edge(0, 0, 3), edge(1, 0, 2), edge(2, 0, 7)])
        let s = try MinCostAssignment.solve(p)
        #expect(s.companyOfEstate == [nil, 0, nil])
        #expect(s.unplaced.map(\.estate) == [0, 2])
        #expect(s.unplaced.allSatisfy { $0.reason == .insufficientCapacity })
    }

    @Test func tiesAreDeterministicAndFavourLowIndices() throws {
        // Two estates, one slot, equal cost: the lower estate index keeps the slot.
        let p = AssignmentProblem(estateCount: 2, capacities: [1], edges: [edge(0, 0, 5), edge(1, 0, 5)])
        let s = try MinCostAssignment.solve(p)
        #expect(s.companyOfEstate == [0, nil])
        // Equal-cost companies: the lower company index wins.
        let q = AssignmentProblem(estateCount: 1, capacities: [1, 1], edges: [edge(0, 1, 5), edge(0, 0, 5)])
        #expect(try MinCostAssignment.solve(q).companyOfEstate == [0])
    }

    @Test func resultDoesNotDependOnEdgeOrder() throws {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<50 {
            let p = randomProblem(&rng, maxEstates: 30, maxCompanies: 5, maxDegree: 4, maxCapacity: 6, costs: 0...3)
            var shuffled = p
            shuffled.edges.shuffle(using: &rng)
            let a = try MinCostAssignment.solve(p)
            #expect(a == (try MinCostAssignment.solve(p)))
            #expect(a == (try MinCostAssignment.solve(shuffled)))
        }
    }

    @Test func singleCompany() throws {
        let p = AssignmentProblem(estateCount: 4, capacities: [4],
                                  edges: [edge(0, 0, 1), edge(1, 0, 2), edge(2, 0, 3), edge(3, 0, 4)])
        let s = try MinCostAssignment.solve(p)
        #expect(s.companyOfEstate == [0, 0, 0, 0])
        #expect(s.totalCost == 10)
        #expect(s.isComplete)
    }

    @Test func zeroCapacityCompanyIsIgnored() throws {
        // Company 0 is free but has no capacity; estate 1 can only go there.
        let p = AssignmentProblem(estateCount: 2, capacities: [0, 3],
                                  edges: [edge(0, 0, 1), edge(0, 1, 8), edge(1, 0, 1)])
        let s = try MinCostAssignment.solve(p)
        #expect(s.companyOfEstate == [1, nil])
        #expect(s.totalCost == 8)
        #expect(s.unplaced == [UnplacedEstate(estate: 1, reason: .noEligibleCompany)])
    }

    @Test func greedyIsSuboptimalButSolverIsNot() throws {
        // Cheapest-edge-first greedy: estate 0 -> company 0 (1), then estate 1 -> company 1
        // (10): total 11. Optimum: estate 0 -> 1 (3), estate 1 -> 0 (2): total 5.
        let p = AssignmentProblem(estateCount: 2, capacities: [1, 1],
                                  edges: [edge(0, 0, 1), edge(0, 1, 3), edge(1, 0, 2), edge(1, 1, 10)])
        let s = try MinCostAssignment.solve(p)
        #expect(s.companyOfEstate == [1, 0])
        #expect(s.totalCost == 5)
    }

    @Test func longAugmentingChain() throws {
        // Every estate i prefers company i (cost 0) which estate i+1 also wants; the cheapest
        // fix shifts a whole chain by one.
        let n = 6
        var edges: [AssignmentEdge] = []
        for i in 0..<n {
            edges.append(edge(i, i, 0))
            edges.append(edge(i, i + 1, 1))
        }
        edges.append(edge(n - 1, 0, 0))  // estate 5 also likes company 0 for free
        let p = AssignmentProblem(estateCount: n, capacities: [Int](repeating: 1, count: n + 1), edges: edges)
        let s = try MinCostAssignment.solve(p)
        #expect(s.totalCost == 0)
        #expect(s.companyOfEstate[n - 1] == 0 || s.companyOfEstate[n - 1] == n - 1)
        #expect(feasibilityProblem(p, s) == nil)
    }

    @Test func duplicateEdgesUseTheCheapest() throws {
        let p = AssignmentProblem(estateCount: 1, capacities: [1], edges: [edge(0, 0, 9), edge(0, 0, 4), edge(0, 0, 7)])
        #expect(try MinCostAssignment.solve(p).totalCost == 4)
    }

    @Test func negativeCostsAreSupported() throws {
        let p = AssignmentProblem(estateCount: 2, capacities: [1, 1],
                                  edges: [edge(0, 0, -5), edge(0, 1, -1), edge(1, 0, -4), edge(1, 1, 3)])
        let s = try MinCostAssignment.solve(p)
        #expect(s.totalCost == -5 + 3 || s.totalCost == -1 - 4)
        #expect(s.totalCost == -5)
    }

    @Test func emptyProblems() throws {
        #expect(try MinCostAssignment.solve(AssignmentProblem(estateCount: 0, capacities: [], edges: [])).isComplete)
        let s = try MinCostAssignment.solve(AssignmentProblem(estateCount: 2, capacities: [], edges: []))
        #expect(s.unplaced.count == 2)
    }

    @Test func invalidInputThrows() {
        #expect(throws: AssignmentProblemError.negativeCapacity(company: 1, capacity: -2)) {
            try MinCostAssignment.solve(AssignmentProblem(estateCount: 1, capacities: [1, -2], edges: []))
        }
        #expect(throws: AssignmentProblemError.estateOutOfRange(edgeIndex: 0, estate: 3, estateCount: 2)) {
            try MinCostAssignment.solve(AssignmentProblem(estateCount: 2, capacities: [1], edges: [edge(3, 0, 1)]))
        }
        #expect(throws: AssignmentProblemError.companyOutOfRange(edgeIndex: 1, company: -1, companyCount: 1)) {
            try MinCostAssignment.solve(AssignmentProblem(estateCount: 2, capacities: [1], edges: [edge(0, 0, 1), edge(1, -1, 1)]))
        }
        #expect(throws: AssignmentProblemError.self) {
            try MinCostAssignment.solve(AssignmentProblem(estateCount: 1, capacities: [1], edges: [edge(0, 0, 1 << 40)]))
        }
        #expect(throws: AssignmentProblemError.negativeEstateCount(-1)) {
            try MinCostAssignment.solve(AssignmentProblem(estateCount: -1, capacities: [], edges: []))
        }
    }
}

@Suite("Randomized cross-checks")
struct RandomizedTests {
    @Test func matchesBruteForceOnTinyInstances() throws {
        var rng = SplitMix64(seed: 0x70D1)
        for round in 0..<400 {
            let p = randomProblem(&rng, maxEstates: 6, maxCompanies: 3, maxDegree: 3, maxCapacity: 3, costs: -3...9)
            let s = try MinCostAssignment.solve(p)
            let expected = bruteForce(p)
            #expect(s.placedCount == expected.placed, "round \(round)")
            #expect(s.totalCost == expected.cost, "round \(round)")
            #expect(feasibilityProblem(p, s) == nil, "round \(round)")
        }
    }

    @Test func matchesBellmanFordMinCostFlow() throws {
        var rng = SplitMix64(seed: 20_240_601)
        for round in 0..<300 {
            // Narrow cost ranges force many ties; wide ones exercise the dual updates.
            let costs = round % 3 == 0 ? 0...3 : (round % 3 == 1 ? 0...1000 : -50...50)
            let p = randomProblem(&rng, maxEstates: 60, maxCompanies: 8, maxDegree: 5, maxCapacity: 10, costs: costs)
            let s = try MinCostAssignment.solve(p)
            let expected = bellmanFordMinCostMaxFlow(p)
            #expect(s.placedCount == expected.placed, "round \(round)")
            #expect(s.totalCost == expected.cost, "round \(round)")
            #expect(feasibilityProblem(p, s) == nil, "round \(round)")
        }
    }

    @Test(arguments: [0, 200])
    func exactPhaseAloneAndLongWarmStartAgree(budgetFactor: Int) throws {
        // Budget 0: everything is left to the shortest-path phase. Huge budget: the warm start
        // runs until it stalls or finishes. Both must be optimal.
        var rng = SplitMix64(seed: UInt64(budgetFactor) + 5)
        for round in 0..<150 {
            let costs = round % 2 == 0 ? 0...2 : -100...400
            let p = randomProblem(&rng, maxEstates: 50, maxCompanies: 7, maxDegree: 4, maxCapacity: 8, costs: costs)
            let s = try MinCostAssignment.solve(p, warmStartBudgetFactor: budgetFactor).solution
            let expected = bellmanFordMinCostMaxFlow(p)
            #expect(s.placedCount == expected.placed, "round \(round)")
            #expect(s.totalCost == expected.cost, "round \(round)")
            #expect(feasibilityProblem(p, s) == nil, "round \(round)")
        }
    }

    @Test func matchesBellmanFordOnTightCapacities() throws {
        // Capacity close to demand with skewed costs: long augmenting paths, price wars in
        // the warm start, and estates left for the overflow company.
        var rng = SplitMix64(seed: 99)
        for round in 0..<60 {
            let m = rng.int(2...12)
            let n = rng.int(20...120)
            let caps = (0..<m).map { _ in rng.int(0...(2 * n / m + 1)) }
            let merit = (0..<m).map { _ in rng.int(0...500) }
            var edges: [AssignmentEdge] = []
            for i in 0..<n {
                for j in 0..<m where rng.int(0...2) > 0 {
                    edges.append(AssignmentEdge(estate: i, company: j, cost: merit[j] + rng.int(0...100)))
                }
            }
            let p = AssignmentProblem(estateCount: n, capacities: caps, edges: edges)
            let s = try MinCostAssignment.solve(p)
            let expected = bellmanFordMinCostMaxFlow(p)
            #expect(s.placedCount == expected.placed, "round \(round)")
            #expect(s.totalCost == expected.cost, "round \(round)")
            #expect(feasibilityProblem(p, s) == nil, "round \(round)")
        }
    }
}
