import Foundation
import TuodiDomain

/// An arrangement to insert. The store refuses it (`StoreError.refused`) when it would overlap
/// another on the estate or take the company over `capacity`.
public struct NewArrangement: Sendable {
    public let estateID: Int
    public let unit: String
    public let kind: CoverageKind
    public let provider: ArrangementProvider
    public let start: LocalDate
    public let plannedEnd: LocalDate?
    public let reviewDate: LocalDate?
    public let fee: Double?
    public let status: ArrangementStatus
    public let justification: String?
    public let replaces: Int?
    public let selectionRoundID: Int?
    public let proposedBy: String
    public let decidedBy: String?
    public let createdAt: Date
    /// The past decision it records (#12), if it is one.
    public let recorded: RecordedDecision?

    public init(estateID: Int, unit: String, kind: CoverageKind, provider: ArrangementProvider, start: LocalDate,
                plannedEnd: LocalDate?, reviewDate: LocalDate?, fee: Double?, status: ArrangementStatus, justification: String?,
                replaces: Int?, selectionRoundID: Int?, proposedBy: String, decidedBy: String?, createdAt: Date,
                recorded: RecordedDecision? = nil) {
        self.estateID = estateID; self.unit = unit; self.kind = kind; self.provider = provider; self.start = start
        self.plannedEnd = plannedEnd; self.reviewDate = reviewDate; self.fee = fee; self.status = status
        self.justification = justification; self.replaces = replaces; self.selectionRoundID = selectionRoundID
        self.proposedBy = proposedBy; self.decidedBy = decidedBy; self.createdAt = createdAt; self.recorded = recorded
    }

    /// The days it covers once stored (`Arrangement.coverage`): none for a proposal.
    public var coverage: CoverageSpan? { stored(id: 0, estateCode: "").coverage }

    /// The arrangement as it reads once stored under `id`: no decision reason and no end yet.
    public func stored(id: Int, estateCode: String) -> Arrangement {
        Arrangement(id: id, estateID: estateID, estateCode: estateCode, unit: unit, kind: kind, provider: provider, start: start,
                    plannedEnd: plannedEnd, reviewDate: reviewDate, endedOn: nil, fee: fee, status: status, justification: justification,
                    replaces: replaces, selectionRoundID: selectionRoundID, proposedBy: proposedBy, decidedBy: decidedBy,
                    decisionReason: nil, recorded: recorded)
    }
}

/// Which arrangements to read. All conditions hold together; `nil` means "any".
public struct ArrangementFilter: Sendable {
    public var unit: String?
    public var estateID: Int?
    public var uscc: USCC?
    public var statuses: [ArrangementStatus]?
    /// Keeps those with a planned end or an end date later than this day (open-ended ones are
    /// left out): a superset of "its last day is after this day" that lets the database skip
    /// a unit's past years; the caller applies `Arrangement.effectiveEnd` itself.
    public var endingAfter: LocalDate?
    /// Keeps those with a planned end or an end date on or before this day (open-ended ones are
    /// left out): exactly "`Arrangement.effectiveEnd` is on or before this day", so a list of
    /// what ends soon fetches only that.
    public var endingBy: LocalDate?
    public init(unit: String? = nil, estateID: Int? = nil, uscc: USCC? = nil, statuses: [ArrangementStatus]? = nil,
                endingAfter: LocalDate? = nil, endingBy: LocalDate? = nil) {
        self.unit = unit; self.estateID = estateID; self.uscc = uscc; self.statuses = statuses; self.endingAfter = endingAfter
        self.endingBy = endingBy
    }
}

/// A dated change to an arrangement, with its reason.
public struct ArrangementChange: Equatable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable { case extended, terminated, replaced, regularAppointment }
    public let id: Int
    public let arrangementID: Int
    public let kind: Kind
    public let date: LocalDate
    public let previousEnd: LocalDate?
    public let reason: String
    public let recordedAt: String
    public let recordedBy: String
}

/// A competitive-selection round with its lots, invitations and bids.
public struct SelectionRound: Equatable, Sendable {
    public let id: Int
    public let unit: String
    public let title: String
    public var status: SelectionStatus
    public let weights: SelectionWeights
    /// Bids are received until this day.
    public let closesOn: LocalDate
    /// The service term of the arrangements the award creates.
    public let termStart: LocalDate
    public let termEnd: LocalDate
    public let createdAt: String
    public let createdBy: String
    public var openedAt: String?
    public var closedAt: String?
    public var finishedOn: LocalDate?
    /// When it was awarded, failed or cancelled (ISO 8601 timestamp).
    public var finishedAt: String?
    public var outcomeReason: String?
    public var awardBidID: Int?
    public var awardProposedBy: String?
    public var awardDecidedBy: String?
    /// Estate ids and codes of the lots.
    public let lots: [Lot]
    public let invited: [USCC]
    public let bids: [Bid]
    /// Set for a selection awarded outside Tuodi and recorded after the fact (#12): it has no
    /// invitations and no bids, and its weights mean nothing.
    public var recorded: RecordedAward? = nil

    public struct Lot: Equatable, Sendable {
        public let estateID: Int
        public let estateCode: String
    }
}

/// What is known of a selection awarded outside Tuodi: the award document, the winner, and
/// (when the document says) how many valid bids there were and the awarded price.
public struct RecordedAward: Equatable, Sendable {
    public let decision: RecordedDecision
    public let winner: USCC
    public let validBids: Int?
    /// Yuan per m² per month.
    public let awardedPrice: Double?
    public init(decision: RecordedDecision, winner: USCC, validBids: Int?, awardedPrice: Double?) {
        self.decision = decision; self.winner = winner; self.validBids = validBids; self.awardedPrice = awardedPrice
    }
}

/// A round to insert.
public struct NewSelectionRound: Sendable {
    public let unit: String
    public let title: String
    public let weights: SelectionWeights
    public let closesOn: LocalDate
    public let termStart: LocalDate
    public let termEnd: LocalDate
    public let estateIDs: [Int]
    public let createdBy: String
    public let createdAt: Date
    public init(unit: String, title: String, weights: SelectionWeights, closesOn: LocalDate, termStart: LocalDate,
                termEnd: LocalDate, estateIDs: [Int], createdBy: String, createdAt: Date) {
        self.unit = unit; self.title = title; self.weights = weights; self.closesOn = closesOn; self.termStart = termStart
        self.termEnd = termEnd; self.estateIDs = estateIDs; self.createdBy = createdBy; self.createdAt = createdAt
    }
}
