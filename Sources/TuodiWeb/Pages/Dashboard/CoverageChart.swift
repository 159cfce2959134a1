import Foundation
import TuodiApp
import TuodiDomain
import TuodiLabels

/// The analyst's bar chart: year-end coverage (by estates) of each unit's newly unmanaged estates,
/// as horizontal SVG bars with a `<title>` each; the same figures go in the table beside it.
struct CoverageChart: Sendable {
    struct Bar: Sendable {
        let y: Int
        let labelY: Int
        let width: String
        let valueX: String
        let unit: String
        let value: String
        let title: String
    }

    struct Row: Sendable {
        let unit: String
        let newlyUnmanaged: String
        let covered: String
        let atRisk: String
        let rate: String
    }

    static let barHeight = 18, gap = 6, left = 110.0, plot = 520.0

    let title: String
    let height: Int
    let axisX: String
    let bars: [Bar]
    let rows: [Row]

    init(year: Int, units: [(unit: ReportingUnit, coverage: YearEndCoverage)]) {
        title = "\(year) 年各单位本年新增无人管理小区的托底覆盖率（按小区数）"
        height = units.count * (Self.barHeight + Self.gap) + 10
        axisX = String(format: "%.1f", Self.left)
        bars = units.enumerated().map { i, u in
            let rate = u.coverage.estates.rate ?? 0
            let width = max(1, rate * Self.plot)
            let y = 5 + i * (Self.barHeight + Self.gap)
            let value = Display.percent(u.coverage.estates.rate)
            return Bar(y: y, labelY: y + 14, width: String(format: "%.1f", width), valueX: String(format: "%.1f", Self.left + width + 6),
                       unit: u.unit.name, value: value,
                       title: "\(u.unit.name)：\(value)（\(u.coverage.covered)/\(u.coverage.newlyUnmanaged) 个小区）")
        }
        rows = units.map { u in
            Row(unit: u.unit.name, newlyUnmanaged: Display.estates(u.coverage.newlyUnmanaged), covered: Display.estates(u.coverage.covered),
                atRisk: Display.estates(u.coverage.atRisk.count), rate: Display.percent(u.coverage.estates.rate))
        }
    }
}
