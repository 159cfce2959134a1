import Foundation
import TuodiDomain
import TuodiLabels

// The quarterly return as one CSV file for spreadsheet users: UTF-8 with a byte-order mark
// (so Excel on a Chinese Windows reads it as UTF-8, not GBK), CRLF line ends and RFC 4180
// quoting. The summary comes first as `项目,数值` rows; then each detail table of ReturnTables
// follows after a blank line, as a line with its name and its own header row.
enum QuarterlyReturnCSV {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    static func render(_ r: QuarterlyReturn) -> [UInt8] {
        let tables = ReturnTables.all(r)
        var lines: [String] = []
        for (i, table) in tables.enumerated() {
            if i > 0 {
                lines.append("")
                lines.append(field(table.name))
            }
            lines.append(table.columns.map(field).joined(separator: ","))
            for row in table.rows { lines.append(row.map(spelled).map(field).joined(separator: ",")) }
        }
        return byteOrderMark + Array(lines.map { $0 + "\r\n" }.joined().utf8)
    }

    /// Rates as decimals with four places, dates as YYYY-MM-DD, a figure that does not exist as 无.
    private static func spelled(_ cell: ReturnCell) -> String {
        switch cell {
        case .text(let s): defused(s)
        case .integer(let n): String(n)
        case .decimal(let d): ReturnText.decimal(d)
        case .date(let d): d.description
        case .rate(let rate?): ReturnText.rateDecimal(rate)
        case .rate(nil), .none: Labels.none
        case .blank: ""
        }
    }

    /// Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return
    /// first) gets a leading apostrophe, so a name typed into the registry cannot become code in
    /// Excel (OWASP's advice on CSV injection). Numbers are not text cells and stay as they are.
    static func defused(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return s }
        return "'" + s
    }

    /// RFC 4180: a field with a comma, a double quote or a line break is quoted, quotes doubled.
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
