import Foundation
import Testing
@testable import TuodiSpreadsheet

@Suite("XLSX workbooks written by real libraries")
struct XLSXTests {
    static let headers = [
        "序号", "统一社会信用代码", "单位名称", "面积（㎡）", "金额", "登记日期",
        "是否出租", "备注", "大数", "公式文本", "错误", "富文本",
    ]

    @Test("Excel-like workbook (XlsxWriter): shared strings, styles, formulas, blanks")
    func excelLike() throws {
        let bytes = try Fixtures.bytes("estate.xlsx")
        #expect(SpreadsheetFormat.detect(fileName: "estate.xlsx", bytes: bytes) == .xlsx)
        let table = try SpreadsheetReader.read(bytes, format: .xlsx)

        // Header cells trimmed, incl. the full-width space around 单位名称.
        #expect(table.headers == Self.headers)
        // Row 4 (only formatted blank cells) and row 5 (absent) are skipped; the
        // second sheet ("说明") is not read.
        #expect(table.rows.map(\.number) == [2, 3, 6, 7])

        let r2 = table.rows[0].cells
        #expect(r2 == [
            "1", "91110105MA01ABCD1X", "北京某某科技有限公司", "123.45", "1200",
            "2023-05-17", "TRUE", "前后有空格", "123456789012345", "区县", "#DIV/0!",
            "红色与粗体混排",
        ])

        // Blank in the middle (styled C3, absent D3) and trailing blanks.
        let r3 = table.rows[1].cells
        #expect(r3 == ["2", "91310000MA1FL00000", "", "", "0.3", "2024-02-29", "FALSE", "", "", "", "", ""])
        #expect(r3.count == Self.headers.count)

        let r6 = table.rows[2].cells
        #expect(r6[1] == "北京某某科技有限公司")      // repeated shared string
        #expect(r6[3] == "-5")
        #expect(r6[4] == "0.15")                       // percent format: number kept
        #expect(r6[5] == "2021-12-01")                 // yyyy"年"m"月"d"日"
        #expect(r6[6] == "2022-03-04")                 // date-time: date part
        #expect(r6[7] == "0.3541666666666667")         // time-only: not a date
        #expect(r6[8] == "100000000000000000000")      // 1E+20 expanded
        #expect(r6[9] == "6")                          // numeric formula result
        #expect(r6[10] == "")                          // whitespace-only string
        #expect(r6[11] == "He said \"hi\", ok")

        let r7 = table.rows[3]
        #expect(r7.cells[0] == "" && r7.cells[1] == "只有第二列")
    }

    @Test("openpyxl workbook: inline strings, rich text, dates, booleans, errors")
    func openpyxlInline() throws {
        let table = try SpreadsheetReader.read(try Fixtures.bytes("inline.xlsx"), format: .xlsx)
        #expect(table.headers == ["名称", "数量", "日期", "有效", "错误", "富文本"])
        #expect(table.rows == [
            SheetRow(number: 2, cells: ["甲单位", "10", "2020-01-31", "TRUE", "#N/A", "普通加粗"]),
            SheetRow(number: 3, cells: ["乙单位", "2.5", "2019-07-01", "FALSE", "", ""]),
            // row 4: a styled empty cell only -> skipped, numbering kept
            SheetRow(number: 5, cells: ["丙单位", "-3", "", "", "", "尾"]),
        ])
    }

    @Test("1904 date system")
    func date1904() throws {
        let table = try SpreadsheetReader.read(try Fixtures.bytes("date1904.xlsx"), format: .xlsx)
        #expect(table.headers == ["日期", "说明"])
        #expect(table.rows == [SheetRow(number: 2, cells: ["2023-05-17", "1904 日期系统"])])
    }

    @Test("a hidden first sheet is passed over; absolute relationship targets resolve")
    func hiddenFirstSheet() throws {
        let table = try SpreadsheetReader.read(try Fixtures.bytes("hidden_first.xlsx"), format: .xlsx)
        #expect(table.headers == ["名称"])
        #expect(table.rows == [SheetRow(number: 2, cells: ["可见表"])])
    }

    @Test("header on row 3 with an empty first column: sheet row numbers kept")
    func headerNotOnFirstRow() throws {
        let table = try SpreadsheetReader.read(try Fixtures.bytes("header_row3.xlsx"), format: .xlsx)
        #expect(table.headers == ["", "名称", "面积"])
        #expect(table.rows == [
            SheetRow(number: 4, cells: ["", "甲", "12"]),
            SheetRow(number: 6, cells: ["", "乙", "7"]),
        ])
    }

    @Test("20,000 rows x 12 columns")
    func bigSheet() throws {
        let bytes = try Fixtures.bytes("big.xlsx")
        // Correctness only: the read time is a benchmark figure (see the closing notes), not a test.
        let table: SheetTable? = try SpreadsheetReader.read(bytes, format: .xlsx)
        let result = try #require(table)
        #expect(result.headers == Self.headers)
        #expect(result.rows.count == 20_000)
        #expect(result.rows.first?.number == 2)
        #expect(result.rows.last?.number == 20_001)
        let r = result.rows[9_999] // i = 10000
        #expect(r.number == 10_001)
        #expect(r.cells == [
            "10000", "911100000000010000", "丰台区第10000号单位", "12500", "1000000",
            "2002-09-27", "TRUE", "备注0", "10000010000", "西城区", "4", "地址：丰台区某路10000号",
        ])
    }

    @Test("bytes that are not a zip archive")
    func notZip() {
        let bytes = Array("名称,数量\n甲,1\n".utf8)
        #expect(throws: SpreadsheetError.notZip) { try SpreadsheetReader.read(bytes, format: .xlsx) }
    }

    @Test("a zip archive that is not a workbook")
    func zipWithoutWorkbook() throws {
        let bytes = try Fixtures.bytes("not_workbook.zip")
        #expect(SpreadsheetFormat.detect(fileName: "x.zip", bytes: bytes) == .xlsx)
        #expect(throws: SpreadsheetError.missingPart("xl/workbook.xml")) {
            try SpreadsheetReader.read(bytes, format: .xlsx)
        }
        #expect(throws: SpreadsheetError.emptyFile) { try SpreadsheetReader.read([], format: .xlsx) }
    }

    @Test("a truncated or corrupted workbook fails with a SpreadsheetError")
    func damaged() throws {
        let bytes = try Fixtures.bytes("estate.xlsx")
        let truncated = Array(bytes.prefix(bytes.count / 2))
        #expect(throws: SpreadsheetError.self) { try SpreadsheetReader.read(truncated, format: .xlsx) }

        // Flip bytes inside the compressed data of every entry (past the local headers).
        var corrupt = bytes
        for i in stride(from: 200, to: bytes.count / 2, by: 97) { corrupt[i] ^= 0x5A }
        #expect(throws: SpreadsheetError.self) { try SpreadsheetReader.read(corrupt, format: .xlsx) }
    }
}

