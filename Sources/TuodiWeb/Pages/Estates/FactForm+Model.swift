import TuodiApp
import TuodiDomain
import TuodiLabels

/// The fields of a management fact, as the record form and the correction form both ask for them
/// (the `fact_fields` partial): what was typed, or else the starting values given.
struct FactFields: Sendable {
    let kinds: [Option]
    let reasons: [Option]
    let date: String
    let company: String

    init(form: FormData?, kind: String, reason: String?, date: String, company: String?) {
        kinds = Option.list(Labels.factKinds, selected: form?["kind"] ?? kind, any: nil)
        reasons = Option.list(Labels.unmanagedReasons, selected: form?["reason"] ?? reason, any: "请选择")
        self.date = form?.raw("date") ?? date
        self.company = form?.raw("company") ?? company ?? ""
    }

    static func draft(_ form: FormData) -> FactDraft {
        FactDraft(kind: form["kind"] ?? "", date: form["date"] ?? "", reason: form["reason"], company: form["company"])
    }
}

/// 登记管理事实: became unmanaged (with a reason), regular management began or ended (with the company).
struct FactFormPage: PageModel {
    static let template = "fact_form"

    let chrome: Chrome
    let code: String
    let name: String
    let action: String
    let backHref: String
    let csrf: String
    let fact: FactFields
    let errors: ErrorSummary?

    init(session: WebSession, estate: Estate, form: FormData?, today: LocalDate, errors: FormErrors? = nil) {
        chrome = .signedIn(session, title: "登记管理事实 · \(estate.code)", section: .estates)
        code = estate.code
        name = estate.name
        action = "/estates/\(EstatePaths.escape(estate.code))/facts"
        backHref = EstatePaths.estate(estate.code)
        csrf = session.csrf
        fact = FactFields(form: form, kind: "becameUnmanaged", reason: nil, date: today.description, company: nil)
        self.errors = ErrorSummary(errors)
    }
}
