import Foundation
import Testing
@testable import TuodiApp
import TuodiDomain
import TuodiStore
import TuodiTestSupport

@Suite("Report cache keyed on the audit head")
struct ReportCacheTests {
    static let key = ReportCache.Key(report: "coverage.yearEnd", unit: "310101", parameters: [2026], day: LocalDate(iso: "2026-11-28"))
    static let other = ReportCache.Key(report: "coverage.yearEnd", unit: "310107", parameters: [2026], day: LocalDate(iso: "2026-11-28"))
    static func head(_ seq: Int, _ hash: String = "h") -> AuditHead { AuditHead(seq: seq, hash: "\(hash)\(seq)") }

    @Test("an entry serves only its own head; a newer head starts afresh, an older one is not kept; the oldest entry goes first")
    func semantics() {
        let cache = ReportCache(capacity: 2)
        cache.store(Self.key, head: Self.head(5), 1)
        #expect(cache.lookup(Self.key, head: Self.head(5), as: Int.self) == 1)
        #expect(cache.lookup(Self.other, head: Self.head(5), as: Int.self) == nil, "another unit's key")
        #expect(cache.lookup(Self.key, head: Self.head(6), as: Int.self) == nil, "a newer head")
        #expect(cache.lookup(Self.key, head: Self.head(5, "restored"), as: Int.self) == nil, "the same number on another trail")
        #expect(cache.lookup(Self.key, head: Self.head(5), as: String.self) == nil, "another type")
        #expect(cache.lookup(Self.key, head: nil, as: Int.self) == nil, "an empty trail")

        cache.store(Self.other, head: Self.head(4), 2)   // computed by a request that read an older head
        #expect(cache.count == 1 && cache.lookup(Self.other, head: Self.head(4), as: Int.self) == nil)
        cache.store(Self.other, head: Self.head(6), 3)
        #expect(cache.count == 1 && cache.lookup(Self.key, head: Self.head(5), as: Int.self) == nil)
        #expect(cache.lookup(Self.other, head: Self.head(6), as: Int.self) == 3)

        let third = ReportCache.Key(report: "return.preview", unit: "310101", parameters: [2026, 3], day: nil)
        cache.store(Self.key, head: Self.head(6), 4)
        cache.store(third, head: Self.head(6), 5)
        #expect(cache.count == 2 && cache.lookup(Self.other, head: Self.head(6), as: Int.self) == nil, "capacity 2: the oldest went")
        #expect(cache.lookup(third, head: Self.head(6), as: Int.self) == 5)

        // Weights: a heavy report pushes out as many light ones as it needs room for.
        let weighed = ReportCache(capacity: 3)
        weighed.store(Self.key, head: Self.head(1), 1)
        weighed.store(Self.other, head: Self.head(1), 2)
        weighed.store(third, head: Self.head(1), 3, weight: 2)
        #expect(weighed.count == 2 && weighed.lookup(Self.key, head: Self.head(1), as: Int.self) == nil)
        #expect(weighed.lookup(Self.other, head: Self.head(1), as: Int.self) == 2)
        weighed.store(third, head: Self.head(1), 4, weight: 2)   // stored again: replaces, weighs once
        #expect(weighed.count == 2 && weighed.lookup(third, head: Self.head(1), as: Int.self) == 4)
        weighed.store(Self.key, head: Self.head(1), 5, weight: 4)   // heavier than the whole cache: not kept
        #expect(weighed.lookup(Self.key, head: Self.head(1), as: Int.self) == nil && weighed.count == 2)

        let off = ReportCache(capacity: 0)
        off.store(Self.key, head: Self.head(1), 1)
        #expect(off.lookup(Self.key, head: Self.head(1), as: Int.self) == nil && off.count == 0)
    }

    @Test("figures are served from the cache until any audited change, made by this context or by another process on the same database",
          arguments: StoreKind.allCases)
    func followsTheHead(kind: StoreKind) async throws {
        let (server, _) = try await AuditCoverageTests.prepared(kind)
        let clerk = try await TestUsers.caller(server, "hp.clerk")
        let analyst = try await TestUsers.caller(server, "city.analyst")
        let first = try await server.coverage.yearEnd(unit: "310101", year: 2026, by: clerk)
        let firstRollup = try await server.returns.rollup(year: 2026, quarter: 3, by: analyst)
        #expect(first.atRisk.map(\.name).contains("测试小区"))

        // Renamed behind the audit trail's back: the cache does not know, which shows it serves.
        try await TestDatabases.execute(server.store as! SQLStore, "UPDATE estates SET name = '改名小区' WHERE code = 'HP-A1'")
        #expect(try await server.coverage.yearEnd(unit: "310101", year: 2026, by: clerk) == first)
        #expect(try await server.returns.rollup(year: 2026, quarter: 3, by: analyst) == firstRollup)

        // Another process (the CLI beside the server): its own context, its own cache, the same database.
        let cli = AppContext(store: server.store, clock: server.clock, logger: server.logger, security: server.security)
        _ = try await cli.estates.register(AuditCoverageTests.estateDraft("HP-D1"), by: try await TestUsers.caller(cli, "hp.clerk"))
        _ = try await cli.estates.recordFact(code: "HP-D1", FactDraft(kind: "becameUnmanaged", date: "2026-08-01", reason: "contractEnded"),
                                             by: try await TestUsers.caller(cli, "hp.clerk"))
        let second = try await server.coverage.yearEnd(unit: "310101", year: 2026, by: clerk)
        #expect(second.newlyUnmanaged == first.newlyUnmanaged + 1)
        #expect(second.atRisk.map(\.code).contains("HP-D1") && second.atRisk.map(\.name).contains("改名小区"))
        let secondRollup = try await server.returns.rollup(year: 2026, quarter: 3, by: analyst)
        #expect(secondRollup.newlyUnmanaged.inQuarter == firstRollup.newlyUnmanaged.inQuarter + 1)

        // A change through the server's own context moves the head too.
        _ = try await server.estates.recordFact(code: "HP-D1", FactDraft(kind: "regularBegan", date: "2026-09-01", company: "某物业公司"), by: clerk)
        let third = try await server.coverage.yearEnd(unit: "310101", year: 2026, by: clerk)
        #expect(!third.atRisk.map(\.code).contains("HP-D1"))
        try await server.store.close()
    }

    @Test("a district user's cached figures are never served for another scope")
    func scopes() async throws {
        let (context, _) = try await AuditCoverageTests.prepared()
        let hp = try await TestUsers.caller(context, "hp.clerk"), pt = try await TestUsers.caller(context, "pt.clerk")
        let analyst = try await TestUsers.caller(context, "city.analyst")
        let own = try await context.coverage.yearEnd(unit: nil, year: 2026, by: hp)
        #expect(own.newlyUnmanaged > 0)
        // 普陀's clerk asking for the city, or for 黄浦, gets 普陀's figures (none), not the cached 黄浦 ones.
        #expect(try await context.coverage.yearEnd(unit: nil, year: 2026, by: pt).newlyUnmanaged == 0)
        await #expect(throws: AppError.self) { try await context.coverage.yearEnd(unit: "310101", year: 2026, by: pt) }
        #expect(try await context.coverage.yearEnd(unit: nil, year: 2026, by: analyst).newlyUnmanaged == own.newlyUnmanaged,
                "the city is 黄浦's estates here")
        try await context.store.close()
    }
}
