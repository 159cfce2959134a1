import CoreMetrics
import Foundation
import Logging
import SQLKit
import TuodiDomain

/// The store, written once in SQL that both SQLite and PostgreSQL accept. The backend modules
/// only open connections (`SQLBackend`); they hold no queries of their own.
public struct SQLStore: Store {
    public let backend: any SQLBackend
    let migrations: [Migration]

    public init(backend: any SQLBackend) throws {
        self.backend = backend
        self.migrations = try Migration.embedded(for: backend.kind)
    }

    /// For tests that feed their own migration files.
    public init(backend: any SQLBackend, migrations: [Migration]) throws {
        try Migration.checkSequence(migrations)
        self.backend = backend
        self.migrations = migrations
    }

    public var kind: StoreKind { backend.kind }

    /// How often a transaction aborted by a deadlock or a serialisation failure is run in all.
    static let attempts = 4

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) async throws -> T) async throws -> T {
        try await run(readOnly: false, body)
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) async throws -> T) async throws -> T {
        try await run(readOnly: true, body)
    }

    public func readInParallel<A: Sendable, B: Sendable>(_ first: @escaping @Sendable (any StoreTransaction) async throws -> A,
                                                         _ second: @escaping @Sendable (any StoreTransaction) async throws -> B) async throws -> (A, B) {
        for _ in 1...3 {
            // The head is read last: each transaction's snapshot was fixed by its first statement.
            async let a = read { tx in (value: try await first(tx), head: try await tx.auditHead()) }
            async let b = read { tx in (value: try await second(tx), head: try await tx.auditHead()) }
            let (x, y) = try await (a, b)
            if x.head == y.head { return (x.value, y.value) }
        }
        return try await read { tx in (try await first(tx), try await second(tx)) }
    }

    private func run<T: Sendable>(readOnly: Bool, _ body: @escaping @Sendable (any StoreTransaction) async throws -> T) async throws -> T {
        let backend = self.backend
        let asked = ContinuousClock.now
        for attempt in 1... {
            do {
                return try await backend.inTransaction(readOnly: readOnly) { db in
                    // How long a caller waited for a connection, and how many hold one now: the pool's
                    // use on /metrics. Created per call: a metric made before the metrics system is set
                    // up would stay a no-op for good.
                    let dimensions = [("backend", backend.kind.rawValue)]
                    let waited = ContinuousClock.now - asked
                    Timer(label: "tuodi_db_session_wait", dimensions: dimensions, preferredDisplayUnit: .seconds)
                        .recordNanoseconds(waited.components.seconds * 1_000_000_000 + waited.components.attoseconds / 1_000_000_000)
                    let inUse = Meter(label: "tuodi_db_sessions_in_use", dimensions: dimensions)
                    inUse.increment()
                    defer { inUse.decrement() }
                    let tx = SQLStoreTransaction(db: db, backend: backend)
                    let result = try await body(tx)
                    // The read model of every estate the body changed, in the same transaction.
                    try await tx.refreshReadModel(tx.changedEstates.take())
                    return result
                }
            } catch where backend.isTransient(error) {
                // The database rolled the transaction back whole, so running it again is safe. Two
                // writers that lock the same rows in different orders (a batch approval and a single
                // proposal) deadlock now and then; after a short, random pause one goes first.
                guard attempt < Self.attempts else { throw StoreError.busy }
                try await Task.sleep(for: .milliseconds(Int.random(in: 10...40) * attempt))
            }
        }
        fatalError("unreachable: the loop returns or throws")
    }

    /// What an open end (a NULL end date) reads as where a query compares ends through an
    /// expression index (migrations 0012 and 0013): text that sorts after every date, 9999-12-31
    /// included. The indexes were made with this literal, and an index serves only a query whose
    /// expression is the same, so both sides take it from here (a test checks the migrations).
    public static let openEndSQL = "'9999-99-99'"

    /// The migration that creates the episode read model.
    static let readModelVersion = 11

    public func migrate() async throws -> [Migration] {
        let applied = try await MigrationRunner(backend: backend, migrations: migrations).migrate()
        // A migration cannot run Swift: the rows for existing data are built here, once, when the
        // table is empty beside existing facts (just created, or a build that did not finish).
        if migrations.contains(where: { $0.version == Self.readModelVersion }) {
            let backend = self.backend
            try await TransactionScheduling.$alone.withValue(true) {
                try await backend.inTransaction { db in
                    let tx = SQLStoreTransaction(db: db, backend: backend)
                    if try await tx.readModelNeedsBuild() { _ = try await tx.rebuildReadModel() }
                }
            }
        }
        return applied
    }

    public func migrationStatus() async throws -> MigrationStatus {
        try await MigrationRunner(backend: backend, migrations: migrations).status()
    }

    public func ping() async throws {
        try await backend.withSession { db in
            try await db.execute(sql: SQLRaw("SELECT 1")) { _ in }
        }
    }

    public func refreshStatistics() async throws {
        guard let statement = backend.statisticsStatement else { return }
        try await backend.withSession { db in try await db.execute(sql: SQLRaw(statement)) { _ in } }
    }

    public func close() async throws { try await backend.close() }
}

