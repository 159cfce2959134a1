import Foundation
import SQLKit
import Testing
import TuodiDomain
import TuodiPostgres
import TuodiStore
import TuodiTestSupport

/// An appointment that takes the audit trail's lock with its estate's and company's rows
/// (`insertArrangement` with `appendsAuditNext`) takes it after them, as every other writer does: while it
/// queues for a row, it holds no lock on the trail, so no other writer waits behind it and no two
/// writers can each hold what the other wants.
@Suite("PostgreSQL: the audit trail's lock comes after an appointment's rows", .timeLimit(.minutes(1)))
struct PostgresAuditLockOrderTests {
    static let day = Date(timeIntervalSince1970: 1_780_000_000)

    @Test("an appointment waiting for its company's row holds no lock on the trail, and another writer appends meanwhile")
    func waitsForTheRowWithoutTheTrail() async throws {
        try await PostgresDatabases.shared.withFresh(migrated: true) { backend in
            let store = try SQLStore(backend: backend)
            let uscc = USCC.withCheckCharacter(body: "91310101MA1FT0001")!
            let estateID = try await store.transaction { tx in
                try await tx.insertCompany(Company(uscc: uscc, name: "上海测试物业管理有限公司", ownership: .stateControlled,
                                                   districtGroup: false, registeredAddress: nil), recordedAt: Self.day)
                return try await tx.insertEstate(Estate(code: "E1", name: "测试小区", address: "某路 1 号", unit: "310101", legalDistrict: "310101",
                                                        subDistrict: "某街道", category: .directPublic, highDispute: false, households: 120,
                                                        buildings: 3, floorArea: 100, yearBuilt: nil), createdAt: Self.day)
            }
            let holding = Signal(), release = Signal()
            // Another transaction holds the company's row until released.
            let holder = Task {
                try await backend.runTransaction(readOnly: false) { db in
                    try await db.raw("SELECT uscc FROM companies WHERE uscc = \(bind: uscc.value) FOR UPDATE").run()
                    await holding.raise()
                    await release.wait()
                }
            }
            await holding.wait()
            let appointment = Task {
                try await store.transaction { tx in
                    let id = try await tx.insertArrangement(
                        NewArrangement(estateID: estateID, unit: "310101", kind: .custody, provider: .company(uscc),
                                       start: LocalDate(iso: "2026-01-01")!, plannedEnd: LocalDate(iso: "2026-06-30")!, reviewDate: nil,
                                       fee: nil, status: .proposed, justification: "原物业撤场", replaces: nil, selectionRoundID: nil,
                                       proposedBy: "alice", decidedBy: nil, createdAt: Self.day),
                        capacity: 5, appendsAuditNext: true)
                    try await tx.appendAudit(Self.draft("arrangement", String(id)))
                }
            }
            // Until the appointment queues for the company's row (10 s at most).
            var queued = false
            for _ in 0..<1000 where !queued {
                queued = try await Self.count(backend, """
                    SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                    """) > 0
                if !queued { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(queued, "the appointment never queued for the company's row")
            let trailLocks = try await Self.count(backend, "SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND \(Self.here)")
            #expect(trailLocks == 0, "the waiting appointment holds the trail's lock")
            // A writer that appends alone is not held up by the waiting appointment (had the
            // appointment the trail's lock, it would wait for the release below: not tried then).
            if trailLocks == 0 { try await store.transaction { try await $0.appendAudit(Self.draft("company", uscc.value)) } }
            await release.raise()
            try await holder.value
            try await appointment.value
            guard trailLocks == 0 else { return }
            let trail = try await store.read { try await $0.allAuditEntries() }
            #expect(trail.map(\.entity) == ["company", "arrangement"])
            #expect(AuditChain.firstBreak(in: trail) == nil)
        }
    }

    /// Advisory locks of this test's database only: other tests' run beside it on the cluster.
    static let here = "database = (SELECT oid FROM pg_database WHERE datname = current_database())"

    static func count(_ backend: PostgresBackend, _ sql: String) async throws -> Int {
        try await backend.withSession { db in try await db.raw(SQLQueryString(sql)).first()!.decode(column: "n", as: Int.self) }
    }

    static func draft(_ entity: String, _ id: String) -> AuditDraft {
        AuditDraft(recordedAt: day, actor: "alice", action: "test", entity: entity, entityID: id, unit: "310101", reason: nil,
                   before: nil, after: nil)
    }
}
