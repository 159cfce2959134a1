/// An import template as an XLSX workbook: one sheet, a bold header row, then text rows (every
/// cell text, so codes such as USCCs and district codes keep their exact characters in Excel).
public enum TemplateWorkbook {
    public static func xlsx(sheet: String, rows: [[String]]) -> [UInt8] {
        let table = ReturnTable(name: sheet, columns: rows.first ?? [], rows: rows.dropFirst().map { $0.map(ReturnCell.text) })
        return QuarterlyReturnXLSX.render([table], title: sheet)
    }
}
