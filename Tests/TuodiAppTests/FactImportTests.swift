import Foundation
import Testing
@testable import TuodiApp
import TuodiDomain
import TuodiStore
import TuodiTestSupport

/// `import facts` (#12): all or nothing, row by row, the same checks as a single fact, and the
/// rows of one estate checked against each other and its history. Clock 2026-11-28.
@Suite("Imports: management facts")
struct FactImportTests {
    static let headers = ["小区编码", "事实类型", "生效日期", "无人管理原因", "物业服务企业"]

    /// Rows 2…36, one fact per estate F-1…F-35 (row r on F-(r-1)): each became unmanaged on its own
    /// day. Row 9 names an estate that does not exist; rows 20 and 31 are two regular companies of F-19.
    static func table(broken: Bool) -> ImportTable {
        ImportTable(headers: headers, rows: (2...36).map { r in
            let day = LocalDate(iso: "2026-01-01")!.adding(days: r).description
            switch r {
            case 9 where broken: return (r, ["F-404", "成为无人管理", day, "物业服务合同到期未续", ""])
            case 20: return (r, ["F-19", "选聘物业服务企业进驻", "2026-02-01", "", "甲物业"])
            case 31: return (r, [broken ? "F-19" : "F-30", "regularBegan", "2026-06-01", "", "乙物业"])
            default: return (r, ["F-\(r - 1)", "becameUnmanaged", day, "contractEnded", ""])
            }
        })
    }

    static func factCount(_ context: AppContext) async throws -> Int {
        try await context.store.transaction { try await $0.facts(unit: "310101") }.values.reduce(0) { $0 + $1.count }
    }

    @Test("a bad estate code in row 9 and an overlap between rows 20 and 31: nothing imported, both reported; then the good file",
          arguments: StoreKind.allCases)
    func badFile(_ kind: StoreKind) async throws {
        let context = try await ImportTests.context(kind)
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        #expect(try await context.imports.estates(ImportTests.estateTable(rows: 35, prefix: "F"), dryRun: false, by: clerk).imported == 35)

        let bad = try await context.imports.facts(Self.table(broken: true), dryRun: false, by: clerk)
        #expect(bad.imported == 0 && bad.rowsRead == 35 && !bad.succeeded)
        #expect(bad.errors == [
            .init(row: 9, column: "小区编码", message: "小区编码“F-404”未在本单位（310101）登记"),
            .init(row: 31, column: "生效日期", message: "与第 20 行重叠：甲物业 自 2026-02-01 起管理该小区，此前没有退出记录"),
        ])
        #expect(try await Self.factCount(context) == 0)

        let dry = try await context.imports.facts(Self.table(broken: false), dryRun: true, by: clerk)
        #expect(dry.succeeded && dry.imported == 0 && dry.dryRun)
        #expect(try await Self.factCount(context) == 0)
        let good = try await context.imports.facts(Self.table(broken: false), dryRun: false, by: clerk)
        #expect(good.succeeded && good.imported == 35)
        #expect(try await Self.factCount(context) == 35)
        #expect(try await context.estates.show(code: "F-19", asOf: LocalDate(iso: "2026-03-01"), by: clerk).state == .managed)
        // One audit entry per fact; importing the same file again overlaps every row with what is now recorded.
        let entries = try await context.store.transaction { try await $0.allAuditEntries() }.filter { $0.action == Action.factImport.rawValue }
        #expect(entries.count == 35)
        // Each entry names the id the batch insert gave its own row (the ids are matched by estate and day).
        let stored = try await context.store.transaction { try await $0.facts(unit: "310101") }.values.flatMap { $0 }
        let dayOfFact = Dictionary(uniqueKeysWithValues: stored.map { ($0.fact.id, $0.fact.date.description) })
        for entry in entries {
            let after = try JSONSerialization.jsonObject(with: Data((entry.after ?? "").utf8)) as? [String: Any]
            let fact = after?["fact"] as? [String: Any]
            let estate = try await context.estates.show(code: entry.entityID, by: clerk)
            #expect(estate.facts.map(\.fact.id) == [fact?["id"] as? Int] && dayOfFact[fact?["id"] as? Int ?? -1] == fact?["date"] as? String,
                    "\(entry.entityID): \(entry.after ?? "")")
        }
        let again = try await context.imports.facts(Self.table(broken: false), dryRun: false, by: clerk)
        #expect(again.imported == 0 && again.errorRowCount == 35)
        try await context.store.close()
    }

    @Test("single-fact rules per row: a date after today, a missing reason or company, an unknown kind; a file's own duplicate day")
    func rowRules() async throws {
        let context = try await ImportTests.context(.sqlite)
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        _ = try await context.imports.estates(ImportTests.estateTable(rows: 3, prefix: "G"), dryRun: false, by: clerk)
        let table = ImportTable(headers: Self.headers, rows: [
            (2, ["G-1", "becameUnmanaged", "2026-11-29", "contractEnded", ""]),
            (3, ["G-2", "regularBegan", "2026-05-01", "", ""]),
            (4, ["G-3", "moved", "2026-05-01", "", ""]),
            (5, ["G-1", "becameUnmanaged", "2026-05-01", "other", ""]),
            (6, ["G-1", "regularEnded", "2026-05-01", "", "甲物业"]),
        ])
        let report = try await context.imports.facts(table, dryRun: false, by: clerk)
        #expect(report.imported == 0)
        let byRow = Dictionary(grouping: report.errors, by: \.row).mapValues { $0.map(\.column) }
        #expect(byRow[2] == ["生效日期"] && byRow[3] == ["物业服务企业"] && byRow[4] == ["事实类型"] && byRow[6] == ["生效日期"], "\(report.errors)")
        #expect(report.errors.first { $0.row == 2 }?.message == "事实的日期 2026-11-29 晚于今天（2026-11-28）：只能记录已经发生的事实")
        #expect(report.errors.first { $0.row == 6 }?.message == "与第 5 行是同一小区同一日期（2026-05-01）的事实")
        try await context.store.close()
    }
}
