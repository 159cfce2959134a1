import Foundation
import TuodiApp
import TuodiDomain
import TuodiLabels

/// 批量匹配: the unit's proposals, and the form that asks the engine for a batch from a start date.
struct MatchingListPage: PageModel {
    static let template = "matching_list"

    struct Row: Sendable {
        let id: Int
        let href: String
        let term: String
        let status: String
        let pairs: String
        let unplaced: String
        let proposedBy: String
    }

    let chrome: Chrome
    let rows: [Row]
    let mayPropose: Bool
    let action: String
    let csrf: String
    let start: String
    let plannedEnd: String
    let errors: ErrorSummary?

    init(session: WebSession, proposals: [MatchProposalView], today: LocalDate, form: FormData? = nil, errors: FormErrors? = nil) {
        chrome = .signedIn(session, title: "批量匹配", section: .matching)
        rows = proposals.sorted { $0.id > $1.id }.map { p in
            Row(id: p.id, href: "/matching/\(p.id)", term: "\(p.termStart) 至 \(p.termEnd)", status: Labels.proposalStatuses[p.status],
                pairs: Display.estates(p.pairs.count), unplaced: Display.estates(p.unplaced.count), proposedBy: p.proposedBy)
        }
        let unit = session.caller.unit
        mayPropose = unit != nil && Authorization.decide(.matchPropose, actor: session.caller, unit: unit) == .allowed
        action = "/matching"
        csrf = session.csrf
        start = form?.raw("start") ?? today.description
        plannedEnd = form?.raw("plannedEnd") ?? ""
        self.errors = ErrorSummary(errors)
    }
}

/// One proposal under review: every pair with each factor's cost and the total, the estates left
/// unmatched with why; a pair can be changed (with a reason); a second person approves or rejects.
struct MatchingPage: PageModel {
    static let template = "matching"

    struct Factor: Sendable {
        let label: String
        let value: String
        let cost: String
    }

    struct Choice: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Pair: Sendable {
        let estate: String
        let estateHref: String
        let company: String
        let uscc: String
        let factors: [Factor]
        let total: String
        let editedBy: String?
        let editAction: String?
        let choices: [Choice]
    }

    struct Unplaced: Sendable {
        let estate: String
        let estateHref: String
        let reason: String
        let editAction: String?
        let choices: [Choice]
    }

    let chrome: Chrome
    let id: Int
    let heading: String
    let status: String
    let details: [Detail]
    let factorHeaders: [String]
    let pairs: [Pair]
    let unplaced: [Unplaced]
    let total: String
    let csrf: String
    let approveAction: String?
    let rejectAction: String?
    let fourEyes: Bool
    let notice: String?
    let errors: ErrorSummary?

    /// Points are stored in hundredths.
    static func points(_ hundredths: Int) -> String { String(format: "%.2f", Double(hundredths) / 100) }

    init(session: WebSession, view p: MatchProposalView, members: [PoolMember], notice: String?, errors: FormErrors? = nil) {
        let caller = session.caller
        func may(_ op: Action) -> Bool { Authorization.decide(op, actor: caller, unit: p.unit) == .allowed }
        let open = p.status == "proposed"
        chrome = .signedIn(session, title: "批量匹配方案 \(p.id)", section: .matching)
        id = p.id
        heading = "批量匹配方案第 \(p.id) 号"
        status = Labels.proposalStatuses[p.status]
        var details = [
            Detail(term: "托管期限", value: "\(p.termStart) 至 \(p.termEnd)"),
            Detail(term: "权重", value: "就近 \(p.weights.sameSubDistrict) · 入库评分 \(p.weights.merit) · 轮换 \(p.weights.load) · 区属集团 \(p.weights.districtGroup)"),
            Detail(term: "提出人", value: "\(p.proposedBy)，\(Display.beijingTime(iso: p.createdAt))"),
        ]
        if let d = p.decidedBy { details.append(Detail(term: "审批人", value: d + (p.decidedAt.map { "，\(Display.beijingTime(iso: $0))" } ?? ""))) }
        if let r = p.decisionReason { details.append(Detail(term: "审批意见", value: r)) }
        if !p.arrangementIDs.isEmpty { details.append(Detail(term: "已建立的托管安排", value: p.arrangementIDs.map { "第 \($0) 号" }.joined(separator: "、"))) }
        self.details = details
        factorHeaders = p.pairs.first?.cost.factors.map { "\($0.label)（\($0.weight)）" } ?? []
        let mayEdit = open && may(.matchEdit)
        let active = members.filter { $0.state == .active }
        func choices(current: String?) -> [Choice] {
            active.map { Choice(value: $0.uscc, label: $0.companyName, selected: $0.uscc == current) }
        }
        pairs = p.pairs.map { pair in
            Pair(estate: pair.estateCode, estateHref: EstatePaths.estate(pair.estateCode), company: pair.companyName, uscc: pair.uscc,
                 factors: pair.cost.factors.map { f in
                     Factor(label: f.label, value: CandidatesPage.number(f.value), cost: Self.points(f.cost))
                 },
                 total: Self.points(pair.cost.total), editedBy: pair.editedBy,
                 editAction: mayEdit ? "/matching/\(p.id)/edit" : nil, choices: choices(current: pair.uscc))
        }
        unplaced = p.unplaced.map { u in
            Unplaced(estate: u.estateCode, estateHref: EstatePaths.estate(u.estateCode), reason: Labels.unplacedReasons[u.reason],
                     editAction: mayEdit ? "/matching/\(p.id)/edit" : nil, choices: choices(current: nil))
        }
        total = Self.points(p.totalCost)
        csrf = session.csrf
        let editors = Set(p.pairs.compactMap(\.editedBy))
        let mayDecide = open && may(.matchApprove)
        fourEyes = mayDecide && (p.proposedBy == caller.username || editors.contains(caller.username))
        approveAction = mayDecide && !fourEyes ? "/matching/\(p.id)/approve" : nil
        rejectAction = mayDecide && !fourEyes ? "/matching/\(p.id)/reject" : nil
        self.notice = notice
        self.errors = ErrorSummary(errors)
    }
}
