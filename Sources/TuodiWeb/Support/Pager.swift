/// One page of a list that is already in memory (a table on the 工作台): which rows to show, a
/// line saying which, and links to the pages either side. A page number past the end shows the
/// last page; anything that is not a number shows the first.
struct Pager: Sendable {
    static let pageSize = 20

    /// What the links page through, for screen readers ("有风险的小区").
    let label: String
    let summary: String
    let previous: String?
    let next: String?
    /// Several pages: the template shows the links.
    let paged: Bool

    /// The page a request for `asked` shows of `count` rows: 1 for anything that is not a
    /// number, the last one past the end.
    static func pageNumber(asked: String?, count: Int) -> Int {
        min(max(1, Int(asked ?? "") ?? 1), max(1, (count + pageSize - 1) / pageSize))
    }

    /// The rows of the asked page and the pager for them; `href(n)` links to page n.
    static func page<T>(_ all: [T], asked: String?, label: String, unit: String, href: (Int) -> String) -> ([T], Pager) {
        let pages = max(1, (all.count + pageSize - 1) / pageSize)
        let page = pageNumber(asked: asked, count: all.count)
        let first = (page - 1) * pageSize, last = min(all.count, first + pageSize)
        let summary = all.count <= pageSize ? "共 \(all.count) \(unit)"
            : "共 \(all.count) \(unit)，显示第 \(first + 1)–\(last) \(unit)（第 \(page)/\(pages) 页）"
        return (Array(all[first..<last]), Pager(label: label, summary: summary, previous: page > 1 ? href(page - 1) : nil,
                                                next: page < pages ? href(page + 1) : nil, paged: pages > 1))
    }
}
