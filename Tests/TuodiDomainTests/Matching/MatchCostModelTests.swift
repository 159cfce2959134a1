import Testing
import TuodiDomain

/// The cost model of batch custody proposals: factors computed by hand, exclusions, optimality
/// against brute force on small batches, and hand edits re-checked.
@Suite("Batch matching: cost model and plans")
struct MatchCostModelTests {
    static func u(_ n: Int) -> USCC { USCC.withCheckCharacter(body: "91310101MA1MC" + String(format: "%04d", n))! }

    static func company(_ n: Int, score: Double = 80, load: Int = 0, capacity: Int = 5, group: Bool = false,
                        state: MembershipState = .active, subDistricts: Set<String> = []) -> MatchCompany {
        MatchCompany(uscc: u(n), name: "企业\(n)", districtGroup: group, state: state, capacity: capacity, score: score,
                     load: load, subDistricts: subDistricts)
    }

    @Test("each factor's cost, computed by hand (weights 30/30/25/15)")
    func factorsByHand() {
        let estate = MatchEstate(code: "E1", subDistrict: "豫园街道", category: .directPublic)
        // A: same sub-district, score 80, load 2 of a busiest 4, not a district group.
        let a = Self.company(1, score: 80, load: 2, subDistricts: ["豫园街道"])
        let c = MatchCostModel.cost(estate: estate, company: a, maxLoad: 4, weights: .defaults)
        #expect(c.factors.map(\.name) == ["sameSubDistrict", "merit", "load", "districtGroup"])
        // 0 + 30 × 0.2 + 25 × 0.5 + 15 × 1 = 33.50 points lost.
        #expect(c.factors.map(\.cost) == [0, 600, 1250, 1500])
        #expect(c.total == 3350)
        // B: elsewhere, score 95, idle, a district group: 30 + 1.5 + 0 + 0 = 31.50.
        let b = Self.company(2, score: 95, load: 0, group: true, subDistricts: ["外滩街道"])
        let cb = MatchCostModel.cost(estate: estate, company: b, maxLoad: 4, weights: .defaults)
        #expect(cb.factors.map(\.cost) == [3000, 150, 0, 0])
        #expect(cb.total == 3150)
        // On an early commodity estate the district-group factor costs nothing either way.
        let commodity = MatchEstate(code: "E2", subDistrict: "豫园街道", category: .earlyCommodity)
        #expect(MatchCostModel.cost(estate: commodity, company: a, maxLoad: 4, weights: .defaults).total == 1850)
        // Other weights: everything on merit.
        let meritOnly = MatchWeights(sameSubDistrict: 0, merit: 100, load: 0, districtGroup: 0)
        #expect(MatchCostModel.cost(estate: estate, company: a, maxLoad: 4, weights: meritOnly).total == 2000)
    }

    @Test("weights are whole points in 0…100 summing to 100")
    func weightValidation() throws {
        _ = try MatchWeights.defaults.validated()
        #expect(throws: ValidationFailure.self) { _ = try MatchWeights(sameSubDistrict: 30, merit: 30, load: 30, districtGroup: 15).validated() }
        do throws(ValidationFailure) {
            _ = try MatchWeights(sameSubDistrict: -5, merit: 55, load: 35, districtGroup: 15).validated()
            Issue.record("a negative weight was accepted")
        } catch {
            #expect(error.errors.map(\.field) == ["matchWeights.sameSubDistrict"])
        }
        do throws(ValidationFailure) {
            _ = try DistrictSettings(matchWeights: MatchWeights(sameSubDistrict: 50, merit: 50, load: 50, districtGroup: 0)).validated()
            Issue.record("weights summing to 150 were accepted")
        } catch {
            #expect(error.errors.map(\.field) == ["matchWeights"])
        }
    }

