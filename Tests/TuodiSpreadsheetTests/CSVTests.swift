import Foundation
import Testing
@testable import TuodiSpreadsheet

@Suite("CSV")
struct CSVTests {
    private func read(_ text: String) throws(SpreadsheetError) -> SheetTable {
        try SpreadsheetReader.read(Array(text.utf8), format: .csv)
    }

    @Test("UTF-8 with BOM, Chinese headers, full-width spaces trimmed")
    func bom() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("名称,统一社会信用代码,面积\n\u{3000}甲单位 ,91110000MA01,12.5\n".utf8)
        #expect(SpreadsheetFormat.detect(fileName: "台账.csv", bytes: bytes) == .csv)
        let table = try SpreadsheetReader.read(bytes, format: .csv)
        #expect(table.headers == ["名称", "统一社会信用代码", "面积"])
        #expect(table.rows == [SheetRow(number: 2, cells: ["甲单位", "91110000MA01", "12.5"])])
    }

    @Test("quoted commas, embedded newlines, doubled quotes; row numbers count records")
    func quoting() throws {
        let text = "名称,地址,备注\n\"甲, 乙\",\"北京市\n朝阳区\",\"他说\"\"好\"\"\"\n丙,,\"最后\""
        let table = try read(text)
        #expect(table.headers == ["名称", "地址", "备注"])
        #expect(table.rows == [
            SheetRow(number: 2, cells: ["甲, 乙", "北京市\n朝阳区", "他说\"好\""]),
            SheetRow(number: 3, cells: ["丙", "", "最后"]),
        ])
    }

    @Test("CRLF, blank lines skipped with numbering kept, short and long rows, trailing comma")
    func crlf() throws {
        let text = "a,b,c\r\n1,2,3\r\n\r\n,,\r\n4\r\n5,6,7,8\r\n9,\r\n"
        let table = try read(text)
        #expect(table.headers == ["a", "b", "c"])
        #expect(table.rows == [
            SheetRow(number: 2, cells: ["1", "2", "3"]),
            SheetRow(number: 5, cells: ["4", "", ""]),
            SheetRow(number: 6, cells: ["5", "6", "7"]),
            SheetRow(number: 7, cells: ["9", "", ""]),
        ])
    }

    @Test("no final newline, lone CR line ends, literal quote inside an unquoted field")
    func edgeLineEnds() throws {
        let table = try read("h1,h2\r1,ab\"c\rx,\"\"")
        #expect(table.rows == [
            SheetRow(number: 2, cells: ["1", "ab\"c"]),
            SheetRow(number: 3, cells: ["x", ""]),
        ])
    }

    @Test("malformed quote: text after the closing quote")
    func malformedQuote() {
        let text = "名称,备注\n甲,正常\n乙,\"坏\"了\n"
        #expect(throws: SpreadsheetError.malformedCSVQuote(row: 3, line: 3)) { try read(text) }
        let message = SpreadsheetError.malformedCSVQuote(row: 3, line: 3).description
        #expect(message.contains("row 3"))
    }

    @Test("malformed quote: never closed (reported where the field starts)")
    func unterminatedQuote() {
        let text = "名称,备注\n甲,\"多行\n未闭合\n乙,1\n"
        #expect(throws: SpreadsheetError.malformedCSVQuote(row: 2, line: 2)) { try read(text) }
    }

    @Test("GB18030 / GBK bytes are decoded")
    func gb18030() throws {
        // "名称,面积\n甲单位,12\n" in GBK, written out byte by byte (not produced by our decoder).
        let gbk: [UInt8] = [0xC3, 0xFB, 0xB3, 0xC6, 0x2C, 0xC3, 0xE6, 0xBB, 0xFD, 0x0A,
                            0xBC, 0xD7, 0xB5, 0xA5, 0xCE, 0xBB, 0x2C, 0x31, 0x32, 0x0A]
        let table = try SpreadsheetReader.read(gbk, format: .csv)
        #expect(table.headers == ["名称", "面积"])
        #expect(table.rows == [SheetRow(number: 2, cells: ["甲单位", "12"])])

        // A 4-byte GB18030 sequence (U+20000 𠀀 = 95 32 82 36) and a 2-byte one.
        let four: [UInt8] = [0x95, 0x32, 0x82, 0x36, 0x2C, 0x78, 0x0A, 0xB0, 0xA1, 0x2C, 0x31]
        let t2 = try SpreadsheetReader.read(four, format: .csv)
        #expect(t2.headers == ["\u{20000}", "x"])
        #expect(t2.rows.first?.cells == ["啊", "1"])
    }

    @Test("UTF-8 with a damaged byte is refused, not decoded as GB18030 mojibake")
    func damagedUTF8() throws {
        var bytes = Array("名称,统一社会信用代码,地址\n北京某某科技有限公司,91110000MA01,北京市朝阳区某某路\n".utf8)
        bytes[20] = 0xFF
        #expect(throws: SpreadsheetError.notUTF8) { try SpreadsheetReader.read(bytes, format: .csv) }
        // Real GBK text of similar length still decodes.
        let gbk = try #require("名称,统一社会信用代码,地址\n北京某某科技有限公司,91110000MA01,北京市朝阳区某某路\n"
            .data(using: CSVReader.gb18030))
        let table = try SpreadsheetReader.read([UInt8](gbk), format: .csv)
        #expect(table.headers == ["名称", "统一社会信用代码", "地址"])
        #expect(table.rows.first?.cells == ["北京某某科技有限公司", "91110000MA01", "北京市朝阳区某某路"])
    }

    @Test("UTF-16LE with BOM, tab-delimited (Excel 'Unicode text')")
    func utf16() throws {
        let text = "名称\t面积\r\n甲\t1\r\n"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(SpreadsheetFormat.detect(fileName: nil, bytes: bytes) == .csv)
        let table = try SpreadsheetReader.read(bytes, format: .csv)
        #expect(table.headers == ["名称", "面积"])
        #expect(table.rows == [SheetRow(number: 2, cells: ["甲", "1"])])
    }

    @Test("bytes that are neither UTF-8 nor GB18030 -> notUTF8")
    func notText() {
        let bytes: [UInt8] = [0x61, 0x2C, 0xFF, 0xFF, 0x80, 0x0A, 0x00, 0x01]
        #expect(throws: SpreadsheetError.notUTF8) { try SpreadsheetReader.read(bytes, format: .csv) }
        #expect(SpreadsheetError.notUTF8.description.contains("UTF-8"))
    }

    @Test("empty input and input without content")
    func empty() {
        #expect(throws: SpreadsheetError.emptyFile) { try SpreadsheetReader.read([], format: .csv) }
        #expect(throws: SpreadsheetError.emptyFile) { try read(" , \n\u{3000},\r\n") }
        #expect(throws: SpreadsheetError.emptyFile) { try SpreadsheetReader.read([], fileName: "x.csv") }
    }

    @Test("only a header row")
    func headerOnly() throws {
        let table = try read("a,b,\n")
        #expect(table == SheetTable(headers: ["a", "b"], rows: []))
    }
}