@Suite("XLSX part handlers on literal XML")
struct XLSXPartTests {
    private func parseSheet(_ xml: String, shared: [String] = [], dateStyles: [Bool] = [],
                            date1904: Bool = false) throws(SpreadsheetError) -> SheetTable {
        var builder = TableBuilder()
        let parser = SheetParser(sharedStrings: shared, dateStyles: dateStyles, date1904: date1904)
        try parser.parse(Data(xml.utf8), part: "sheet.xml", into: &builder)
        return try builder.finish()
    }

    @Test("shared strings: rich-text runs joined, phonetic runs dropped, _xHHHH_ decoded")
    func sharedStrings() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">\
        <si><t>单位</t></si>\
        <si><r><rPr><b/></rPr><t>北京</t></r><r><t xml:space="preserve"> 分公司</t></r></si>\
        <si><t>漢字</t><rPh sb="0" eb="2"><t>カンジ</t></rPh></si>\
        <si><t>a_x000D_b &amp; c</t></si>\
        <si><t/></si>\
        </sst>
        """
        let strings = try SharedStringsParser.parse(Data(xml.utf8), part: "sst")
        #expect(strings == ["单位", "北京 分公司", "漢字", "a\rb & c", ""])
    }

    @Test("prefixed elements, missing r attributes, unknown shared index")
    func prefixedAndImplicitRefs() throws {
        let xml = """
        <x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>\
        <x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c></x:row>\
        <x:row><x:c><x:v>1.2E3</x:v></x:c><x:c t="s"><x:v>99</x:v></x:c><x:c t="inlineStr"><x:is><x:t>内联</x:t></x:is></x:c></x:row>\
        <x:row r="9"><x:c r="B9" t="b"><x:v>0</x:v></x:c></x:row>\
        </x:sheetData></x:worksheet>
        """
        let table = try parseSheet(xml, shared: ["甲", "乙"])
        #expect(table.headers == ["甲", "乙"])
        #expect(table.rows == [
            SheetRow(number: 2, cells: ["1200", ""]),
            SheetRow(number: 9, cells: ["", "FALSE"]),
        ])
    }

    @Test("date styles, ISO date cells, errors, formula without cached value")
    func cellTypes() throws {
        let xml = """
        <worksheet><sheetData>\
        <row r="1"><c r="A1" t="str"><v>a</v></c><c r="B1" t="str"><v>b</v></c><c r="C1" t="str"><v>c</v></c><c r="D1" t="str"><v>d</v></c></row>\
        <row r="2"><c r="A2" s="1"><v>60</v></c><c r="B2" s="1"><v>61</v></c><c r="C2" t="d"><v>2024-01-02T00:00:00</v></c><c r="D2"><f>A2+1</f></c></row>\
        <row r="3"><c r="A3" s="1"><v>0</v></c><c r="B3" s="2"><v>45063</v></c><c r="C3" t="e"><v>#REF!</v></c></row>\
        </sheetData></worksheet>
        """
        let table = try parseSheet(xml, dateStyles: [false, true, false])
        #expect(table.rows == [
            SheetRow(number: 2, cells: ["1900-02-29", "1900-03-01", "2024-01-02", ""]),
            SheetRow(number: 3, cells: ["0", "45063", "#REF!", ""]),
        ])
    }

    @Test("styles: builtin and custom date formats per cell style")
    func styles() throws {
        let xml = """
        <styleSheet><numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/>\
        <numFmt numFmtId="165" formatCode="[$-F400]h:mm:ss\\ AM/PM"/><numFmt numFmtId="166" formatCode="0.00_ ;[Red]\\-0.00\\ "/></numFmts>\
        <cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>\
        <cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/>\
        <xf numFmtId="166"/><xf numFmtId="31"/><xf numFmtId="20"/><xf/></cellXfs></styleSheet>
        """
        let handler = StylesHandler()
        try runSAX(Data(xml.utf8), part: "styles", handler: handler)
        #expect(handler.dateStyles == [false, true, true, false, false, true, false, false])
    }

    @Test("relationship targets resolve relative, absolute and with ..")
    func paths() {
        #expect(XLSXReader.resolve("worksheets/sheet1.xml", relativeTo: "xl") == "xl/worksheets/sheet1.xml")
        #expect(XLSXReader.resolve("/xl/worksheets/sheet1.xml", relativeTo: "xl") == "xl/worksheets/sheet1.xml")
        #expect(XLSXReader.resolve("../customXml/item1.xml", relativeTo: "xl") == "customXml/item1.xml")
        #expect(XLSXReader.resolve("xl/workbook.xml", relativeTo: "") == "xl/workbook.xml")
    }

    @Test("XML details: entities, character references, CDATA, comments, quotes, '>' in values")
    func xmlDetails() throws {
        let xml = """
        \u{FEFF}<?xml version="1.0" encoding="UTF-8"?>
        <!-- written by hand for the tokenizer -->
        <worksheet><sheetData>
          <row r = '1' spans="1:3"><c r='A1' t='inlineStr' x='a>b'><is><t>A&amp;B &lt;1&gt; &quot;q&quot; &apos;s&apos;</t></is></c>\
        <c r="B1" t="str"><v>&#x4E2D;&#25991;</v></c><c r="C1" t="str"><v><![CDATA[<raw> & ]]>tail</v></c></row>
          <row r="2"><c r="A2" t="inlineStr"><is><r><t xml:space="preserve">  两段 </t></r><r><t>文字</t></r></is></c>\
        <?pi ignored?><c r="B2"><v>7</v></c><c r="C2"/></row>
        </sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>
        """
        let table = try parseSheet(xml)
        #expect(table.headers == ["A&B <1> \"q\" 's'", "中文", "<raw> & tail"])
        #expect(table.rows == [SheetRow(number: 2, cells: ["两段 文字", "7", ""])])
    }

    @Test("DOCTYPE, unknown entities and truncation are rejected", arguments: [
        "<!DOCTYPE x [<!ENTITY a \"b\">]><worksheet/>",
        "<worksheet><sheetData><row><c t=\"str\"><v>&bogus;</v></c></row></sheetData></worksheet>",
        "<worksheet><sheetData><row><c><v>1",
        "<worksheet><sheetData><row r=\"1></sheetData></worksheet>",
        "junk<worksheet/>",
        "",
    ])
    func rejected(xml: String) {
        #expect(throws: SpreadsheetError.self) { try parseSheet(xml) }
    }

    @Test("malformed XML is reported with the part name")
    func malformedXML() {
        #expect(throws: SpreadsheetError.self) {
            try parseSheet("<worksheet><sheetData><row><c><v>1</c></row></sheetData></worksheet>")
        }
        do {
            _ = try parseSheet("<worksheet><sheetData><row><c><v>1</c>")
            Issue.record("expected an error")
        } catch {
            if case .malformedPart(let part, _) = error { #expect(part == "sheet.xml") } else {
                Issue.record("unexpected \(error)")
            }
        }
    }
}
