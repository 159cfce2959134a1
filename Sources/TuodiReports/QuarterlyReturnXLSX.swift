import TuodiDomain
import TuodiLabels

// The quarterly return as an Office Open XML workbook: 概要 plus one sheet per detail table
// (ReturnTables). Numbers are number cells, dates are date serials with a yyyy-mm-dd format,
// rates are fractions with a percentage format, and a rate without denominator is the text 无.
// Strings are inline, so there is no shared-string table to keep in step. The package is a
// STORED ZIP with a fixed timestamp and fixed document properties: same return, same bytes.
enum QuarterlyReturnXLSX {
    static func render(_ r: QuarterlyReturn) -> [UInt8] {
        render(ReturnTables.all(r), title: ReturnLabels.title(r))
    }

    /// Any tables as a workbook, one sheet each (the import templates use it too).
    static func render(_ tables: [ReturnTable], title: String) -> [UInt8] {
        var zip = ZIPWriter()
        zip.add("[Content_Types].xml", bytes(contentTypes(sheets: tables.count)))
        zip.add("_rels/.rels", bytes(packageRelationships))
        zip.add("docProps/core.xml", bytes(coreProperties(title: title)))
        zip.add("xl/workbook.xml", bytes(workbook(tables.map(\.name))))
        zip.add("xl/_rels/workbook.xml.rels", bytes(workbookRelationships(sheets: tables.count)))
        zip.add("xl/styles.xml", bytes(styles))
        for (i, table) in tables.enumerated() {
            zip.add("xl/worksheets/sheet\(i + 1).xml", bytes(worksheet(table, selected: i == 0)))
        }
        return zip.finish()
    }

    // MARK: - Styles: the index of each cellXfs entry below

    private enum Style: Int {
        case general = 0, date = 1, percent = 2, header = 3
    }

    /// Days from Excel's epoch (serial 0 = 1899-12-30 in the 1900 system) to 1970-01-01.
    private static let excelSerialOf1970 = 25_569

    private static let styles = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
    <numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>\
    <fonts count="2"><font><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font>\
    <font><b/><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font></fonts>\
    <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
    <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
    <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
    <cellXfs count="4">\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
    <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
    <xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
    <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
    </cellXfs>\
    <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
    </styleSheet>
    """

    // MARK: - Worksheets

    private static func worksheet(_ table: ReturnTable, selected: Bool) -> String {
        let width = max(table.columns.count, 1)
        let lastRow = table.rows.count + 1
        var xml = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <dimension ref="A1:\(column(width - 1))\(lastRow)"/>\
        <sheetViews><sheetView\(selected ? " tabSelected=\"1\"" : "") workbookViewId="0">\
        <pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
        <selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>\
        <sheetFormatPr defaultRowHeight="15"/><cols>
        """
        for (i, chars) in columnWidths(table).enumerated() {
            xml += "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(chars)\" customWidth=\"1\"/>"
        }
        xml += "</cols><sheetData>"
        xml += row(1, table.columns.map { .text($0) }, style: .header)
        for (i, cells) in table.rows.enumerated() { xml += row(i + 2, cells, style: nil) }
        xml += "</sheetData>"
        xml += #"<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>"#
        xml += #"<pageSetup paperSize="9" orientation="landscape"/></worksheet>"#
        return xml
    }

    /// One row; `style` overrides each cell's own (the bold header).
    private static func row(_ number: Int, _ cells: [ReturnCell], style: Style?) -> String {
        var xml = "<row r=\"\(number)\">"
        for (i, cell) in cells.enumerated() {
            let ref = "\(column(i))\(number)"
            func attributes(_ own: Style) -> String {
                let s = style ?? own
                return "r=\"\(ref)\"" + (s == .general ? "" : " s=\"\(s.rawValue)\"")
            }
            func text(_ s: String) -> String {
                let space = s.first?.isWhitespace == true || s.last?.isWhitespace == true ? " xml:space=\"preserve\"" : ""
                return "<c \(attributes(.general)) t=\"inlineStr\"><is><t\(space)>\(ReturnText.xml(s))</t></is></c>"
            }
            switch cell {
            case .text(let s): xml += text(s)
            case .integer(let n): xml += "<c \(attributes(.general))><v>\(n)</v></c>"
            case .decimal(let d): xml += "<c \(attributes(.general))><v>\(ReturnText.decimal(d))</v></c>"
            case .date(let d): xml += "<c \(attributes(.date))><v>\(d.dayNumber + excelSerialOf1970)</v></c>"
            case .rate(let rate?): xml += "<c \(attributes(.percent))><v>\(ReturnText.decimal(rate))</v></c>"
            case .rate(nil), .none: xml += text(Labels.none)
            case .blank: break
            }
        }
        return xml + "</row>"
    }

    /// Column widths in characters, from the widest header or value (a CJK character counts two).
    private static func columnWidths(_ table: ReturnTable) -> [Int] {
        table.columns.indices.map { i in
            let texts = [table.columns[i]] + table.rows.compactMap { $0.indices.contains(i) ? shown($0[i]) : nil }
            let widest = texts.map { $0.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? 2 : 1) } }.max() ?? 8
            return min(max(widest + 2, 8), 60)
        }
    }

    /// Roughly what Excel shows in a cell, for sizing its column.
    private static func shown(_ cell: ReturnCell) -> String {
        switch cell {
        case .text(let s): s
        case .integer(let n): String(n)
        case .decimal(let d): ReturnText.decimal(d)
        case .date: "2026-12-31"
        case .rate(let rate?): ReturnText.percent(rate)
        case .rate(nil), .none: Labels.none
        case .blank: ""
        }
    }

    /// A, B, ..., Z, AA, ... for a 0-based column index.
    static func column(_ index: Int) -> String {
        var n = index + 1, name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + r))) + name
            n = (n - 1) / 26
        }
        return name
    }

    // MARK: - Package parts

    private static func contentTypes(sheets: Int) -> String {
        var xml = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
        """
        for i in 1...sheets {
            xml += "<Override PartName=\"/xl/worksheets/sheet\(i).xml\" "
                + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        return xml + "</Types>"
    }

    private static let packageRelationships = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
    <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
    </Relationships>
    """

    /// Title and creator only: no creation or modification time, which would change the bytes on every run.
    private static func coreProperties(title: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
        xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
        <dc:title>\(ReturnText.xml(title))</dc:title><dc:creator>Tuodi</dc:creator><dc:language>zh-CN</dc:language>\
        </cp:coreProperties>
        """
    }

    private static func workbook(_ names: [String]) -> String {
        var xml = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <bookViews><workbookView activeTab="0"/></bookViews><sheets>
        """
        for (i, name) in names.enumerated() {
            xml += "<sheet name=\"\(ReturnText.xml(name))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
        }
        return xml + "</sheets></workbook>"
    }

    private static func workbookRelationships(sheets: Int) -> String {
        var xml = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
        """
        for i in 1...sheets {
            xml += "<Relationship Id=\"rId\(i)\" "
                + "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
                + "Target=\"worksheets/sheet\(i).xml\"/>"
        }
        xml += "<Relationship Id=\"rId\(sheets + 1)\" "
            + "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        return xml + "</Relationships>"
    }

    private static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
}
