import Foundation
import Testing
@testable import TuodiApp
import TuodiDomain
import TuodiStore
import TuodiTestSupport

@Suite("Imports: all or nothing, row by row")
struct ImportTests {
    static let estateColumns = ["小区编码", "小区名称", "地址", "报送单位", "所属街镇", "房屋类型", "矛盾纠纷突出", "户数", "幢数", "建筑面积", "建成年份"]

    static func estateRow(_ i: Int, prefix: String, unit: String = "310101") -> [String] {
        ["\(prefix)-\(i)", "小区\(i)", "某路 \(i) 号", unit, "豫园街道", ["直管公房", "系统公房", "早期商品房", "otherOld"][i % 4],
         i % 7 == 0 ? "是" : "否", String(100 + i % 50), String(2 + i % 5), String(format: "%.2f", 3_000 + Double(i) * 1.5), String(1950 + i % 50)]
    }

    static func estateTable(rows: Int, prefix: String, unit: String = "310101") -> ImportTable {
        ImportTable(headers: estateColumns, rows: (1...rows).map { (number: $0 + 1, cells: estateRow($0, prefix: prefix, unit: unit)) })
    }

    static func companyTable(rows: Int, from: Int = 100) -> ImportTable {
        ImportTable(headers: ["统一社会信用代码", "企业名称", "企业性质", "区属房管集团", "联系人", "联系电话"],
                    rows: (0..<rows).map { i in
                        (number: i + 2, cells: [USCC.withCheckCharacter(body: "91310101MA1FT" + String(format: "%04d", from + i))!.value,
                                                "导入企业\(i)", ["国有独资", "国有控股", "民营", "其他"][i % 4], i % 2 == 0 ? "是" : "否",
                                                "联系人\(i)", "021-5555\(String(format: "%04d", i))"])
                    })
    }

    static func context(_ kind: StoreKind = .sqlite) async throws -> AppContext {
        let store = try await TestDatabases.freshStore(kind)
        let context = AppContext(store: store, clock: FixedClock(LocalDate(year: 2026, month: 11, day: 28)!),
                                 logger: TestDatabases.logger, security: SecuritySettings(bcryptCost: 4))
        try await TestUsers.create(context)
        return context
    }

    @Test("a clean file imports whole, with one audit entry per estate", arguments: StoreKind.allCases)
    func clean(_ kind: StoreKind) async throws {
        let context = try await Self.context(kind)
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        let dry = try await context.imports.estates(Self.estateTable(rows: 30, prefix: "HP"), dryRun: true, by: clerk)
        #expect(dry.succeeded && dry.imported == 0 && dry.rowsRead == 30)
        #expect(try await context.store.transaction { try await $0.estateCount(unit: nil) } == 0)
        let before = try await context.store.transaction { try await $0.allAuditEntries().count }
        let report = try await context.imports.estates(Self.estateTable(rows: 30, prefix: "HP"), dryRun: false, by: clerk)
        #expect(report.succeeded && report.imported == 30)
        #expect(try await context.store.transaction { try await $0.estateCount(unit: "310101") } == 30)
        let stored = try await context.store.transaction { try await $0.estate(code: "HP-7") }
        #expect(stored?.estate.highDispute == true && stored?.estate.category == .otherOld && stored?.estate.floorArea == 3010.5)
        let entries = try await context.store.transaction { try await $0.allAuditEntries() }
        #expect(entries.count == before + 30)
        #expect(AuditChain.firstBreak(in: entries) == nil)
        try await context.store.close()
    }

    @Test("one bad row: nothing is written, and every error is reported by row and column")
    func allOrNothing() async throws {
        let context = try await Self.context()
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        let good = Self.estateTable(rows: 20, prefix: "HP")
        var rows = good.rows
        rows[15].cells[7] = "很多"           // row 17: households
        rows[18].cells[5] = "别墅"           // row 20: category
        rows[3].cells[0] = "HP-1"            // row 5: duplicate of row 2
        let report = try await context.imports.estates(ImportTable(headers: good.headers, rows: rows), dryRun: false, by: clerk)
        #expect(!report.succeeded && report.imported == 0)
        #expect(report.errors.map(\.row) == [5, 17, 20])
        #expect(report.errors.map(\.column) == ["小区编码", "户数", "房屋类型"])
        #expect(try await context.store.transaction { try await $0.estateCount(unit: nil) } == 0)
        try await context.store.close()
    }

    @Test("legacy district codes map only through the alias table, and the report lists them")
    func aliases() async throws {
        let context = try await Self.context()
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        var table = Self.estateTable(rows: 3, prefix: "LW")
        var rows = table.rows
        rows[1].cells[3] = "310103"   // 卢湾 → 黄浦
        rows[2].cells[3] = "310102"   // never a district code
        table = ImportTable(headers: table.headers, rows: rows)
        let report = try await context.imports.estates(table, dryRun: true, by: clerk)
        #expect(report.aliasesApplied == [ImportReport.AliasApplied(row: 3, legacyCode: "310103", currentCode: "310101", note: "2011 年卢湾区并入黄浦区")])
        #expect(report.errors.map(\.row) == [4])
        try await context.store.close()
    }