@Suite("Format detection and unsupported input")
struct DetectionTests {
    @Test("detect by content")
    func detect() {
        #expect(SpreadsheetFormat.detect(fileName: nil, bytes: [0x50, 0x4B, 0x03, 0x04, 0, 0]) == .xlsx)
        #expect(SpreadsheetFormat.detect(fileName: "a.xls", bytes: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1]) == nil)
        #expect(SpreadsheetFormat.detect(fileName: "a.csv", bytes: Array("%PDF-1.7\n".utf8)) == nil)
        #expect(SpreadsheetFormat.detect(fileName: "a.xls", bytes: Array("<html><table>".utf8)) == nil)
        #expect(SpreadsheetFormat.detect(fileName: "a.xls", bytes: Array("a,b\n1,2".utf8)) == .csv)
        #expect(SpreadsheetFormat.detect(fileName: "a.bin", bytes: [1, 2, 0, 4]) == nil)
        #expect(SpreadsheetFormat.detect(fileName: "a.XLSX", bytes: []) == .xlsx)
        #expect(SpreadsheetFormat.detect(fileName: nil, bytes: []) == nil)
    }

    @Test("non-zip, non-CSV input gives a clear error")
    func unsupported() {
        let pdf = Array("%PDF-1.4\n%\u{E2}\u{E3}\n1 0 obj\n".utf8) + [0, 0x9C, 0xFF]
        #expect(throws: SpreadsheetError.unsupportedFormat("PDF")) {
            try SpreadsheetReader.read(pdf, fileName: "台账.xlsx")
        }
        let xls: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 64)
        do {
            _ = try SpreadsheetReader.read(xls, fileName: "台账.xls")
            Issue.record("expected an error")
        } catch {
            #expect(error == .unsupportedFormat("legacy .xls or password-protected workbook"))
            #expect(error.description.contains(".xlsx"))
        }
        let binary: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00]
        #expect(throws: SpreadsheetError.unsupportedFormat(nil)) { try SpreadsheetReader.read(binary, fileName: nil) }
        // Given as CSV explicitly, the same bytes are rejected as not text.
        #expect(throws: SpreadsheetError.notUTF8) { try SpreadsheetReader.read(binary, format: .csv) }
    }

    @Test("read(fileName:) dispatches to the detected format")
    func dispatch() throws {
        let table = try SpreadsheetReader.read(Array("a\n1\n".utf8), fileName: "x.csv")
        #expect(table.rows == [SheetRow(number: 2, cells: ["1"])])
        let xlsx = try SpreadsheetReader.read(try Fixtures.bytes("inline.xlsx"), fileName: "导入.xlsx")
        #expect(xlsx.headers.first == "名称")
    }
}

