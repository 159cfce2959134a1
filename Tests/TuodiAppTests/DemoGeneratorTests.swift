import Foundation
import Testing
import TuodiApp
import TuodiDomain
import TuodiStore
import TuodiTestSupport

/// `tuodi demo generate`: a history the store accepts (every arrangement passed its overlap
/// check), the same for the same seed on both backends, usable by the returns, and not twice.
@Suite("Demo history generator")
struct DemoGeneratorTests {
    static func context(_ store: any Store) -> AppContext {
        AppContext(store: store, clock: FixedClock(LocalDate(year: 2026, month: 11, day: 28)!), logger: TestDatabases.logger,
                   security: SecuritySettings(bcryptCost: 4))
    }

    @Test("340 estates over 3 years: every unit gets its share, the figures are the same on both backends")
    func generate() async throws {
        var rollups: [QuarterlyReturn] = []
        for kind in StoreKind.allCases {
            let store = try await TestDatabases.freshStore(kind)
            let context = Self.context(store)
            try await TestUsers.create(context)
            let report = try await DemoGenerator.generate(context, estates: 340, years: 3, seed: 7, through: LocalDate(iso: "2026-09-30"))
            #expect(report.estates == 340 && report.companies == 17 * 6)
            #expect(report.from == LocalDate(iso: "2024-01-01") && report.through == LocalDate(iso: "2026-09-30"))
            #expect(report.facts > 340 && report.arrangements > 0)
            let counts = try await store.transaction { tx in
                (try await tx.estateCount(unit: "310101"), try await tx.estateCount(unit: "LG"), try await tx.arrangements(ArrangementFilter()).count)
            }
            #expect(counts.0 == 20 && counts.1 == 20 && counts.2 == report.arrangements)
            // Every route appears, and coverage is neither nothing nor everything.
            let analyst = try await TestUsers.caller(context, "city.analyst")
            let city = try await context.returns.rollup(year: 2026, quarter: 3, by: analyst)
            #expect(city.estates.registered == 340)
            #expect(city.estates.byState.filter { ["selection", "custody", "ownerSelf", "communityFallback"].contains($0.key) }.allSatisfy { $0.count > 0 })
            #expect(city.coverage.estates.rate.map { $0 > 0 && $0 < 1 } == true)
            rollups.append(city)
            // A second run finds estates in the list: refused, nothing written.
            await #expect(throws: AppError.self) { _ = try await DemoGenerator.generate(context, estates: 340, years: 3, seed: 7) }
            #expect(try await store.transaction { try await $0.estateCount(unit: nil) } == 340)
            try await store.close()
        }
        #expect(rollups.count == 2 && rollups[0] == rollups[1])
    }
}
