import TuodiApp
import TuodiDomain
import TuodiLabels

/// 覆盖情况: coverage of the fallback list on a chosen day, by kind (chart and table), the rate at
/// each quarter end of that year so far, and the estates unmanaged that day.
struct CoveragePage: PageModel {
    static let template = "coverage"

    struct KindRow: Sendable {
        let kind: String
        let count: String
    }

    struct QuarterRow: Sendable {
        let day: String
        let covered: String
        let unmanaged: String
        let rate: String
    }

    struct SubDistrictRow: Sendable {
        let unit: String
        let subDistrict: String
        let covered: String
        let unmanaged: String
        let rate: String
    }

    struct Uncovered: Sendable {
        let code: String
        let name: String
        let subDistrict: String
        let since: String
        let days: String
        let href: String
    }

    let chrome: Chrome
    let asOf: String
    let scope: String
    let covered: String
    let unmanaged: String
    let rate: String
    let kindChart: BarChart
    let kinds: [KindRow]
    let quarterChart: BarChart
    let quarters: [QuarterRow]
    let uncovered: [Uncovered]
    let subDistricts: [SubDistrictRow]
    let errors: ErrorSummary?

    /// `quarterEnds`: the coverage on each quarter end of the year up to the chosen day.
    init(session: WebSession, day: CoverageAsOf, quarterEnds: [CoverageAsOf], subDistricts: [SubDistrictCoverage] = [],
         errors: ErrorSummary? = nil) {
        chrome = .signedIn(session, title: "覆盖情况", section: .coverage)
        asOf = day.asOf.description
        scope = session.caller.unit.flatMap { ReportingUnit.named($0)?.name } ?? "全市"
        covered = Display.estates(day.covered)
        unmanaged = Display.estates(day.unmanaged)
        rate = Display.percent(day.rate.rate)
        kinds = day.byKind.map { KindRow(kind: Labels.kinds[$0.key], count: Display.estates($0.count)) }
        kindChart = BarChart(title: "\(day.asOf) 各托底方式覆盖的小区数", items: day.byKind.map { k in
            BarChart.Item(label: Labels.kinds[k.key], value: Double(k.count), text: Display.estates(k.count),
                          title: "\(Labels.kinds[k.key])：\(Display.estates(k.count))")
        })
        quarters = quarterEnds.map { q in
            QuarterRow(day: q.asOf.description, covered: Display.estates(q.covered), unmanaged: Display.estates(q.unmanaged),
                       rate: Display.percent(q.rate.rate))
        }
        quarterChart = BarChart(title: "\(day.asOf.year) 年各季末的托底覆盖率", items: quarterEnds.map { q in
            BarChart.Item(label: q.asOf.description, value: q.rate.rate ?? 0, text: Display.percent(q.rate.rate),
                          title: "\(q.asOf)：\(Display.percent(q.rate.rate))")
        }, scale: 1)
        uncovered = day.uncovered.map { e in
            Uncovered(code: e.code, name: e.name, subDistrict: e.subDistrict, since: e.episodeStart.description,
                      days: Display.days(e.daysUnmanaged), href: EstatePaths.estate(e.code))
        }
        self.subDistricts = subDistricts.map { s in
            SubDistrictRow(unit: ReportingUnit.named(s.unit)?.name ?? s.unit, subDistrict: s.subDistrict, covered: Display.estates(s.coverage.covered),
                           unmanaged: Display.estates(s.coverage.unmanaged), rate: Display.percent(s.coverage.rate.rate))
        }
        self.errors = errors
    }

    /// The quarter ends of `day`'s year up to `day`, and `day` itself when it is not one.
    static func quarterEnds(upTo day: LocalDate) -> [LocalDate] {
        let ends = [3, 6, 9, 12].map { LocalDate(year: day.year, month: $0, day: LocalDate.daysIn(month: $0, year: day.year))! }
        return ends.filter { $0 <= day } + (ends.contains(day) ? [] : [day])
    }
}
