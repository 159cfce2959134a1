/// What a user may do is decided by their role and, for district roles, their reporting unit.
public enum Role: String, CaseIterable, Sendable, Codable {
    /// Manages users; reads everything; changes no district data.
    case admin
    /// A district bureau's clerk (经办人): registers and proposes, in one reporting unit.
    case districtClerk
    /// A district bureau's approver (审核人): decides what a clerk proposed, in one reporting unit.
    case districtApprover
    /// The municipal bureau's analyst: reads every unit, changes nothing.
    case municipalAnalyst

    /// District roles are bound to exactly one reporting unit; the others to none.
    public var isDistrictScoped: Bool { self == .districtClerk || self == .districtApprover }
}

/// The person (or the CLI operator acting as a named user) behind a request.
public struct Caller: Equatable, Sendable {
    public let userID: Int
    public let username: String
    public let role: Role
    /// The reporting unit of a district role; `nil` for admin and municipal analyst.
    public let unit: String?

    public init(userID: Int, username: String, role: Role, unit: String?) {
        self.userID = userID
        self.username = username
        self.role = role
        self.unit = unit
    }
}

/// Every operation the app offers. The authorisation matrix test walks all of them, so a new
/// operation cannot be added without a decision for every role.
public enum Action: String, CaseIterable, Sendable {
    // identity
    case userCreate = "user.create"
    case userList = "user.list"
    case userDeactivate = "user.deactivate"
    case userResetPassword = "user.resetPassword"
    case tokenRevokeOwn = "token.revokeOwn"
    // companies (city-wide registry)
    case companyRegister = "company.register"
    case companyRead = "company.read"
    // estates (per reporting unit)
    case estateRegister = "estate.register"
    case estateRead = "estate.read"
    case estateRecordFact = "estate.recordFact"
    case estateCorrect = "estate.correct"
    // spreadsheet imports: all rows or none, one audit entry per record created
    case estateImport = "estate.import"
    case companyImport = "company.import"
    case poolImport = "pool.import"
    case factImport = "fact.import"
    // pool (per reporting unit)
    case settingsUpdate = "settings.update"
    case poolRead = "pool.read"
    case poolRoundOpen = "pool.roundOpen"
    case poolApply = "pool.apply"
    case poolScore = "pool.score"
    case poolPropose = "pool.propose"
    case poolDecide = "pool.decide"
    /// A pool admission decided before Tuodi, entered from its published decision (#12).
    case poolRecordAdmission = "pool.recordAdmission"
    case membershipSuspend = "membership.suspend"
    case membershipReinstate = "membership.reinstate"
    case membershipRemove = "membership.remove"
    // arrangements (per reporting unit): custody, owner self-management, community fallback
    case arrangementRead = "arrangement.read"
    case arrangementPropose = "arrangement.propose"
    case arrangementApprove = "arrangement.approve"
    case arrangementReject = "arrangement.reject"
    case arrangementExtend = "arrangement.extend"
    case arrangementTerminate = "arrangement.terminate"
    /// An arrangement of any kind decided before Tuodi, entered from its decision (#12).
    case arrangementRecord = "arrangement.record"
    /// Past arrangements from a district's spreadsheet, all or nothing (#12).
    case arrangementImport = "arrangement.import"
    // competitive selection rounds (per reporting unit)
    case selectionRead = "selection.read"
    case selectionCreate = "selection.create"
    case selectionInvite = "selection.invite"
    case selectionOpen = "selection.open"
    case selectionBid = "selection.bid"
    case selectionInvalidateBid = "selection.invalidateBid"
    case selectionClose = "selection.close"
    case selectionCancel = "selection.cancel"
    case selectionProposeAward = "selection.proposeAward"
    case selectionApproveAward = "selection.approveAward"
    // batch custody proposals from the matching engine (per reporting unit)
    case matchRead = "match.read"
    case matchPropose = "match.propose"
    case matchEdit = "match.edit"
    case matchApprove = "match.approve"
    case matchReject = "match.reject"
    // coverage and the quarterly return
    case coverageRead = "coverage.read"
    case returnRead = "return.read"
    case returnDraft = "return.draft"
    case returnApprove = "return.approve"
    case returnSubmit = "return.submit"
    /// The municipal roll-up and the submission status of every unit.
    case returnRollup = "return.rollup"
    // audit
    case auditRead = "audit.read"
    case auditVerify = "audit.verify"

