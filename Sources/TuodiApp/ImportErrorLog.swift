/// The errors of one import. Every error is counted, but only those of the first
/// `rowLimit` rows with errors are kept in full: a file of 200,000 bad rows has millions of
/// errors, hundreds of MB as a report, and nobody reads past the first screen. The district fixes
/// the first rows and tries again; the counts say how far there is to go.
///
/// Rows mostly arrive in order, but not always (the duplicate checks against the database come
/// last), so the log keeps the errors of up to `2 × rowLimit` rows and, when it has more, drops
/// all but the first `rowLimit` rows. Memory stays bounded whatever the file.
public struct ImportErrorLog: Sendable {
    public static let rowLimit = 100
    private var kept: [ImportReport.RowError] = []
    private var keptRows: Set<Int> = []
    /// Rows beyond this one are not kept; lowered as the log compacts.
    private var cutoff = Int.max
    /// Every error, kept or not.
    public private(set) var count = 0
    /// Every row with at least one error (kept as numbers only: a few bytes a row).
    private var rows: Set<Int> = []

    public init(_ errors: [ImportReport.RowError] = []) {
        append(contentsOf: errors)
    }

    public var isEmpty: Bool { count == 0 }
    public var rowCount: Int { rows.count }

    public mutating func append(_ error: ImportReport.RowError) {
        count += 1
        rows.insert(error.row)
        guard error.row <= cutoff else { return }
        kept.append(error)
        keptRows.insert(error.row)
        if keptRows.count > 2 * Self.rowLimit { compact() }
    }

    public mutating func append(contentsOf errors: some Sequence<ImportReport.RowError>) {
        for e in errors { append(e) }
    }

    /// The errors of the first `rowLimit` rows with errors, by row and column.
    public var firstErrors: [ImportReport.RowError] {
        let last = keptRows.count > Self.rowLimit ? keptRows.sorted()[Self.rowLimit - 1] : Int.max
        return kept.filter { $0.row <= last }.sorted { ($0.row, $0.column) < ($1.row, $1.column) }
    }

    private mutating func compact() {
        cutoff = keptRows.sorted()[Self.rowLimit - 1]
        kept.removeAll { $0.row > cutoff }
        keptRows = keptRows.filter { $0 <= cutoff }
    }
}
