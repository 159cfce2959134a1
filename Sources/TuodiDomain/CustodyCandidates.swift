/// What the ranking knows about one pool member, gathered by the app from the registry.
public struct CandidateFacts: Sendable {
    public let uscc: USCC
    public let companyName: String
    public let districtGroup: Bool
    /// The membership's state on the start date.
    public let state: MembershipState
    public let capacity: Int
    public let score: Double
    /// Arrangements (held, incl. proposals) at their peak within the planned term.
    public let load: Int
    /// How many of those are in the estate's sub-district.
    public let sameSubDistrict: Int
    /// The company once served this estate and left it (excluded).
    public let leftThisEstate: Bool

    public init(uscc: USCC, companyName: String, districtGroup: Bool, state: MembershipState, capacity: Int, score: Double,
                load: Int, sameSubDistrict: Int, leftThisEstate: Bool = false) {
        self.uscc = uscc; self.companyName = companyName; self.districtGroup = districtGroup; self.state = state
        self.capacity = capacity; self.score = score; self.load = load; self.sameSubDistrict = sameSubDistrict
        self.leftThisEstate = leftThisEstate
    }

    public var spare: Int { capacity - load }
}

/// One factor of a candidate's rank: its raw value, its share (0–1), its weight and its points.
public struct CandidateFactor: Equatable, Sendable, Codable {
    public let name: String
    public let label: String
    public let value: Double
    public let share: Double
    public let weight: Int
    public let points: Double
}

public struct RankedCandidate: Sendable {
    public let facts: CandidateFacts
    public let rank: Int
    /// The sum of the factors' points (0–100), to the cent.
    public let total: Double
    public let factors: [CandidateFactor]
}

public struct IneligibleCandidate: Sendable {
    public let facts: CandidateFacts
    /// The rule that excludes it (`ineligible` reasons in Chinese).
    public let reason: String
}

/// How much each factor weighs (points out of 100).
public struct CandidateWeights: Equatable, Sendable, Codable {
    public var spareCapacity = 25
    public var merit = 30
    public var load = 20
    public var sameSubDistrict = 10
    public var districtGroup = 15
    public init() {}
}

/// Ranks pool members for a direct custody appointment, and says why.
public enum CustodyCandidates {
    public static func rank(_ members: [CandidateFacts], estate: Estate, weights: CandidateWeights = .init())
        -> (eligible: [RankedCandidate], ineligible: [IneligibleCandidate]) {
        var eligible: [CandidateFacts] = [], ineligible: [IneligibleCandidate] = []
        for m in members {
            if let reason = MatchCostModel.exclusion(state: m.state, spare: m.spare, capacity: m.capacity, leftEstate: m.leftThisEstate) {
                ineligible.append(.init(facts: m, reason: reason))
            } else {
                eligible.append(m)
            }
        }
        let maxSpare = Double(eligible.map(\.spare).max() ?? 1)
        let maxLoad = Double(eligible.map(\.load).max() ?? 0)
        let publicHousing = MatchCostModel.prefersDistrictGroup(estate.category)
        let scored = eligible.map { m -> (CandidateFacts, [CandidateFactor]) in
            func factor(_ name: String, _ label: String, _ value: Double, _ share: Double, _ weight: Int) -> CandidateFactor {
                CandidateFactor(name: name, label: label, value: value, share: share, weight: weight,
                                points: SelectionEvaluation.cents(share * Double(weight)))
            }
            return (m, [
                factor("spareCapacity", "剩余承接能力", Double(m.spare), Double(m.spare) / maxSpare, weights.spareCapacity),
                factor("merit", "入库评分", m.score, min(max(m.score / 100, 0), 1), weights.merit),
                // Rotation: the fewer estates a company already holds, the more this factor gives.
                factor("load", "当前在管数量（轮换）", Double(m.load), maxLoad == 0 ? 1 : 1 - Double(m.load) / maxLoad, weights.load),
                factor("sameSubDistrict", "同街镇在管", Double(m.sameSubDistrict), m.sameSubDistrict > 0 ? 1 : 0, weights.sameSubDistrict),
                factor("districtGroup", "区属房管集团（直管公房、系统公房优先）", m.districtGroup ? 1 : 0,
                       m.districtGroup && publicHousing ? 1 : 0, weights.districtGroup),
            ])
        }
        let ranked = scored.map { ($0.0, SelectionEvaluation.cents($0.1.reduce(0) { $0 + $1.points }), $0.1) }
            .sorted { ($0.1, $1.0.uscc.value) > ($1.1, $0.0.uscc.value) }
        return (ranked.enumerated().map { RankedCandidate(facts: $1.0, rank: $0 + 1, total: $1.1, factors: $1.2) }, ineligible)
    }
}
