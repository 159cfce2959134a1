import TuodiApp
import TuodiDomain
import TuodiLabels
import TuodiStore

/// 入库申请: the application scored against its round's rubric, the clerk's proposal, and for a
/// second person the decision: agree with the proposal, or send it back for scoring with a reason.
struct ApplicationPage: PageModel {
    static let template = "application"

    struct Score: Sendable {
        let criterion: String
        let weight: String
        let score: String
    }

    let chrome: Chrome
    let heading: String
    let status: String
    let details: [Detail]
    let scores: [Score]
    let total: String
    let canDecide: Bool
    let agreeLabel: String
    let csrf: String
    let approveAction: String
    let returnAction: String
    let reason: String
    let notice: String?
    let errors: ErrorSummary?

    init(session: WebSession, view v: ApplicationView, notice: String?, form: FormData? = nil, errors: FormErrors? = nil) {
        let a = v.application, caller = session.caller
        chrome = .signedIn(session, title: "入库申请 \(a.id)", section: .home)
        heading = "入库申请：\(v.companyName)"
        status = a.status.label
        var details = [
            Detail(term: "征集", value: "\(v.round.title)（\(v.round.opensOn) 至 \(v.round.closesOn)）"),
            Detail(term: "统一社会信用代码", value: a.uscc),
            Detail(term: "可承接小区", value: Display.estates(a.capacityEstates)),
        ]
        if let h = a.capacityHouseholds { details.append(Detail(term: "可承接户数", value: Display.households(h))) }
        if let p = a.proposal { details.append(Detail(term: "经办人意见", value: p.label + (a.proposalReason.map { "：\($0)" } ?? ""))) }
        if let by = a.proposedBy { details.append(Detail(term: "提出人", value: by)) }
        if let by = a.decidedBy { details.append(Detail(term: "审核人", value: by + (a.decisionReason.map { "：\($0)" } ?? ""))) }
        self.details = details
        scores = v.round.criteria.map { c in
            Score(criterion: c.name, weight: "\(c.weightPercent)%", score: a.scores?[c.name].map { String(format: "%.1f", $0) } ?? "—")
        }
        total = a.total.map { String(format: "%.2f", $0) } ?? "—"
        canDecide = a.status == .proposed && a.proposedBy != caller.username
            && Authorization.decide(.poolDecide, actor: caller, unit: v.round.unit) == .allowed
        agreeLabel = "同意：\(a.proposal?.label ?? "")"
        csrf = session.csrf
        approveAction = "/pool/applications/\(a.id)/approve"
        returnAction = "/pool/applications/\(a.id)/return"
        reason = form?.raw("reason") ?? ""
        self.notice = notice
        self.errors = ErrorSummary(errors)
    }
}
