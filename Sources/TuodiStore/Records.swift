import Foundation
import TuodiDomain

/// A stored user account.
public struct UserRecord: Equatable, Sendable {
    public let id: Int
    public let username: String
    public let displayName: String
    public let role: Role
    public let unit: String?
    public let passwordHash: String
    public let active: Bool
    public let failedLogins: Int
    /// Seconds since 1970 of the last failed login.
    public let lastFailedAt: Double?

    public var actor: Caller { Caller(userID: id, username: username, role: role, unit: unit) }
}

/// A user to insert (the password already hashed).
public struct NewUser: Sendable {
    public let username: String
    public let displayName: String
    public let role: Role
    public let unit: String?
    public let passwordHash: String
    public init(username: String, displayName: String, role: Role, unit: String?, passwordHash: String) {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.unit = unit
        self.passwordHash = passwordHash
    }
}

/// One change to record in the audit trail.
public struct AuditDraft: Sendable, Equatable {
    public let recordedAt: Date
    /// The username of whoever made the change.
    public let actor: String
    /// The operation, e.g. `company.register`.
    public let action: String
    public let entity: String
    public let entityID: String
    /// The reporting unit the record belongs to, for district-scoped reading.
    public let unit: String?
    public let reason: String?
    /// JSON of the record before and after the change.
    public let before: String?
    public let after: String?

    public init(recordedAt: Date, actor: String, action: String, entity: String, entityID: String, unit: String?,
                reason: String?, before: String?, after: String?) {
        self.recordedAt = recordedAt
        self.actor = actor
        self.action = action
        self.entity = entity
        self.entityID = entityID
        self.unit = unit
        self.reason = reason
        self.before = before
        self.after = after
    }
}

/// The newest entry of the audit trail. Every change appends an entry in its own transaction, so
/// the head moves exactly when committed data does: what was computed from the data stays right
/// for as long as the head stays where it was.
public struct AuditHead: Sendable, Hashable {
    public let seq: Int
    public let hash: String
    public init(seq: Int, hash: String) { self.seq = seq; self.hash = hash }
}

/// A recorded audit entry.
public struct AuditEntry: Sendable, Equatable {
    public let seq: Int
    /// ISO 8601 with milliseconds, UTC, stored as text so the hashed value round-trips exactly.
    public let recordedAt: String
    public let actor: String
    public let action: String
    public let entity: String
    public let entityID: String
    public let unit: String?
    public let reason: String?
    public let before: String?
    public let after: String?
    public let prevHash: String
    public let hash: String
}

/// Which audit entries to read.
public struct AuditFilter: Sendable, Equatable {
    public var entity: String?
    public var entityID: String?
    public var actor: String?
    /// Inclusive bounds on the recorded time (ISO 8601 text compares in time order).
    public var from: String?
    public var to: String?
    /// Only entries of this unit (district roles); `nil` for all.
    public var unit: String?
    public var limit: Int = 200
    public var afterSeq: Int = 0
    public init() {}
}

/// A stored estate with its row id.
public struct StoredEstate: Equatable, Sendable {
    public let id: Int
    public let estate: Estate
    /// When it was entered in the registry (ISO 8601, UTC), the exact text stored.
    public let registeredAt: String
}

/// A management fact to insert.
public struct NewManagementFact: Sendable {
    public let estateID: Int
    public let date: LocalDate
    /// `nil` for a retraction.
    public let kind: ManagementFactKind?
    public let supersedes: Int?
    public let correctionReason: String?
    public let recordedAt: Date
    public let recordedBy: String

    public init(estateID: Int, date: LocalDate, kind: ManagementFactKind?, supersedes: Int? = nil,
                correctionReason: String? = nil, recordedAt: Date, recordedBy: String) {
        self.estateID = estateID
        self.date = date
        self.kind = kind
        self.supersedes = supersedes
        self.correctionReason = correctionReason
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
    }
}

/// A stored fact with when and by whom it was recorded.
public struct StoredFact: Equatable, Sendable {
    public let fact: ManagementFact
    public let recordedAt: String
    public let recordedBy: String
    public let correctionReason: String?
}

