import Foundation
import Testing
@testable import TuodiApp
import TuodiDomain
import TuodiStore
import TuodiTestSupport

/// Past arrangements of the four kinds, recorded one at a time or imported (#12), on both
/// backends, from the audit fixture (clock 2026-11-28; HP-A1, HP-B1, HP-C1 unmanaged since 1 July
/// 2026; HP-A1 holds a custody proposal from 1 December, HP-B1 owner self-management from 1 December).
@Suite("Recorded past arrangements")
struct RecordedArrangementTests {
    static func refusal(_ body: () async throws -> Void) async -> String {
        do { try await body(); return "accepted" } catch AppError.conflict(let rule, let message) { return "\(rule)：\(message)" } catch { return "\(error)" }
    }

    /// The fixture plus company 7 admitted by a past decision of 20 May 2026 (capacity 2), and
    /// company 6 by one of 1 September 2026; estates HP-D1…HP-D4 unmanaged since 1 March 2026.
    static func prepared(_ kind: StoreKind) async throws -> (AppContext, Caller, Caller) {
        let (context, _) = try await AuditCoverageTests.prepared(kind)
        let clerk = try await TestUsers.caller(context, "hp.clerk"), approver = try await TestUsers.caller(context, "hp.approver")
        for (uscc, day, ref) in [(seven, "2026-05-20", "黄房物〔2026〕12号"), (six, "2026-09-01", "黄房物〔2026〕40号")] {
            let (_, applications) = try await context.pool.recordAdmission(RecordedAdmissionDraft(
                unit: "310101", decidedOn: day, documentRef: ref, members: [.init(uscc: uscc, capacityEstates: 2)]), by: clerk)
            for a in applications { _ = try await context.pool.decide(applicationID: a.id, approve: true, reason: nil, by: approver) }
        }
        for n in 1...4 {
            _ = try await context.estates.register(AuditCoverageTests.estateDraft("HP-D\(n)"),
                                                   current: FactDraft(kind: "becameUnmanaged", date: "2026-03-01", reason: "contractEnded"), by: clerk)
        }
        return (context, clerk, approver)
    }

    static let seven = AuditCoverageTests.uscc(7), six = AuditCoverageTests.uscc(6)

    static func draft(_ code: String, _ kind: String, uscc: String? = nil, start: String, end: String? = nil, review: String? = nil,
                      decided: String, ref: String = "黄房物〔2026〕21号", bids: Int? = nil, price: Double? = nil) -> RecordedArrangementDraft {
        RecordedArrangementDraft(
            arrangement: ArrangementDraft(estateCode: code, kind: kind, uscc: uscc, body: uscc == nil ? "豫园街道办事处" : nil,
                                          contact: uscc == nil ? "王主任 021-6000" : nil, start: start, plannedEnd: end, reviewDate: review),
            decidedOn: decided, documentRef: ref, validBids: bids, awardedPrice: price)
    }

