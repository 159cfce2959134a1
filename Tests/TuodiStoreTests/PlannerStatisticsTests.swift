import Foundation
import SQLKit
import Testing
import TuodiStore
import TuodiTestSupport

/// After a bulk load the store brings the planner's statistics up to date where the database
/// keeps them: PostgreSQL's planner knows the rows are there before autovacuum gets round to it.
@Suite("planner statistics after a bulk load")
struct PlannerStatisticsTests {
    @Test("PostgreSQL: ANALYZE, so the planner sees the rows a load wrote")
    func postgres() async throws {
        let store = try await TestDatabases.freshStore(.postgres)
        // The 17 reporting units are below autovacuum's threshold: never analyzed by itself.
        let before = try await TestDatabases.plannedRows(store, "reporting_units")
        #expect(before.planned < 0 && before.actual == 17)
        try await store.refreshStatistics()
        let after = try await TestDatabases.plannedRows(store, "reporting_units")
        #expect(after.planned == 17)
        try await store.close()
    }

    @Test("SQLite: nothing, so its plans stay the ones its queries were written for (no sqlite_stat1)")
    func sqlite() async throws {
        let store = try await TestDatabases.freshStore(.sqlite)
        try await store.refreshStatistics()
        let stats = try await store.backend.withSession { db in
            try await db.raw("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'").first()!.decode(column: "n", as: Int.self)
        }
        #expect(stats == 0)
        try await store.close()
    }
}
