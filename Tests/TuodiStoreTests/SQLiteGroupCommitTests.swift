import Foundation
import SQLKit
import Synchronization
import Testing
@testable import TuodiSQLite
import TuodiStore
import TuodiTestSupport

/// SQLite's write transactions share a commit while callers queue for the write connection
/// (`CommitGroup`). Each caller must still see its own transaction as if it had run alone.
@Suite("SQLite's group commit", .timeLimit(.minutes(1)))
struct SQLiteGroupCommitTests {
    struct Refused: Error {}

    static func schema(_ backend: SQLiteBackend) async throws {
        try await backend.withSession { db in
            try await db.raw("CREATE TABLE parent (id INTEGER PRIMARY KEY)").run()
            try await db.raw("INSERT INTO parent VALUES (1)").run()
            try await db.raw("""
                CREATE TABLE probe (n INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)
                """).run()
        }
    }

    static func rows(_ backend: SQLiteBackend) async throws -> Set<Int> {
        try await backend.withReadSession { db in
            Set(try await db.raw("SELECT n FROM probe").all().map { try $0.decode(column: "n", as: Int.self) })
        }
    }

    /// Waits until `count` callers queue for the write connection (10 s at most).
    static func untilQueued(_ backend: SQLiteBackend, _ count: Int) async throws {
        for _ in 0..<10_000 where backend.callersWaitingForWriter < count { try await Task.sleep(for: .milliseconds(1)) }
    }

    /// Makes the first transaction that runs wait, inside, until `count` callers queue behind it,
    /// so that a group forms however busy the machine is.
    final class FirstWaits: Sendable {
        let count: Int
        let claimed = Mutex(false)
        init(_ count: Int) { self.count = count }

        func hold(_ backend: SQLiteBackend) async throws {
            guard claimed.withLock({ claimed in defer { claimed = true }; return !claimed }) else { return }
            try await untilQueued(backend, count)
        }
    }

    /// Inserts row `n` (and throws after it with `thenThrow`).
    static func insert(_ backend: SQLiteBackend, _ n: Int, parent: Int = 1, thenThrow: Bool = false,
                       first: FirstWaits? = nil) async throws -> Int {
        try await backend.runTransaction(readOnly: false) { db in
            try await db.raw("INSERT INTO probe (n, parent) VALUES (\(bind: n), \(bind: parent))").run()
            try await first?.hold(backend)
            if thenThrow { throw Refused() }
            return n * 10
        }
    }

    @Test("40 writers at once, every fifth throwing after its insert: each gets its own outcome, committed before it returns, in fewer commits")
    func concurrentWriters() async throws {
        try await TestDatabases.withFreshSQLite { backend in
            try await Self.schema(backend)
            let first = FirstWaits(8)
            let outcomes = try await withThrowingTaskGroup(of: (Int, Int?, Bool).self) { tasks in
                for n in 1...40 {
                    tasks.addTask {
                        do {
                            let result = try await Self.insert(backend, n, thenThrow: n % 5 == 0, first: first)
                            // Returned: committed, so a read connection sees it at once.
                            return (n, result, try await Self.rows(backend).contains(n))
                        } catch is Refused {
                            return (n, nil, false)
                        }
                    }
                }
                return try await tasks.reduce(into: [:]) { $0[$1.0] = ($1.1, $1.2) }
            }
            for n in 1...40 {
                let (result, seen) = try #require(outcomes[n])
                #expect(result == (n % 5 == 0 ? nil : n * 10), "\(n)")
                #expect(seen == (n % 5 != 0), "\(n) seen by a read connection when its caller returned")
            }
            #expect(try await Self.rows(backend) == Set((1...40).filter { $0 % 5 != 0 }))
            let commits = try await backend.withWriter { $0.groupsCommitted }
            #expect(commits >= 1 && commits < 40, "\(commits) commits for 40 transactions")
        }
    }

