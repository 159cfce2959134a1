import Foundation
import Testing
import TuodiDomain
import TuodiStore
import TuodiTestSupport

/// SQLite: a read-only transaction runs on a WAL read connection, so it neither waits for an
/// open write transaction nor sees its uncommitted rows; the write connection is for writers.
@Suite("What a transaction sees")
struct ReadConcurrencyTests {
    static func user(_ name: String) -> NewUser {
        NewUser(username: name, displayName: name, role: .admin, unit: nil, passwordHash: "x")
    }

    @Test("a read completes while a write transaction is open, and sees only what was committed")
    func readDuringWrite() async throws {
        let store = try await TestDatabases.freshStore(.sqlite)
        _ = try await store.transaction { try await $0.insertUser(Self.user("before"), createdAt: Date()) }
        let writing = Signal(), readDone = Signal()
        // The writer holds its transaction open (and the write lock with it) until the read has
        // finished. Were the read queued behind the writer, neither would ever finish; the
        // watchdog turns that into a failure instead of a hang.
        let writer = Task {
            try await store.transaction { tx in
                _ = try await tx.insertUser(Self.user("during"), createdAt: Date())
                await writing.raise()
                await readDone.wait()
            }
        }
        await writing.wait()
        let seen = try await withThrowingTaskGroup(of: [String]?.self) { group in
            group.addTask { try await store.read { try await $0.users() }.map(\.username) }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                await readDone.raise()   // let the writer finish, so a queued read can end the test
                return nil
            }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
        await readDone.raise()
        try await writer.value
        #expect(seen == ["before"], "the read finished while the writer was open, and saw only committed rows")
        #expect(try await store.read { try await $0.users() }.map(\.username).sorted() == ["before", "during"])
        try await store.close()
    }

    /// A report reads several queries in one read transaction; their figures must agree with one
    /// another. PostgreSQL's default (read committed) gives each statement a newer snapshot.
    @Test("a read sees one committed state: a write committed between two of its statements stays unseen", arguments: StoreKind.allCases)
    func readSeesOneState(_ kind: StoreKind) async throws {
        let store = try await TestDatabases.freshStore(kind)
        _ = try await store.transaction { try await $0.insertUser(Self.user("before"), createdAt: Date()) }
        let (first, second) = try await store.read { tx in
            let first = try await tx.userCount()
            // Another session commits while this read is open.
            _ = try await store.transaction { try await $0.insertUser(Self.user("during"), createdAt: Date()) }
            return (first, try await tx.users().map(\.username))
        }
        #expect(first == 1 && second == ["before"], "the second statement saw a later state")
        #expect(try await store.read { try await $0.userCount() } == 2)
        try await store.close()
    }

    /// A return's draft computes its figures over many queries and stores them in one write
    /// transaction, holding the audit trail's lock from its start: no change commits meanwhile.
    @Test("a transaction holding the audit trail's lock sees one state: a change waits until it ends", arguments: StoreKind.allCases)
    func auditLockFreezesState(_ kind: StoreKind) async throws {
        let store = try await TestDatabases.freshStore(kind)
        _ = try await store.transaction { try await $0.appendAudit(ParallelReadTests.entry(1)) }
        let started = Signal()
        let (first, second, writer) = try await store.transaction { tx in
            try await tx.lockAuditTrail()
            let first = try await tx.auditEntries(AuditFilter()).count
            let writer = Task {
                await started.raise()
                return try await store.transaction { try await $0.appendAudit(ParallelReadTests.entry(2)) }.seq
            }
            await started.wait()
            // Time enough for the change to commit, were it not held up (PostgreSQL's writers
            // otherwise run side by side; SQLite's writer gate holds it up anyway).
            try await Task.sleep(for: .milliseconds(300))
            return (first, try await tx.auditEntries(AuditFilter()).count, writer)
        }
        #expect(first == 1 && second == 1, "a change committed while the lock was held")
        #expect(try await writer.value == 2, "the change waited and then landed")
        try await store.close()
    }

    @Test("a write inside a read-only transaction fails", arguments: StoreKind.allCases)
    func readOnlyRefusesWrites(_ kind: StoreKind) async throws {
        let store = try await TestDatabases.freshStore(kind)
        await #expect(throws: (any Error).self) {
            try await store.read { try await $0.insertUser(Self.user("sneaky"), createdAt: Date()) }
        }
        #expect(try await store.read { try await $0.userCount() } == 0)
        try await store.close()
    }
}
