import Foundation

/// How figures and times are written for people: times in Beijing time (UTC+8, no daylight
/// saving), counts with their units (户, ㎡, 天). Dates stay ISO 8601 (`2026-12-04`).
public enum Display {
    /// Asia/Shanghai has been UTC+8 all year since 1991; a fixed offset needs no time-zone data.
    public static let beijing = TimeZone(secondsFromGMT: 8 * 3600)!

    /// "2026-12-04 16:41:18" in Beijing time.
    public static func beijingTime(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = beijing
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d",
                      c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// A stored ISO 8601 timestamp (UTC, as the audit trail and records keep them) in Beijing time;
    /// text that is not a timestamp is shown as it is rather than hidden.
    public static func beijingTime(iso text: String) -> String {
        let styles = [Date.ISO8601FormatStyle(includingFractionalSeconds: true), Date.ISO8601FormatStyle()]
        for style in styles { if let d = try? style.parse(text) { return beijingTime(d) } }
        return text
    }

    public static func households(_ n: Int) -> String { "\(n) 户" }
    public static func estates(_ n: Int) -> String { "\(n) 个" }
    public static func days(_ n: Int) -> String { "\(n) 天" }
    public static func area(_ m2: Double) -> String { String(format: "%.2f ㎡", m2) }

    /// A rate in 0…1 as "87.5%"; `nil` (nothing to divide by) as 无.
    public static func percent(_ rate: Double?) -> String {
        guard let rate else { return Labels.none }
        return String(format: "%.1f%%", rate * 100)
    }
}