    @Test("a deferred foreign-key violation fails only its own transaction, not the others sharing its commit")
    func deferredViolation() async throws {
        try await TestDatabases.withFreshSQLite { backend in
            try await Self.schema(backend)
            let first = FirstWaits(6)
            let failed = try await withThrowingTaskGroup(of: (Int, Bool).self) { tasks in
                for n in 1...12 {
                    tasks.addTask {
                        do {
                            _ = try await Self.insert(backend, n, parent: n == 6 ? 999 : 1, first: first)
                            return (n, false)
                        } catch {
                            return (n, true)
                        }
                    }
                }
                return try await tasks.reduce(into: Set<Int>()) { if $1.1 { $0.insert($1.0) } }
            }
            #expect(failed == [6])
            #expect(try await Self.rows(backend) == Set((1...12).filter { $0 != 6 }))
        }
    }

    @Test("when a later transaction of a group ends SQLite's transaction, the earlier ones fail too: none is told it was saved")
    func transactionEndedInGroup() async throws {
        try await TestDatabases.withFreshSQLite { backend in
            try await Self.schema(backend)
            let (inside, entered) = AsyncStream.makeStream(of: Void.self)
            let earlier = Task {
                try await backend.runTransaction(readOnly: false) { db in
                    try await db.raw("INSERT INTO probe (n, parent) VALUES (1, 1)").run()
                    entered.yield()
                    try await Self.untilQueued(backend, 1)   // the later one, which then joins this group
                }
            }
            for await _ in inside { break }
            let later = Task {
                try await backend.runTransaction(readOnly: false) { db in
                    try await db.raw("INSERT INTO probe (n, parent) VALUES (2, 1)").run()
                    // As SQLite does itself after some errors (a full disk, an I/O error).
                    try await db.raw("ROLLBACK").run()
                    throw Refused()
                }
            }
            await #expect(throws: (any Error).self) { try await earlier.value }
            await #expect(throws: Refused.self) { try await later.value }
            #expect(try await Self.rows(backend).isEmpty)
            // The connection goes on.
            #expect(try await Self.insert(backend, 3) == 30)
            #expect(try await Self.rows(backend) == [3])
        }
    }

    @Test("bulk transactions run on their own: none joins a group, and beside grouped ones every row is saved")
    func bulkAlone() async throws {
        try await TestDatabases.withFreshSQLite { backend in
            try await Self.schema(backend)
            let before = try await backend.withWriter { $0.groupsCommitted }
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for n in 1...10 {
                    tasks.addTask { _ = try await TransactionScheduling.$alone.withValue(true) { try await Self.insert(backend, n) } }
                }
                try await tasks.waitForAll()
            }
            #expect(try await backend.withWriter { $0.groupsCommitted } == before)
            let first = FirstWaits(6)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for n in 11...30 {
                    tasks.addTask {
                        if n % 4 == 0 {
                            _ = try await TransactionScheduling.$alone.withValue(true) { try await Self.insert(backend, n) }
                        } else {
                            _ = try await Self.insert(backend, n, first: first)
                        }
                    }
                }
                try await tasks.waitForAll()
            }
            #expect(try await Self.rows(backend) == Set(1...30))
        }
    }

    @Test("a session that uses the connection directly, among queued writers, finds no transaction of theirs open")
    func plainSessionsAmongWriters() async throws {
        try await TestDatabases.withFreshSQLite { backend in
            try await Self.schema(backend)
            let first = FirstWaits(8)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for n in 1...30 {
                    tasks.addTask {
                        if n % 3 == 0 {
                            try await backend.withSession { db in
                                try await db.raw("BEGIN IMMEDIATE").run()
                                try await db.raw("INSERT INTO probe (n, parent) VALUES (\(bind: n), 1)").run()
                                try await db.raw("COMMIT").run()
                            }
                        } else {
                            _ = try await Self.insert(backend, n, first: first)
                        }
                    }
                }
                try await tasks.waitForAll()
            }
            #expect(try await Self.rows(backend) == Set(1...30))
        }
    }
}
