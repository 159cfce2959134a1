import Foundation

/// A calendar day in Asia/Shanghai (the only time zone the policy knows), written ISO 8601
/// `YYYY-MM-DD`. Arithmetic is on whole days; there is no time of day and no time zone to get wrong.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Builds a date, refusing impossible ones (2026-02-29, month 13, ...).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...LocalDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD` (ASCII digits). Read on the UTF-8 bytes: every stored date
    /// passes through here, thousands of times for a report.
    public init?(iso: String) {
        var iso = iso
        guard let parsed = iso.withUTF8({ b -> (Int, Int, Int)? in
            guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
            func number(_ range: Range<Int>) -> Int? {
                var n = 0
                for i in range {
                    let digit = Int(b[i]) - 48
                    guard (0...9).contains(digit) else { return nil }
                    n = n * 10 + digit
                }
                return n
            }
            guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
            return (y, m, d)
        }) else { return nil }
        self.init(year: parsed.0, month: parsed.1, day: parsed.2)
    }

    /// Parses an optional date input field: `nil` stays `nil`; anything but `YYYY-MM-DD` is a
    /// field error naming `field`.
    public static func field(_ raw: String?, _ field: String) throws(ValidationFailure) -> LocalDate? {
        guard let raw else { return nil }
        guard let date = LocalDate(iso: raw) else {
            throw ValidationFailure([FieldError(field: field, code: "format", message: "日期应为 YYYY-MM-DD，实为“\(raw)”")])
        }
        return date
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's days-from-civil).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `dayNumber` days after 1970-01-01 (civil-from-days).
    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(until other: LocalDate) -> Int { other.dayNumber - dayNumber }

    /// The same day `months` months later, clamped to the month's length (31 Jan + 1 month = 28/29 Feb).
    public func adding(months: Int) -> LocalDate {
        let index = year * 12 + (month - 1) + months
        let y = index / 12, m = index % 12 + 1
        return LocalDate(year: y, month: m, day: min(day, LocalDate.daysIn(month: m, year: y)))!
    }

    /// 31 December of this date's year.
    public var endOfYear: LocalDate { LocalDate(year: year, month: 12, day: 31)! }

    public var description: String {
        // By hand rather than String(format:), which goes through Foundation's formatter; a year
        // out of four digits (a day computed past 9999-12-31) keeps the formatter's output.
        guard (0...9999).contains(year) else { return String(format: "%04d-%02d-%02d", year, month, day) }
        func digit(_ n: Int) -> UInt8 { UInt8(ascii: "0") + UInt8(n % 10) }
        let dash = UInt8(ascii: "-")
        return String(decoding: [digit(year / 1000), digit(year / 100), digit(year / 10), digit(year), dash,
                                 digit(month / 10), digit(month), dash, digit(day / 10), digit(day)], as: UTF8.self)
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.dayNumber < b.dayNumber }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(iso: raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "not an ISO 8601 date: \(raw)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// The source of "now". The domain never reads the system time: the app passes a clock in, and
/// tests pass a fixed one, so year-end and quarter logic runs on pinned dates.
public protocol BusinessClock: Sendable {
    /// The current instant.
    var now: Date { get }
}

extension BusinessClock {
    /// Today's calendar day in Asia/Shanghai.
    public var today: LocalDate { LocalDate.inShanghai(now) }
}

/// A clock that always answers the same instant (tests, reproducible demo data).
public struct FixedClock: BusinessClock {
    public let now: Date
    public init(_ now: Date) { self.now = now }
    /// Noon in Shanghai on `date`.
    public init(_ date: LocalDate) {
        now = Date(timeIntervalSince1970: TimeInterval(date.dayNumber * 86_400 + 4 * 3_600))
    }
}

extension LocalDate {
    /// Shanghai has kept UTC+8 without daylight saving since 1991, but we ask the time zone
    /// database rather than hard-code the offset.
    static let shanghai: TimeZone = TimeZone(identifier: "Asia/Shanghai")!

    /// The calendar day of `instant` in Asia/Shanghai.
    /// The instant this day begins in Asia/Shanghai.
    public var startInShanghai: Date {
        let midnightUTC = Date(timeIntervalSince1970: TimeInterval(dayNumber * 86_400))
        return midnightUTC.addingTimeInterval(-TimeInterval(Self.shanghai.secondsFromGMT(for: midnightUTC)))
    }

    public static func inShanghai(_ instant: Date) -> LocalDate {
        let offset = shanghai.secondsFromGMT(for: instant)
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + offset
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return LocalDate(dayNumber: days)
    }
}
