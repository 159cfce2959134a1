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
