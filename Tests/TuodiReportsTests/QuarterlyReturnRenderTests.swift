import Foundation
import Testing
@testable import TuodiDomain
@testable import TuodiReports

// The quarterly return in every format, read back by independent tools: the workbook by
// openpyxl, the CSV by python3's csv module, the XML by xmllint against reports/quarterly-return.xsd.
// A missing python3, openpyxl or xmllint fails these tests; it does not skip them
// (`make test-deps` installs them).

/// reports/quarterly-return.xsd, found from this file.
private let schemaPath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Tests/TuodiReportsTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // the package
    .appendingPathComponent("reports/quarterly-return.xsd").path

// MARK: - Running the outside tools

private struct ToolRun {
    let exitCode: Int32
    let output: String
}

/// Runs `arguments` through /usr/bin/env (so PATH finds python3 and xmllint); stdout and stderr together.
private func run(_ arguments: [String]) throws -> ToolRun {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ToolRun(exitCode: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
}

/// Writes `bytes` to a fresh temporary file, passes its path to `body`, then removes it.
private func withTemporaryFile<T>(_ bytes: [UInt8], suffix: String, _ body: (String) throws -> T) throws -> T {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("quarterly-return-\(UUID().uuidString).\(suffix)")
    try Data(bytes).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    return try body(file.path)
}

/// Runs a python3 script that writes JSON to the path in argv[2] (argv[1] is the input file)
/// and returns that JSON; the test fails with the script's output if it exits non-zero.
private func python<T: Decodable>(_ script: String, reading bytes: [UInt8], suffix: String, as: T.Type) throws -> T {
    try withTemporaryFile(bytes, suffix: suffix) { input in
        let result = FileManager.default.temporaryDirectory.appendingPathComponent("quarterly-return-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: result) }
        let outcome = try run(["python3", "-c", script, input, result.path])
        try #require(outcome.exitCode == 0, "python3 failed (exit \(outcome.exitCode)):\n\(outcome.output)")
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: result))
    }
}

/// xmllint's verdict on `xml` against the schema.
private func validate(_ xml: [UInt8]) throws -> ToolRun {
    try withTemporaryFile(xml, suffix: "xml") { path in
        try run(["xmllint", "--noout", "--schema", schemaPath, path])
    }
}

// MARK: - Reading the workbook back with openpyxl

/// One cell as openpyxl sees it: its Python type, its value as text, its number format.
private struct SheetCell: Decodable, Equatable {
    let type: String
    let value: String
    let format: String
}

private struct Workbook: Decodable {
    let sheets: [String]
    let cells: [String: [[SheetCell]]]

