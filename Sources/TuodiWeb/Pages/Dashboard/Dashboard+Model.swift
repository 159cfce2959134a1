import TuodiApp
import TuodiDomain
import TuodiLabels

/// 工作台: what a clerk, an approver or an analyst needs to see first, built from use-case results.
struct DashboardPage: PageModel {
    static let template = "dashboard"

    struct AtRiskRow: Sendable {
        let code: String
        let name: String
        let subDistrict: String
        let since: String
        let daysUnmanaged: String
        let href: String
        /// 安排临时托管, for those who may propose.
        let actHref: String?
    }

    struct Countdown: Sendable {
        let scope: String
        let year: Int
        let daysLeft: String
        let newlyUnmanaged: String
        let covered: String
        let atRiskCount: String
        let estateRate: String
        /// One page of the at-risk list (a district can have a hundred at city scale).
        let atRisk: [AtRiskRow]
        let atRiskPager: Pager
    }

    struct ExpiringRow: Sendable {
        let estateCode: String
        let kind: String
        let provider: String
        let end: String
        let daysLeft: String
        let href: String
    }

    struct MembershipRow: Sendable {
        let company: String
        let end: String
    }

    struct Expiring: Sendable {
        let withinDays: Int
        let arrangements: [ExpiringRow]
        let arrangementsPager: Pager
        let memberships: [MembershipRow]
    }

    struct QuarterReturn: Sendable {
        let period: String
        let status: String
        let deadline: String
        let daysToDeadline: String
        let late: Bool
        let href: String
    }

    struct InboxRow: Sendable {
        let kind: String
        let subject: String
        let proposedBy: String
        let proposedAt: String
        let href: String?
    }

    let chrome: Chrome
    let today: String
    let scopeLine: String
    let countdown: Countdown?
    let inbox: Inbox?

    struct Inbox: Sendable {
        let rows: [InboxRow]
    }
    let expiring: Expiring?
    let quarterReturn: QuarterReturn?
    let unitStatuses: UnitStatuses?
    let coverageChart: CoverageChart?

    struct UnitStatusRow: Sendable {
        let unit: String
        let name: String
        let status: String
        let deadline: String
        let submittedAt: String
        let href: String
    }

    struct UnitStatuses: Sendable {
        let period: String
        let rows: [UnitStatusRow]
    }
}

extension DashboardPage {
    /// The results the page is made of; each is there when the caller's role may read it.
    struct Inputs: Sendable {
        var today: LocalDate
        var yearEnd: YearEndCoverage?
        var expiring: ExpiringList?
        var currentReturn: ReturnView?
        var pending: [PendingDecision]?
        var statuses: [ReturnStatusRow]?
        var byUnit: [(unit: ReportingUnit, coverage: YearEndCoverage)]?
        /// The pages of the at-risk and the expiring tables asked for (`?atRisk=2&expiring=3`).
        var atRiskPage: String?
        var expiringPage: String?
    }

    /// The 工作台 with one table on another page, the other table's page kept, scrolled to the
    /// table that turned (`fragment`, its id).
    static func href(atRisk: Int?, expiring: Int?, fragment: String) -> String {
        link("/", [("atRisk", atRisk.flatMap { $0 > 1 ? String($0) : nil }), ("expiring", expiring.flatMap { $0 > 1 ? String($0) : nil })])
            + "#" + fragment
    }

