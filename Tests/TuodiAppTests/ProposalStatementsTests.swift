import Foundation
import SQLKit
import Synchronization
import Testing
import TuodiApp
import TuodiDomain
@testable import TuodiStore
import TuodiTestSupport

/// What a custody proposal sends to the database. On PostgreSQL every appointment for one company
/// queues behind the company's row lock until commit, so each statement from the lock on is paid
/// once per appointment in the queue: after the lock only the arrangement's insert (which reads
/// the audit trail's head) and the audit entry, and the head is never read on its own.
@Suite("A custody proposal's statements")
struct ProposalStatementsTests {
    /// The statement that reads the trail's head on its own.
    static let headAlone = "SELECT " + SQLStoreTransaction.auditHeadColumns

    /// The audit fixture's context over a backend that records what its transactions send.
    static func recorded(_ kind: StoreKind) async throws -> (AppContext, SentStatements, SQLStore, AuditCoverageTests.Fixture) {
        let (prepared, fixture) = try await AuditCoverageTests.prepared(kind)
        let store = try #require(prepared.store as? SQLStore)
        let sent = SentStatements()
        let counted = try SQLStore(backend: CountingBackend(inner: store.backend, sent: sent))
        return (AppContext(store: counted, clock: prepared.clock, logger: prepared.logger, security: prepared.security), sent, store, fixture)
    }

    @Test("from the lock on, a proposal sends its insert and its audit entry, nothing more", arguments: StoreKind.allCases)
    func statementsUnderTheLock(_ kind: StoreKind) async throws {
        let (context, sent, store, _) = try await Self.recorded(kind)
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        sent.clear()
        let proposed = try await context.arrangements.propose(ArrangementDraft(
            estateCode: "HP-C1", kind: "custody", uscc: AuditCoverageTests.uscc(9), start: "2026-12-01", plannedEnd: "2027-05-31",
            justification: "原物业撤场，紧急托管"), by: clerk)
        #expect(proposed.status == "proposed")
        let statements = sent.all
        // SQLite's single writer locks no row: there the whole transaction is the queue.
        let lock = statements.firstIndex { $0.contains("FOR UPDATE") }
        #expect((lock != nil) == (kind == .postgres), "\(statements)")
        let underLock = Array(statements[(lock.map { $0 + 1 } ?? statements.count - 2)...])
        #expect(underLock.count == 2 && underLock[0].hasPrefix("INSERT INTO arrangements") && underLock[1].hasPrefix("INSERT INTO audit_log"),
                "\(underLock)")
        // Neither the trail's lock nor its head in a statement of their own (PostgreSQL takes the
        // lock in the rows' statement).
        #expect(!statements.contains(Self.headAlone), "\(statements)")
        #expect(statements.filter { $0.contains("pg_advisory_xact_lock") }.allSatisfy { $0.contains("FOR UPDATE") }, "\(statements)")
        try await store.close()
    }

    @Test("a successor takes the trail's lock only at its append, not while its insert may wait for its predecessor's row",
          arguments: StoreKind.allCases)
    func successorLocksTheTrailLate(_ kind: StoreKind) async throws {
        let (context, sent, store, fixture) = try await Self.recorded(kind)
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        sent.clear()
        _ = try await context.arrangements.propose(ArrangementDraft(estateCode: "HP-B1", kind: "custody", uscc: AuditCoverageTests.uscc(9),
            start: "2027-03-01", plannedEnd: "2027-08-31", justification: "业主自管难以为继", replaces: fixture.activeArrangementID), by: clerk)
        let statements = sent.all
        let insert = try #require(statements.firstIndex { $0.hasPrefix("INSERT INTO arrangements") }, "\(statements)")
        // Its insert reads no head, and nothing before it takes the trail's lock; the head is read
        // after it, on its own (after the trail's lock on PostgreSQL).
        #expect(!statements[insert].contains("audit_log"), "\(statements[insert])")
        #expect(!statements[..<insert].contains { $0.contains("pg_advisory_xact_lock") }, "\(statements)")
        #expect(statements[insert...].contains(Self.headAlone), "\(statements)")
        try await store.close()
    }
}

/// The text of every statement sent in a transaction, in order.
final class SentStatements: Sendable {
    private let texts = Mutex<[String]>([])
    func append(_ text: String) { texts.withLock { $0.append(text) } }
    func clear() { texts.withLock { $0 = [] } }
    var all: [String] { texts.withLock { $0 } }
}

/// A backend that records the statements its transactions' bodies send (not BEGIN and COMMIT).
struct CountingBackend: SQLBackend {
    let inner: any SQLBackend
    let sent: SentStatements

    var kind: StoreKind { inner.kind }
    var readBeginStatement: String { inner.readBeginStatement }
    var beginStatement: String { inner.beginStatement }
    var auditLockExpression: String? { inner.auditLockExpression }
    var rowLockClause: String { inner.rowLockClause }
    var statisticsStatement: String? { inner.statisticsStatement }
    var poolSize: Int { inner.poolSize }
    func asciiLowercase(_ expression: String) -> String { inner.asciiLowercase(expression) }
    func isUniqueViolation(_ error: any Error) -> Bool { inner.isUniqueViolation(error) }
    func isTransient(_ error: any Error) -> Bool { inner.isTransient(error) }
    func isConnectionLost(_ error: any Error) -> Bool { inner.isConnectionLost(error) }
    func withSession<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await inner.withSession(body)
    }
    func withReadSession<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await inner.withReadSession(body)
    }
    func runTransaction<T: Sendable>(readOnly: Bool, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let sent = self.sent
        return try await inner.runTransaction(readOnly: readOnly) { db in try await body(RecordingDatabase(inner: db, sent: sent)) }
    }
    func close() async throws { try await inner.close() }
}

struct RecordingDatabase: WrappedDatabase {
    let inner: any SQLDatabase
    let sent: SentStatements

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        var serializer = SQLSerializer(database: self)
        query.serialize(to: &serializer)
        sent.append(serializer.sql.trimmingCharacters(in: .whitespacesAndNewlines))
        try await inner.execute(sql: query, onRow)
    }
}
