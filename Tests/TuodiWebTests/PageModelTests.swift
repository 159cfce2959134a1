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

    @Test("a 工作台 table shows 20 rows a page, with links either side; a page past the end shows the last")
    func pager() {
        let rows = Array(1...45)
        func page(_ asked: String?) -> ([Int], Pager) { Pager.page(rows, asked: asked, label: "有风险的小区", unit: "个") { "/?atRisk=\($0)" } }
        let (first, p1) = page(nil)
        #expect(first == Array(1...20) && p1.previous == nil && p1.next == "/?atRisk=2" && p1.paged)
        let (second, p2) = page("2")
        #expect(second == Array(21...40) && p2.previous == "/?atRisk=1" && p2.next == "/?atRisk=3")
        #expect(p2.summary == "共 45 个，显示第 21–40 个（第 2/3 页）")
        let (last, p3) = page("99")
        #expect(last == Array(41...45) && p3.next == nil)
        #expect(page("-1").0 == first && page("二").0 == first)
        let (few, p4) = Pager.page(Array(1...20), asked: "2", label: "x", unit: "项") { "\($0)" }
        #expect(few.count == 20 && !p4.paged && p4.summary == "共 20 项")
        #expect(Pager.page([Int](), asked: nil, label: "x", unit: "项") { "\($0)" }.0.isEmpty)
        #expect(Pager.pageNumber(asked: "99", count: 45) == 3 && Pager.pageNumber(asked: "x", count: 45) == 1)
        #expect(Pager.pageNumber(asked: "2", count: 0) == 1)
    }

    @Test("the at-risk list pages on the 工作台, keeping the other table's page in its links")
    func dashboardPaging() throws {
        let estates = (1...25).map { estate(String(format: "HP-%02d", $0), unit: "310101", since: "2026-0\($0 % 9 + 1)-01") }
        let y = YearEndCoverage.compute(estates, year: 2026, asOf: Self.today)
        let c = DashboardPage.countdown(y, scope: "黄浦区", mayAct: true, page: "2") { DashboardPage.href(atRisk: $0, expiring: 3, fragment: "at-risk") }
        #expect(c.atRiskCount == "25 个" && c.atRisk.count == 5)
        #expect(c.atRisk.map(\.code) == y.atRisk.suffix(5).map(\.code))
        #expect(c.atRiskPager.previous == "/?expiring=3#at-risk" && c.atRiskPager.next == nil)

        // Rendered: 20 rows and a link to the next page.
        let session = WebSession(token: "t", caller: Caller(userID: 1, username: "clerk", role: .districtClerk, unit: "310101"))
        var inputs = DashboardPage.Inputs(today: Self.today)
        inputs.yearEnd = y
        let html = try Views().html(DashboardPage(session: session, inputs))
        #expect(html.components(separatedBy: "安排临时托管<span").count - 1 == 20)
        #expect(html.contains(#"<nav class="pager" aria-label="有风险的小区翻页">"#))
        #expect(html.contains(#"<a href="/?atRisk=2#at-risk" rel="next">下一页</a>"#))
        #expect(!html.contains(#"rel="prev""#), "the first page has no previous page, whatever the page around it holds")
        // A page past the end shows the last one.
        inputs.atRiskPage = "99"
        let last = try Views().html(DashboardPage(session: session, inputs))
        #expect(last.contains(#"<a href="/#at-risk" rel="prev">上一页</a>"#) && !last.contains(#"rel="next""#))
        #expect(html.contains("共 25 个，显示第 1–20 个（第 1/2 页）"))
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
