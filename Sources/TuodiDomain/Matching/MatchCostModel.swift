// The cost model of a batch custody proposal: which (estate, company) pairs may be proposed and
// what each costs, factor by factor. It is kept apart from the solver, which sees only integer
// costs; a clerk sees the same factors beside every proposed pair.

/// How much each factor of a pair's cost weighs, in points out of 100 (a district setting).
/// A pair's cost is the points it loses: 0 is the ideal company for the estate, 100 the worst.
public struct MatchWeights: Equatable, Sendable, Codable {
    /// Lost when the company holds no estate in the estate's sub-district (our stand-in for distance).
    public var sameSubDistrict: Int
    /// Lost in proportion to the merit score's shortfall from 100.
    public var merit: Int
    /// Lost in proportion to the company's current load against the busiest eligible member (rotation).
    public var load: Int
    /// Lost by a company that is not a district group on `directPublic` and `workUnitPublic` estates.
    public var districtGroup: Int

    public init(sameSubDistrict: Int = 30, merit: Int = 30, load: Int = 25, districtGroup: Int = 15) {
        self.sameSubDistrict = sameSubDistrict; self.merit = merit; self.load = load; self.districtGroup = districtGroup
    }

    public static let defaults = MatchWeights()

    public func validated() throws(ValidationFailure) -> MatchWeights {
        var e = FieldErrors()
        for (name, value) in [("sameSubDistrict", sameSubDistrict), ("merit", merit), ("load", load), ("districtGroup", districtGroup)]
        where !(0...100).contains(value) {
            e.add("matchWeights.\(name)", "range", "匹配权重应为 0–100 的整数")
        }
        if e.errors.isEmpty, sameSubDistrict + merit + load + districtGroup != 100 {
            e.add("matchWeights", "sum", "匹配权重之和应为 100，实为 \(sameSubDistrict + merit + load + districtGroup)")
        }
        try e.throwIfAny()
        return self
    }
}

/// One pool member as a batch proposal sees it, gathered from the registry by the app.
public struct MatchCompany: Equatable, Sendable {
    public let uscc: USCC
    public let name: String
    public let districtGroup: Bool
    /// The membership's state on the term's start date.
    public let state: MembershipState
    public let capacity: Int
    public let score: Double
    /// Arrangements it holds (incl. proposals) at their peak within the term.
    public let load: Int
    /// Sub-districts of the estates it holds within the term.
    public let subDistricts: Set<String>

    public init(uscc: USCC, name: String, districtGroup: Bool, state: MembershipState, capacity: Int, score: Double,
                load: Int, subDistricts: Set<String>) {
        self.uscc = uscc; self.name = name; self.districtGroup = districtGroup; self.state = state
        self.capacity = capacity; self.score = score; self.load = load; self.subDistricts = subDistricts
    }

    /// What it may still take on in the term.
    public var spare: Int { max(capacity - load, 0) }
}

/// One unmanaged estate of a batch.
public struct MatchEstate: Equatable, Sendable {
    public let code: String
    public let subDistrict: String
    public let category: EstateCategory
    /// Companies that served this estate before and left it (never proposed again).
    public let leftBy: Set<USCC>

    public init(code: String, subDistrict: String, category: EstateCategory, leftBy: Set<USCC> = []) {
        self.code = code; self.subDistrict = subDistrict; self.category = category; self.leftBy = leftBy
    }
}

/// One factor of a pair's cost: the raw value, its weight and the points lost, in hundredths.
public struct MatchCostFactor: Equatable, Sendable, Codable {
    public let name: String
    public let label: String
    public let value: Double
    public let weight: Int
    /// Points lost, in hundredths of a point (0 … weight × 100).
    public let cost: Int

    public init(name: String, label: String, value: Double, weight: Int, cost: Int) {
        self.name = name; self.label = label; self.value = value; self.weight = weight; self.cost = cost
    }
}

public struct PairCost: Equatable, Sendable, Codable {
    /// The sum of the factors' costs, in hundredths of a point; the solver minimises its total.
    public let total: Int
    public let factors: [MatchCostFactor]