    func rows(_ sheet: String) throws -> [[SheetCell]] { try #require(cells[sheet], "no sheet \(sheet) in \(sheets)") }

    /// The 数值 cell of the summary row labelled `label`.
    func summary(_ label: String) throws -> SheetCell {
        let row = try #require(try rows("概要").first { $0.first?.value == label }, "no summary row \(label)")
        return row[1]
    }
}

private let readWorkbook = #"""
import json, sys, datetime
try:
    import openpyxl
except Exception as error:
    print("python3 has no usable openpyxl: %s" % error)
    sys.exit(3)
book = openpyxl.load_workbook(sys.argv[1])
def cell(c):
    v = c.value
    if v is None: kind, text = "none", ""
    elif isinstance(v, bool): kind, text = "bool", str(v)
    elif isinstance(v, int): kind, text = "int", str(v)
    elif isinstance(v, float): kind, text = "float", repr(v)
    elif isinstance(v, datetime.datetime): kind, text = "datetime", v.date().isoformat() if v.time() == datetime.time() else v.isoformat()
    elif isinstance(v, str): kind, text = "str", v
    else: kind, text = type(v).__name__, str(v)
    return {"type": kind, "value": text, "format": c.number_format}
out = {"sheets": book.sheetnames,
       "cells": {ws.title: [[cell(c) for c in row] for row in ws.iter_rows()] for ws in book.worksheets}}
json.dump(out, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
"""#

private func workbook(_ r: QuarterlyReturn) throws -> Workbook {
    try python(readWorkbook, reading: try QuarterlyReturnRenderer.render(r, as: .xlsx), suffix: "xlsx", as: Workbook.self)
}

private let readCSV = #"""
import csv, json, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f, strict=True))
json.dump(rows, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
"""#

private let unitSheets = ["概要", "本年新增失管小区", "仍失管小区", "90天内到期", "预选库", "市场竞争选聘"]

// MARK: - Tests

@Suite("Quarterly return renderers")
struct QuarterlyReturnRenderTests {
    // MARK: XLSX

    @Test("XLSX: openpyxl reads the sheets, Chinese labels, numbers, dates and percentages")
    func xlsxUnit() throws {
        let book = try workbook(unitReturn)
        #expect(book.sheets == unitSheets)

        let summary = try book.rows("概要")
        #expect(summary[0].map(\.value) == ["项目", "数值"])
        #expect(try book.summary("报表单位") == SheetCell(type: "str", value: "黄浦区", format: "General"))
        #expect(try book.summary("登记小区数") == SheetCell(type: "int", value: "120", format: "General"))
        #expect(try book.summary("按类别：直管公房").value == "50")
        #expect(try book.summary("截止日状态：临时托管").value == "7")
        let asOf = try book.summary("截止日期")
        #expect(asOf.type == "datetime" && asOf.value == "2026-12-31" && asOf.format == "yyyy-mm-dd", "\(asOf)")
        let rate = try book.summary("托底覆盖率（按小区数）")
        #expect(rate.type == "float" && rate.format == "0.00%", "\(rate)")
        #expect(abs(try #require(Double(rate.value)) - 5.0 / 6.0) < 1e-12)
        #expect(try book.summary("托底覆盖率（按建筑面积）分子：已托底建筑面积（平方米）") == SheetCell(type: "float", value: "41000.75", format: "General"))
        #expect(try book.summary("托底用时中位数（天）").value == "21")

        let newly = try book.rows("本年新增失管小区")
        #expect(newly[0].map(\.value) == ["小区编码", "小区名称", "类别", "户数", "建筑面积（平方米）", "失管起始日", "截止日状态", "托底用时（天）"])
        #expect(newly.count == 7)
        let first = newly[1]
        #expect(first.map(\.value) == ["HP-0012", "建国新村", "直管公房", "320", "12000.5", "2026-02-10", "临时托管", "21"])
        #expect(first.map(\.type) == ["str", "str", "str", "int", "float", "datetime", "str", "int"])
        #expect(newly[2][1].value == "蓬莱<&>公寓")
        #expect(newly[6][6].value == "无人管理" && newly[6][7].type == "none")  // not covered: no days

        let pool = try book.rows("预选库")
        #expect(pool[1].map(\.value) == ["91310101MA1FL00010", "上海申城物业管理有限公司", "是", "2025-07-01", "2028-06-30", "12"])
        let rounds = try book.rows("市场竞争选聘")
        #expect(rounds.dropFirst().map { $0[3].value } == ["已成交", "流标"])
        let ending = try book.rows("90天内到期")
        #expect(ending[2].map(\.value) == ["44", "310101", "HP-0047", "业主自行管理", "瞿溪小区业主委员会", "2026-06-30", "2027-03-31"])
        #expect(ending[2][6].type == "datetime")
        let still = try book.rows("仍失管小区")
        #expect(still[2][6] == SheetCell(type: "int", value: "487", format: "General"))
    }

    @Test("XLSX: the roll-up adds 分区汇总 and 更正说明; a rate without denominator reads 无")
    func xlsxRollUp() throws {
        let book = try workbook(rollUp)
        #expect(book.sheets == unitSheets + ["分区汇总", "更正说明"])

        let units = try book.rows("分区汇总")
        #expect(units[0][7].value == "托底覆盖率（按小区数）")
        #expect(units.dropFirst().map { $0[0].value } == ["310101", "310107", "LG"])
        #expect(units[1][7].type == "float" && units[1][7].format == "0.00%")
        #expect(units[2][7].value == "1" || units[2][7].value == "1.0")
        #expect(units[3][7] == SheetCell(type: "str", value: "无", format: "General"))
        #expect(units.dropFirst().map { $0[9].value } == ["已报送", "逾期报送", "逾期未报送"])
        #expect(units[1][2].type == "int")

        let restated = try book.rows("更正说明")
        #expect(restated[0].map(\.value) == ["年度", "季度", "指标代码", "指标", "原报数值", "现数值", "差额"])
        #expect(restated[1].map(\.value) == ["2026", "3", "newlyUnmanaged.yearToDate", "本年新增失管小区数", "5", "6", "1"])
        #expect(restated[2].map(\.value) == ["2026", "3", "coverage.households.rate", "托底覆盖率（按户数）", "无", "0.75", "无"])
    }

    @Test("XLSX: nothing to report gives empty detail sheets and 无 for every rate and the median")
    func xlsxEmpty() throws {
        let book = try workbook(emptyReturn)
        #expect(book.sheets == unitSheets)
        for label in ["托底覆盖率（按小区数）", "托底覆盖率（按户数）", "托底覆盖率（按建筑面积）", "托底用时中位数（天）", "托底用时最长（天）"] {
            #expect(try book.summary(label) == SheetCell(type: "str", value: "无", format: "General"), "\(label)")
        }
        #expect(try book.rows("仍失管小区").count == 1)  // the header alone
    }

    @Test("XLSX: the package holds the required parts and no clock time")
    func xlsxParts() throws {
        let bytes = try QuarterlyReturnRenderer.render(unitReturn, as: .xlsx)
        #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
        let text = String(decoding: bytes, as: UTF8.self)  // STORED entries: the parts are readable as they are
        for part in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                     "xl/worksheets/sheet1.xml", "xl/worksheets/sheet6.xml", "docProps/core.xml"] {
            #expect(text.contains(part), "\(part)")
        }
        #expect(!text.contains("dcterms:created") && !text.contains("dcterms:modified"))
        #expect(QuarterlyReturnXLSX.column(0) == "A" && QuarterlyReturnXLSX.column(25) == "Z" && QuarterlyReturnXLSX.column(26) == "AA")
    }

    // MARK: XML

    @Test("XML: every sample validates against reports/quarterly-return.xsd", arguments: samples.map(\.0))
    func xmlValidates(_ name: String) throws {
        let r = try #require(samples.first { $0.0 == name }?.1)
        let result = try validate(try QuarterlyReturnRenderer.render(r, as: .xml))
        #expect(result.exitCode == 0, "xmllint (exit \(result.exitCode)):\n\(result.output)")
    }

    @Test("XML: broken documents are rejected by the schema", arguments: [
        ("impossible date", "<asOf>2026-12-31</asOf>", "<asOf>2026-13-01</asOf>"),
        ("required element removed", "<registered>120</registered>", ""),
        ("unknown state", "<stateOnAsOf>custody</stateOnAsOf>", "<stateOnAsOf>elsewhere</stateOnAsOf>"),
        ("category counted twice", "<count key=\"otherOld\">", "<count key=\"directPublic\">"),
        ("a count that is not an integer", "<inQuarter>2</inQuarter>", "<inQuarter>2.5</inQuarter>"),
        ("rate above 1", "<rate>0.8333333333333334</rate>", "<rate>1.8</rate>"),
        ("fifth quarter", "<quarter>4</quarter>", "<quarter>5</quarter>"),
    ])
    func xmlBrokenIsRejected(_ what: String, _ original: String, _ replacement: String) throws {
        let xml = String(decoding: try QuarterlyReturnRenderer.render(unitReturn, as: .xml), as: UTF8.self)
        #expect(xml.contains(original), "the sample lacks \(original)")
        let broken = xml.replacingOccurrences(of: original, with: replacement)
        let result = try validate(Array(broken.utf8))
        // 3 and 4 are xmllint's "validation error" exits; 127 would be a missing xmllint.
        #expect(result.exitCode == 3 || result.exitCode == 4, "\(what): xmllint said (exit \(result.exitCode)):\n\(result.output)")
        #expect(result.output.contains("fails to validate"), "\(what): \(result.output)")
    }

    @Test("XML: English element names after the Swift fields, nil figures absent, the namespace declared")
    func xmlShape() throws {
        let unit = String(decoding: try QuarterlyReturnRenderer.render(unitReturn, as: .xml), as: UTF8.self)
        #expect(unit.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quarterlyReturn xmlns=\"urn:tuodi:quarterly-return:1\">\n"))
        #expect(unit.contains("<name>蓬莱&lt;&amp;&gt;公寓</name>"))
        #expect(unit.contains("<count key=\"directPublic\">50</count>"))
        #expect(unit.contains("<floorArea>12000.5</floorArea>"))
        #expect(unit.contains("<districtGroup>true</districtGroup>"))

        let empty = String(decoding: try QuarterlyReturnRenderer.render(emptyReturn, as: .xml), as: UTF8.self)
        #expect(!empty.contains("<rate>") && !empty.contains("<median>") && !empty.contains("<maximum>"))
        #expect(empty.contains("<members/>") && empty.contains("<byUnit/>") && empty.contains("<restatements/>"))

        let city = String(decoding: try QuarterlyReturnRenderer.render(rollUp, as: .xml), as: UTF8.self)
        #expect(city.contains("<unit>LG</unit>"))
        #expect(city.contains("<figure>coverage.households.rate</figure>\n      <now>0.75</now>"))
    }

    @Test("XML: a code the schema does not know is refused, not written")
    func xmlRefusesUnknownCodes() {
        var stray = unitReturn
        stray.endingSoon[0].kind = "regular"
        #expect(throws: QuarterlyReturnRenderError.unknownCode(field: "endingSoon.kind", value: "regular")) {
            try QuarterlyReturnRenderer.render(stray, as: .xml)
        }
        var missing = unitReturn
        missing.estates.byCategory.removeLast()
        #expect(throws: QuarterlyReturnRenderError.incompleteCounts(
            field: "estates.byCategory", expected: ["directPublic", "workUnitPublic", "earlyCommodity", "otherOld"],
            found: ["directPublic", "workUnitPublic", "earlyCommodity"]
        )) {
            try QuarterlyReturnRenderer.render(missing, as: .xml)
        }
        // The other formats still show it, under its own name.
        #expect(throws: Never.self) { try QuarterlyReturnRenderer.render(stray, as: .xlsx) }
    }

    // MARK: CSV

    @Test("CSV: BOM, CRLF, the summary first, then each section after a blank line; python3's csv reads it")
    func csv() throws {
        let bytes = try QuarterlyReturnRenderer.render(unitReturn, as: .csv)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("项目,数值\r\n报表单位,黄浦区\r\n"))
        #expect(text.hasSuffix("\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))  // no bare LF anywhere

        let rows = try python(readCSV, reading: bytes, suffix: "csv", as: [[String]].self)
        #expect(rows[0] == ["项目", "数值"])
        #expect(rows.contains(["登记小区数", "120"]))
        #expect(rows.contains(["截止日期", "2026-12-31"]))
        #expect(rows.contains(["托底覆盖率（按小区数）", "0.8333"]))
        #expect(rows.contains(["托底覆盖率（按户数）", "0.8429"]))
        #expect(rows.contains(["托底覆盖率（按建筑面积）分子：已托底建筑面积（平方米）", "41000.75"]))

        // Sections: a blank line, the name, the header.
        let start = try #require(rows.firstIndex(of: []))
        #expect(rows[start + 1] == ["本年新增失管小区"])
        #expect(rows[start + 2] == ["小区编码", "小区名称", "类别", "户数", "建筑面积（平方米）", "失管起始日", "截止日状态", "托底用时（天）"])
        #expect(rows[start + 3] == ["HP-0012", "建国新村", "直管公房", "320", "12000.5", "2026-02-10", "临时托管", "21"])
        #expect(rows.contains(["HP-0052", "\"老西门,南块\"小区", "其他老旧小区", "96", "3100", "2026-08-05", "有物业管理", "30"]))
        #expect(rows.contains(["HP-0071", "丽园路小区", "直管公房", "220", "9200", "2026-11-30", "无人管理", ""]))
        let names = rows.indices.filter { rows[$0] == [] }.map { rows[$0 + 1] }
        #expect(names == [["本年新增失管小区"], ["仍失管小区"], ["90天内到期"], ["预选库"], ["市场竞争选聘"]])
    }

    @Test("CSV: the roll-up's by-unit section has 无 for the unit without a rate")
    func csvRollUp() throws {
        let rows = try python(readCSV, reading: try QuarterlyReturnRenderer.render(rollUp, as: .csv), suffix: "csv", as: [[String]].self)
        #expect(rows.contains(["LG", "临港新片区管委会", "0", "30", "0", "0", "0", "无", "0", "逾期未报送"]))
        #expect(rows.contains(["310101", "黄浦区", "4", "120", "2", "6", "5", "0.8333", "2", "已报送"]))
        #expect(rows.contains(["2026", "3", "coverage.households.rate", "托底覆盖率（按户数）", "无", "0.75", "无"]))
        #expect(rows.contains(["更正说明"]) && rows.contains(["分区汇总"]))
    }

    @Test("CSV: a name that Excel would run as a formula is written as text; negative numbers stay numbers")
    func csvFormulaInjection() throws {
        var r = unitReturn
        r.stillUnmanaged[0].name = #"=HYPERLINK("http://example.com","点我")"#
        r.stillUnmanaged[0].subDistrict = "@SUM(A1)"
        r.restatements = [.init(year: 2026, quarter: 3, figure: "estates.registered", submitted: 10, now: 8)]
        let rows = try python(readCSV, reading: try QuarterlyReturnRenderer.render(r, as: .csv), suffix: "csv", as: [[String]].self)
        #expect(rows.contains { $0.count > 3 && $0[2] == #"'=HYPERLINK("http://example.com","点我")"# && $0[3] == "'@SUM(A1)" })
        #expect(!rows.joined().contains { $0.hasPrefix("=") || $0.hasPrefix("@") })
        // The restatement's difference is a number, −2, not text.
        #expect(rows.contains { $0.first == "2026" && $0.last == "-2" })
    }

    // MARK: HTML

    @Test("HTML: a printable Chinese page with the title, the figures and every name escaped")
    func html() throws {
        let page = String(decoding: try QuarterlyReturnRenderer.render(unitReturn, as: .html), as: UTF8.self)
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        #expect(page.contains("<meta charset=\"utf-8\">"))
        #expect(page.contains("<title>黄浦区 2026 年第 4 季度老旧小区无人管理托底情况报表</title>"))
        #expect(page.contains("<h1>黄浦区 2026 年第 4 季度老旧小区无人管理托底情况报表</h1>"))
        #expect(page.contains("@media print"))
        #expect(page.contains("蓬莱&lt;&amp;&gt;公寓") && !page.contains("蓬莱<&>公寓"))
        #expect(page.contains("&quot;老西门,南块&quot;小区"))
        #expect(page.contains("<td>托底覆盖率（按小区数）</td><td class=\"num\">83.33%</td>"))
        for heading in unitSheets { #expect(page.contains("<h2>\(heading)</h2>"), "\(heading)") }

        let city = String(decoding: try QuarterlyReturnRenderer.render(rollUp, as: .html), as: UTF8.self)
        #expect(city.contains("<title>上海市 2026 年第 4 季度老旧小区无人管理托底情况报表</title>"))
        #expect(city.contains("<h2>分区汇总</h2>") && city.contains("<h2>更正说明</h2>"))
        let empty = String(decoding: try QuarterlyReturnRenderer.render(emptyReturn, as: .html), as: UTF8.self)
        #expect(empty.contains("<td class=\"empty\" colspan=\"8\">无</td>"))
    }

    // MARK: JSON and the API

    @Test("JSON: sorted keys, pretty-printed, dates as YYYY-MM-DD, and it decodes back to an equal return",
          arguments: samples.map(\.0))
    func json(_ name: String) throws {
        let r = try #require(samples.first { $0.0 == name }?.1)
        let bytes = try QuarterlyReturnRenderer.render(r, as: .json)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"asOf\" : \"\(r.asOf)\",\n  \"byUnit\" : "))
        #expect(try JSONDecoder().decode(QuarterlyReturn.self, from: Data(bytes)) == r)
    }

    @Test("every format: the same return gives the same bytes", arguments: QuarterlyReturnFormat.allCases)
    func deterministic(_ format: QuarterlyReturnFormat) throws {
        let a = try QuarterlyReturnRenderer.render(rollUp, as: format)
        let b = try QuarterlyReturnRenderer.render(rollUp, as: format)
        #expect(a == b && !a.isEmpty)
    }

    @Test("media types and file extensions")
    func mediaTypes() {
        #expect(QuarterlyReturnFormat.allCases.map(QuarterlyReturnRenderer.fileExtension) == ["json", "xlsx", "csv", "xml", "html"])
        #expect(QuarterlyReturnRenderer.contentType(.xlsx) == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        #expect(QuarterlyReturnRenderer.contentType(.csv) == "text/csv; charset=utf-8")
        #expect(QuarterlyReturnRenderer.contentType(.html) == "text/html; charset=utf-8")
        #expect(QuarterlyReturnRenderer.contentType(.xml) == "application/xml")
        #expect(QuarterlyReturnRenderer.contentType(.json) == "application/json")
    }

    @Test("decimals are written without exponents", arguments: [
        (0.00001, "0.00001"), (1.5e-7, "0.00000015"), (12000.5, "12000.5"), (8300, "8300"), (-2.5, "-2.5"),
        (1e20, "100000000000000000000"), (5.0 / 6.0, "0.8333333333333334"),
    ])
    func decimals(_ value: Double, _ expected: String) {
        #expect(ReturnText.decimal(value) == expected)
    }
}

@Suite("CSV writer")
struct CSVWriterTests {
    @Test("formula text is defused; plain decimals are not; what Swift alone would call a number is")
    func defusing() {
        for plain in ["-3", "+1.5", "0.25", "2026-12-04", "福佑路小区", ""] { #expect(CSVWriter.defused(plain) == plain, "\(plain)") }
        for formula in ["=1+1", "@SUM(A1)", "+A1", "-2+3", "-inf", "-nan", "-0x1p3", "-1e5", "\tcmd", "-.5"] {
            #expect(CSVWriter.defused(formula) == "'" + formula, "\(formula)")
        }
        #expect(CSVWriter.file([["a,b", "say \"hi\""]]) == CSVWriter.byteOrderMark + Array("\"a,b\",\"say \"\"hi\"\"\"\r\n".utf8))
    }
}
