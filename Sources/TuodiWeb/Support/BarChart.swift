import Foundation

/// A horizontal SVG bar chart: one bar per item, its length the item's share of the largest
/// (or of 1 for rates), each with a `<title>`; pages show the same figures in a table beside it.
struct BarChart: Sendable {
    struct Item: Sendable {
        let label: String
        let value: Double
        let text: String
        let title: String
    }

    struct Bar: Sendable {
        let y: Int
        let labelY: Int
        let width: String
        let valueX: String
        let label: String
        let text: String
        let title: String
    }

    static let barHeight = 18, gap = 6, left = 110.0, plot = 520.0

    let title: String
    let height: Int
    let axisX: String
    let bars: [Bar]

    /// `scale` is the value of a full-length bar (1 for rates; the largest count otherwise).
    init(title: String, items: [Item], scale: Double? = nil) {
        let full = max(scale ?? items.map(\.value).max() ?? 1, Double.leastNonzeroMagnitude)
        self.title = title
        height = items.count * (Self.barHeight + Self.gap) + 10
        axisX = String(format: "%.1f", Self.left)
        bars = items.enumerated().map { i, item in
            let width = max(1, item.value / full * Self.plot)
            let y = 5 + i * (Self.barHeight + Self.gap)
            return Bar(y: y, labelY: y + 14, width: String(format: "%.1f", width), valueX: String(format: "%.1f", Self.left + width + 6),
                       label: item.label, text: item.text, title: item.title)
        }
    }
}
