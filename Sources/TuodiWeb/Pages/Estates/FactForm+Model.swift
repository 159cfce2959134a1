import TuodiApp
import TuodiDomain
import TuodiLabels

/// 登记管理事实: became unmanaged (with a reason), regular management began or ended (with the company).
struct FactFormPage: PageModel {
    static let template = "fact_form"

    let chrome: Chrome
    let code: String
    let name: String
    let action: String
    let backHref: String
    let csrf: String
    let kinds: [Option]
    let reasons: [Option]
    let date: String
    let company: String
    let errors: ErrorSummary?

    init(session: WebSession, estate: Estate, form: FormData?, today: LocalDate, errors: FormErrors? = nil) {
        chrome = .signedIn(session, title: "登记管理事实 · \(estate.code)", section: .estates)
        code = estate.code
        name = estate.name
        action = "/estates/\(EstatePaths.escape(estate.code))/facts"
        backHref = EstatePaths.estate(estate.code)
        csrf = session.csrf
        kinds = Option.list(Labels.factKinds, selected: form?["kind"] ?? "becameUnmanaged", any: nil)
        reasons = Option.list(Labels.unmanagedReasons, selected: form?["reason"], any: "请选择")
        date = form?.raw("date") ?? today.description
        company = form?.raw("company") ?? ""
        self.errors = ErrorSummary(errors)
    }

    static func draft(_ form: FormData) -> FactDraft {
        FactDraft(kind: form["kind"] ?? "", date: form["date"] ?? "", reason: form["reason"], company: form["company"])
    }
}
