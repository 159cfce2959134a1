import Foundation
import TuodiDomain

/// Which database a store runs on.
public enum StoreKind: String, Sendable, CaseIterable {
    case sqlite, postgres
}

/// The persistence contract. Every backend implements it, and one conformance suite
/// (`TuodiStoreConformance`) holds each of them to it.
///
/// All reads and writes happen inside `transaction`, so a use case sees one consistent state and
/// either all of its changes land or none do.
public protocol Store: Sendable {
    /// The backend, for logs and readiness reports.
    var kind: StoreKind { get }

    /// Runs `body` in one database transaction: committed when it returns, rolled back when it
    /// throws. Constraint violations surface as `StoreError`.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) async throws -> T) async throws -> T

    /// Runs `body` in a read-only transaction: it sees one committed state, any write in it fails,
    /// and on SQLite it runs on a read connection of its own, so it neither waits for a writer nor
    /// holds one up. For use cases that only read.
    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) async throws -> T) async throws -> T

    /// Runs `first` and `second` at once, each in a read-only transaction on a session of its
    /// own, and returns both once they saw the same committed state: the same head of the audit
    /// trail, to which every change appends in its own transaction. When a change landed between
    /// their starts both run again; after three tries they run one after the other in one read.
    /// For a report whose longest queries can run side by side.
    func readInParallel<A: Sendable, B: Sendable>(_ first: @escaping @Sendable (any StoreTransaction) async throws -> A,
                                                  _ second: @escaping @Sendable (any StoreTransaction) async throws -> B) async throws -> (A, B)

    /// Applies pending migrations, each in its own transaction; returns the versions applied.
    /// Refuses (throws `MigrationError`) when an applied file was changed.
    func migrate() async throws -> [Migration]

    /// Applied, pending and changed migrations, without changing anything.
    func migrationStatus() async throws -> MigrationStatus

    /// Answers a trivial query: the database is reachable.
    func ping() async throws

    /// After a bulk load: brings the query planner's statistics up to date where the database
    /// keeps them (PostgreSQL's ANALYZE; its autovacuum would get there only a minute or more
    /// later, and until then it plans for the empty tables it last saw).
    func refreshStatistics() async throws

    /// Closes connections. The store is unusable afterwards.
    func close() async throws
}

/// The operations available inside a transaction.
public protocol StoreTransaction: Sendable {
    /// The reporting units, in their fixed order.
    func reportingUnits() async throws -> [ReportingUnit]

    /// Inserts a company. Throws `StoreError.duplicate` when the USCC is already registered.
    func insertCompany(_ company: Company, recordedAt: Date) async throws

    /// The company with this USCC, if registered.
    func company(uscc: USCC) async throws -> Company?

    /// Companies ordered by USCC, a page at a time.
    func companies(limit: Int, offset: Int) async throws -> [Company]

    /// The registered companies among these USCCs (one query per thousand, not one each).
    func companies(usccs: Set<String>) async throws -> [Company]

    /// How many companies are registered.
    func companyCount() async throws -> Int

    // MARK: users and tokens

    /// Inserts a user; `StoreError.duplicate` when the username is taken. Returns the id.
    func insertUser(_ user: NewUser, createdAt: Date) async throws -> Int
    func user(username: String) async throws -> UserRecord?
    func user(id: Int) async throws -> UserRecord?
    func users() async throws -> [UserRecord]
    func userCount() async throws -> Int
    func setUserActive(id: Int, active: Bool) async throws
    /// Replaces a user's password hash, clears their failed logins and revokes every token they
    /// hold at `at` (seconds since 1970): a reset password ends every session.
    func resetUserPassword(id: Int, passwordHash: String, at: Double) async throws
    /// Counts a login attempt at `at` (seconds since 1970) as a failure before its password is
    /// checked, unless the account is locked: `maxFailures` or more failures, the last less than
    /// `lockSeconds` ago. Check and count are one statement, so of any number of parallel
    /// attempts at most `maxFailures` get through. Returns false, counting nothing, when locked.
    func claimLoginAttempt(userID: Int, at: Double, maxFailures: Int, lockSeconds: Double) async throws -> Bool
    /// Clears the count after a correct password (the claimed attempt included).
    func resetLoginFailures(userID: Int) async throws

