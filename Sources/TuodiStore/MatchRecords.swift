import Foundation
import TuodiDomain

/// A batch custody proposal as stored: the plan the engine found (perhaps edited by hand), the
/// weights it used and the decision.
public struct MatchProposal: Equatable, Sendable {
    public enum Status: String, Sendable, Codable { case proposed, approved, rejected }

    public let id: Int
    public let unit: String
    public let asOf: LocalDate
    /// The custody term every pair's arrangement gets on approval.
    public let termStart: LocalDate
    public let termEnd: LocalDate
    public var status: Status
    public let weights: MatchWeights
    public var plan: MatchPlan
    public let proposedBy: String
    public let createdAt: String
    public var decidedBy: String?
    public var decidedAt: String?
    public var decisionReason: String?
    /// The custody arrangements its approval created.
    public var arrangementIDs: [Int]

    public init(id: Int, unit: String, asOf: LocalDate, termStart: LocalDate, termEnd: LocalDate, status: Status, weights: MatchWeights,
                plan: MatchPlan, proposedBy: String, createdAt: String, decidedBy: String? = nil, decidedAt: String? = nil,
                decisionReason: String? = nil, arrangementIDs: [Int] = []) {
        self.id = id; self.unit = unit; self.asOf = asOf; self.termStart = termStart; self.termEnd = termEnd; self.status = status
        self.weights = weights; self.plan = plan; self.proposedBy = proposedBy; self.createdAt = createdAt
        self.decidedBy = decidedBy; self.decidedAt = decidedAt; self.decisionReason = decisionReason
        self.arrangementIDs = arrangementIDs
    }
}
