import Testing
@testable import TuodiApp

@Suite("Import error log: every error counted, the first rows kept")
struct ImportErrorLogTests {
    static func error(_ row: Int, _ column: String) -> ImportReport.RowError {
        ImportReport.RowError(row: row, column: column, message: "第 \(row) 行有误")
    }

    @Test("10,000 rows of 3 errors each: 30,000 counted, the first 100 rows kept in full, in order")
    func capped() {
        var log = ImportErrorLog()
        for row in 2...10_001 { for column in ["户数", "幢数", "地址"] { log.append(Self.error(row, column)) } }
        #expect(log.count == 30_000 && log.rowCount == 10_000)
        let first = log.firstErrors
        #expect(first.count == 300)
        #expect(first.first == Self.error(2, "地址") && first.last == Self.error(101, "户数"))
    }

    @Test("a late error on an early row (the database checks come last) is still among the first")
    func lateEarlyRow() {
        var log = ImportErrorLog()
        for row in 500..<1_000 { log.append(Self.error(row, "户数")) }
        log.append(Self.error(3, "小区编码"))
        #expect(log.firstErrors.first == Self.error(3, "小区编码"))
        #expect(log.firstErrors.count == ImportErrorLog.rowLimit)
        #expect(log.count == 501)
    }

    @Test("no errors: empty, and a report that succeeded")
    func empty() {
        let log = ImportErrorLog()
        #expect(log.isEmpty && log.firstErrors.isEmpty && log.rowCount == 0)
    }
}
