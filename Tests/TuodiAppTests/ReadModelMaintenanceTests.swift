import Foundation
import Testing
import TuodiApp
import TuodiDomain
import TuodiStore
import TuodiTestSupport

/// Building the episode read model for existing data at migrate time, checking it against a
/// from-scratch computation, and rebuilding it, on both backends.
@Suite("Episode read model maintenance")
struct ReadModelMaintenanceTests {
    /// 黄浦 with two estates: one unmanaged from 1 August 2026, one managed since 2010.
    static func world(_ kind: StoreKind) async throws -> (SQLStore, AppContext) {
        let store = try await TestDatabases.freshStore(kind)
        let context = AppContext(store: store, clock: FixedClock(LocalDate(iso: "2026-10-01")!), logger: TestDatabases.logger,
                                 security: SecuritySettings(bcryptCost: 4))
        try await TestUsers.create(context)
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        for code in ["M1", "M2"] {
            _ = try await context.estates.register(EstateDraft(code: code, name: "小区\(code)", address: "某路 1 号", unit: "310101",
                subDistrict: "豫园街道", category: "直管公房", households: "100", buildings: "2", floorArea: "3000"), by: clerk)
        }
        _ = try await context.estates.recordFact(code: "M1", FactDraft(kind: "becameUnmanaged", date: "2026-08-01", reason: "contractEnded"), by: clerk)
        _ = try await context.estates.recordFact(code: "M2", FactDraft(kind: "regularBegan", date: "2010-01-01", company: "甲物业"), by: clerk)
        return (store, context)
    }

    @Test("migrate builds the rows when the table is empty beside facts; the figures read them", arguments: StoreKind.allCases)
    func builtAtMigrate(_ kind: StoreKind) async throws {
        let (store, context) = try await Self.world(kind)
        let written = try await store.transaction { try await $0.readModelRows() }
        #expect(written["M1"]?.episodes == [Episode(start: LocalDate(iso: "2026-08-01")!, end: nil, endedBy: nil)])
        // As a database migrated to 0010 before this code ran would be: facts, no rows.
        try await TestDatabases.execute(store, "DELETE FROM estate_episodes")
        try await TestDatabases.execute(store, "DELETE FROM estate_states")
        let analyst = try await TestUsers.caller(context, "city.analyst")
        #expect(try await context.coverage.asOf(unit: "310101", date: "2026-09-30", by: analyst).unmanaged == 0)
        #expect(try await context.readModel.verify().map(\.code) == ["M1", "M2"])
        _ = try await store.migrate()
        #expect(try await store.transaction { try await $0.readModelRows() } == written)
        #expect(try await context.readModel.verify().isEmpty)
        // Migrations run before a server serves (`serve --migrate`): a new context, with no cached figures.
        let served = AppContext(store: store, clock: context.clock, logger: context.logger, security: context.security)
        #expect(try await served.coverage.asOf(unit: "310101", date: "2026-09-30", by: analyst).unmanaged == 1)
        try await store.close()
    }

    @Test("verify names an estate whose rows were changed behind the store's back; rebuild repairs it", arguments: StoreKind.allCases)
    func verifyAndRebuild(_ kind: StoreKind) async throws {
        let (store, context) = try await Self.world(kind)
        #expect(try await context.readModel.verify().isEmpty)
        try await TestDatabases.execute(store, "UPDATE estate_episodes SET start_date = '2026-07-01'")
        let mismatches = try await context.readModel.verify()
        #expect(mismatches.map(\.code) == ["M1"])
        #expect(mismatches.first?.computed.episodes.first?.start == LocalDate(iso: "2026-08-01"))
        let analyst = try await TestUsers.caller(context, "city.analyst")
        func since() async throws -> [LocalDate] {
            try await context.coverage.asOf(unit: "310101", date: "2026-09-30", by: analyst).uncovered.map(\.episodeStart)
        }
        #expect(try await since() == [LocalDate(iso: "2026-07-01")!], "read from the damaged rows")
        #expect(try await context.readModel.rebuild() == 2)
        #expect(try await context.readModel.verify().isEmpty)
        // The rebuild is in the trail, which also drops the figures computed from the damaged rows.
        #expect(try await store.read { try await $0.allAuditEntries() }.last?.action == "maintenance.rebuildEpisodes")
        #expect(try await since() == [LocalDate(iso: "2026-08-01")!])
        try await store.close()
    }
}
