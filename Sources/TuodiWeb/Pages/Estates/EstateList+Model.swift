import TuodiApp
import TuodiDomain
import TuodiLabels

/// 小区: search by code or name, filter by state, category, sub-district and the high-dispute flag; paged.
struct EstateListPage: PageModel {
    static let template = "estate_list"
    static let pageSize = 20

    struct Row: Sendable {
        let code: String
        let name: String
        let subDistrict: String
        let category: String
        let households: String
        let state: String
        let stateCode: String
        let highDispute: Bool
        let href: String
    }

    let chrome: Chrome
    let text: String
    let states: [Option]
    let categories: [Option]
    let subDistricts: [Option]
    let highDisputeOnly: Bool
    let rows: [Row]
    let summary: String
    let previous: String?
    let next: String?
    let asOf: String
    let errors: ErrorSummary?
    let mayRegister: Bool
}

extension EstateListPage {
    /// The query a request asks for (an unknown filter value is passed on and refused by the use case).
    static func query(_ form: FormData, page: Int) -> EstateQuery {
        var q = EstateQuery()
        q.text = form["q"]; q.state = form["state"]; q.category = form["category"]; q.subDistrict = form["subDistrict"]
        q.highDisputeOnly = form["dispute"] == "1"
        q.limit = pageSize
        q.offset = max(0, page - 1) * pageSize
        return q
    }

    init(session: WebSession, query q: EstateQuery, result: EstateSearchResult?, errors: ErrorSummary? = nil) {
        chrome = .signedIn(session, title: "小区", section: .estates)
        text = q.text ?? ""
        states = Option.list(Labels.states, selected: q.state)
        categories = Option.list(Labels.categories, selected: q.category)
        let subs = result?.subDistricts ?? []
        subDistricts = Option.list(KeyedLabels(subs.map { ($0, $0) }), selected: q.subDistrict)
        highDisputeOnly = q.highDisputeOnly
        self.errors = errors
        mayRegister = Authorization.decide(.estateRegister, actor: session.caller, unit: session.caller.unit) == .allowed
        asOf = result?.asOf.description ?? ""
        guard let result else {
            rows = []; summary = ""; previous = nil; next = nil
            return
        }
        rows = result.items.map { r in
            Row(code: r.estate.code, name: r.estate.name, subDistrict: r.estate.subDistrict, category: r.estate.category.label,
                households: Display.households(r.estate.households), state: r.state.label, stateCode: r.state.description,
                highDispute: r.estate.highDispute, href: EstatePaths.estate(r.estate.code))
        }
        let first = result.total == 0 ? 0 : result.offset + 1, last = result.offset + result.items.count
        summary = "共 \(Display.estates(result.total))小区" + (result.total == 0 ? "" : "，显示第 \(first)–\(last) 个")
        let page = result.offset / result.limit + 1
        func pageLink(_ n: Int) -> String {
            link("/estates", [("q", q.text), ("state", q.state), ("category", q.category), ("subDistrict", q.subDistrict),
                              ("dispute", q.highDisputeOnly ? "1" : nil), ("page", n > 1 ? String(n) : nil)])
        }
        previous = page > 1 ? pageLink(page - 1) : nil
        next = last < result.total ? pageLink(page + 1) : nil
    }
}
