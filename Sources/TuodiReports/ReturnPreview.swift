import TuodiDomain
import TuodiLabels

/// The quarterly return's tables spelled for reading on a page: the same tables, in the same
/// order and with the same spelling as the HTML download, so a preview and a file cannot differ.
public enum ReturnPreview {
    public struct Table: Sendable {
        public let name: String
        public let columns: [String]
        public let rows: [[Cell]]
    }

    public struct Cell: Sendable {
        public let text: String
        /// Right-aligned (figures and rates).
        public let numeric: Bool
    }

    public static func title(_ r: QuarterlyReturn) -> String { ReturnLabels.title(r) }

    public static func tables(_ r: QuarterlyReturn) -> [Table] {
        ReturnTables.all(r).map { t in Table(name: t.name, columns: t.columns, rows: t.rows.map { $0.map(cell) }) }
    }

    /// How each kind of cell reads: rates as percentages with two places, missing figures as 无.
    static func cell(_ cell: ReturnCell) -> Cell {
        switch cell {
        case .text(let s): Cell(text: s, numeric: false)
        case .integer(let n): Cell(text: String(n), numeric: true)
        case .decimal(let d): Cell(text: ReturnText.decimal(d), numeric: true)
        case .date(let d): Cell(text: d.description, numeric: false)
        case .rate(let rate?): Cell(text: ReturnText.percent(rate), numeric: true)
        case .rate(nil), .none: Cell(text: Labels.none, numeric: true)
        case .blank: Cell(text: "", numeric: false)
        }
    }
}