    @Test("every kind recorded with its decision, four eyes, eligibility as the pool was then; a selection with its award and no bids",
          arguments: StoreKind.allCases)
    func recordEveryKind(_ kind: StoreKind) async throws {
        let (context, clerk, approver) = try await Self.prepared(kind)
        let a = context.arrangements

        // Custody before company 6 was a member: refused, naming the date and the membership's start.
        #expect(await Self.refusal { _ = try await a.record(Self.draft("HP-D1", "custody", uscc: Self.six, start: "2026-08-01", end: "2026-10-31",
                                                                        decided: "2026-07-30"), by: clerk) }
                == "ineligible：企业 \(Self.six) 在 2026-08-01 的入库状态为 不在本区预选库（其入库资格自 2026-09-01 起），不能承接新项目")
        // Inside company 7's membership, though it started long before today: accepted, proposed, 文号 as the written reason.
        let custody = try await a.record(Self.draft("HP-D1", "custody", uscc: Self.seven, start: "2026-06-01", end: "2026-08-31",
                                                    decided: "2026-05-28"), by: clerk)
        #expect(custody.status == "proposed" && custody.documentRef == "黄房物〔2026〕21号" && custody.decidedOn == LocalDate(iso: "2026-05-28"))
        #expect(custody.justification == "依据 黄房物〔2026〕21号")

        // A selection awarded outside Tuodi: the award's date not after the term starts, at least 3 valid bids if stated.
        await #expect(throws: AppError.self) {
            _ = try await a.record(Self.draft("HP-D2", "selection", uscc: Self.seven, start: "2026-06-01", end: "2029-05-31", decided: "2026-06-10"), by: clerk)
        }
        do {
            _ = try await a.record(Self.draft("HP-D2", "selection", uscc: Self.seven, start: "2026-07-01", end: "2029-06-30", decided: "2026-06-10", bids: 2), by: clerk)
            Issue.record("two valid bids accepted")
        } catch AppError.validation(let errors) {
            #expect(errors.map(\.code) == ["tooFewBids"])
        }
        let selection = try await a.record(Self.draft("HP-D2", "selection", uscc: Self.seven, start: "2026-07-01", end: "2029-06-30",
                                                      decided: "2026-06-10", ref: "黄房物〔2026〕30号", bids: 4, price: 1.85), by: clerk)
        #expect(selection.kind == "selection" && selection.fee == 1.85 && selection.selectionRoundID != nil)

        // Owner self-management on HP-B1 before its running arrangement; community fallback on HP-D3, open-ended.
        let ownerSelf = try await a.record(Self.draft("HP-B1", "ownerSelf", start: "2026-07-01", end: "2026-11-30", review: "2026-10-01",
                                                      decided: "2026-06-25"), by: clerk)
        let community = try await a.record(Self.draft("HP-D3", "communityFallback", start: "2026-03-01", review: "2026-12-31",
                                                      decided: "2026-02-27"), by: clerk)
        // Overlap with a recorded proposal is refused like any other.
        #expect(await Self.refusal { _ = try await a.record(Self.draft("HP-D3", "ownerSelf", start: "2026-05-01", review: "2026-12-31",
                                                                        decided: "2026-04-27"), by: clerk) }.hasPrefix("overlap："))

        // Four eyes, then the second person approves each.
        #expect(await Self.refusal {
            _ = try await a.approve(id: selection.id, by: Caller(userID: clerk.userID, username: clerk.username, role: .districtApprover, unit: "310101"))
        }.hasPrefix("fourEyes"))
        for id in [custody.id, selection.id, ownerSelf.id, community.id] { _ = try await a.approve(id: id, by: approver) }
        let state: (String, String) async throws -> EstateState = { code, day in
            try await context.estates.show(code: code, asOf: LocalDate(iso: day), by: clerk).state
        }
        #expect(try await state("HP-D1", "2026-07-01") == .covered(.custody))
        #expect(try await state("HP-D1", "2026-09-01") == .unmanaged)
        #expect(try await state("HP-D2", "2026-07-01") == .covered(.selection))
        #expect(try await state("HP-D2", "2026-06-30") == .unmanaged)
        #expect(try await state("HP-B1", "2026-08-01") == .covered(.ownerSelf))
        #expect(try await state("HP-D3", "2026-03-01") == .covered(.communityFallback))

        // The round: awarded on the award document's date, no bids; its OCDS release says so and invents nothing.
        let round = try await context.store.transaction { try await $0.selectionRound(id: selection.selectionRoundID!) }!
        #expect(round.status == .awarded && round.finishedOn == LocalDate(iso: "2026-06-10") && round.bids.isEmpty)
        #expect(round.awardDecidedBy == "hp.approver" && round.recorded?.validBids == 4)
        let release = try JSONSerialization.jsonObject(with: try await context.selections.ocdsRelease(id: round.id, by: clerk)) as! [String: Any]
        let tender = release["tender"] as! [String: Any], bids = release["bids"] as! [String: Any]
        #expect(release["tag"] as? [String] == ["award"] && (tender["description"] as! String).contains("事后登记"))
        #expect(tender["awardCriteriaDetails"] == nil && tender["tenderPeriod"] == nil && tender["numberOfTenderers"] == nil)
        #expect(bids["details"] == nil && (bids["statistics"] as! [[String: Any]]).map { $0["value"] as? Int } == [4])
        #expect(((tender["documents"] as! [[String: Any]]).first?["title"] as? String) == "黄房物〔2026〕30号")

        // One audit entry per record, under its own action.
        let entries = try await context.store.transaction { try await $0.allAuditEntries() }.filter { $0.action == Action.arrangementRecord.rawValue }
        #expect(entries.count == 4 && entries.allSatisfy { $0.actor == "hp.clerk" })
        try await context.store.close()
    }

    static let headers = ["小区编码", "托底方式", "决定日期", "文号", "开始日期", "计划结束日期", "复核日期", "统一社会信用代码", "负责主体", "联系人及电话", "有效投标数", "中标价格"]

    @Test("the arrangement import: single-entry checks per row, the file's own overlaps and capacity, all or nothing", arguments: StoreKind.allCases)
    func importFile(_ kind: StoreKind) async throws {
        let (context, clerk, approver) = try await Self.prepared(kind)
        func row(_ n: Int, _ cells: [String]) -> (number: Int, cells: [String]) { (n, cells) }
        let bad = ImportTable(headers: Self.headers, rows: [
            row(2, ["HP-D1", "临时托管", "2026-05-28", "黄房物〔2026〕21号", "2026-06-01", "2026-08-31", "", Self.seven, "", "", "", ""]),
            row(3, ["HP-D2", "临时托管", "2026-05-28", "黄房物〔2026〕22号", "2026-06-15", "2026-09-30", "", Self.seven, "", "", "", ""]),
            // Company 7 may hold 2 estates at once: the third is over capacity.
            row(4, ["HP-D3", "custody", "2026-05-28", "黄房物〔2026〕23号", "2026-07-01", "2026-07-31", "", Self.seven, "", "", "", ""]),
            // Overlaps row 2 on HP-D1.
            row(5, ["HP-D1", "社区托底服务", "2026-08-01", "豫园街道〔2026〕9号", "2026-08-15", "", "2026-12-31", "", "豫园街道办事处", "王主任", "", ""]),
            row(6, ["HP-Z9", "业主自行管理", "2026-08-01", "x", "2026-08-15", "", "2026-12-31", "", "业委会", "李", "", ""]),
            row(7, ["HP-D4", "市场竞争选聘", "2026-07-10", "黄房物〔2026〕30号", "2026-08-01", "2029-07-31", "", Self.seven, "", "", "两", ""]),
        ])
        let report = try await context.imports.arrangements(bad, dryRun: false, by: clerk)
        #expect(report.imported == 0 && !report.succeeded)
        let byRow = Dictionary(grouping: report.errors, by: \.row)
        #expect(Set(byRow.keys) == [4, 5, 6, 7], "\(report.errors)")
        #expect(byRow[4]?.first?.column == "统一社会信用代码" && byRow[4]!.first!.message.contains("承接上限为 2"))
        #expect(byRow[5]?.first == .init(row: 5, column: "开始日期", message: "与第 2 行（2026-06-01 至 2026-08-31）时间重叠：同一小区同一天只能有一个服务主体"))
        #expect(byRow[6]?.first == .init(row: 6, column: "小区编码", message: "小区编码“HP-Z9”未在本单位（310101）登记"))
        #expect(byRow[7]?.first?.column == "有效投标数")
        #expect(try await context.arrangements.list(unit: "310101", status: "proposed", by: clerk).filter { $0.documentRef != nil }.isEmpty)
        #expect(try await context.selections.list(unit: "310101", by: clerk).count == 5)

        // Fixed: row 4 later, row 5 after row 2 ends, row 6 dropped, row 7 with its number of bids.
        let good = ImportTable(headers: Self.headers, rows: [
            bad.rows[0], bad.rows[1],
            row(4, ["HP-D3", "custody", "2026-05-28", "黄房物〔2026〕23号", "2026-10-01", "2026-10-31", "", Self.seven, "", "", "", ""]),
            row(5, ["HP-D1", "社区托底服务", "2026-08-31", "豫园街道〔2026〕9号", "2026-09-01", "", "2026-12-31", "", "豫园街道办事处", "王主任", "", ""]),
            row(7, ["HP-D4", "市场竞争选聘", "2026-07-10", "黄房物〔2026〕30号", "2026-11-01", "2029-10-31", "", Self.seven, "", "", "3", "2.1"]),
        ])
        let dry = try await context.imports.arrangements(good, dryRun: true, by: clerk)
        #expect(dry.succeeded && dry.imported == 0, "\(dry.errors)")
        #expect(try await context.selections.list(unit: "310101", by: clerk).count == 5)
        let done = try await context.imports.arrangements(good, dryRun: false, by: clerk)
        #expect(done.succeeded && done.imported == 5, "\(done.errors)")
        let imported = try await context.arrangements.list(unit: "310101", status: "proposed", by: clerk).filter { $0.documentRef != nil }
        #expect(imported.count == 5 && imported.allSatisfy { $0.proposedBy == "hp.clerk" })
        for a in imported { _ = try await context.arrangements.approve(id: a.id, by: approver) }
        #expect(try await context.estates.show(code: "HP-D4", asOf: LocalDate(iso: "2026-11-01"), by: clerk).state == .covered(.selection))
        let entries = try await context.store.transaction { try await $0.allAuditEntries() }.filter { $0.action == Action.arrangementImport.rawValue }
        #expect(entries.count == 5)
        // The same file again overlaps every row with what is now recorded.
        let again = try await context.imports.arrangements(good, dryRun: false, by: clerk)
        #expect(again.imported == 0 && again.errorRowCount == 5)
        try await context.store.close()
    }
}