    @Test("suspended, full and departed companies are never proposed; an estate without candidates is reported")
    func exclusions() {
        let e1 = MatchEstate(code: "E1", subDistrict: "S", category: .otherOld, leftBy: [Self.u(3)])
        let e2 = MatchEstate(code: "E2", subDistrict: "S", category: .otherOld)
        let companies = [
            Self.company(1, score: 99, state: .suspended),
            Self.company(2, score: 99, load: 4, capacity: 4),
            Self.company(3, score: 99),                     // left E1 before
            Self.company(4, score: 10, capacity: 1),
        ]
        let plan = MatchCostModel.plan(estates: [e1, e2], companies: companies, weights: .defaults)
        // Only 4 may take E1; 3 takes E2 (4 is full after E1).
        #expect(plan.pairs.map { "\($0.estateCode)→\($0.uscc)" } == ["E1→\(Self.u(4).value)", "E2→\(Self.u(3).value)"])
        #expect(plan.unplaced.isEmpty)

        let alone = MatchCostModel.plan(estates: [e1], companies: [companies[0], companies[1], companies[2]], weights: .defaults)
        #expect(alone.pairs.isEmpty)
        #expect(alone.unplaced == [MatchUnplaced(estateCode: "E1", reason: "noEligibleCompany")])

        let crowded = MatchCostModel.plan(estates: [e1, e2, MatchEstate(code: "E3", subDistrict: "S", category: .otherOld)],
                                          companies: [Self.company(5, capacity: 2)], weights: .defaults)
        #expect(crowded.pairs.count == 2)
        #expect(crowded.unplaced.map(\.reason) == ["insufficientCapacity"])
    }

    /// A small deterministic generator, so the brute-force comparison covers many batches.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    /// The least total cost over every assignment placing as many estates as possible, by enumeration.
    static func bruteForce(_ estates: [MatchEstate], _ companies: [MatchCompany], _ weights: MatchWeights) -> (placed: Int, cost: Int) {
        let top = companies.filter { $0.state == .active && $0.spare > 0 }.map(\.load).max() ?? 0
        var best = (placed: -1, cost: Int.max)
        var used = [Int](repeating: 0, count: companies.count)
        func go(_ i: Int, _ placed: Int, _ cost: Int) {
            if i == estates.count {
                if placed > best.placed || (placed == best.placed && cost < best.cost) { best = (placed, cost) }
                return
            }
            go(i + 1, placed, cost)
            for (j, c) in companies.enumerated() where used[j] < c.spare && c.state == .active && !estates[i].leftBy.contains(c.uscc) {
                used[j] += 1
                go(i + 1, placed + 1, cost + MatchCostModel.cost(estate: estates[i], company: c, maxLoad: top, weights: weights).total)
                used[j] -= 1
            }
        }
        go(0, 0, 0)
        return best
    }

    @Test("the plan is optimal: as many estates placed as possible, at the least cost (200 random batches against enumeration)")
    func optimalAgainstBruteForce() {
        var g = Generator(state: 20261203)
        let subDistricts = ["豫园街道", "外滩街道", "南京东路街道"]
        let categories: [EstateCategory] = [.directPublic, .workUnitPublic, .earlyCommodity, .otherOld]
        for round in 0..<200 {
            let companies = (0..<(1 + g.next(4))).map { n in
                Self.company(n + 1, score: Double(50 + g.next(51)), load: g.next(3), capacity: 1 + g.next(4), group: g.next(2) == 0,
                             state: g.next(6) == 0 ? .suspended : .active, subDistricts: [subDistricts[g.next(3)]])
            }
            let estates = (0..<(1 + g.next(6))).map { i in
                MatchEstate(code: "E\(i)", subDistrict: subDistricts[g.next(3)], category: categories[g.next(4)],
                            leftBy: g.next(5) == 0 ? [companies[g.next(companies.count)].uscc] : [])
            }
            let near = 10 * g.next(5)
            let w = MatchWeights(sameSubDistrict: near, merit: 40 - near, load: 35, districtGroup: 25)
            let plan = MatchCostModel.plan(estates: estates, companies: companies, weights: w)
            let best = Self.bruteForce(estates, companies, w)
            #expect(plan.pairs.count == best.placed, "batch \(round)")
            #expect(plan.totalCost == best.cost, "batch \(round)")
            // No company over its spare capacity; no excluded pair.
            for c in companies {
                #expect(plan.pairs.filter { $0.uscc == c.uscc.value }.count <= (c.state == .active ? c.spare : 0), "batch \(round)")
            }
            for p in plan.pairs {
                #expect(!estates.first { $0.code == p.estateCode }!.leftBy.contains { $0.value == p.uscc }, "batch \(round)")
            }
        }
    }