    init(session: WebSession, _ inputs: Inputs) {
        let caller = session.caller
        let unitName = caller.unit.flatMap { ReportingUnit.named($0)?.name }
        chrome = .signedIn(session, title: "工作台", section: .home)
        today = inputs.today.description
        scopeLine = [unitName ?? "全市", caller.role.label].joined(separator: " · ")
        let mayAct = Authorization.decide(.arrangementPropose, actor: caller, unit: caller.unit) == .allowed
        // The other table's page as it is shown, so a link never carries a page past the end.
        let keptAtRisk = inputs.yearEnd.map { Pager.pageNumber(asked: inputs.atRiskPage, count: $0.atRisk.count) }
        let keptExpiring = inputs.expiring.map { Pager.pageNumber(asked: inputs.expiringPage, count: $0.arrangements.count) }
        countdown = inputs.yearEnd.map {
            Self.countdown($0, scope: unitName ?? "全市", mayAct: mayAct, page: inputs.atRiskPage) { Self.href(atRisk: $0, expiring: keptExpiring, fragment: "at-risk") }
        }
        inbox = inputs.pending.map { Inbox(rows: $0.map(Self.inboxRow)) }
        expiring = inputs.expiring.map { list in
            let (shown, pager) = Pager.page(list.arrangements, asked: inputs.expiringPage, label: "即将到期的托底安排", unit: "项") {
                Self.href(atRisk: keptAtRisk, expiring: $0, fragment: "expiring")
            }
            return Expiring(withinDays: list.withinDays,
                     arrangements: shown.map { a in
                         let end = a.endedOn ?? a.plannedEnd ?? list.asOf
                         return ExpiringRow(estateCode: a.estateCode, kind: Labels.kinds[a.kind], provider: a.provider,
                                            end: end.description, daysLeft: Display.days(list.asOf.days(until: end)),
                                            href: "/arrangements/\(a.id)")
                     },
                     arrangementsPager: pager,
                     memberships: list.memberships.map { MembershipRow(company: $0.companyName, end: $0.end.description) })
        }
        quarterReturn = inputs.currentReturn.map { r in
            QuarterReturn(period: "\(r.year) 年第 \(r.quarter) 季度", status: Labels.returnStatuses[r.status],
                          deadline: r.deadline.description, daysToDeadline: Display.days(max(0, inputs.today.days(until: r.deadline))),
                          late: r.late, href: ReturnPaths.page(unit: r.unit, year: r.year, quarter: r.quarter))
        }
        coverageChart = inputs.byUnit.map { CoverageChart(year: inputs.today.year, units: $0) }
        unitStatuses = inputs.statuses.flatMap { rows in
            rows.first.map { first in
                UnitStatuses(period: "\(first.year) 年第 \(first.quarter) 季度",
                             rows: rows.map { UnitStatusRow(unit: $0.unit, name: $0.unitName, status: Labels.returnStatuses[$0.status],
                                                            deadline: $0.deadline.description,
                                                            submittedAt: $0.submittedAt.map(Display.beijingTime(iso:)) ?? "—",
                                                            href: ReturnPaths.page(unit: $0.unit, year: $0.year, quarter: $0.quarter)) })
            }
        }
    }

    static func countdown(_ y: YearEndCoverage, scope: String, mayAct: Bool, page: String?, href: (Int) -> String) -> Countdown {
        let (shown, pager) = Pager.page(y.atRisk, asked: page, label: "有风险的小区", unit: "个", href: href)
        return Countdown(scope: scope, year: y.year, daysLeft: Display.days(y.daysLeft), newlyUnmanaged: Display.estates(y.newlyUnmanaged),
                  covered: Display.estates(y.covered), atRiskCount: Display.estates(y.atRisk.count),
                  estateRate: Display.percent(y.estates.rate),
                  atRisk: shown.map { e in
                      AtRiskRow(code: e.code, name: e.name, subDistrict: e.subDistrict, since: e.episodeStart.description,
                                daysUnmanaged: Display.days(e.daysUnmanaged), href: EstatePaths.estate(e.code),
                                actHref: mayAct ? EstatePaths.custody(e.code) : nil)
                  }, atRiskPager: pager)
    }

    static func inboxRow(_ p: PendingDecision) -> InboxRow {
        var kind = Labels.pendingDecisions[p.kind.rawValue]
        if let k = p.arrangementKind { kind += "（\(Labels.kinds[k])）" }
        let href: String? = switch p.kind {
        case .arrangement: "/arrangements/\(p.key)"
        case .poolApplication: "/pool/applications/\(p.key)"
        case .returnApproval, .returnSubmission: "/returns/\(p.key)"
        case .selectionAward: "/selections/\(p.key)"
        case .matchProposal: "/matching/\(p.key)"
        }
        return InboxRow(kind: kind, subject: p.subject, proposedBy: p.proposedBy,
                        proposedAt: p.proposedAt.map(Display.beijingTime(iso:)) ?? "—", href: href)
    }
}

/// The addresses of an estate's pages, in one place.
enum EstatePaths {
    static func estate(_ code: String) -> String { "/estates/\(escape(code))" }
    static func custody(_ code: String) -> String { "/estates/\(escape(code))/custody" }
    static func newFact(_ code: String) -> String { "/estates/\(escape(code))/facts/new" }
    static func newArrangement(_ code: String, kind: String) -> String { "/estates/\(escape(code))/arrangements/new?kind=\(kind)" }

    static func escape(_ code: String) -> String {
        code.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? code
    }
}
