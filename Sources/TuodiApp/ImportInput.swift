import TuodiDomain
import TuodiSpreadsheet

/// Turns an uploaded CSV or XLSX file into the importer's table; an unreadable file is a
/// validation error on the `file` field.
public enum ImportInput {
    public static func table(_ bytes: [UInt8], fileName: String?) throws -> ImportTable {
        let table: ImportTable
        do {
            let sheet = try SpreadsheetReader.read(bytes, fileName: fileName)
            table = ImportTable(headers: sheet.headers, rows: sheet.rows.map { (number: $0.number, cells: $0.cells) })
        } catch {
            throw AppError.validation([FieldError(field: "file", code: "unreadable", message: "无法读取表格：\(error.description)")])
        }
        try checkText(table)
        return table
    }

    /// The longest cell of any column; each field's own limit is checked with the field.
    static let maxCellLength = 2000

    /// Control characters and absurd lengths are refused in every cell (headers included) before
    /// anything else looks at the file, naming the first few cells, as `TextRule` does for the API.
    static func checkText(_ table: ImportTable) throws {
        var errors: [FieldError] = []
        for row in [(number: 1, cells: table.headers)] + table.rows where errors.count < 20 {
            for (i, cell) in row.cells.enumerated() {
                let column = i < table.headers.count ? table.headers[i] : "第 \(i + 1) 列"
                if let problem = TextRule.problem(in: cell, field: "file", maxLength: maxCellLength, multiline: true) {
                    errors.append(FieldError(field: "file", code: problem.code, message: "第 \(row.number) 行“\(column)”：\(problem.message)"))
                }
            }
        }
        if !errors.isEmpty { throw AppError.validation(errors) }
    }
}
