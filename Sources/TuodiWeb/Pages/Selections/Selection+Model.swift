import TuodiApp
import TuodiDomain
import TuodiLabels

/// The addresses of the 比选 pages, in one place.
enum SelectionPaths {
    static let list = "/selections"
    static let new = "/selections/new"
    static func round(_ id: Int) -> String { "/selections/\(id)" }
    static func step(_ id: Int, _ step: String) -> String { "/selections/\(id)/\(step)" }
    static func ocds(_ id: Int) -> String { "/selections/\(id)/ocds.json" }
}

/// 比选: the rounds the caller may see, newest first, with a link to start one.
struct SelectionListPage: PageModel {
    static let template = "selection_list"

    struct Row: Sendable {
        let id: Int
        let title: String
        let href: String
        let status: String
        let estates: String
        let closesOn: String
        let validBids: String
    }

    let chrome: Chrome
    let rows: [Row]
    let mayCreate: Bool

    init(session: WebSession, rounds: [SelectionView]) {
        chrome = .signedIn(session, title: "比选", section: .selections)
        rows = rounds.sorted { $0.id > $1.id }.map { s in
            Row(id: s.id, title: s.title, href: SelectionPaths.round(s.id), status: Labels.selectionStatuses[s.status],
                estates: s.estateCodes.joined(separator: "、"), closesOn: s.closesOn.description, validBids: "\(s.validBids) 家")
        }
        let unit = session.caller.unit
        mayCreate = unit != nil && Authorization.decide(.selectionCreate, actor: session.caller, unit: unit) == .allowed
    }
}

/// 新建比选: the title, the estates (lots), the weights, the closing date and the service term.
struct SelectionFormPage: PageModel {
    static let template = "selection_form"

    let chrome: Chrome
    let action: String
    let csrf: String
    let title: String
    let estateCodes: String
    let technicalPercent: String
    let pricePercent: String
    let closesOn: String
    let termStart: String
    let termEnd: String
    let errors: ErrorSummary?

    init(session: WebSession, today: LocalDate, form: FormData?, errors: FormErrors?) {
        chrome = .signedIn(session, title: "新建比选", section: .selections)
        action = SelectionPaths.list
        csrf = session.csrf
        title = form?.raw("title") ?? ""
        estateCodes = form?.raw("estateCodes") ?? ""
        technicalPercent = form?.raw("technicalPercent") ?? "60"
        pricePercent = form?.raw("pricePercent") ?? "40"
        closesOn = form?.raw("closesOn") ?? today.adding(days: 14).description
        termStart = form?.raw("termStart") ?? today.adding(days: 30).description
        termEnd = form?.raw("termEnd") ?? today.adding(days: 30).adding(months: 12).adding(days: -1).description
        self.errors = ErrorSummary(errors)
    }

    /// Estate codes may be separated by commas (either width), 、 or spaces.
    static func draft(unit: String, _ form: FormData) -> SelectionRoundDraft {
        let codes = form.raw("estateCodes").split(whereSeparator: { ",，、 \n\r\t".contains($0) }).map(String.init)
        return SelectionRoundDraft(unit: unit, title: form.raw("title"), estateCodes: codes,
                                   technicalPercent: Int(form["technicalPercent"] ?? "") ?? -1,
                                   pricePercent: Int(form["pricePercent"] ?? "") ?? -1,
                                   closesOn: form["closesOn"] ?? "", termStart: form["termStart"] ?? "", termEnd: form["termEnd"] ?? "")
    }
}

/// One round: its lots and terms, the invited companies, the bids with the score table, and the
/// step the caller may take next in its lifecycle (each a form of its own).
struct SelectionPage: PageModel {
    static let template = "selection"

    struct Bid: Sendable {
        let id: Int
        let company: String
        let uscc: String
        let price: String
        let technical: String
        let priceScore: String
        let total: String
        let rank: String
        let submittedAt: String
        let invalidReason: String?
        let award: Bool
        /// The form to declare this bid invalid, for a valid bid while that is allowed.
        let invalidateAction: String?
    }

    struct Invitee: Sendable {
        let uscc: String
        let company: String
    }

    let chrome: Chrome
    let id: Int
    let heading: String
    let status: String
    let details: [Detail]
    let invited: [Invitee]
    let bids: [Bid]
    let outcome: String?
    let ocdsHref: String
    let csrf: String
    let notice: String?
    let errors: ErrorSummary?
    // The steps on offer (nil: not now, or not for this caller).
    let inviteAction: String?
    let openAction: String?
    let bidAction: String?
    let closeAction: String?
    let proposeAction: String?
    let approveAction: String?
    let cancelAction: String?
    let ownProposal: Bool
    /// What approving the award will do, for the check-your-answers step before it.
    let awardSummary: [Detail]
    // Values typed into the forms, re-shown after a refusal.
    let bidUSCC: String
    let bidPrice: String
    let bidTechnical: String
    let reason: String

