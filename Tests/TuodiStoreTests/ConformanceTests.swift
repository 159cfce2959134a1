import Testing
import TuodiStore
import TuodiStoreConformance
import TuodiTestSupport

// The one conformance suite (TuodiStoreConformance), run once per backend. Each suite is named
// after its backend so the test output shows both passing.

@Suite("Store conformance on SQLite")
struct SQLiteConformance {
    @Test(arguments: StoreConformance.checks)
    func check(_ check: ConformanceCheck) async throws {
        try await check.run(TestDatabases.environment(.sqlite))
    }
}

@Suite("Store conformance on PostgreSQL")
struct PostgresConformance {
    @Test(arguments: StoreConformance.checks)
    func check(_ check: ConformanceCheck) async throws {
        try await check.run(TestDatabases.environment(.postgres))
    }
}

/// Named on its own so the test output shows it: a migration changed after it was applied is
/// refused, on both backends (the check itself is part of the conformance suite).
@Suite("Migrations")
struct ChangedMigrationTests {
    @Test("a changed applied migration is refused", arguments: StoreKind.allCases)
    func changedMigrationIsRefused(_ kind: StoreKind) async throws {
        let check = try #require(StoreConformance.checks.first { $0.name == "a changed applied migration is refused" })
        try await check.run(TestDatabases.environment(kind))
    }
}
