import TuodiApp
import TuodiStore
import TuodiDomain
import TuodiLabels

/// One arrangement: what was proposed, by whom, its changes; approve or reject (with a reason)
/// for a second person.
struct ArrangementPage: PageModel {
    static let template = "arrangement"


    struct Change: Sendable {
        let kind: String
        let date: String
        let reason: String
        let by: String
    }

    let chrome: Chrome
    let id: Int
    let heading: String
    let status: String
    let estateHref: String
    let details: [Detail]
    let changes: [Change]
    let canDecide: Bool
    let ownProposal: Bool
    let csrf: String
    let approveAction: String
    let rejectAction: String
    let reason: String
    /// For an active arrangement, to those who may change it: extend to a later end, or end early.
    let extendAction: String?
    let terminateAction: String?
    let plannedEnd: String
    let lastDay: String
    let changeReason: String
    let terminateReason: String
    let notice: String?
    let errors: ErrorSummary?

    init(session: WebSession, view a: ArrangementView, notice: String?, form: FormData? = nil, errors: FormErrors? = nil) {
        let caller = session.caller
        chrome = .signedIn(session, title: "第 \(a.id) 号托底安排", section: .estates)
        id = a.id
        heading = "第 \(a.id) 号托底安排：\(a.estateCode) \(Labels.kinds[a.kind])"
        status = Labels.arrangementStatuses[a.status]
        estateHref = EstatePaths.estate(a.estateCode)
        var details = [
            Detail(term: "小区", value: a.estateCode),
            Detail(term: "托底方式", value: Labels.kinds[a.kind]),
            Detail(term: a.uscc == nil ? "负责方" : "承接企业", value: a.provider + (a.uscc.map { "（\($0)）" } ?? "")),
            Detail(term: "开始日期", value: a.start.description),
        ]
        if let p = a.plannedEnd { details.append(Detail(term: "计划结束日期", value: p.description)) }
        if let r = a.reviewDate { details.append(Detail(term: "复核日期", value: r.description)) }
        if let e = a.endedOn { details.append(Detail(term: "实际结束日期", value: e.description)) }
        if let c = a.contact { details.append(Detail(term: "联系人", value: c)) }
        if let f = a.fee { details.append(Detail(term: "收费标准", value: String(format: "%.2f 元/㎡·月", f))) }
        if let j = a.justification { details.append(Detail(term: "理由", value: j)) }
        details.append(Detail(term: "提出人", value: a.proposedBy))
        if let d = a.decidedBy { details.append(Detail(term: "审批人", value: d)) }
        if let r = a.decisionReason { details.append(Detail(term: "审批意见", value: r)) }
        self.details = details
        changes = a.changes.map { Change(kind: Labels.arrangementEvents[$0.kind.rawValue], date: $0.date.description, reason: $0.reason, by: $0.recordedBy) }
        let pending = a.status == ArrangementStatus.proposed.rawValue
        let mayDecide = Authorization.decide(.arrangementApprove, actor: caller, unit: a.unit) == .allowed
        ownProposal = pending && mayDecide && a.proposedBy == caller.username
        canDecide = pending && mayDecide && !ownProposal
        csrf = session.csrf
        approveAction = "/arrangements/\(a.id)/approve"
        rejectAction = "/arrangements/\(a.id)/reject"
        reason = form?.raw("reason") ?? ""
        let active = a.status == ArrangementStatus.active.rawValue
        extendAction = active && a.plannedEnd != nil && Authorization.decide(.arrangementExtend, actor: caller, unit: a.unit) == .allowed
            ? "/arrangements/\(a.id)/extend" : nil
        terminateAction = active && Authorization.decide(.arrangementTerminate, actor: caller, unit: a.unit) == .allowed
            ? "/arrangements/\(a.id)/terminate" : nil
        plannedEnd = form?.raw("plannedEnd") ?? ""
        lastDay = form?.raw("lastDay") ?? ""
        changeReason = form?.raw("changeReason") ?? ""
        terminateReason = form?.raw("terminateReason") ?? ""
        self.notice = notice
        self.errors = ErrorSummary(errors)
    }
}
