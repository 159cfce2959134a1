import Foundation
import Testing
import TuodiApp
import TuodiDomain
import TuodiStore
import TuodiTestSupport

/// Coverage and the quarterly return through the app layer, on both backends: draft → approved
/// → submitted, frozen after submission, a backdated correction restated in the next return,
/// late and missing returns, the municipal roll-up, and the same figures on both databases.
@Suite("Quarterly return workflow")
struct ReturnWorkflowTests {
    static func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }

    /// One store seen on different days: each step gets a context whose clock reads that day.
    struct World {
        let store: any Store
        func on(_ day: String) -> AppContext {
            AppContext(store: store, clock: FixedClock(LocalDate(iso: day)!), logger: TestDatabases.logger, security: SecuritySettings(bcryptCost: 4))
        }
    }

    static func uscc(_ n: Int) -> String { USCC.withCheckCharacter(body: "91310101MA1RT" + String(format: "%04d", n))!.value }

    /// 黄浦: a pool member from 1 July 2026; R1 unmanaged from 1 Aug and in custody from 1 Sep;
    /// R2 unmanaged from 10 Sep; R3 under a regular company. Q3 2026 is drafted, approved and
    /// submitted on 10 October.
    static func scenario(_ kind: StoreKind, submitQ3: Bool = true) async throws -> World {
        let world = World(store: try await TestDatabases.freshStore(kind))
        let july = world.on("2026-07-01")
        try await TestUsers.create(july)
        let clerk = try await TestUsers.caller(july, "hp.clerk"), approver = try await TestUsers.caller(july, "hp.approver")
        try await TestUsers.admitToPool(july, uscc: uscc(1), name: "黄浦物业", capacity: 5, ownership: "stateWhollyOwned", districtGroup: true)
        for (code, households) in [("R1", 120), ("R2", 300), ("R3", 80)] {
            _ = try await july.estates.register(EstateDraft(code: code, name: "小区\(code)", address: "某路 1 号", unit: "310101", subDistrict: "豫园街道",
                category: "直管公房", households: String(households), buildings: "2", floorArea: String(households * 50)), by: clerk)
        }
        // Each fact recorded on its day: a fact is never dated after today.
        _ = try await world.on("2026-08-01").estates.recordFact(code: "R1", FactDraft(kind: "becameUnmanaged", date: "2026-08-01", reason: "contractEnded"), by: clerk)
        _ = try await world.on("2026-09-10").estates.recordFact(code: "R2", FactDraft(kind: "becameUnmanaged", date: "2026-09-10", reason: "previousCompanyLeft"), by: clerk)
        _ = try await july.estates.recordFact(code: "R3", FactDraft(kind: "regularBegan", date: "2010-01-01", company: "甲物业"), by: clerk)
        let custody = try await july.arrangements.propose(ArrangementDraft(estateCode: "R1", kind: "custody", uscc: uscc(1), start: "2026-09-01",
                                                                           plannedEnd: "2027-02-28", justification: "原物业撤场"), by: clerk)
        _ = try await july.arrangements.approve(id: custody.id, by: approver)

        guard submitQ3 else { return world }
        let october = world.on("2026-10-10")
        _ = try await october.returns.draft(unit: "310101", year: 2026, quarter: 3, by: clerk)
        _ = try await october.returns.approve(unit: "310101", year: 2026, quarter: 3, by: approver)
        _ = try await october.returns.submit(unit: "310101", year: 2026, quarter: 3, by: clerk)
        return world
    }

    @Test("eight simultaneous first drafts of one return all succeed and leave one draft", arguments: StoreKind.allCases)
    func simultaneousFirstDrafts(_ kind: StoreKind) async throws {
        let world = try await Self.scenario(kind)
        let january = world.on("2027-01-05")
        let clerk = try await TestUsers.caller(january, "hp.clerk")
        let results = await withTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    do { return try await january.returns.draft(unit: "310101", year: 2026, quarter: 4, by: clerk).status } catch {
                        return "\(error)"
                    }
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: "draft", count: 8), "\(results)")
        let rows = try await world.store.transaction { try await $0.quarterlyReturns(unit: "310101") }.filter { $0.quarter == 4 }
        #expect(rows.count == 1)
        let drafts = try await world.store.transaction { try await $0.allAuditEntries() }
            .filter { $0.action == Action.returnDraft.rawValue && $0.entityID == "310101/2026Q4" }
        #expect(drafts.count == 8)
        try await world.store.close()
    }

    static func rule(_ body: () async throws -> Void) async -> String? {
        do { try await body(); return nil } catch AppError.conflict(let r, _) { return r.rawValue } catch { return "\(error)" }
    }

    @Test("draft, four eyes, submit; a submitted return is frozen; a backdated correction is restated next quarter", arguments: StoreKind.allCases)
    func workflow(_ kind: StoreKind) async throws {
        let world = try await Self.scenario(kind)
        let october = world.on("2026-10-10")
        let clerk = try await TestUsers.caller(october, "hp.clerk"), approver = try await TestUsers.caller(october, "hp.approver")
        let q3 = try await october.returns.show(unit: "310101", year: 2026, quarter: 3, by: clerk)
        #expect(q3.status == "submitted" && q3.submittedBy == "hp.clerk" && !q3.late && q3.deadline == Self.d("2026-10-15"))
        #expect(q3.report.newlyUnmanaged.inQuarter == 2 && q3.report.coverage.estates == Rate(numerator: 1, denominator: 2))
        #expect(q3.report.coverage.households == Rate(numerator: 120, denominator: 420))
        #expect(q3.report.stillUnmanaged.map(\.code) == ["R2"] && q3.report.stillUnmanaged[0].daysUnmanaged == 21)
        #expect(q3.report.pool.active == 1 && q3.report.pool.admittedInQuarter == 1 && q3.report.pool.activeDistrictGroup == 1)
        #expect(q3.report.estates.byState.first { $0.key == "custody" }?.count == 1)
        let storedQ3 = try await Self.storedJSON(world, 3)
        #expect(q3.snapshotSHA256 == Hex.sha256(Array(storedQ3.utf8)))
        // The quarter that is still running cannot be drafted; a submitted one cannot be re-drafted.
        #expect(await Self.rule { _ = try await october.returns.draft(unit: "310101", year: 2026, quarter: 4, by: clerk) } == "quarterOpen")
        #expect(await Self.rule { _ = try await october.returns.draft(unit: "310101", year: 2026, quarter: 3, by: clerk) } == "frozen")
        #expect(await Self.rule { _ = try await october.returns.approve(unit: "310101", year: 2026, quarter: 3, by: approver) } == "status")

        // 5 November: a backdated fact — R2 was taken over by a regular company on 20 September.
        let november = world.on("2026-11-05")
        _ = try await november.estates.recordFact(code: "R2", FactDraft(kind: "regularBegan", date: "2026-09-20", company: "乙物业"), by: clerk)
        let frozen = try await november.returns.show(unit: "310101", year: 2026, quarter: 3, by: clerk)
        #expect(frozen.report == q3.report && frozen.snapshotSHA256 == q3.snapshotSHA256)
        #expect(try await november.coverage.asOf(unit: nil, date: "2026-09-30", by: clerk).rate.rate == 1)

        // January: the Q4 return restates Q3.
        let january = world.on("2027-01-05")
        let q4 = try await january.returns.draft(unit: "310101", year: 2026, quarter: 4, by: clerk)
        #expect(q4.status == "draft")
        let restated = Dictionary(uniqueKeysWithValues: q4.report.restatements.map { ($0.figure, $0) })
        #expect(restated["coverage.estates"].map { ($0.year, $0.quarter, $0.submitted, $0.now) }! == (2026, 3, 0.5, 1))
        #expect(restated["stillUnmanaged"]?.now == 0)
        #expect(q4.report.coverage.estates.rate == 1 && q4.report.newlyUnmanaged.yearToDate == 2)
        // Four eyes: the drafter may not approve, even in the approver's role.
        let drafterAsApprover = Caller(userID: clerk.userID, username: clerk.username, role: .districtApprover, unit: "310101")
        #expect(await Self.rule { _ = try await january.returns.approve(unit: "310101", year: 2026, quarter: 4, by: drafterAsApprover) } == "fourEyes")
        #expect(await Self.rule { _ = try await january.returns.submit(unit: "310101", year: 2026, quarter: 4, by: clerk) } == "status")
        _ = try await january.returns.approve(unit: "310101", year: 2026, quarter: 4, by: approver)
        // Submitted on 20 January, after the 15 January deadline: late.
        let late = try await world.on("2027-01-20").returns.submit(unit: "310101", year: 2026, quarter: 4, by: approver)
        #expect(late.status == "submitted" && late.late)
        try await world.store.close()
    }

    @Test("a return submitted before the days-to-cover ruling stays frozen; the next draft restates its days to cover", arguments: StoreKind.allCases)
    func rulingRestated(_ kind: StoreKind) async throws {
        let world = try await Self.scenario(kind, submitQ3: false)
        let september = world.on("2026-09-20"), october = world.on("2026-10-10")
        let clerk = try await TestUsers.caller(october, "hp.clerk"), approver = try await TestUsers.caller(october, "hp.approver")
        // R2 (unmanaged from 10 Sep) is taken over by a regular company on 20 Sep: 10 days.
        _ = try await september.estates.recordFact(code: "R2", FactDraft(kind: "regularBegan", date: "2026-09-20", company: "乙物业"), by: clerk)
        let drafted = try await october.returns.draft(unit: "310101", year: 2026, quarter: 3, by: clerk)
        #expect(drafted.report.daysToCover == .init(episodes: 2, median: 20.5, maximum: 31))
        // Q3 as it was drafted before the ruling: R1's 31 days only (R2 was managed again, not covered).
        try await world.store.transaction { tx in
            var row = try #require(try await tx.quarterlyReturn(unit: "310101", year: 2026, quarter: 3, lock: true))
            var old = drafted.report
            old.daysToCover = .init(episodes: 1, median: 31, maximum: 31)
            old.newlyUnmanaged.estates = old.newlyUnmanaged.estates.map { var e = $0; if e.code == "R2" { e.daysToCover = nil }; return e }
            row.snapshotJSON = String(decoding: try JSONEncoder().encode(old), as: UTF8.self)
            row.snapshotSHA256 = Hex.sha256(Array(row.snapshotJSON.utf8))
            try await tx.updateReturn(row)
        }
        _ = try await october.returns.approve(unit: "310101", year: 2026, quarter: 3, by: approver)
        _ = try await october.returns.submit(unit: "310101", year: 2026, quarter: 3, by: clerk)

        let january = world.on("2027-01-05")
        let frozen = try await january.returns.show(unit: "310101", year: 2026, quarter: 3, by: clerk)
        #expect(frozen.report.daysToCover == .init(episodes: 1, median: 31, maximum: 31))
        let q4 = try await january.returns.draft(unit: "310101", year: 2026, quarter: 4, by: clerk)
        #expect(q4.report.restatements.map { ($0.year, $0.quarter, $0.figure) }.map { "\($0.0)Q\($0.1) \($0.2)" } == ["2026Q3 daysToCover.median"])
        #expect(q4.report.restatements.first.map { ($0.submitted, $0.now) }! == (31, 20.5))
        #expect(q4.report.daysToCover == .init(episodes: 2, median: 20.5, maximum: 31))
        try await world.store.close()
    }

    static func storedJSON(_ world: World, _ quarter: Int) async throws -> String {
        let stored = try await world.store.transaction { try await $0.quarterlyReturn(unit: "310101", year: 2026, quarter: quarter, lock: false) }
        return try #require(stored).snapshotJSON
    }

    @Test("the analyst sees submitted, late, missing and pending returns, and the municipal roll-up", arguments: StoreKind.allCases)
    func municipalView(_ kind: StoreKind) async throws {
        let world = try await Self.scenario(kind)
        let january = world.on("2027-01-05")
        let analyst = try await TestUsers.caller(january, "city.analyst"), clerk = try await TestUsers.caller(january, "hp.clerk")
        let q3 = try await january.returns.statuses(year: 2026, quarter: 3, by: analyst)
        #expect(q3.count == 17)
        #expect(q3.first { $0.unit == "310101" }.map { ($0.status, $0.stage) }! == ("submitted", "submitted"))
        #expect(q3.filter { $0.unit != "310101" }.allSatisfy { $0.status == "missing" && $0.stage == "notDrafted" })
        _ = try await january.returns.draft(unit: "310101", year: 2026, quarter: 4, by: clerk)
        let q4 = try await january.returns.statuses(year: 2026, quarter: 4, by: analyst)
        #expect(q4.first { $0.unit == "310101" }.map { ($0.status, $0.stage) }! == ("pending", "draft"))
        await #expect(throws: AppError.self) { _ = try await january.returns.statuses(year: 2026, quarter: 4, by: clerk) }

        let city = try await january.returns.rollup(year: 2026, quarter: 4, by: analyst)
        let unit = try await january.returns.show(unit: "310101", year: 2026, quarter: 4, by: clerk).report
        #expect(city.unit == "310000" && city.byUnit.count == 17)
        // All data is in 黄浦, so the city's figures are 黄浦's.
        #expect(city.newlyUnmanaged == unit.newlyUnmanaged && city.coverage == unit.coverage && city.daysToCover == unit.daysToCover)
        let row = try #require(city.byUnit.first { $0.unit == "310101" })
        #expect(row.newlyUnmanagedYearToDate == 2 && row.coveredYearToDate == 1 && row.coverageRate == 0.5 && row.returnStatus == "pending")
        #expect(city.byUnit.filter { $0.unit != "310101" }.allSatisfy { $0.registeredEstates == 0 && $0.coverageRate == nil })
        // Year-end coverage read on 5 January: final for 2026.
        let yearEnd = try await january.coverage.yearEnd(unit: nil, year: 2026, by: analyst)
        #expect(yearEnd.newlyUnmanaged == 2 && yearEnd.covered == 1 && yearEnd.daysLeft == 0 && yearEnd.atRisk.map(\.code) == ["R2"])
        // A district user reads their own unit only.
        let pt = try await TestUsers.caller(january, "pt.clerk")
        #expect(try await january.coverage.asOf(unit: nil, date: "2026-12-31", by: pt).covered == 0)
        await #expect(throws: AppError.notFound(entity: "unit", key: "310101")) {
            _ = try await january.returns.show(unit: "310101", year: 2026, quarter: 3, by: pt)
        }
        try await world.store.close()
    }

    @Test("the same scenario gives the same return, byte for byte, on SQLite and PostgreSQL")
    func sameOnBothBackends() async throws {
        var snapshots: [String] = []
        for kind in StoreKind.allCases {
            let world = try await Self.scenario(kind)
            let january = world.on("2027-01-05")
            let clerk = try await TestUsers.caller(january, "hp.clerk")
            _ = try await january.returns.draft(unit: "310101", year: 2026, quarter: 4, by: clerk)
            snapshots.append(try await Self.storedJSON(world, 3) + "\n" + Self.storedJSON(world, 4))
            try await world.store.close()
        }
        #expect(snapshots.count == 2 && snapshots[0] == snapshots[1])
        #expect(snapshots[0].contains(#""unit":"310101""#))
    }
}
