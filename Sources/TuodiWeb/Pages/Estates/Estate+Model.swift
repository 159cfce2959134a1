import TuodiApp
import TuodiStore
import TuodiDomain
import TuodiLabels

/// One estate: its facts with their corrections, its unmanaged episodes, its arrangements and
/// the timeline strip; the actions its state allows.
struct EstatePage: PageModel {
    static let template = "estate"

    struct Fact: Sendable {
        let id: Int
        let date: String
        let text: String
        let recordedBy: String
        let recordedAt: String
        let correction: String?
        let supersededBy: String?
        /// 更正, for a fact that still counts and a caller who may correct it.
        let correctHref: String?
    }

    struct EpisodeRow: Sendable {
        let start: String
        let end: String
        let days: String
        let endedBy: String
    }

    struct ArrangementRow: Sendable {
        let id: Int
        let kind: String
        let provider: String
        let start: String
        let end: String
        let status: String
        let href: String
    }

    struct Action: Sendable {
        let label: String
        let href: String
    }

    let chrome: Chrome
    let code: String
    let name: String
    let details: [Detail]
    let state: String
    let stateCode: String
    let asOf: String
    let actions: [Action]
    let facts: [Fact]
    let episodes: [EpisodeRow]
    let arrangements: [ArrangementRow]
    let timeline: TimelineStrip
    let notice: String?

}

extension EstatePage {
    init(session: WebSession, view: EstateView, arrangements: [ArrangementView], notice: String?) {
        let e = view.estate, caller = session.caller
        chrome = .signedIn(session, title: "\(e.code) \(e.name)", section: .estates)
        code = e.code
        name = e.name
        details = [
            Detail(term: "地址", value: e.address),
            Detail(term: "所属单位", value: ReportingUnit.named(e.unit)?.name ?? e.unit),
            Detail(term: "街道（镇）", value: e.subDistrict),
            Detail(term: "类别", value: e.category.label),
            Detail(term: "户数", value: Display.households(e.households)),
            Detail(term: "幢数", value: "\(e.buildings) 幢"),
            Detail(term: "建筑面积", value: Display.area(e.floorArea)),
            Detail(term: "建成年份", value: e.yearBuilt.map { "\($0) 年" } ?? Labels.none),
            Detail(term: "矛盾突出", value: Labels.yesNo(e.highDispute)),
        ]
        state = view.state.label
        stateCode = view.state.description
        asOf = view.asOf.description
        func may(_ op: TuodiDomain.Action) -> Bool { Authorization.decide(op, actor: caller, unit: e.unit) == .allowed }
        var actions: [Action] = []
        if view.state == .unmanaged, may(.arrangementPropose) {
            actions.append(Action(label: "安排临时托管", href: EstatePaths.custody(e.code)))
            actions.append(Action(label: "业主自行管理", href: EstatePaths.newArrangement(e.code, kind: CoverageKind.ownerSelf.rawValue)))
            actions.append(Action(label: "社区托底服务", href: EstatePaths.newArrangement(e.code, kind: CoverageKind.communityFallback.rawValue)))
        }
        if may(.estateRecordFact) { actions.append(Action(label: "登记管理事实", href: EstatePaths.newFact(e.code))) }
        self.actions = actions
        let supersededBy = Dictionary(view.facts.compactMap { f in f.fact.supersedes.map { ($0, f.fact.id) } }, uniquingKeysWith: { a, _ in a })
        facts = view.facts.map { f in
            Fact(id: f.fact.id, date: f.fact.date.description,
                 text: f.fact.isRetraction ? "撤销第 \(f.fact.supersedes ?? 0) 号记录" : f.fact.kind.label,
                 recordedBy: f.recordedBy, recordedAt: Display.beijingTime(iso: f.recordedAt),
                 correction: f.correctionReason.map { "更正第 \(f.fact.supersedes ?? 0) 号记录，原因：\($0)" },
                 supersededBy: supersededBy[f.fact.id].map { "已被第 \($0) 号记录更正" },
                 correctHref: supersededBy[f.fact.id] == nil && !f.fact.isRetraction && may(.estateCorrect)
                    ? "/estates/\(EstatePaths.escape(e.code))/facts/\(f.fact.id)/correct" : nil)
        }
        episodes = view.episodes.map { ep in
            let days = ep.end.map { ep.start.days(until: $0) } ?? ep.daysUnmanaged(on: view.asOf) ?? 0
            return EpisodeRow(start: ep.start.description, end: ep.end.map { $0.adding(days: -1).description } ?? "至今",
                              days: Display.days(days), endedBy: ep.endedBy?.label ?? "尚未结束")
        }
        self.arrangements = arrangements.map { a in
            ArrangementRow(id: a.id, kind: Labels.kinds[a.kind], provider: a.provider, start: a.start.description,
                           end: (a.endedOn ?? a.plannedEnd)?.description ?? "长期", status: Labels.arrangementStatuses[a.status],
                           href: "/arrangements/\(a.id)")
        }
        timeline = TimelineStrip(estate: e, episodes: view.episodes, arrangements: arrangements, facts: view.facts, today: view.asOf)
        self.notice = notice
    }
}
