import TuodiApp
import TuodiDomain
import TuodiLabels
import TuodiStore

/// The addresses of the 预选库 pages.
enum PoolPaths {
    static func roster(_ unit: String) -> String { link("/pool", [("unit", unit)]) }
    static func rounds(_ unit: String) -> String { link("/pool/rounds", [("unit", unit)]) }
    static func round(_ id: Int) -> String { "/pool/rounds/\(id)" }
    static func settings(_ unit: String) -> String { link("/pool/settings", [("unit", unit)]) }
    static func member(_ id: Int, _ step: String) -> String { "/pool/members/\(id)/\(step)" }
}

/// 预选库: the roster as of a day with the district-group share, each member's state and history,
/// and for the clerk suspend, reinstate and remove, each with a reason.
struct RosterPage: PageModel {
    static let template = "roster"

    struct Action: Sendable {
        let label: String
        let href: String
        let warning: Bool
    }

    struct Member: Sendable {
        let id: Int
        let company: String
        let uscc: String
        let districtGroup: String
        let term: String
        let state: String
        let capacity: String
        let score: String
        let history: [String]
        let actions: [Action]
        let hasActions: Bool
        /// The form's own action (each button names its own with `formaction`).
        let firstAction: String
    }

    struct UnitLink: Sendable {
        let name: String
        let href: String
        let current: Bool
    }

    let chrome: Chrome
    let heading: String
    let unit: String
    let asOf: String
    let activeCount: String
    let share: String
    let members: [Member]
    let units: [UnitLink]
    let hasUnits: Bool
    let roundsHref: String
    let settingsHref: String
    let csrf: String
    let notice: String?
    let errors: ErrorSummary?

    init(session: WebSession, roster: PoolRoster, today: LocalDate, notice: String?, errors: FormErrors? = nil) {
        let caller = session.caller
        let unitName = ReportingUnit.named(roster.unit)?.name ?? roster.unit
        chrome = .signedIn(session, title: "预选库 · \(unitName)", section: .pool)
        heading = "\(unitName)临时物业服务企业预选库"
        unit = roster.unit
        asOf = roster.asOf.description
        activeCount = "\(roster.active.count) 家"
        share = Display.percent(roster.districtGroupShare)
        let mayAct = roster.asOf == today
        func may(_ op: TuodiDomain.Action) -> Bool { mayAct && Authorization.decide(op, actor: caller, unit: roster.unit) == .allowed }
        members = roster.members.map { m in
            var actions: [Action] = []
            if m.state == .active, may(.membershipSuspend) { actions.append(Action(label: "暂停", href: PoolPaths.member(m.membershipID, "suspend"), warning: true)) }
            if m.state == .suspended, may(.membershipReinstate) { actions.append(Action(label: "恢复", href: PoolPaths.member(m.membershipID, "reinstate"), warning: false)) }
            if [.active, .suspended, .pending].contains(m.state), may(.membershipRemove) {
                actions.append(Action(label: "清退", href: PoolPaths.member(m.membershipID, "remove"), warning: true))
            }
            return Member(id: m.membershipID, company: m.companyName, uscc: m.uscc, districtGroup: Labels.yesNo(m.districtGroup),
                          term: "\(m.start) 至 \(m.end)", state: m.state.label,
                          capacity: Display.estates(m.capacityEstates) + (m.capacityHouseholds.map { " · " + Display.households($0) } ?? ""),
                          score: String(format: "%.2f", m.score),
                          history: m.history.map { e in "\(e.date) \(Labels.membershipEvents[e.kind.rawValue])：\(e.reason)" },
                          actions: actions, hasActions: !actions.isEmpty,
                          firstAction: actions.first?.href ?? "")
        }
        units = caller.unit == nil
            ? ReportingUnit.all.map { UnitLink(name: $0.name, href: PoolPaths.roster($0.code), current: $0.code == roster.unit) } : []
        hasUnits = !units.isEmpty
        roundsHref = PoolPaths.rounds(roster.unit)
        settingsHref = PoolPaths.settings(roster.unit)
        csrf = session.csrf
        self.notice = notice
        self.errors = ErrorSummary(errors)
    }
}

