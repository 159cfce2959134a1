import TuodiApp
import TuodiDomain
import TuodiLabels
import TuodiReports

/// 季度报表: a preview of the return's figures (the tables of the download), where it stands, the
/// next step for whoever may take it (draft, approve, submit after confirming), and downloads.
struct ReturnPage: PageModel {
    static let template = "return"

    struct Download: Sendable {
        let label: String
        let href: String
    }

    struct Step: Sendable {
        let action: String
        let label: String
        /// Submitting freezes the return: the form asks to confirm the figures were checked.
        let confirm: Bool
    }

    struct Row: Sendable {
        let cells: [ReturnPreview.Cell]
    }

    struct Table: Sendable {
        let name: String
        let columns: [String]
        let rows: [Row]
        let span: Int
    }

    let chrome: Chrome
    let title: String
    let status: String
    let deadline: String
    let late: Bool
    let trail: [Detail]
    let steps: [Step]
    let csrf: String
    let downloads: [Download]
    let tables: [Table]
    let notice: String?
    let errors: ErrorSummary?
    let previous: String?
    let next: String?

    init(session: WebSession, view r: ReturnView, notice: String?, errors: FormErrors? = nil) {
        let caller = session.caller
        let base = ReturnPaths.page(unit: r.unit, year: r.year, quarter: r.quarter)
        chrome = .signedIn(session, title: "\(r.year) 年第 \(r.quarter) 季度报表", section: .returns)
        title = ReturnPreview.title(r.report)
        status = Labels.returnStatuses[r.status]
        deadline = r.deadline.description
        late = r.late
        var trail: [Detail] = []
        if let by = r.draftedBy { trail.append(Detail(term: "起草", value: "\(by) · \(r.draftedAt.map(Display.beijingTime(iso:)) ?? "")")) }
        if let by = r.approvedBy { trail.append(Detail(term: "审核", value: "\(by) · \(r.approvedAt.map(Display.beijingTime(iso:)) ?? "")")) }
        if let by = r.submittedBy { trail.append(Detail(term: "报送", value: "\(by) · \(r.submittedAt.map(Display.beijingTime(iso:)) ?? "")")) }
        if let sha = r.snapshotSHA256 { trail.append(Detail(term: "数据指纹（SHA-256）", value: sha)) }
        self.trail = trail
        func may(_ op: TuodiDomain.Action) -> Bool { Authorization.decide(op, actor: caller, unit: r.unit) == .allowed }
        var steps: [Step] = []
        if r.status != "submitted", may(.returnDraft) {
            steps.append(Step(action: base + "/draft", label: r.status == "notDrafted" ? "起草报表" : "按最新数据重新起草", confirm: false))
        }
        if r.status == "draft", may(.returnApprove), r.draftedBy != caller.username {
            steps.append(Step(action: base + "/approve", label: "审核通过", confirm: false))
        }
        if r.status == "approved", may(.returnSubmit) {
            steps.append(Step(action: base + "/submit", label: "报送市房管局", confirm: true))
        }
        self.steps = steps
        csrf = session.csrf
        downloads = QuarterlyReturnFormat.allCases.map {
            Download(label: $0.rawValue.uppercased(), href: link(base + "/download", [("format", $0.rawValue)]))
        }
        tables = ReturnPreview.tables(r.report).map { t in
            Table(name: t.name, columns: t.columns, rows: t.rows.map { Row(cells: $0) }, span: t.columns.count)
        }
        self.notice = notice
        self.errors = ErrorSummary(errors)
        let (py, pq) = r.quarter == 1 ? (r.year - 1, 4) : (r.year, r.quarter - 1)
        let (ny, nq) = r.quarter == 4 ? (r.year + 1, 1) : (r.year, r.quarter + 1)
        previous = ReturnPaths.page(unit: r.unit, year: py, quarter: pq)
        next = ReturnPaths.page(unit: r.unit, year: ny, quarter: nq)
    }
}

enum ReturnPaths {
    static func page(unit: String, year: Int, quarter: Int) -> String { "/returns/\(unit)/\(year)/\(quarter)" }

    /// The quarter that ended last before `day`: the one being reported on.
    static func lastClosed(before day: LocalDate) -> (year: Int, quarter: Int) {
        let q = (day.month - 1) / 3
        return q == 0 ? (day.year - 1, 4) : (day.year, q)
    }
}
