import TuodiDomain
import TuodiSpreadsheet

/// Turns an uploaded CSV or XLSX file into the importer's table; an unreadable file is a
/// validation error on the `file` field.
public enum ImportInput {
    public static func table(_ bytes: [UInt8], fileName: String?) throws -> ImportTable {
        do {
            let sheet = try SpreadsheetReader.read(bytes, fileName: fileName)
            return ImportTable(headers: sheet.headers, rows: sheet.rows.map { (number: $0.number, cells: $0.cells) })
        } catch {
            throw AppError.validation([FieldError(field: "file", code: "unreadable", message: "无法读取表格：\(error.description)")])
        }
    }
}