    @Test("rows of another district are refused; missing columns are named")
    func scopeAndHeaders() async throws {
        let context = try await Self.context()
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        let other = try await context.imports.estates(Self.estateTable(rows: 2, prefix: "PT", unit: "310107"), dryRun: false, by: clerk)
        #expect(other.errors.count == 2 && other.errors.allSatisfy { $0.column == "报送单位" })
        let missing = try await context.imports.estates(ImportTable(headers: ["小区名称"], rows: [(2, ["x"])]), dryRun: false, by: clerk)
        #expect(missing.errors.contains { $0.column == "小区编码" } && missing.imported == 0)
        try await context.store.close()
    }

    @Test("companies: Chinese ownership names; a bad USCC in row 17 imports nothing and names row 17")
    func companies() async throws {
        let context = try await Self.context()
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        let table = Self.companyTable(rows: 20)
        var rows = table.rows
        rows[15].cells[0] = "91350100M000100Y4Z"
        let bad = try await context.imports.companies(ImportTable(headers: table.headers, rows: rows), dryRun: false, by: clerk)
        #expect(bad.errors.map(\.row) == [17] && bad.errors.first?.column == "统一社会信用代码" && bad.imported == 0)
        #expect(try await context.store.transaction { try await $0.companyCount() } == 0)
        let good = try await context.imports.companies(table, dryRun: false, by: clerk)
        #expect(good.imported == 20)
        let first = try await context.store.transaction { try await $0.companies(limit: 1, offset: 0) }.first
        #expect(first?.ownership == .stateWhollyOwned && first?.districtGroup == true && first?.contactPerson == "联系人0")
        try await context.store.close()
    }

    @Test("a round's applications from a spreadsheet: scored when every criterion has a column; unknown companies refused")
    func applications() async throws {
        let (context, f) = try await AuditCoverageTests.prepared()
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        let unknown = USCC.withCheckCharacter(body: "91310101MA1FT0999")!.value
        let headers = ["统一社会信用代码", "可承接小区数", "可承接户数", "服务能力", "信用"]
        let bad = ImportTable(headers: headers, rows: [(2, [f.freshUSCC, "4", "", "90", "80"]), (3, [unknown, "2", "", "70", "70"]),
                                                       (4, [AuditCoverageTests.uscc(6), "x", "", "70", "101"])])
        let refused = try await context.imports.applications(bad, roundID: f.roundID, dryRun: false, by: clerk)
        #expect(refused.imported == 0)
        #expect(refused.errors.map(\.row) == [3, 4, 4])
        let good = ImportTable(headers: headers, rows: [(2, [f.freshUSCC, "4", "1200", "90", "80"]), (3, [AuditCoverageTests.uscc(6), "2", "", "70", "60"])])
        let report = try await context.imports.applications(good, roundID: f.roundID, dryRun: false, by: clerk)
        #expect(report.imported == 2)
        let apps = try await context.pool.applications(roundID: f.roundID, by: clerk).filter { [f.freshUSCC, AuditCoverageTests.uscc(6)].contains($0.uscc) }
        // 90 × 0.6 + 80 × 0.4 = 86; 70 × 0.6 + 60 × 0.4 = 66
        #expect(apps.map(\.total) == [86, 66] && apps.allSatisfy { $0.status == .scored })
        #expect(apps.first?.capacityHouseholds == 1200)
        try await context.store.close()
    }

    @Test("a bulk import brings PostgreSQL's planner statistics up to date; a small one leaves them to autovacuum")
    func statisticsAfterBulkImport() async throws {
        let context = try await Self.context(.postgres)
        let store = try #require(context.store as? SQLStore)
        // Autovacuum off for the table, so that only the import can have analyzed it.
        try await TestDatabases.execute(store, "ALTER TABLE estates SET (autovacuum_enabled = false)")
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        let small = try await context.imports.estates(Self.estateTable(rows: ImportUseCases.bulkRows - 1, prefix: "S"), dryRun: false, by: clerk)
        #expect(small.imported == ImportUseCases.bulkRows - 1)
        #expect(try await TestDatabases.plannedRows(store, "estates").planned == -1)   // never analyzed
        let bulk = try await context.imports.estates(Self.estateTable(rows: ImportUseCases.bulkRows, prefix: "B"), dryRun: false, by: clerk)
        #expect(bulk.imported == ImportUseCases.bulkRows)
        #expect(try await TestDatabases.plannedRows(store, "estates") == (Double(2 * ImportUseCases.bulkRows - 1), 2 * ImportUseCases.bulkRows - 1))
        try await context.store.close()
    }
}
