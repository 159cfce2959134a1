import SQLKit
import Testing
import TuodiPostgres
import TuodiStore
import TuodiTestSupport

/// A write transaction on PostgreSQL runs on its connection's event loop (`EventLoopExecutor`),
/// where PostgresNIO answers its statements (so does a brief read, `PostgresPreparedStatementTests`);
/// other reads, plain sessions and bulk loads stay on Swift's cooperative pool, so that a report's
/// decoding cannot hold up the connections a loop serves.
@Suite("PostgreSQL write transactions on their connection's event loop")
struct PostgresEventLoopTests {
    @Test("a write transaction runs on its connection's event loop, before and after each statement; a read, a session and a bulk load do not")
    func placement() async throws {
        try await PostgresDatabases.shared.withFresh(migrated: false) { backend in
            let write = try await backend.runTransaction(readOnly: false) { db in
                let before = db.eventLoop.inEventLoop
                _ = try await db.raw("SELECT 1 AS one").all()
                return [before, db.eventLoop.inEventLoop]
            }
            #expect(write == [true, true])
            #expect(try await backend.runTransaction(readOnly: true) { db in db.eventLoop.inEventLoop } == false)
            #expect(try await backend.withSession { db in db.eventLoop.inEventLoop } == false)
            let bulk = try await TransactionScheduling.$alone.withValue(true) {
                try await backend.runTransaction(readOnly: false) { db in db.eventLoop.inEventLoop }
            }
            #expect(bulk == false)
        }
    }

    @Test("40 write transactions at once, every fifth throwing: each commits or leaves nothing behind")
    func parallelWrites() async throws {
        struct Refused: Error {}
        try await PostgresDatabases.shared.withFresh(migrated: false) { backend in
            try await backend.withSession { db in try await db.raw("CREATE TABLE written (n INT PRIMARY KEY)").run() }
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for n in 0..<40 {
                    group.addTask {
                        do {
                            try await backend.runTransaction(readOnly: false) { db in
                                try await db.raw("INSERT INTO written (n) VALUES (\(bind: n))").run()
                                _ = try await db.raw("SELECT COUNT(*) AS c FROM written").all()
                                if n % 5 == 0 { throw Refused() }
                            }
                            return true
                        } catch { return false }
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 32)
            let kept = try await backend.withSession { db in
                try await db.raw("SELECT n FROM written ORDER BY n").all().map { try $0.decode(column: "n", as: Int.self) }
            }
            #expect(kept == (0..<40).filter { $0 % 5 != 0 })
        }
    }
}
