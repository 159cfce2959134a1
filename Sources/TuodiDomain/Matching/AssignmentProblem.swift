// Public model types of the capacitated assignment problem.
//
// No Foundation: the solver module only depends on the Swift standard library.

/// A candidate edge: `estate` may be assigned to `company` at integer `cost`.
public struct AssignmentEdge: Sendable, Equatable, Hashable {
    /// Estate index, `0..<estateCount`.
    public var estate: Int
    /// Company index, `0..<capacities.count`.
    public var company: Int
    /// Cost of this assignment; must satisfy `abs(cost) <= MinCostAssignment.maxAbsoluteCost`.
    public var cost: Int

    public init(estate: Int, company: Int, cost: Int) {
        self.estate = estate
        self.company = company
        self.cost = cost
    }
}

/// A capacitated assignment instance: place every estate on exactly one company,
/// at most `capacities[j]` estates on company `j`, using only the candidate `edges`,
/// minimising the total cost.
///
/// Duplicate edges (same estate and company) are allowed; the cheapest one counts.
/// Edges to companies of capacity 0 are allowed and ignored.
public struct AssignmentProblem: Sendable, Equatable {
    /// Number of estates `N`; estates are `0..<estateCount`.
    public var estateCount: Int
    /// `capacities[j]` is the maximum number of estates company `j` may take (`>= 0`).
    /// The number of companies `M` is `capacities.count`.
    public var capacities: [Int]
    /// The candidate edges, in any order.
    public var edges: [AssignmentEdge]

    public init(estateCount: Int, capacities: [Int], edges: [AssignmentEdge]) {
        self.estateCount = estateCount
        self.capacities = capacities
        self.edges = edges
    }

    /// Number of companies `M`.
    public var companyCount: Int { capacities.count }

    /// Checks the structural preconditions of the solver.
    /// - Throws: the first violation found, scanning capacities then edges in order.
    public func validate() throws(AssignmentProblemError) {
        if estateCount < 0 { throw .negativeEstateCount(estateCount) }
        for (j, c) in capacities.enumerated() where c < 0 {
            throw .negativeCapacity(company: j, capacity: c)
        }
        let m = capacities.count
        let limit = MinCostAssignment.maxAbsoluteCost
        for (k, e) in edges.enumerated() {
            if e.estate < 0 || e.estate >= estateCount {
                throw .estateOutOfRange(edgeIndex: k, estate: e.estate, estateCount: estateCount)
            }
            if e.company < 0 || e.company >= m {
                throw .companyOutOfRange(edgeIndex: k, company: e.company, companyCount: m)
            }
            if e.cost < -limit || e.cost > limit {
                throw .costOutOfRange(edgeIndex: k, cost: e.cost, limit: limit)
            }
        }
    }
}

/// Why an `AssignmentProblem` cannot be solved.
public enum AssignmentProblemError: Error, Sendable, Equatable, CustomStringConvertible {
    case negativeEstateCount(Int)
    case negativeCapacity(company: Int, capacity: Int)
    case estateOutOfRange(edgeIndex: Int, estate: Int, estateCount: Int)
    case companyOutOfRange(edgeIndex: Int, company: Int, companyCount: Int)
    case costOutOfRange(edgeIndex: Int, cost: Int, limit: Int)
    /// The instance is so large (companies × cost magnitude) that the solver's internal
    /// integer arithmetic could overflow.
    case instanceTooLarge(companyCount: Int, maxAbsoluteCost: Int)

    public var description: String {
        switch self {
        case .negativeEstateCount(let n):
            return "estate count must be >= 0, got \(n)"
        case .negativeCapacity(let j, let c):
            return "company \(j) has negative capacity \(c)"
        case .estateOutOfRange(let k, let i, let n):
            return "edge #\(k) refers to estate \(i), outside 0..<\(n)"
        case .companyOutOfRange(let k, let j, let m):
            return "edge #\(k) refers to company \(j), outside 0..<\(m)"
        case .costOutOfRange(let k, let c, let limit):
            return "edge #\(k) has cost \(c), outside -\(limit)...\(limit)"
        case .instanceTooLarge(let m, let c):
            return "instance too large for exact 64-bit arithmetic (\(m) companies, max |cost| \(c))"
        }
    }
}

/// Why an estate is left without a company.
public enum UnplacedReason: String, Sendable, Equatable, Hashable {
    /// The estate has no candidate edge, or only edges to companies of capacity 0.
    case noEligibleCompany
    /// The estate has usable edges, but no maximum-cardinality assignment can place it
    /// together with all placed estates (total or local lack of capacity).
    case insufficientCapacity
}

/// An estate left without a company, with the reason.
public struct UnplacedEstate: Sendable, Equatable, Hashable {
    public var estate: Int
    public var reason: UnplacedReason

    public init(estate: Int, reason: UnplacedReason) {
        self.estate = estate
        self.reason = reason
    }
}

/// The result of `MinCostAssignment.solve`.
///
/// The assignment has maximum cardinality (as many estates placed as the edges and
/// capacities allow) and, among those, minimum total cost.
public struct AssignmentSolution: Sendable, Equatable {
    /// `companyOfEstate[i]` is the company of estate `i`, or `nil` if it is unplaced.
    public var companyOfEstate: [Int?]
    /// Sum of the costs of the chosen edges (unplaced estates contribute nothing).
    public var totalCost: Int
    /// Unplaced estates in increasing estate order.
    public var unplaced: [UnplacedEstate]

    public init(companyOfEstate: [Int?], totalCost: Int, unplaced: [UnplacedEstate]) {
        self.companyOfEstate = companyOfEstate
        self.totalCost = totalCost
        self.unplaced = unplaced
    }

    /// `true` when every estate is placed.
    public var isComplete: Bool { unplaced.isEmpty }
    /// Number of placed estates.
    public var placedCount: Int { companyOfEstate.count - unplaced.count }
}
