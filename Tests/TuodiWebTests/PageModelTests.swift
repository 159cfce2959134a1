import Foundation
import Testing
import TuodiApp
import TuodiDomain
@testable import TuodiWeb

/// Page models built straight from use-case results, without HTTP (the SPI `<Page>+Model` split).
@Suite("Web page models")
struct PageModelTests {
    static let today = LocalDate(year: 2026, month: 11, day: 28)!

    /// An estate unmanaged since `since`, covered by custody from `coveredFrom` when given.
    func estate(_ code: String, unit: String, since: String, coveredFrom: String? = nil) -> CoverageEstate {
        let facts = [ManagementFact(id: 1, date: LocalDate(iso: since)!, kind: .becameUnmanaged(reason: .previousCompanyLeft))]
        let coverage = coveredFrom.map { [CoverageSpan(kind: .custody, start: LocalDate(iso: $0)!, end: nil)] } ?? []
        return CoverageEstate(code: code, name: code, unit: unit, subDistrict: "某街道", category: .directPublic, households: 100,
                              floorArea: 1000, registeredOn: LocalDate(iso: "2020-01-01")!,
                              timeline: EstateTimeline(facts: facts, coverage: coverage))
    }

    @Test("the coverage chart: a bar per unit, as long as its rate, with a title and the same figures in the table")
    func coverageChart() {
        let hp = YearEndCoverage.compute([estate("HP-1", unit: "310101", since: "2026-03-01", coveredFrom: "2026-04-01"),
                                          estate("HP-2", unit: "310101", since: "2026-05-01")], year: 2026, asOf: Self.today)
        let pt = YearEndCoverage.compute([], year: 2026, asOf: Self.today)
        let chart = CoverageChart(year: 2026, units: [(ReportingUnit.named("310101")!, hp), (ReportingUnit.named("310107")!, pt)])
        let bars = chart.chart.bars
        #expect(bars.count == 2 && chart.rows.count == 2)
        #expect(bars[0].width == String(format: "%.1f", 0.5 * BarChart.plot))   // a rate's full length is 100 %
        #expect(bars[0].title == "黄浦区：50.0%（1/2 个小区）")
        #expect(bars[1].text == "无" && chart.rows[1].rate == "无")   // nothing to divide by
        #expect(chart.rows[0].newlyUnmanaged == "2 个" && chart.rows[0].covered == "1 个" && chart.rows[0].atRisk == "1 个")
    }

    @Test("form data: + is a space, percent-escapes are UTF-8, blanks read as absent")
    func formData() {
        let form = FormData(urlEncoded: "q=%E7%A6%8F%E4%BD%91+%E8%B7%AF&empty=&a=1&a=2&plus=%2B")
        #expect(form["q"] == "福佑 路")
        #expect(form["empty"] == nil && form.raw("empty") == "")
        #expect(form["a"] == "1" && form["plus"] == "+")
        #expect(form["missing"] == nil)
    }

    @Test("links keep filters and escape them")
    func links() {
        #expect(link("/estates", [("q", "福佑 路+1"), ("state", nil), ("page", "2")]) == "/estates?q=%E7%A6%8F%E4%BD%91%20%E8%B7%AF%2B1&page=2")
        #expect(link("/estates", [("q", "")]) == "/estates")
    }

    @Test("the form token is bound to the session and compared in full")
    func csrf() {
        let a = CSRF.token(for: "tdt_session-a"), b = CSRF.token(for: "tdt_session-b")
        #expect(a != b && a == CSRF.token(for: "tdt_session-a"))
        #expect(CSRF.matches(a, a) && !CSRF.matches(b, a) && !CSRF.matches(nil, a) && !CSRF.matches(String(a.dropLast()), a))
    }

    @Test("the quarter being reported on is the last one that ended")
    func lastClosedQuarter() {
        #expect(ReturnPaths.lastClosed(before: Self.today) == (2026, 3))
        #expect(ReturnPaths.lastClosed(before: LocalDate(year: 2027, month: 2, day: 1)!) == (2026, 4))
    }
}