    func insertToken(userID: Int, tokenHash: String, createdAt: Double, expiresAt: Double) async throws
    /// The active user owning a token that is neither revoked nor expired at `now`.
    func tokenOwner(tokenHash: String, now: Double) async throws -> UserRecord?
    /// Revokes a token; returns whether one was revoked.
    func revokeToken(tokenHash: String, at: Double) async throws -> Bool

    // MARK: audit trail

    /// Appends one entry to the hash-chained trail, in the caller's transaction.
    @discardableResult
    func appendAudit(_ draft: AuditDraft) async throws -> AuditEntry
    /// Appends several entries, chained in order (imports).
    func appendAudits(_ drafts: [AuditDraft]) async throws
    func auditEntries(_ filter: AuditFilter) async throws -> [AuditEntry]
    /// The newest entry's sequence number and hash; nil while the trail is empty.
    func auditHead() async throws -> AuditHead?
    /// Takes the audit trail's lock now rather than at this transaction's first append (a no-op
    /// where the transaction already excludes other writers, SQLite's). Every change appends to
    /// the trail under that lock, so until this transaction ends nothing else commits and each
    /// later statement sees the same state: for a use case that stores figures it computed over
    /// many queries (a return's draft). Other writers wait meanwhile, so keep it short.
    func lockAuditTrail() async throws
    /// Every entry in order, for verification.
    func allAuditEntries() async throws -> [AuditEntry]

    // MARK: estates

    /// Inserts an estate; `StoreError.duplicate` when the code is taken. Returns the id.
    func insertEstate(_ estate: Estate, createdAt: Date) async throws -> Int
    func estate(code: String) async throws -> StoredEstate?
    /// Estates of one unit (or all when `unit` is nil), ordered by code.
    func estates(unit: String?, limit: Int, offset: Int) async throws -> [StoredEstate]
    func estateCount(unit: String?) async throws -> Int
    /// The estate list: one page of the estates matching `filter`, by code, with each one's state
    /// on `day` read from the read model.
    func searchEstates(_ filter: EstateSearchFilter, on day: LocalDate, limit: Int, offset: Int) async throws -> EstateSearchPage
    /// Inserts many estates at once (imports); `StoreError.duplicate` if any code is taken.
    func insertEstates(_ estates: [Estate], createdAt: Date) async throws
    /// Which of `codes` are already registered.
    func existingEstateCodes(_ codes: [String]) async throws -> Set<String>
    /// Inserts a management fact; `StoreError.duplicate` when the superseded fact was already superseded.
    func insertFact(_ fact: NewManagementFact) async throws -> Int
    /// Inserts many new facts at once (imports; no corrections), at most one per estate and day;
    /// returns their ids in the order given.
    func insertFacts(_ facts: [NewManagementFact]) async throws -> [Int]
    /// All facts of an estate, including superseded ones, in recording order.
    func facts(estateID: Int) async throws -> [StoredFact]
    /// The facts of every estate of a unit (all units when nil), by estate id, each in recording
    /// order: one query for reports over many estates.
    func facts(unit: String?) async throws -> [Int: [StoredFact]]

    // MARK: the episode read model (migration 0011)

