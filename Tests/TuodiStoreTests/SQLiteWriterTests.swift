import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import SQLKit
import Testing
@testable import TuodiSQLite
import TuodiStore
import TuodiTestSupport

/// The write connection keeps each distinct statement prepared (`SQLiteWriter`). A kept statement
/// must never give an answer that preparing it anew would not.
@Suite("SQLite's write connection and its prepared statements")
struct SQLiteWriterTests {
    static func ints(_ db: any SQLDatabase, _ sql: SQLQueryString, _ column: String) async throws -> [Int] {
        try await db.raw(sql).all().map { try $0.decode(column: column, as: Int.self) }
    }

    @Test("the write connection's settings: foreign keys, WAL, a busy timeout, temporary storage in memory, a commit that waits for the disk")
    func settings() async throws {
        try await TestDatabases.withFreshSQLite { backend in
            let values = try await backend.withSession { db in
                var values: [String: Int] = [:]
                for (pragma, column) in [("foreign_keys", "foreign_keys"), ("busy_timeout", "timeout"), ("temp_store", "temp_store"),
                                         ("synchronous", "synchronous")] {
                    values[pragma] = try await db.raw("PRAGMA \(unsafeRaw: pragma)").first()?.decode(column: column, as: Int.self)
                }
                return values
            }
            #expect(values == ["foreign_keys": 1, "busy_timeout": 5000, "temp_store": 2, "synchronous": 2])
            let mode = try await backend.withSession { db in try await db.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self) }
            #expect(mode == "wal")
        }
    }

    @Test("SQLKit's older, future-returning form runs its statement on the write connection's thread, as the async form does")
    func futureFormOnTheWritersThread() async throws {
        try await TestDatabases.withFreshSQLite { backend in
            try await backend.withSession { db in
                let threads = Mutex<[UInt]>([])
                try await db.execute(sql: SQLRaw("SELECT 1 AS one")) { _ in threads.withLock { $0.append(UInt(pthread_self())) } }
                try await db.execute(sql: SQLRaw("SELECT 2 AS two"), { _ in threads.withLock { $0.append(UInt(pthread_self())) } }).get()
                let seen = threads.withLock { $0 }
                #expect(seen.count == 2 && seen[0] == seen[1], "\(seen)")
            }
        }
    }

    @Test("a kept SELECT * sees a column added after it was first run, on the same connection")
    func schemaChange() async throws {
        try await TestDatabases.withFreshSQLite { backend in
            try await backend.withSession { db in
                try await db.raw("CREATE TABLE probe (n INTEGER)").run()
                try await db.raw("INSERT INTO probe VALUES (\(bind: 1))").run()
                #expect(try await db.raw("SELECT * FROM probe").all().map(\.allColumns) == [["n"]])
                try await db.raw("ALTER TABLE probe ADD COLUMN m INTEGER DEFAULT 5").run()
                let rows = try await db.raw("SELECT * FROM probe").all()
                #expect(rows.map(\.allColumns) == [["n", "m"]])
                #expect(try rows.first?.decode(column: "m", as: Int.self) == 5)
            }
        }
    }

    @Test("a kept SELECT * sees a column that another connection renamed")
    func renamedElsewhere() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tuodi-tests/\(UUID().uuidString).sqlite").path
        let first = try await SQLiteBackend.open(path: path), second = try await SQLiteBackend.open(path: path)
        do {
            let columns = { @Sendable () async throws -> [[String]] in
                try await first.withSession { db in try await db.raw("SELECT * FROM probe").all().map(\.allColumns) }
            }
            try await first.withSession { db in
                try await db.raw("CREATE TABLE probe (n INTEGER)").run()
                try await db.raw("INSERT INTO probe VALUES (1)").run()
            }
            #expect(try await columns() == [["n"]])
            // Same number of columns, another name: SQLite prepares the kept statement again.
            try await second.withSession { db in try await db.raw("ALTER TABLE probe RENAME COLUMN n TO m").run() }
            #expect(try await columns() == [["m"]])
        } catch {
            try? await first.close()
            try? await second.close()
            throw error
        }
        try await first.close()
        try await second.close()
    }

    @Test("a statement that failed runs again with other values; the failure reads as a unique violation")
    func failedStatementAgain() async throws {
        try await TestDatabases.withFreshSQLite { backend in
            try await backend.withSession { db in
                try await db.raw("CREATE TABLE probe (n INTEGER PRIMARY KEY, code TEXT UNIQUE)").run()
                for (n, code) in [(1, "a"), (2, "b")] {
                    try await db.raw("INSERT INTO probe (n, code) VALUES (\(bind: n), \(bind: code))").run()
                }
                do {
                    try await db.raw("INSERT INTO probe (n, code) VALUES (\(bind: 3), \(bind: "a"))").run()
                    Issue.record("a duplicate code was inserted")
                } catch {
                    #expect(backend.isUniqueViolation(error), "\(error)")
                }
                do {
                    try await db.raw("INSERT INTO probe (n, code) VALUES (\(bind: 1), \(bind: "c"))").run()
                    Issue.record("a duplicate key was inserted")
                } catch {
                    #expect(backend.isUniqueViolation(error), "\(error)")
                }
                do {
                    try await db.raw("INSERT INTO absent VALUES (1)").run()
                    Issue.record("a missing table was written")
                } catch {
                    #expect(!backend.isUniqueViolation(error), "\(error)")
                }
                try await db.raw("INSERT INTO probe (n, code) VALUES (\(bind: 3), \(bind: "c"))").run()
                #expect(try await Self.ints(db, "SELECT n FROM probe ORDER BY n", "n") == [1, 2, 3])
            }
        }
    }

    @Test("a kept statement is not prepared again when its bound values change, a partial index beside it")
    func notPreparedAgain() async throws {
        try await TestDatabases.withFreshSQLite { backend in
            try await backend.withSession { db in
                // As management_facts: a partial unique index whose condition SQLite would test
                // against every bound value, and mark the statement to be prepared again.
                try await db.raw("CREATE TABLE probe (id INTEGER PRIMARY KEY, estate INTEGER, supersedes INTEGER)").run()
                try await db.raw("CREATE UNIQUE INDEX probe_supersedes ON probe (supersedes) WHERE supersedes IS NOT NULL").run()
                for id in 1...20 { try await db.raw("INSERT INTO probe VALUES (\(bind: id), \(bind: id % 4), NULL)").run() }
                for estate in 0..<4 {
                    #expect(try await Self.ints(db, "SELECT id FROM probe WHERE estate = \(bind: estate) ORDER BY id", "id")
                        == (1...20).filter { $0 % 4 == estate })
                }
            }
            let again = try await backend.withWriter { $0.timesPreparedAgain() }
            #expect(again == 0)
        }
    }

    @Test("more distinct statements than the cache keeps: each answers right, the first ones too")
    func beyondTheCache() async throws {
        try await TestDatabases.withFreshSQLite { backend in
            try await backend.withSession { db in
                try await db.raw("CREATE TABLE probe (n INTEGER)").run()
                try await db.raw("INSERT INTO probe VALUES (1), (2), (3)").run()
                for round in 0..<2 {
                    for k in 0..<(SQLiteWriter.cacheLimit + 10) {
                        let sql = SQLQueryString("SELECT n + \(unsafeRaw: String(k)) AS v FROM probe WHERE n >= \(bind: round + 1) ORDER BY n")
                        #expect(try await Self.ints(db, sql, "v") == ((round + 1)...3).map { $0 + k })
                    }
                }
            }
            let kept = try await backend.withWriter { $0.statementsKept }
            #expect(kept > 0 && kept <= SQLiteWriter.cacheLimit)
            // A read connection sees what the write connection committed.
            let read = try await backend.withReadSession { db in try await Self.ints(db, "SELECT n FROM probe ORDER BY n", "n") }
            #expect(read == [1, 2, 3])
        }
    }
}