    init(session: WebSession, view s: SelectionView, names: [String: String], notice: String?, form: FormData? = nil, errors: FormErrors? = nil) {
        let caller = session.caller
        func may(_ op: Action) -> Bool { Authorization.decide(op, actor: caller, unit: s.unit) == .allowed }
        let status = SelectionStatus(rawValue: s.status)
        chrome = .signedIn(session, title: "比选第 \(s.id) 号", section: .selections)
        id = s.id
        heading = "比选第 \(s.id) 号：\(s.title)"
        self.status = Labels.selectionStatuses[s.status]
        var details = [
            Detail(term: "报送单位", value: ReportingUnit.named(s.unit)?.name ?? s.unit),
            Detail(term: "小区（标段）", value: s.estateCodes.joined(separator: "、")),
            Detail(term: "评分权重", value: "技术 \(s.technicalPercent)% · 价格 \(s.pricePercent)%"),
            Detail(term: "投标截止日期", value: s.closesOn.description),
            Detail(term: "服务期", value: "\(s.termStart) 至 \(s.termEnd)"),
            Detail(term: "有效投标", value: "\(s.validBids) 家（不足 3 家则流标）"),
            Detail(term: "创建人", value: "\(s.createdBy)，\(Display.beijingTime(iso: s.createdAt))"),
        ]
        if let p = s.awardProposedBy { details.append(Detail(term: "定标建议提出人", value: p)) }
        if let d = s.awardDecidedBy { details.append(Detail(term: "定标审批人", value: d)) }
        if let f = s.finishedOn { details.append(Detail(term: "结束日期", value: f.description)) }
        self.details = details
        let name = { (u: String) in names[u] ?? u }
        invited = s.invited.map { Invitee(uscc: $0, company: name($0)) }
        let mayInvalidate = (status == .open || status == .evaluation) && may(.selectionInvalidateBid)
        bids = s.bids.sorted { ($0.rank ?? .max, $0.id) < ($1.rank ?? .max, $1.id) }.map { b in
            Bid(id: b.id, company: b.companyName, uscc: b.uscc, price: String(format: "%.2f 元/㎡·月", b.price),
                technical: String(format: "%.2f", b.technicalScore), priceScore: b.priceScore.map { String(format: "%.2f", $0) } ?? "—",
                total: b.total.map { String(format: "%.2f", $0) } ?? "—", rank: b.rank.map(String.init) ?? "—",
                submittedAt: Display.beijingTime(iso: b.submittedAt), invalidReason: b.invalidReason, award: b.id == s.awardBidID,
                invalidateAction: mayInvalidate && b.invalidReason == nil ? SelectionPaths.step(s.id, "bids/\(b.id)/invalidate") : nil)
        }
        outcome = s.outcomeReason.map { status == .failed ? "本轮比选流标：\($0)。请重新组织比选，或为小区安排临时托管。" : "原因：\($0)" }
        ocdsHref = SelectionPaths.ocds(s.id)
        csrf = session.csrf
        self.notice = notice
        self.errors = ErrorSummary(errors)
        inviteAction = status == .draft && may(.selectionInvite) ? SelectionPaths.step(s.id, "invite") : nil
        openAction = status == .draft && !s.invited.isEmpty && may(.selectionOpen) ? SelectionPaths.step(s.id, "open") : nil
        bidAction = status == .open && may(.selectionBid) ? SelectionPaths.step(s.id, "bids") : nil
        closeAction = status == .open && may(.selectionClose) ? SelectionPaths.step(s.id, "close") : nil
        proposeAction = status == .evaluation && s.awardBidID == nil && may(.selectionProposeAward) ? SelectionPaths.step(s.id, "propose-award") : nil
        let pendingAward = status == .evaluation && s.awardBidID != nil && s.awardDecidedBy == nil && may(.selectionApproveAward)
        ownProposal = pendingAward && s.awardProposedBy == caller.username
        approveAction = pendingAward && !ownProposal ? SelectionPaths.step(s.id, "approve-award") : nil
        cancelAction = [.draft, .open, .evaluation].contains(status) && may(.selectionCancel) ? SelectionPaths.step(s.id, "cancel") : nil
        if let winner = s.bids.first(where: { $0.id == s.awardBidID }) {
            awardSummary = [
                Detail(term: "中标企业", value: "\(winner.companyName)（\(winner.uscc)）"),
                Detail(term: "综合得分", value: winner.total.map { String(format: "%.2f", $0) } ?? "—"),
                Detail(term: "收费标准", value: String(format: "%.2f 元/㎡·月", winner.price)),
                Detail(term: "服务期", value: "\(s.termStart) 至 \(s.termEnd)"),
                Detail(term: "将建立托底安排的小区", value: s.estateCodes.joined(separator: "、")),
            ]
        } else {
            awardSummary = []
        }
        bidUSCC = form?.raw("uscc") ?? ""
        bidPrice = form?.raw("price") ?? ""
        bidTechnical = form?.raw("technicalScore") ?? ""
        reason = form?.raw("reason") ?? ""
    }

    /// The bid as typed; an unreadable number is passed on as NaN so the use case names the field.
    static func bid(_ form: FormData) -> BidDraft {
        BidDraft(uscc: form["uscc"] ?? "", price: form["price"].flatMap(Double.init) ?? .nan,
                 technicalScore: form["technicalScore"].flatMap(Double.init) ?? .nan)
    }
}