    /// What coverage figures on `day` read from the read model, one unit or every unit when nil:
    /// every estate counted once by unit, category, state on `day` and registration by `day`.
    func stateCounts(unit: String?, on day: LocalDate) async throws -> [StateCount]
    /// The estates unmanaged on `day`, each with the start of its running episode.
    func unmanagedEstates(unit: String?, on day: LocalDate) async throws -> [UnmanagedRow]
    /// The episodes starting in `from...to`, each with its estate's state on `to`: one estate's
    /// rows together in start order, estates by code (Swift's string order, the same on every backend).
    func episodesStarting(unit: String?, from: LocalDate, to: LocalDate) async throws -> [EpisodeRow]
    /// Approved arrangements running on `after` whose last day may fall in `(after, through]`
    /// (a superset: callers apply `Arrangement.coverage`). One unit, or all when nil.
    func arrangementsEnding(unit: String?, after: LocalDate, through: LocalDate) async throws -> [Arrangement]
    /// Rewrites every estate's read-model rows from scratch; returns how many estates there are.
    func rebuildReadModel() async throws -> Int
    /// The stored rows by estate code (estates without any row are absent).
    func readModelRows() async throws -> [String: EstateReadModel]
    /// Estates whose stored rows differ from a from-scratch `EstateTimeline` computation.
    func readModelMismatches() async throws -> [ReadModelMismatch]

    // MARK: pool

    /// A unit's settings (the defaults until a district sets its own).
    func districtSettings(unit: String) async throws -> DistrictSettings
    /// Every unit's own settings by unit; a unit missing from it uses the defaults.
    func allDistrictSettings() async throws -> [String: DistrictSettings]
    func putDistrictSettings(unit: String, _ settings: DistrictSettings, at: Date) async throws
    func insertRound(_ round: AdmissionRoundDraft.Valid, createdBy: String, at: Date) async throws -> Int
    /// A pool admission decided before Tuodi: its round and its applications, proposed for
    /// admission by `createdBy`, awaiting a second person's decision. Returns the round's id.
    func insertRecordedAdmission(_ admission: RecordedAdmission, createdBy: String, at: Date) async throws -> Int
    func round(id: Int) async throws -> AdmissionRound?
    func rounds(unit: String?) async throws -> [AdmissionRound]
    /// `StoreError.duplicate` when the company already has a live application in the round.
    func insertApplication(roundID: Int, uscc: USCC, capacityEstates: Int, capacityHouseholds: Int?,
                           recordedBy: String, at: Date) async throws -> Int
    func application(id: Int) async throws -> PoolApplication?
    func applications(roundID: Int) async throws -> [PoolApplication]
    /// Saves status, scores, proposal and decision. The database refuses a decider who proposed.
    func updateApplication(_ application: PoolApplication) async throws
    func insertMembership(_ membership: NewMembership, at: Date) async throws -> Int
    func membership(id: Int) async throws -> Membership?
    /// Memberships of a unit (all units when nil) whose term overlaps [from, to], with their events.
    func memberships(unit: String?, from: LocalDate, to: LocalDate) async throws -> [Membership]
    func insertMembershipEvent(membershipID: Int, kind: MembershipEvent.Kind, date: LocalDate, until: LocalDate?,
                               reason: String, recordedBy: String, at: Date) async throws -> Int

    // MARK: row locks

    /// Locks one record's row until the transaction ends (PostgreSQL; SQLite has one writer), so
    /// two decisions on the same record cannot both pass their status check.
    func lock(_ record: LockableRecord, id: Int) async throws

    // MARK: arrangements