/// 入库征集: a unit's admission rounds, and the form that opens one with its scoring rubric.
struct RoundsPage: PageModel {
    static let template = "pool_rounds"

    struct Row: Sendable {
        let title: String
        let href: String
        let period: String
        let rubric: String
    }

    let chrome: Chrome
    let unitName: String
    let rosterHref: String
    let rows: [Row]
    let mayOpen: Bool
    let csrf: String
    let title: String
    let opensOn: String
    let closesOn: String
    let criteria: String
    let errors: ErrorSummary?

    init(session: WebSession, unit: String, rounds: [AdmissionRound], today: LocalDate, form: FormData? = nil, errors: FormErrors? = nil) {
        unitName = ReportingUnit.named(unit)?.name ?? unit
        chrome = .signedIn(session, title: "入库征集 · \(unitName)", section: .pool)
        rosterHref = PoolPaths.roster(unit)
        rows = rounds.sorted { $0.id > $1.id }.map { r in
            Row(title: r.title, href: PoolPaths.round(r.id),
                period: r.decidedOn.map { "以往决定 \($0)（\(r.documentRef ?? "")）" } ?? "\(r.opensOn) 至 \(r.closesOn)",
                rubric: Self.rubric(r.criteria))
        }
        mayOpen = session.caller.unit == unit && Authorization.decide(.poolRoundOpen, actor: session.caller, unit: unit) == .allowed
        csrf = session.csrf
        title = form?.raw("title") ?? "\(today.year) 年临时物业服务企业预选库公开征集"
        opensOn = form?.raw("opensOn") ?? today.description
        closesOn = form?.raw("closesOn") ?? today.adding(days: 30).description
        criteria = form?.raw("criteria") ?? "服务能力=40\n信用记录=30\n老旧小区经验=30"
        self.errors = ErrorSummary(errors)
    }

    static func rubric(_ criteria: [ScoringCriterion]) -> String {
        criteria.map { "\($0.name) \($0.weightPercent)%" }.joined(separator: "、")
    }

    /// One criterion a line, `名称=权重`; a line that is not is passed on with weight -1, which the
    /// use case refuses by name.
    static func draft(unit: String, _ form: FormData) -> AdmissionRoundDraft {
        let lines = form.raw("criteria").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let criteria = lines.map { line -> ScoringCriterion in
            let parts = line.split(whereSeparator: { $0 == "=" || $0 == "＝" }).map { $0.trimmingCharacters(in: .whitespaces) }
            return ScoringCriterion(name: parts.first ?? line, weightPercent: parts.count == 2 ? Int(parts[1]) ?? -1 : -1)
        }
        return AdmissionRoundDraft(unit: unit, title: form.raw("title"), opensOn: form.raw("opensOn"), closesOn: form.raw("closesOn"),
                                   criteria: criteria)
    }
}

/// One admission round: its rubric, every application with its status and total, and the form
/// that records a company's application.
struct RoundPage: PageModel {
    static let template = "pool_round"

    struct Row: Sendable {
        let company: String
        let uscc: String
        let href: String
        let status: String
        let total: String
        let proposal: String
    }

    let chrome: Chrome
    let heading: String
    let roundsHref: String
    let details: [Detail]
    let rows: [Row]
    let applyAction: String?
    let csrf: String
    let uscc: String
    let capacityEstates: String
    let capacityHouseholds: String
    let notice: String?
    let errors: ErrorSummary?

