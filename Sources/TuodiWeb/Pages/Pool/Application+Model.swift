import TuodiApp
import TuodiDomain
import TuodiLabels
import TuodiStore

/// 入库申请: the application scored against its round's rubric, the clerk's proposal, and for a
/// second person the decision: agree with the proposal, or send it back for scoring with a reason.
struct ApplicationPage: PageModel {
    static let template = "application"

    struct ScoreField: Sendable {
        let id: String
        let name: String
        let label: String
        let value: String
    }

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
    /// The clerk's steps: score against the rubric (applied or scored), then propose (scored).
    let scoreAction: String?
    let scoreFields: [ScoreField]
    let proposeAction: String?
    let proposals: [Option]
    let roundHref: String
    let notice: String?
    let errors: ErrorSummary?

    init(session: WebSession, view v: ApplicationView, notice: String?, form: FormData? = nil, errors: FormErrors? = nil) {
        let a = v.application, caller = session.caller
        chrome = .signedIn(session, title: "入库申请 \(a.id)", section: .pool)
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
        let unit = v.round.unit
        scoreAction = [.applied, .scored].contains(a.status) && Authorization.decide(.poolScore, actor: caller, unit: unit) == .allowed
            ? "/pool/applications/\(a.id)/score" : nil
        scoreFields = v.round.criteria.enumerated().map { i, c in
            ScoreField(id: "score-\(i)", name: "score-\(i)", label: "\(c.name)（权重 \(c.weightPercent)%，0–100 分）",
                       value: form?.raw("score-\(i)") ?? a.scores?[c.name].map { String(format: "%g", $0) } ?? "")
        }
        proposeAction = a.status == .scored && Authorization.decide(.poolPropose, actor: caller, unit: unit) == .allowed
            ? "/pool/applications/\(a.id)/propose" : nil
        proposals = Option.list(Labels.admissionProposals, selected: form?["proposal"], any: nil)
        roundHref = PoolPaths.round(v.round.id)
        self.notice = notice
        self.errors = ErrorSummary(errors)
    }
}

extension ApplicationPage {
    /// The scores as typed, by criterion; an unreadable one is passed on as NaN, which the rubric refuses.
    static func scores(_ form: FormData, criteria: [ScoringCriterion]) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: criteria.enumerated().map { i, c in (c.name, form["score-\(i)"].flatMap(Double.init) ?? .nan) })
    }
}