    @Test("hand edits: re-checked for eligibility and capacity, marked with the editor, removable")
    func edits() throws {
        let estates = [MatchEstate(code: "E1", subDistrict: "S", category: .otherOld),
                       MatchEstate(code: "E2", subDistrict: "S", category: .otherOld, leftBy: [Self.u(3)])]
        let companies = [Self.company(1, score: 90, capacity: 2), Self.company(2, score: 60, capacity: 1),
                         Self.company(3, score: 70), Self.company(4, state: .expired)]
        let plan = MatchCostModel.plan(estates: estates, companies: companies, weights: .defaults)
        #expect(plan.pairs.allSatisfy { $0.uscc == Self.u(1).value && $0.editedBy == nil })

        // E1 to company 2: allowed, costed afresh, marked.
        let moved = try MatchCostModel.reassign(plan, estateCode: "E1", to: Self.u(2), by: "hp.clerk", estates: estates,
                                                companies: companies, weights: .defaults)
        let pair = try #require(moved.pairs.first { $0.estateCode == "E1" })
        #expect(pair.uscc == Self.u(2).value && pair.editedBy == "hp.clerk")
        #expect(pair.cost == MatchCostModel.cost(estate: estates[0], company: companies[1], maxLoad: 0, weights: .defaults))
        // Then E2 to company 2 as well: its one place is taken.
        #expect(throws: MatchEditError.self) {
            _ = try MatchCostModel.reassign(moved, estateCode: "E2", to: Self.u(2), by: "hp.clerk", estates: estates, companies: companies, weights: .defaults)
        }
        do throws(MatchEditError) {
            _ = try MatchCostModel.reassign(moved, estateCode: "E2", to: Self.u(2), by: "x", estates: estates, companies: companies, weights: .defaults)
        } catch {
            guard case .capacity = error else { Issue.record("expected capacity, got \(error)"); return }
        }
        // Company 3 left E2; company 4's membership expired; company 9 is not in the pool.
        for (n, expected) in [(3, MatchEditError.ineligible("曾退出本小区")),
                              (4, .ineligible("开始日入库状态为 expired，不在有效期或已暂停")),
                              (9, .unknownCompany(Self.u(9).value))] {
            #expect(throws: expected) {
                _ = try MatchCostModel.reassign(plan, estateCode: "E2", to: Self.u(n), by: "x", estates: estates, companies: companies, weights: .defaults)
            }
        }
        #expect(throws: MatchEditError.unknownEstate("E9")) {
            _ = try MatchCostModel.reassign(plan, estateCode: "E9", to: Self.u(1), by: "x", estates: estates, companies: companies, weights: .defaults)
        }
        // Taken out: listed as removed by the clerk; the total drops by that pair's cost.
        let removed = try MatchCostModel.reassign(plan, estateCode: "E2", to: nil, by: "hp.clerk", estates: estates,
                                                  companies: companies, weights: .defaults)
        #expect(removed.pairs.map(\.estateCode) == ["E1"])
        #expect(removed.unplaced == [MatchUnplaced(estateCode: "E2", reason: "removedByClerk")])
        #expect(removed.totalCost == plan.totalCost - plan.pairs[1].cost.total)
    }
}