    init(session: WebSession, round: AdmissionRound, applications: [PoolApplication], names: [String: String], today: LocalDate,
         notice: String?, form: FormData? = nil, errors: FormErrors? = nil) {
        chrome = .signedIn(session, title: round.title, section: .pool)
        heading = round.title
        roundsHref = PoolPaths.rounds(round.unit)
        details = [
            Detail(term: "报送单位", value: ReportingUnit.named(round.unit)?.name ?? round.unit),
            Detail(term: "申请期", value: "\(round.opensOn) 至 \(round.closesOn)"),
            Detail(term: "评分标准", value: RoundsPage.rubric(round.criteria)),
            Detail(term: "发布人", value: round.createdBy),
        ]
        rows = applications.map { a in
            Row(company: names[a.uscc] ?? a.uscc, uscc: a.uscc, href: "/pool/applications/\(a.id)", status: a.status.label,
                total: a.total.map { String(format: "%.2f", $0) } ?? "—", proposal: a.proposal?.label ?? "—")
        }
        let open = round.decidedOn == nil && round.opensOn <= today && today <= round.closesOn
        applyAction = open && Authorization.decide(.poolApply, actor: session.caller, unit: round.unit) == .allowed
            ? "/pool/rounds/\(round.id)/applications" : nil
        csrf = session.csrf
        uscc = form?.raw("uscc") ?? ""
        capacityEstates = form?.raw("capacityEstates") ?? ""
        capacityHouseholds = form?.raw("capacityHouseholds") ?? ""
        self.notice = notice
        self.errors = ErrorSummary(errors)
    }
}

/// 本区设置: membership term, custody maximum, return deadline and the matching weights.
struct SettingsPage: PageModel {
    static let template = "pool_settings"

    struct Field: Sendable {
        let name: String
        let label: String
        let value: String
        let error: String?
    }

    let chrome: Chrome
    let heading: String
    let rosterHref: String
    let action: String
    let mayEdit: Bool
    let csrf: String
    let fields: [Field]
    let notice: String?
    let errors: ErrorSummary?

    static let names: [(String, String)] = [
        ("membershipTermYears", "入库有效期（年，1–3）"), ("custodyMaxMonths", "临时托管最长期限（月）"),
        ("returnDeadlineDays", "季度报送期限（季末后天数）"), ("sameSubDistrict", "批量匹配权重：就近"),
        ("merit", "批量匹配权重：入库评分"), ("load", "批量匹配权重：轮换"), ("districtGroup", "批量匹配权重：区属集团"),
    ]

    init(session: WebSession, unit: String, settings: DistrictSettings, notice: String?, form: FormData? = nil, errors: FormErrors? = nil) {
        let unitName = ReportingUnit.named(unit)?.name ?? unit
        chrome = .signedIn(session, title: "本区设置 · \(unitName)", section: .pool)
        heading = "\(unitName)设置"
        rosterHref = PoolPaths.roster(unit)
        action = PoolPaths.settings(unit)
        mayEdit = Authorization.decide(.settingsUpdate, actor: session.caller, unit: unit) == .allowed
        csrf = session.csrf
        let w = settings.matchWeights
        let stored = ["membershipTermYears": settings.membershipTermYears, "custodyMaxMonths": settings.custodyMaxMonths,
                      "returnDeadlineDays": settings.returnDeadlineDays, "sameSubDistrict": w.sameSubDistrict, "merit": w.merit,
                      "load": w.load, "districtGroup": w.districtGroup]
        let summary = ErrorSummary(errors)
        fields = Self.names.map { name, label in
            Field(name: name, label: label, value: form?.raw(name) ?? String(stored[name] ?? 0), error: summary?.fields[name])
        }
        self.notice = notice
        self.errors = summary
    }

    /// The settings as typed; an unreadable number is passed on as -1, which validation refuses by name.
    static func settings(_ form: FormData) -> DistrictSettings {
        func n(_ name: String) -> Int { Int(form[name] ?? "") ?? -1 }
        return DistrictSettings(membershipTermYears: n("membershipTermYears"), custodyMaxMonths: n("custodyMaxMonths"),
                                returnDeadlineDays: n("returnDeadlineDays"),
                                matchWeights: MatchWeights(sameSubDistrict: n("sameSubDistrict"), merit: n("merit"), load: n("load"),
                                                           districtGroup: n("districtGroup")))
    }
}
