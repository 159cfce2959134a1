import TuodiApp
import TuodiDomain
import TuodiLabels

/// 安排临时托管: the eligible pool members ranked with every factor explained, the ineligible with
/// their reasons, and the form to propose one for the term with a justification.
struct CandidatesPage: PageModel {
    static let template = "candidates"

    struct Factor: Sendable {
        let label: String
        let value: String
        let weight: String
        let points: String
    }

    struct Candidate: Sendable {
        let rank: Int
        let uscc: String
        let company: String
        let total: String
        let spare: String
        let districtGroup: String
        let factors: [Factor]
        let checked: Bool
    }

    struct Ineligible: Sendable {
        let company: String
        let uscc: String
        let reason: String
    }

    let chrome: Chrome
    let code: String
    let name: String
    let backHref: String
    let selfHref: String
    let action: String
    let csrf: String
    let start: String
    let plannedEnd: String
    let justification: String
    let fee: String
    let candidates: [Candidate]
    let ineligible: [Ineligible]
    /// The form shows for those who may propose; others (an approver) see the ranking only.
    let mayPropose: Bool
    let errors: ErrorSummary?

    init(session: WebSession, estate: Estate, start: String, plannedEnd: String, list: CandidateList?, form: FormData?, errors: FormErrors?) {
        chrome = .signedIn(session, title: "安排临时托管 · \(estate.code)", section: .estates)
        code = estate.code
        name = estate.name
        backHref = EstatePaths.estate(estate.code)
        selfHref = EstatePaths.custody(estate.code)
        action = EstatePaths.custody(estate.code)
        csrf = session.csrf
        self.start = start
        self.plannedEnd = plannedEnd
        justification = form?.raw("justification") ?? ""
        fee = form?.raw("fee") ?? ""
        let chosen = form?["uscc"]
        candidates = (list?.eligible ?? []).map { c in
            Candidate(rank: c.rank, uscc: c.facts.uscc.value, company: c.facts.companyName, total: String(format: "%.2f", c.total),
                      spare: "\(c.facts.spare) / \(c.facts.capacity) 个", districtGroup: Labels.yesNo(c.facts.districtGroup),
                      factors: c.factors.map { f in
                          Factor(label: f.label, value: Self.number(f.value), weight: "\(f.weight) 分", points: String(format: "%.2f", f.points))
                      },
                      checked: chosen == c.facts.uscc.value)
        }
        ineligible = (list?.ineligible ?? []).map { Ineligible(company: $0.facts.companyName, uscc: $0.facts.uscc.value, reason: $0.reason) }
        mayPropose = Authorization.decide(.arrangementPropose, actor: session.caller, unit: estate.unit) == .allowed
        self.errors = ErrorSummary(errors)
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.2f", v)
    }

    static func draft(code: String, _ form: FormData) -> ArrangementDraft {
        ArrangementDraft(estateCode: code, kind: CoverageKind.custody.rawValue, uscc: form["uscc"], start: form["start"] ?? "",
                         plannedEnd: form["plannedEnd"], fee: form["fee"].flatMap(Double.init), justification: form["justification"])
    }
}