    public init(total: Int, factors: [MatchCostFactor]) {
        self.total = total; self.factors = factors
    }
}

/// A proposed pair: the estate, the company, and why it costs what it costs.
public struct MatchPair: Equatable, Sendable, Codable {
    public let estateCode: String
    public let uscc: String
    public let companyName: String
    public let cost: PairCost
    /// Who changed this pair by hand, if anyone (the engine's own pairs have none).
    public let editedBy: String?

    public init(estateCode: String, uscc: String, companyName: String, cost: PairCost, editedBy: String?) {
        self.estateCode = estateCode; self.uscc = uscc; self.companyName = companyName; self.cost = cost; self.editedBy = editedBy
    }
}

/// An estate the proposal leaves without a company, and why.
public struct MatchUnplaced: Equatable, Sendable, Codable {
    public let estateCode: String
    /// `noEligibleCompany` or `insufficientCapacity` (from the solver), or `removedByClerk`.
    public let reason: String

    public init(estateCode: String, reason: String) {
        self.estateCode = estateCode; self.reason = reason
    }
}

/// A solved (and perhaps hand-edited) batch: pairs by estate code, the estates left over.
public struct MatchPlan: Equatable, Sendable, Codable {
    public var pairs: [MatchPair]
    public var unplaced: [MatchUnplaced]
    public var totalCost: Int { pairs.reduce(0) { $0 + $1.cost.total } }

    public init(pairs: [MatchPair], unplaced: [MatchUnplaced]) {
        self.pairs = pairs; self.unplaced = unplaced
    }
}

/// Why a hand edit of a plan was refused.
public enum MatchEditError: Error, Equatable, Sendable {
    case unknownEstate(String)
    case unknownCompany(String)
    /// The company may not take this estate (the reason in Chinese).
    case ineligible(String)
    /// The company's spare capacity is used up by the plan's other pairs.
    case capacity(String)
}

public enum MatchCostModel {
    /// Why a company may not be proposed for an estate at all, or `nil` when it may.
    /// Shared with the custody candidate list so both say the same thing.
    public static func exclusion(state: MembershipState, spare: Int, capacity: Int, leftEstate: Bool) -> String? {
        if state != .active { return "开始日入库状态为 \(state.rawValue)，不在有效期或已暂停" }
        if spare <= 0 { return "在管项目已达承接上限（\(capacity)）" }
        if leftEstate { return "曾退出本小区" }
        return nil
    }

    static func exclusion(_ company: MatchCompany, for estate: MatchEstate) -> String? {
        exclusion(state: company.state, spare: company.spare, capacity: company.capacity, leftEstate: estate.leftBy.contains(company.uscc))
    }

    /// Estates of these categories prefer the district's state-owned housing group (domain.md).
    static func prefersDistrictGroup(_ category: EstateCategory) -> Bool {
        category == .directPublic || category == .workUnitPublic
    }

    /// The cost of proposing `company` for `estate`; `maxLoad` is the busiest eligible member's load.
    public static func cost(estate: MatchEstate, company: MatchCompany, maxLoad: Int, weights: MatchWeights) -> PairCost {
        // `lost` is the share (0–1) of the weight the pair loses; costs are whole hundredths of a point.
        func factor(_ name: String, _ label: String, _ value: Double, _ weight: Int, _ lost: Double) -> MatchCostFactor {
            MatchCostFactor(name: name, label: label, value: value, weight: weight,
                            cost: Int((Double(weight) * min(max(lost, 0), 1) * 100).rounded()))
        }
        let same = company.subDistricts.contains(estate.subDistrict)
        let factors = [
            factor("sameSubDistrict", "同街镇在管（就近）", same ? 1 : 0, weights.sameSubDistrict, same ? 0 : 1),
            factor("merit", "入库评分", company.score, weights.merit, 1 - company.score / 100),
            factor("load", "当前在管数量（轮换）", Double(company.load), weights.load,
                   maxLoad == 0 ? 0 : Double(company.load) / Double(maxLoad)),
            factor("districtGroup", "区属房管集团（直管公房、系统公房优先）", company.districtGroup ? 1 : 0, weights.districtGroup,
                   prefersDistrictGroup(estate.category) && !company.districtGroup ? 1 : 0),
        ]
        return PairCost(total: factors.reduce(0) { $0 + $1.cost }, factors: factors)
    }

