import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TuodiApp
import TuodiDomain
import TuodiPostgres
import TuodiStore
import TuodiTestSupport

/// Two `tuodi serve` processes on one PostgreSQL database, hit at once. The invariants must hold
/// through the database's own locks, not through anything in one process; the test counts in
/// the database afterwards.
@Suite("Race: two servers, one PostgreSQL")
struct RaceTests {
    static func uscc(_ n: Int) -> String { USCC.withCheckCharacter(body: "91310101MA1RC" + String(format: "%04d", n))!.value }

    /// A member admitted through the real workflow (clerk proposes, approver decides).
    static func admit(_ context: AppContext, uscc: String, capacity: Int) async throws {
        try await TestUsers.admitToPool(context, uscc: uscc, name: "竞争测试物业\(uscc.suffix(4))", capacity: capacity)
    }

    @Test("32 concurrent custody requests against capacity 3: exactly 3 succeed, 29 get 409 capacity; one estate never gets two")
    func custodyRace() async throws {
        let url = try await TestDatabases.freshPostgresURL(migrated: true)
        let store = try await AppContext.openStore(.postgres(url), logger: TestDatabases.logger)
        // The servers read the system clock, so the set-up does too.
        let context = AppContext(store: store, logger: TestDatabases.logger, security: SecuritySettings(bcryptCost: 4))
        try await TestUsers.create(context)
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        let small = Self.uscc(1), large = Self.uscc(2)
        try await Self.admit(context, uscc: small, capacity: 3)
        try await Self.admit(context, uscc: large, capacity: 100)
        for i in 0...32 {
            let code = "RACE-\(i)"
            _ = try await context.estates.register(EstateDraft(code: code, name: "竞争小区\(i)", address: "某路 \(i) 号", unit: "310101",
                subDistrict: "豫园街道", category: "直管公房", households: "100", buildings: "2", floorArea: "3000"), by: clerk)
            _ = try await context.estates.recordFact(code: code, FactDraft(kind: "becameUnmanaged", date: "2026-01-01", reason: "contractEnded"), by: clerk)
        }
        let start = context.clock.today.adding(days: 7), end = start.adding(months: 3)

        let socket = url.unixSocketPath.map { ($0 as NSString).deletingLastPathComponent }
        let databaseURL = "postgres://\(url.username)@\(url.host):\(url.port)/\(url.database)?connect_timeout=60" + (socket.map { "&host=\($0)" } ?? "")
        let servers = [try RunningServer(environment: ["DATABASE_URL": databaseURL]),
                       try RunningServer(environment: ["DATABASE_URL": databaseURL])]
        defer { for s in servers { _ = s.stop() } }
        let login = try await EndToEndTests.post(servers[0].baseURL.appendingPathComponent("api/v1/auth/login"),
                                                 #"{"username":"hp.clerk","password":"\#(TestUsers.password)"}"#)
        let token = try #require((try JSONSerialization.jsonObject(with: login.body) as? [String: Any])?["token"] as? String)

        func propose(_ server: RunningServer, estate: String, uscc: String) async throws -> (Int, String?) {
            let body = #"{"estateCode":"\#(estate)","kind":"custody","uscc":"\#(uscc)","start":"\#(start)","plannedEnd":"\#(end)","justification":"原物业撤场，紧急托管"}"#
            let r = try await EndToEndTests.post(server.baseURL.appendingPathComponent("api/v1/arrangements"), body, token: token)
            return (r.status, (try? JSONSerialization.jsonObject(with: r.body) as? [String: Any])?["rule"] as? String)
        }

        // 32 different estates, one company of capacity 3, alternating between the two servers.
        let capacityResults = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            for i in 0..<32 {
                group.addTask { try await propose(servers[i % 2], estate: "RACE-\(i)", uscc: small) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(capacityResults.filter { $0.0 == 201 }.count == 3)
        #expect(capacityResults.filter { $0.0 == 409 && $0.1 == "capacity" }.count == 29, "\(capacityResults)")

        // 16 proposals for one estate, from a company with room to spare: one wins, the rest overlap.
        let overlapResults = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            for i in 0..<16 {
                group.addTask { try await propose(servers[i % 2], estate: "RACE-32", uscc: large) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(overlapResults.filter { $0.0 == 201 }.count == 1)
        #expect(overlapResults.filter { $0.0 == 409 && $0.1 == "overlap" }.count == 15, "\(overlapResults)")

        // Counted after the fact, in the database.
        let (held, onEstate, audits) = try await store.transaction { tx in
            (try await tx.arrangements(ArrangementFilter(uscc: try USCC(validating: small))).count,
             try await tx.arrangements(ArrangementFilter(estateID: try await tx.estate(code: "RACE-32")!.id)).count,
             try await tx.allAuditEntries().filter { $0.action == Action.arrangementPropose.rawValue }.count)
        }
        #expect(held == 3)
        #expect(onEstate == 1)
        #expect(audits == 4)
        try await store.close()
    }
}
