import Foundation
import TuodiApp
import TuodiStore
import TuodiDomain
import TuodiLabels

/// The estate's history as an SVG strip across the years: unmanaged episodes, arrangements and
/// facts, each shape with a `<title>`; the page shows the same data in tables.
struct TimelineStrip: Sendable {
    struct Bar: Sendable {
        let x: String
        let y: Int
        let width: String
        let height: Int
        let cssClass: String
        let title: String
    }

    struct Tick: Sendable {
        let x: String
        let label: String
    }

    struct Lane: Sendable {
        let y: Int
        let label: String
    }

    static let width = 960.0, left = 90.0, laneHeight = 22

    let title: String
    let height: Int
    let lanes: [Lane]
    let years: [Tick]
    let bars: [Bar]
    let todayX: String

    init(estate: Estate, episodes: [Episode], arrangements: [ArrangementView], facts: [StoredFact], today: LocalDate) {
        let firstDay = ([today] + facts.map(\.fact.date) + episodes.map(\.start) + arrangements.map(\.start)).min()!
        let from = LocalDate(year: firstDay.year, month: 1, day: 1)!, to = today.endOfYear
        let span = Double(max(1, from.days(until: to)))
        func x(_ d: LocalDate) -> Double { Self.left + Double(from.days(until: max(from, min(d, to)))) / span * (Self.width - Self.left - 10) }
        func fmt(_ v: Double) -> String { String(format: "%.1f", v) }
        func bar(_ start: LocalDate, _ end: LocalDate, lane: Int, _ css: String, _ title: String) -> Bar {
            Bar(x: fmt(x(start)), y: 24 + lane * (Self.laneHeight + 8), width: fmt(max(2, x(end) - x(start))),
                height: Self.laneHeight, cssClass: css, title: title)
        }
        var bars: [Bar] = []
        for e in episodes {
            let end = e.end ?? today.adding(days: 1)
            let days = e.start.days(until: end)
            bars.append(bar(e.start, end, lane: 0, "tl-unmanaged",
                            "无人管理：\(e.start) 起，\(e.end.map { "至 \($0.adding(days: -1))" } ?? "至今")，共 \(Display.days(days))"))
        }
        for a in arrangements where a.status != "rejected" {
            let end = (a.endedOn ?? a.plannedEnd ?? today).adding(days: 1)
            let css = a.status == "proposed" ? "tl-proposed" : "tl-\(a.kind)"
            bars.append(bar(a.start, end, lane: 1, css,
                            "\(Labels.kinds[a.kind])（\(Labels.arrangementStatuses[a.status])）：\(a.provider)，\(a.start) 至 \(end.adding(days: -1))"))
        }
        for f in facts {
            let text = f.fact.isRetraction ? "撤销第 \(f.fact.supersedes ?? 0) 号记录" : f.fact.kind.label
            bars.append(bar(f.fact.date, f.fact.date, lane: 2, "tl-fact", "\(f.fact.date)：\(text)"))
        }
        self.bars = bars
        lanes = [Lane(y: 24 + 15, label: "无人管理"), Lane(y: 24 + 30 + 15, label: "托底安排"), Lane(y: 24 + 60 + 15, label: "登记事实")]
        years = (from.year...to.year).map { Tick(x: fmt(x(LocalDate(year: $0, month: 1, day: 1)!)), label: String($0)) }
        todayX = fmt(x(today))
        height = 24 + 3 * (Self.laneHeight + 8) + 4
        title = "\(estate.code) \(estate.name) 的管理状态时间轴，\(from.year) 年至 \(to.year) 年"
    }
}