    static func maxLoad(_ companies: [MatchCompany]) -> Int {
        companies.filter { $0.state == .active && $0.spare > 0 }.map(\.load).max() ?? 0
    }

    /// The optimal plan: every estate that can be placed is, no company over its spare capacity,
    /// at the least total cost. Deterministic: estates and companies are taken in code and USCC order.
    public static func plan(estates: [MatchEstate], companies: [MatchCompany], weights: MatchWeights) -> MatchPlan {
        let estates = estates.sorted { $0.code < $1.code }
        let companies = companies.sorted { $0.uscc.value < $1.uscc.value }
        let top = maxLoad(companies)
        var edges: [AssignmentEdge] = [], costs: [Int: [Int: PairCost]] = [:]
        for (i, estate) in estates.enumerated() {
            for (j, company) in companies.enumerated() where exclusion(company, for: estate) == nil {
                let c = cost(estate: estate, company: company, maxLoad: top, weights: weights)
                edges.append(AssignmentEdge(estate: i, company: j, cost: c.total))
                costs[i, default: [:]][j] = c
            }
        }
        let problem = AssignmentProblem(estateCount: estates.count, capacities: companies.map(\.spare), edges: edges)
        // The problem is valid by construction: indices in range, capacities ≥ 0, costs ≤ 10,000.
        guard let solution = try? MinCostAssignment.solve(problem) else {
            preconditionFailure("a batch built by MatchCostModel is always a valid assignment problem")
        }
        var pairs: [MatchPair] = []
        for (i, j) in solution.companyOfEstate.enumerated() {
            guard let j else { continue }
            pairs.append(MatchPair(estateCode: estates[i].code, uscc: companies[j].uscc.value, companyName: companies[j].name,
                                   cost: costs[i]![j]!, editedBy: nil))
        }
        let unplaced = solution.unplaced.map { MatchUnplaced(estateCode: estates[$0.estate].code, reason: $0.reason.rawValue) }
        return MatchPlan(pairs: pairs, unplaced: unplaced)
    }

    /// The plan with `estateCode` given to `uscc` by hand (or taken out of the plan when `uscc`
    /// is nil), re-checked against eligibility and the company's spare capacity on the current facts.
    public static func reassign(_ plan: MatchPlan, estateCode: String, to uscc: USCC?, by editor: String,
                                estates: [MatchEstate], companies: [MatchCompany], weights: MatchWeights) throws(MatchEditError) -> MatchPlan {
        guard let estate = estates.first(where: { $0.code == estateCode }),
              plan.pairs.contains(where: { $0.estateCode == estateCode }) || plan.unplaced.contains(where: { $0.estateCode == estateCode })
        else { throw .unknownEstate(estateCode) }
        var next = plan
        next.pairs.removeAll { $0.estateCode == estateCode }
        next.unplaced.removeAll { $0.estateCode == estateCode }
        guard let uscc else {
            next.unplaced.append(MatchUnplaced(estateCode: estateCode, reason: "removedByClerk"))
            next.unplaced.sort { $0.estateCode < $1.estateCode }
            return next
        }
        guard let company = companies.first(where: { $0.uscc == uscc }) else { throw .unknownCompany(uscc.value) }
        if let reason = exclusion(company, for: estate) { throw .ineligible(reason) }
        let taken = next.pairs.filter { $0.uscc == uscc.value }.count
        guard taken < company.spare else {
            throw .capacity("\(company.name) 剩余承接能力 \(company.spare)，本方案已安排 \(taken) 个小区")
        }
        let pair = MatchPair(estateCode: estateCode, uscc: uscc.value, companyName: company.name,
                             cost: cost(estate: estate, company: company, maxLoad: maxLoad(companies), weights: weights), editedBy: editor)
        next.pairs.append(pair)
        next.pairs.sort { $0.estateCode < $1.estateCode }
        return next
    }
}