    /// Inserts an arrangement after locking its estate (and company) and checking, in this
    /// transaction, that it overlaps no other held arrangement of the estate (except `replaces`)
    /// and keeps the company within `capacity` in the unit. Refusals: `StoreError.refused`
    /// with rule `overlap` or `capacity`.
    ///
    /// With `appendsAuditNext`, the caller promises to append to the audit trail next and to
    /// wait for no other row's lock until it commits. The store then takes the trail's lock in
    /// the statement that locks the estate and the company, after them, and reads the trail's
    /// head with the insert, so the transaction's appends need neither (two statements fewer that
    /// every appointment for the same company queues behind on PostgreSQL). It does not for a
    /// successor (`replaces`): the insert's foreign key waits for a share lock on the predecessor,
    /// which a termination holding it may be about to append under. Not for a batch award (it
    /// locks the next estate): it would hold the trail's lock, which every audited write needs,
    /// while it waited.
    func insertArrangement(_ arrangement: NewArrangement, capacity: Int?, appendsAuditNext: Bool) async throws -> Int
    func arrangement(id: Int) async throws -> Arrangement?
    /// Ordered by start date, then id.
    func arrangements(_ filter: ArrangementFilter) async throws -> [Arrangement]
    /// Saves status, planned end, ended-on and the decision. When the held days grow (an
    /// extension), the same checks as `insertArrangement` run first.
    func updateArrangement(_ arrangement: Arrangement, capacity: Int?) async throws
    func insertArrangementChange(arrangementID: Int, kind: ArrangementChange.Kind, date: LocalDate, previousEnd: LocalDate?,
                                 reason: String, recordedBy: String, at: Date) async throws
    /// The changes of each of the arrangements, oldest first; an arrangement without changes is
    /// absent from the result.
    func arrangementChanges(arrangementIDs: [Int]) async throws -> [Int: [ArrangementChange]]

    // MARK: competitive selection

    func insertSelectionRound(_ round: NewSelectionRound) async throws -> Int
    /// A selection awarded outside Tuodi, recorded after the fact: one round with its lots and
    /// the known award, in evaluation with the award proposed by the round's creator. Returns the id.
    func insertRecordedSelection(_ round: NewSelectionRound, award: RecordedAward) async throws -> Int
    func selectionRound(id: Int) async throws -> SelectionRound?
    func selectionRounds(unit: String?) async throws -> [SelectionRound]
    /// Saves status, timestamps and the award fields. The database refuses an approver who proposed.
    func updateSelectionRound(_ round: SelectionRound) async throws
    func insertInvitations(roundID: Int, usccs: [USCC]) async throws
    /// `StoreError.duplicate` when the company already bid in the round.
    func insertBid(roundID: Int, uscc: USCC, price: Double, technicalScore: Double, submittedAt: Date, recordedBy: String) async throws -> Int
    func markBidInvalid(bidID: Int, reason: String) async throws

    // MARK: batch custody proposals (the matching engine)

    /// Inserts a proposal (its `id` is ignored); returns the new id.
    func insertMatchProposal(_ proposal: MatchProposal) async throws -> Int
    /// With `lock`, the row stays locked until the transaction ends (PostgreSQL; SQLite has one
    /// writer), so two edits or an edit and an approval cannot interleave.
    func matchProposal(id: Int, lock: Bool) async throws -> MatchProposal?
    /// Ordered by id; all units when nil.
    func matchProposals(unit: String?) async throws -> [MatchProposal]
    /// Saves status, plan and decision. The database refuses a decider who proposed.
    func updateMatchProposal(_ proposal: MatchProposal) async throws

    // MARK: quarterly returns

    /// `StoreError.duplicate` when the unit already has a return for the quarter.
    func insertReturn(_ r: StoredReturn) async throws -> Int
    /// Saves every column. The database refuses any change to a submitted return, and an
    /// approver who drafted it.
    func updateReturn(_ r: StoredReturn) async throws
    /// With `lock`, the row stays locked until the transaction ends (PostgreSQL).
    func quarterlyReturn(unit: String, year: Int, quarter: Int, lock: Bool) async throws -> StoredReturn?
    /// Ordered by unit, year and quarter; all units when nil.
    func quarterlyReturns(unit: String?) async throws -> [StoredReturn]
    /// The stage of each unit's return for one quarter, by unit (a unit with none is missing).
    func returnStages(year: Int, quarter: Int) async throws -> [String: ReturnStage]
}

/// Records whose workflow steps lock their row first.
public enum LockableRecord: String, Sendable {
    case arrangement = "arrangements"
    case selectionRound = "selection_rounds"
}

