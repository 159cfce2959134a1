/// Whether new management facts of one estate fit its history and each other: no two regular
/// companies at once, no second "became unmanaged" inside a running episode, no ending of a
/// company other than the one managing, and no two new facts on the same day. Pure; used by the
/// fact import so that two rows of one file are checked against each other too (#12).
public enum FactSequence {
    /// A fact to be added, with where it came from (a spreadsheet row).
    public struct New: Sendable {
        public let row: Int
        public let date: LocalDate
        public let kind: ManagementFactKind
        public init(row: Int, date: LocalDate, kind: ManagementFactKind) { self.row = row; self.date = date; self.kind = kind }
    }

    /// A new fact that does not fit, with the reason in Chinese (naming the other row or fact).
    public struct Conflict: Equatable, Sendable {
        public let row: Int
        public let message: String
    }

    /// Conflicts of `new` with `existing` (the facts that count) and with each other, in date order.
    public static func conflicts(existing: [ManagementFact], new: [New]) -> [Conflict] {
        // Existing facts first on a day, then the file's rows in order.
        let merged = existing.map { (date: $0.date, order: 0, row: nil as Int?, kind: $0.kind) }
            + new.map { (date: $0.date, order: $0.row, row: Optional($0.row), kind: $0.kind) }
        let ordered = merged.sorted { ($0.date, $0.order) < ($1.date, $1.order) }
        func source(_ row: Int?) -> String { row.map { "第 \($0) 行" } ?? "已登记的事实" }
        var conflicts: [Conflict] = []
        var regular: (company: String, since: LocalDate, row: Int?)?
        var unmanaged: (since: LocalDate, row: Int?)?
        var sameDay: [LocalDate: Int] = [:]
        for f in ordered {
            var problem: String?
            if let row = f.row {
                if let first = sameDay[f.date] { problem = "与第 \(first) 行是同一小区同一日期（\(f.date)）的事实" } else { sameDay[f.date] = row }
            }
            switch f.kind {
            case .regularBegan(let company):
                if let r = regular {
                    problem = problem ?? "与\(source(r.row))重叠：\(r.company) 自 \(r.since) 起管理该小区，此前没有退出记录"
                }
                regular = (company, f.date, f.row); unmanaged = nil
            case .regularEnded(let company):
                if let u = unmanaged {
                    problem = problem ?? "与\(source(u.row))重叠：该小区自 \(u.since) 起已无人管理，没有企业可退出"
                } else if let r = regular, r.company != company {
                    problem = problem ?? "退出的企业（\(company)）不是当时管理该小区的企业（\(r.company)，见\(source(r.row))）"
                }
                regular = nil; unmanaged = (f.date.adding(days: 1), f.row)
            case .becameUnmanaged:
                if let u = unmanaged {
                    problem = problem ?? "与\(source(u.row))重叠：该小区自 \(u.since) 起已无人管理"
                }
                regular = nil; unmanaged = (f.date, f.row)
            }
            if let row = f.row, let problem { conflicts.append(Conflict(row: row, message: problem)) }
        }
        return conflicts
    }
}