    /// Whether the operation changes data (and so leaves exactly one audit entry per change).
    public var isMutating: Bool {
        switch self {
        case .userList, .companyRead, .estateRead, .auditRead, .auditVerify, .poolRead, .arrangementRead, .selectionRead, .matchRead,
             .coverageRead, .returnRead, .returnRollup: false
        case .userCreate, .userDeactivate, .userResetPassword, .tokenRevokeOwn, .companyRegister,
             .estateRegister, .estateRecordFact, .estateCorrect, .estateImport, .companyImport, .poolImport, .factImport, .settingsUpdate, .poolRoundOpen, .poolApply, .poolScore,
             .poolPropose, .poolDecide, .poolRecordAdmission, .membershipSuspend, .membershipReinstate, .membershipRemove,
             .arrangementPropose, .arrangementApprove, .arrangementReject, .arrangementExtend, .arrangementTerminate,
             .arrangementRecord, .arrangementImport, .selectionCreate, .selectionInvite, .selectionOpen, .selectionBid, .selectionInvalidateBid, .selectionClose,
             .selectionCancel, .selectionProposeAward, .selectionApproveAward,
             .matchPropose, .matchEdit, .matchApprove, .matchReject, .returnDraft, .returnApprove, .returnSubmit: true
        }
    }

    /// Whether the target is a reporting unit's record (so district scope applies), as opposed to
    /// city-wide data (companies, users, the trail).
    public var isUnitScoped: Bool {
        switch self {
        case .estateRegister, .estateRead, .estateRecordFact, .estateCorrect, .estateImport, .poolImport, .factImport, .settingsUpdate, .poolRead, .poolRoundOpen,
             .poolApply, .poolScore, .poolPropose, .poolDecide, .poolRecordAdmission, .membershipSuspend, .membershipReinstate, .membershipRemove,
             .arrangementRead, .arrangementPropose, .arrangementApprove, .arrangementReject, .arrangementExtend, .arrangementTerminate,
             .arrangementRecord, .arrangementImport, .selectionRead, .selectionCreate, .selectionInvite, .selectionOpen, .selectionBid, .selectionInvalidateBid,
             .selectionClose, .selectionCancel, .selectionProposeAward, .selectionApproveAward,
             .matchRead, .matchPropose, .matchEdit, .matchApprove, .matchReject,
             .coverageRead, .returnRead, .returnDraft, .returnApprove, .returnSubmit: true
        default: false
        }
    }
}

/// The outcome of an authorisation check.
public enum AccessDecision: Equatable, Sendable {
    case allowed
    /// The role may never do this.
    case forbidden
    /// The record belongs to another reporting unit: answered as "not found", so its existence
    /// is not revealed.
    case hidden
}

public enum Authorization {
    /// Decides whether `actor` may perform `operation` on a record of `unit` (`nil` for city-wide
    /// records or listings, which the app then filters to what the actor may see).
    public static func decide(_ operation: Action, actor: Caller, unit: String?) -> AccessDecision {
        // The unit first: another district's record is not found whatever the role, or a
        // district user could tell existing records from missing ones by the 403.
        if operation.isUnitScoped, actor.role.isDistrictScoped, let unit, unit != actor.unit {
            return .hidden
        }
        guard roles(for: operation).contains(actor.role) else { return .forbidden }
        return .allowed
    }

    /// Which roles may perform an operation at all.
    public static func roles(for operation: Action) -> Set<Role> {
        switch operation {
        case .userCreate, .userList, .userDeactivate, .userResetPassword: [.admin]
        case .tokenRevokeOwn: Set(Role.allCases)
        case .companyRegister, .companyImport: [.districtClerk, .admin]
        case .companyRead: Set(Role.allCases)
        case .estateRegister, .estateRecordFact, .estateCorrect, .estateImport, .factImport: [.districtClerk]
        case .estateRead, .poolRead, .arrangementRead, .selectionRead, .matchRead, .coverageRead, .returnRead: Set(Role.allCases)
        case .returnDraft: [.districtClerk]
        // Submitting sends what the approver approved; either district role may do it.
        case .returnSubmit: [.districtClerk, .districtApprover]
        case .returnRollup: [.municipalAnalyst]
        case .arrangementPropose, .arrangementExtend, .arrangementTerminate, .arrangementRecord, .arrangementImport, .selectionCreate, .selectionInvite, .selectionOpen,
             .selectionBid, .selectionInvalidateBid, .selectionClose, .selectionCancel, .selectionProposeAward,
             .matchPropose, .matchEdit:
            [.districtClerk]
        case .arrangementApprove, .arrangementReject, .selectionApproveAward, .matchApprove, .matchReject, .returnApprove: [.districtApprover]
        case .poolRoundOpen, .poolApply, .poolScore, .poolPropose, .poolImport, .poolRecordAdmission, .membershipSuspend, .membershipReinstate, .membershipRemove:
            [.districtClerk]
        // Decisions and district policy belong to the approver, never to the clerk who proposed.
        case .poolDecide, .settingsUpdate: [.districtApprover]
        case .auditRead: Set(Role.allCases)
        case .auditVerify: [.admin, .municipalAnalyst]
        }
    }

    /// For listings: the unit a district role is confined to, `nil` for roles that see all.
    public static func visibleUnit(for actor: Caller) -> String? {
        actor.role.isDistrictScoped ? actor.unit : nil
    }
}