/// Failures the store reports in domain terms rather than as driver errors.
public enum StoreError: Error, Equatable, Sendable {
    /// A uniqueness rule refused the write (`entity`, the key that collided).
    case duplicate(entity: String, key: String)
    /// A stored value could not be read back as a domain value (a corrupted row).
    case corruptRow(entity: String, detail: String)
    /// A rule the store guards refused the write (`overlap`, `capacity`); `detail` says why, in Chinese.
    case refused(rule: RefusalRule, detail: String)
    /// The schema is not at the version this binary expects.
    case schemaNotCurrent(pending: [Int])
    /// Deadlocks or serialisation failures aborted the transaction each time it was tried.
    case busy
    /// The database could not be reached in time (no connection within the lease deadline, or
    /// the connection broke before the transaction's COMMIT was sent): nothing was written.
    case unreachable
    /// The connection broke while the transaction's COMMIT was under way: no one can tell
    /// whether the database committed it.
    case lostAtCommit
}

extension StoreTransaction {
    /// `insertArrangement` for a caller that may lock more after it (or appends no audit entry next).
    public func insertArrangement(_ arrangement: NewArrangement, capacity: Int?) async throws -> Int {
        try await insertArrangement(arrangement, capacity: capacity, appendsAuditNext: false)
    }

    /// What coverage figures on `to` and over `from...to` read from the read model (three queries).
    public func coverageBasis(unit: String?, from: LocalDate, to: LocalDate) async throws -> CoverageBasis {
        CoverageBasis(periodStart: from, day: to, counts: try await stateCounts(unit: unit, on: to),
                      unmanaged: try await unmanagedEstates(unit: unit, on: to),
                      episodes: try await episodesStarting(unit: unit, from: from, to: to))
    }

    /// The registered companies among these USCCs, by USCC (one query per thousand).
    public func companiesByUSCC(_ usccs: Set<String>) async throws -> [String: Company] {
        Dictionary(try await companies(usccs: usccs).map { ($0.uscc.value, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// One arrangement's changes, oldest first.
    public func arrangementChanges(arrangementID: Int) async throws -> [ArrangementChange] {
        try await arrangementChanges(arrangementIDs: [arrangementID])[arrangementID] ?? []
    }
}

/// How a write transaction is to be scheduled, where a backend lets write transactions share a
/// commit (SQLite's `CommitGroup`) or runs them on the threads that serve its connections
/// (PostgreSQL's event loops).
public enum TransactionScheduling {
    /// Set for a bulk load (an import, a rebuild, a migration) or another long transaction (a
    /// match proposal's solve or decision, a return's draft): it runs on its own, so that the
    /// callers that would share its commit do not wait for it, and on Swift's cooperative pool,
    /// so that its work does not hold up the connections an event loop serves.
    @TaskLocal public static var alone = false

    /// Set for a read of a few rows by key (an estate's page, an arrangement, a token's owner),
    /// whose decoding is as short as a write's: PostgreSQL runs it as it runs short writes, on its
    /// connection's event loop with prepared statements, without a hop to Swift's cooperative
    /// pool and back for each statement. Any other read stays on that pool, where a report's
    /// decoding holds up no connection. SQLite reads on its read connections either way.
    @TaskLocal public static var brief = false

    /// Whether a transaction runs as BEGIN ... COMMIT on a session of its own, without the
    /// backend's scheduling of short writes: a read, or a transaction that runs alone. (SQLite's
    /// rule; PostgreSQL schedules brief reads as short writes.)
    public static func runsPlain(readOnly: Bool) -> Bool { readOnly || alone }
}

extension Store {
    /// `transaction` for a bulk load or another long transaction, run on its own
    /// (`TransactionScheduling.alone`).
    public func bulkTransaction<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) async throws -> T) async throws -> T {
        try await TransactionScheduling.$alone.withValue(true) { try await transaction(body) }
    }

    /// `read` for a few rows by key (`TransactionScheduling.brief`).
    public func briefRead<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) async throws -> T) async throws -> T {
        try await TransactionScheduling.$brief.withValue(true) { try await read(body) }
    }
}
