import TuodiApp
import TuodiDomain
import TuodiLabels
import TuodiStore

/// 更正: a fact is never edited; a correction is a new record that replaces it (or retracts it),
/// with a reason. The replacement's fields are those of the record form.
struct CorrectFormPage: PageModel {
    static let template = "correct_form"

    let chrome: Chrome
    let code: String
    let name: String
    let factID: Int
    let original: String
    let action: String
    let backHref: String
    let csrf: String
    let retract: Bool
    let fact: FactFields
    let correctionReason: String
    let errors: ErrorSummary?

    init(session: WebSession, estate: Estate, fact: StoredFact, form: FormData?, errors: FormErrors? = nil) {
        chrome = .signedIn(session, title: "更正第 \(fact.fact.id) 号记录 · \(estate.code)", section: .estates)
        code = estate.code
        name = estate.name
        factID = fact.fact.id
        original = "\(fact.fact.date) \(fact.fact.kind.label)"
        action = "/estates/\(EstatePaths.escape(estate.code))/facts/\(fact.fact.id)/correct"
        backHref = EstatePaths.estate(estate.code)
        csrf = session.csrf
        retract = form?["mode"] == "retract"
        let (kind, reason, company) = Self.parts(fact.fact.kind)
        self.fact = FactFields(form: form, kind: kind, reason: reason, date: fact.fact.date.description, company: company)
        correctionReason = form?.raw("correctionReason") ?? ""
        self.errors = ErrorSummary(errors)
    }

    /// The form's fields for a fact, so the form starts from what is recorded.
    static func parts(_ kind: ManagementFactKind) -> (kind: String, reason: String?, company: String?) {
        switch kind {
        case .becameUnmanaged(let r): ("becameUnmanaged", r.rawValue, nil)
        case .regularBegan(let c): ("regularBegan", nil, c)
        case .regularEnded(let c): ("regularEnded", nil, c)
        }
    }
}
