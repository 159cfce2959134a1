import SQLKit
import Testing
import TuodiPostgres
import TuodiStore
import TuodiTestSupport

/// A connection the server ends under a transaction (a restart, a failover, an administrator's
/// pg_terminate_backend) fails that transaction as a database out of reach, promptly, and the
/// pool goes on with fresh connections.
@Suite("PostgreSQL connections ended by the server", .timeLimit(.minutes(1)))
struct PostgresConnectionLossTests {
    enum Kind: String, CaseIterable, Sendable { case write, read, session }

    @Test("a connection ended mid-transaction fails it as out of reach, and the next transaction runs", arguments: Kind.allCases)
    func terminatedMidTransaction(_ kind: Kind) async throws {
        try await PostgresDatabases.shared.withFresh(migrated: false) { backend in
            let body: @Sendable (any SQLDatabase) async throws -> Int = { db in
                let pid = try await db.raw("SELECT pg_backend_pid() AS pid").first()!.decode(column: "pid", as: Int.self)
                try await backend.withSession { other in
                    _ = try await other.raw("SELECT pg_terminate_backend(CAST(\(bind: pid) AS int)) AS done").all()
                }
                return try await db.raw("SELECT 1 AS one").first()!.decode(column: "one", as: Int.self)
            }
            await #expect(throws: StoreError.unreachable) {
                switch kind {
                case .write: _ = try await backend.runTransaction(readOnly: false, body)
                case .read: _ = try await backend.runTransaction(readOnly: true, body)
                case .session: _ = try await backend.withSession(body)
                }
            }
            let after = try await backend.runTransaction(readOnly: false) { db in
                try await db.raw("SELECT 2 AS two").first()!.decode(column: "two", as: Int.self)
            }
            #expect(after == 2)
        }
    }

    @Test("a connection seen closed before its COMMIT is sent: nothing was kept, and the error says so (not that it may have been)")
    func closedBeforeCommit() async throws {
        try await PostgresDatabases.shared.withFresh(migrated: false) { backend in
            await #expect(throws: StoreError.unreachable) {
                try await backend.runTransaction(readOnly: false) { db in
                    let pid = try await db.raw("SELECT pg_backend_pid() AS pid").first()!.decode(column: "pid", as: Int.self)
                    try await backend.withSession { other in
                        _ = try await other.raw("SELECT pg_terminate_backend(CAST(\(bind: pid) AS int)) AS done").all()
                    }
                    // Time for the connection to see its socket closed; the body then ends and the COMMIT is due.
                    try await Task.sleep(for: .milliseconds(300))
                }
            }
        }
    }

    @Test("a connection ended while its statement runs fails that statement's transaction as out of reach", arguments: [true, false])
    func terminatedWhileRunning(_ readOnly: Bool) async throws {
        try await PostgresDatabases.shared.withFresh(migrated: false) { backend in
            await #expect(throws: StoreError.unreachable) {
                try await backend.runTransaction(readOnly: readOnly) { db in
                    let pid = try await db.raw("SELECT pg_backend_pid() AS pid").first()!.decode(column: "pid", as: Int.self)
                    let killer = Self.terminate(on: backend, once: SQLQueryString("pid = \(bind: pid) AND query LIKE '%pg_sleep%'"))
                    defer { killer.cancel() }
                    _ = try await db.raw("SELECT pg_sleep(30) AS slept").all()
                }
            }
            let after = try await backend.withSession { db in try await db.raw("SELECT 3 AS three").first()!.decode(column: "three", as: Int.self) }
            #expect(after == 3)
        }
    }

    @Test("a connection ended while its COMMIT runs: no one can tell whether it committed, and the error says so")
    func terminatedDuringCommit() async throws {
        try await PostgresDatabases.shared.withFresh(migrated: false) { backend in
            try await backend.withSession { db in
                // A check deferred to the commit that takes its time, so the COMMIT can be caught running.
                try await db.raw("CREATE TABLE slow_commit (n INT)").run()
                try await db.raw("""
                    CREATE FUNCTION slow_commit_check() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(10); RETURN NULL; END $$
                    """).run()
                try await db.raw("""
                    CREATE CONSTRAINT TRIGGER slow_commit_at_end AFTER INSERT ON slow_commit DEFERRABLE INITIALLY DEFERRED
                    FOR EACH ROW EXECUTE FUNCTION slow_commit_check()
                    """).run()
            }
            let killer = Self.terminate(on: backend, once: SQLQueryString("query = 'COMMIT'"))
            defer { killer.cancel() }
            await #expect(throws: StoreError.lostAtCommit) {
                try await backend.runTransaction(readOnly: false) { db in
                    try await db.raw("INSERT INTO slow_commit (n) VALUES (1)").run()
                }
            }
            // Here it was ended before its deferred check finished, so PostgreSQL kept nothing.
            let kept = try await backend.withSession { db in
                try await db.raw("SELECT COUNT(*) AS n FROM slow_commit").first()!.decode(column: "n", as: Int.self)
            }
            #expect(kept == 0)
        }
    }

    /// Ends, from another connection, the connection of this database whose statement matching
    /// `condition` is seen running (looking every 10 ms, for at most 5 s).
    static func terminate(on backend: PostgresBackend, once condition: SQLQueryString) -> Task<Void, any Error> {
        Task {
            for _ in 0..<500 {
                let ended = try await backend.withSession { db in
                    try await db.raw("""
                        SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
                        WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND
                        """ + " " + condition).all().count
                }
                if ended > 0 { return }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
    }
}