/// A stored admission round.
public struct AdmissionRound: Equatable, Sendable {
    public let id: Int
    public let unit: String
    public let title: String
    public let opensOn: LocalDate
    public let closesOn: LocalDate
    public let criteria: [ScoringCriterion]
    public let createdBy: String
    /// A recorded admission decided before Tuodi: the decision's date (its memberships start
    /// then) and its document reference (文号); both `nil` for a live round.
    public var decidedOn: LocalDate? = nil
    public var documentRef: String? = nil
    public var isRecordedDecision: Bool { decidedOn != nil }
}

/// A company's application in a round, with its scoring, proposal and decision.
public struct PoolApplication: Equatable, Sendable {
    public let id: Int
    public let roundID: Int
    public let uscc: String
    public var status: ApplicationStatus
    public let capacityEstates: Int
    public let capacityHouseholds: Int?
    public var scores: [String: Double]?
    public var total: Double?
    public var proposal: AdmissionProposal?
    public var proposalReason: String?
    public var proposedBy: String?
    public var decidedBy: String?
    public var decisionReason: String?
    public let recordedBy: String
    /// The last day of the membership when the recorded decision stated its own term.
    public var termEnd: LocalDate? = nil
}

/// A pool admission decided before Tuodi, validated: the decision and each company it admitted.
public struct RecordedAdmission: Sendable {
    public struct Member: Sendable {
        public let uscc: USCC
        public let capacityEstates: Int
        public let capacityHouseholds: Int?
        /// The membership's last day when the decision stated it; else the district's term applies.
        public let termEnd: LocalDate?
        public init(uscc: USCC, capacityEstates: Int, capacityHouseholds: Int?, termEnd: LocalDate?) {
            self.uscc = uscc; self.capacityEstates = capacityEstates; self.capacityHouseholds = capacityHouseholds; self.termEnd = termEnd
        }
    }
    public let unit: String
    public let title: String
    public let decidedOn: LocalDate
    public let documentRef: String
    public let members: [Member]
    public init(unit: String, title: String, decidedOn: LocalDate, documentRef: String, members: [Member]) {
        self.unit = unit; self.title = title; self.decidedOn = decidedOn; self.documentRef = documentRef; self.members = members
    }
}

/// A membership to insert.
public struct NewMembership: Sendable {
    public let unit: String
    public let uscc: USCC
    public let applicationID: Int
    public let start: LocalDate
    public let end: LocalDate
    public let capacityEstates: Int
    public let capacityHouseholds: Int?
    public let score: Double
    public init(unit: String, uscc: USCC, applicationID: Int, start: LocalDate, end: LocalDate, capacityEstates: Int,
                capacityHouseholds: Int?, score: Double) {
        self.unit = unit; self.uscc = uscc; self.applicationID = applicationID; self.start = start; self.end = end
        self.capacityEstates = capacityEstates; self.capacityHouseholds = capacityHouseholds; self.score = score
    }
}

/// An estate whose stored read-model rows are not what `EstateTimeline` computes now.
public struct ReadModelMismatch: Equatable, Sendable {
    public let code: String
    public let stored: EstateReadModel
    public let computed: EstateReadModel
}

/// What the estate list filters on; every condition holds together, `nil` means "any".
public struct EstateSearchFilter: Sendable, Equatable {
    public var unit: String?
    /// Part of the code or the name; A–Z match in either case, every other character as it is.
    public var text: String?
    public var category: EstateCategory?
    public var subDistrict: String?
    public var highDisputeOnly = false
    /// The state on the search's day (`.unknown`: no fact recorded by then).
    public var state: EstateState?
    public init(unit: String? = nil, text: String? = nil, category: EstateCategory? = nil, subDistrict: String? = nil,
                highDisputeOnly: Bool = false, state: EstateState? = nil) {
        self.unit = unit; self.text = text; self.category = category; self.subDistrict = subDistrict
        self.highDisputeOnly = highDisputeOnly; self.state = state
    }
}

/// One page of the estate list, each estate with its state on the search's day (from the read
/// model), the number that match, and the sub-districts of the unit for the filter's choices.
public struct EstateSearchPage: Sendable {
    public let items: [(estate: StoredEstate, state: EstateState)]
    public let total: Int
    public let subDistricts: [String]
}
