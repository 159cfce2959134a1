import Foundation
import TuodiApp
import TuodiDomain
import TuodiLabels

/// The analyst's chart: year-end coverage (by estates) of each unit's newly unmanaged estates,
/// with the same figures in the table beside it.
struct CoverageChart: Sendable {
    struct Row: Sendable {
        let unit: String
        let newlyUnmanaged: String
        let covered: String
        let atRisk: String
        let rate: String
    }

    let chart: BarChart
    let rows: [Row]

    init(year: Int, units: [(unit: ReportingUnit, coverage: YearEndCoverage)]) {
        chart = BarChart(title: "\(year) 年各单位本年新增无人管理小区的托底覆盖率（按小区数）", items: units.map { u in
            let value = Display.percent(u.coverage.estates.rate)
            return BarChart.Item(label: u.unit.name, value: u.coverage.estates.rate ?? 0, text: value,
                                 title: "\(u.unit.name)：\(value)（\(u.coverage.covered)/\(u.coverage.newlyUnmanaged) 个小区）")
        }, scale: 1)
        rows = units.map { u in
            Row(unit: u.unit.name, newlyUnmanaged: Display.estates(u.coverage.newlyUnmanaged), covered: Display.estates(u.coverage.covered),
                atRisk: Display.estates(u.coverage.atRisk.count), rate: Display.percent(u.coverage.estates.rate))
        }
    }
}