@Suite("Cell value helpers")
struct CellValueTests {
    @Test("column letters", arguments: [
        ("A1", 0), ("Z9", 25), ("AA1", 26), ("AB12", 27), ("AZ3", 51), ("BA3", 52), ("XFD1048576", 16383),
        ("$C$5", 2), ("ab12", 27),
    ])
    func columns(ref: String, index: Int) {
        #expect(CellValues.columnIndex(ofReference: ref) == index)
        #expect(CellValues.columnName(index) == String(ref.uppercased().filter(\.isLetter)))
    }

    @Test("bad column references")
    func badColumns() {
        #expect(CellValues.columnIndex(ofReference: "12") == nil)
        #expect(CellValues.columnIndex(ofReference: "") == nil)
        #expect(CellValues.columnIndex(ofReference: "ABCD1") == nil)
    }

    @Test("numbers keep their text except integral floats and exponents", arguments: [
        ("1200", "1200"), ("1200.0", "1200"), ("1.2E3", "1200"), ("1.2e+3", "1200"), ("-5.000", "-5"),
        ("123.45", "123.45"), ("0.30000000000000004", "0.30000000000000004"), ("1200.50", "1200.50"),
        ("1E+20", "100000000000000000000"), ("1.5E-3", "0.0015"), ("-0.0", "0"), ("0", "0"),
        ("123456789012345", "123456789012345"), ("9.1110000123456698E+17", "911100001234566980"),
        ("4.4624645833333343E4", "44624.645833333343"), ("abc", "abc"), ("1E+400", "1E+400"), (".5", ".5"),
    ])
    func numbers(input: String, expected: String) {
        #expect(CellValues.normalizeNumber(input) == expected)
    }

    @Test("Excel serial dates", arguments: [
        (1.0, false, "1900-01-01"), (59.0, false, "1900-02-28"), (60.0, false, "1900-02-29"),
        (61.0, false, "1900-03-01"), (45063.0, false, "2023-05-17"), (45063.99, false, "2023-05-17"),
        (2958465.0, false, "9999-12-31"), (0.0, true, "1904-01-01"), (43601.0, true, "2023-05-17"),
        (36526.0, false, "2000-01-01"),
    ])
    func dates(serial: Double, date1904: Bool, expected: String) {
        #expect(CellValues.isoDate(serial: serial, date1904: date1904) == expected)
    }

    @Test("serials outside the calendar are not dates")
    func badDates() {
        #expect(CellValues.isoDate(serial: 0, date1904: false) == nil)
        #expect(CellValues.isoDate(serial: -1, date1904: false) == nil)
        #expect(CellValues.isoDate(serial: 2958466, date1904: false) == nil)
        #expect(CellValues.isoDate(serial: .nan, date1904: false) == nil)
    }

    @Test("date format codes", arguments: [
        ("yyyy-mm-dd", true), ("m/d/yy", true), ("yyyy\"年\"m\"月\"d\"日\"", true), ("[$-804]yyyy年m月d日", true),
        ("mmm-yy", true), ("mmmm", true), ("dd/mm/yyyy hh:mm", true), ("[$-F800]dddd, mmmm dd, yyyy", true),
        ("h:mm:ss", false), ("[h]:mm:ss", false), ("mm:ss", false), ("h:mm AM/PM", false), ("0.00", false),
        ("#,##0.00_);[Red](#,##0.00)", false), ("General", false), ("0.00E+00", false), ("@", false),
        ("\"Day\" 0", false), ("[Red]0.00", false), ("0.00 \"m²\"", false),
    ])
    func formatCodes(code: String, isDate: Bool) {
        #expect(CellValues.isDateFormatCode(code) == isDate)
    }

    @Test("trimming")
    func trimming() {
        #expect(trimCell("  a b  ") == "a b")
        #expect(trimCell("\u{3000}名称\u{3000}") == "名称")
        #expect(trimCell("\u{FEFF}\u{00A0}x\t\r\n") == "x")
        #expect(trimCell("abc") == "abc")
        #expect(trimCell(" \u{3000} ") == "")
    }
}