/// The queries. Values are always bound (`\(bind:)`), never spliced into SQL text.
struct SQLStoreTransaction: StoreTransaction {
    let db: any SQLDatabase
    let backend: any SQLBackend
    /// Estates whose facts or arrangements this transaction changed (their read model is
    /// rewritten before commit).
    let changedEstates = ChangedEstates()
    /// The audit trail's head once this transaction holds the trail's lock and has read it (with
    /// an insert under `appendsAuditNext`) or appended to the trail.
    let heldAuditHead = HeldAuditHead()

    func reportingUnits() async throws -> [ReportingUnit] {
        let rows = try await db.raw("SELECT code, name, is_district FROM reporting_units ORDER BY sort_order").all()
        return try rows.map { row in
            ReportingUnit(code: try row.decode(column: "code", as: String.self),
                          name: try row.decode(column: "name", as: String.self),
                          isDistrict: try row.decode(column: "is_district", as: Bool.self))
        }
    }

    func insertCompany(_ c: Company, recordedAt: Date) async throws {
        do {
            try await db.raw("""
                INSERT INTO companies (uscc, name, ownership, district_group, registered_address, contact_person,
                                       contact_phone, created_at)
                VALUES (\(bind: c.uscc.value), \(bind: c.name), \(bind: c.ownership.rawValue), \(bind: c.districtGroup),
                        \(bind: c.registeredAddress), \(bind: c.contactPerson), \(bind: c.contactPhone), \(bind: recordedAt))
                """).run()
        } catch where backend.isUniqueViolation(error) {
            throw StoreError.duplicate(entity: "company", key: c.uscc.value)
        }
    }

    func company(uscc: USCC) async throws -> Company? {
        try await db.raw("""
            SELECT \(unsafeRaw: Self.companyColumns) FROM companies WHERE uscc = \(bind: uscc.value)
            """).first().map(Self.company(from:))
    }

    func companies(limit: Int, offset: Int) async throws -> [Company] {
        try await db.raw("""
            SELECT \(unsafeRaw: Self.companyColumns) FROM companies
            ORDER BY uscc LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all().map(Self.company(from:))
    }

    /// A long list of values to bind, a thousand at a time: one `IN (…)` statement each, well
    /// inside both databases' limits on bound parameters.
    static func chunks<T>(_ values: [T]) -> [[T]] {
        stride(from: 0, to: values.count, by: 1000).map { Array(values[$0..<min($0 + 1000, values.count)]) }
    }

    func companies(usccs: Set<String>) async throws -> [Company] {
        var found: [Company] = []
        for chunk in Self.chunks(usccs.sorted()) {
            found += try await db.raw("""
                SELECT \(unsafeRaw: Self.companyColumns) FROM companies WHERE uscc IN (\(binds: chunk))
                """).all().map(Self.company(from:))
        }
        return found
    }

    func companyCount() async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM companies").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    static let companyColumns = "uscc, name, ownership, district_group, registered_address, contact_person, contact_phone"

    static func company(from row: any SQLRow) throws -> Company {
        let raw = try row.decode(column: "uscc", as: String.self)
        let ownership = try row.decode(column: "ownership", as: String.self)
        guard let uscc = try? USCC(validating: raw), let own = Ownership(rawValue: ownership) else {
            throw StoreError.corruptRow(entity: "company", detail: "uscc \(raw), ownership \(ownership)")
        }
        return Company(uscc: uscc, name: try row.decode(column: "name", as: String.self), ownership: own,
                       districtGroup: try row.decode(column: "district_group", as: Bool.self),
                       registeredAddress: try row.optional("registered_address", String.self),
                       contactPerson: try row.optional("contact_person", String.self),
                       contactPhone: try row.optional("contact_phone", String.self))
    }
}
