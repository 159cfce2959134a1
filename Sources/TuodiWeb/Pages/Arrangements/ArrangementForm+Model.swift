import TuodiApp
import TuodiDomain
import TuodiLabels

/// 业主自行管理 / 社区托底服务: the responsible body, its contact, the start and the review date.
struct ArrangementFormPage: PageModel {
    static let template = "arrangement_form"

    let chrome: Chrome
    let code: String
    let name: String
    let kind: String
    let kindLabel: String
    let bodyLabel: String
    let action: String
    let backHref: String
    let csrf: String
    let body: String
    let contact: String
    let start: String
    let reviewDate: String
    let justification: String
    let errors: ErrorSummary?

    /// The two kinds this form proposes; custody has its own page, selection comes from a round.
    static let kinds: [CoverageKind] = [.ownerSelf, .communityFallback]

    init(session: WebSession, estate: Estate, kind: CoverageKind, form: FormData?, today: LocalDate, errors: FormErrors?) {
        chrome = .signedIn(session, title: "\(kind.label) · \(estate.code)", section: .estates)
        code = estate.code
        name = estate.name
        self.kind = kind.rawValue
        kindLabel = kind.label
        bodyLabel = kind == .ownerSelf ? "负责的业主组织（如业委会）" : "负责的街镇或居委会"
        action = "/estates/\(EstatePaths.escape(estate.code))/arrangements"
        backHref = EstatePaths.estate(estate.code)
        csrf = session.csrf
        body = form?.raw("body") ?? ""
        contact = form?.raw("contact") ?? ""
        start = form?.raw("start") ?? today.description
        reviewDate = form?.raw("reviewDate") ?? today.adding(months: 6).description
        justification = form?.raw("justification") ?? ""
        self.errors = ErrorSummary(errors)
    }

    static func draft(code: String, _ form: FormData) -> ArrangementDraft {
        ArrangementDraft(estateCode: code, kind: form["kind"] ?? "", body: form["body"], contact: form["contact"],
                         start: form["start"] ?? "", reviewDate: form["reviewDate"], justification: form["justification"])
    }
}
