import Foundation
import TuodiDomain
import TuodiLabels

// The quarterly return as one CSV file for spreadsheet users: UTF-8 with a byte-order mark
// (so Excel on a Chinese Windows reads it as UTF-8, not GBK), CRLF line ends and RFC 4180
// quoting. The summary comes first as `项目,数值` rows; then each detail table of ReturnTables
// follows after a blank line, as a line with its name and its own header row.
enum QuarterlyReturnCSV {
    static func render(_ r: QuarterlyReturn) -> [UInt8] {
        let tables = ReturnTables.all(r)
        var rows: [[String]] = []
        for (i, table) in tables.enumerated() {
            if i > 0 {
                rows.append([])
                rows.append([table.name])
            }
            rows.append(table.columns)
            for row in table.rows { rows.append(row.map(spelled)) }
        }
        return CSVWriter.file(rows)
    }

    /// Rates as decimals with four places, dates as YYYY-MM-DD, a figure that does not exist as 无.
    private static func spelled(_ cell: ReturnCell) -> String {
        switch cell {
        case .text(let s): s
        case .integer(let n): String(n)
        case .decimal(let d): ReturnText.decimal(d)
        case .date(let d): d.description
        case .rate(let rate?): ReturnText.rateDecimal(rate)
        case .rate(nil), .none: Labels.none
        case .blank: ""
        }
    }
}
