import Foundation
import Testing
import TuodiDomain

@Suite("Calendar days and the clock")
struct LocalDateTests {
    @Test("ISO 8601 parsing refuses impossible and sloppy dates")
    func parsing() {
        #expect(LocalDate(iso: "2024-02-29")?.description == "2024-02-29")
        #expect(LocalDate(year: 1, month: 1, day: 1)?.description == "0001-01-01")
        #expect(LocalDate(iso: "9999-12-31") == LocalDate(year: 9999, month: 12, day: 31))
        // A day computed past the last valid one still prints its whole year.
        #expect(LocalDate(year: 9999, month: 12, day: 31)!.adding(days: 1).description == "10000-01-01")
        for bad in ["2026-02-29", "2026-13-01", "2026-1-01", "2026-01-01T00:00", "20260101", "", "2026-00-10", "１２３４-01-01",
                    "2026-01-0a", "+026-01-01", "2026/01/01", " 2026-01-01", "2026-01-01 ", "2026--1-01", "0000-01-01", "2026-٠١-01"] {
            #expect(LocalDate(iso: bad) == nil, "\(bad)")
        }
    }

    @Test("day numbers round-trip across leap years and centuries")
    func dayNumbers() {
        #expect(LocalDate(year: 1970, month: 1, day: 1)!.dayNumber == 0)
        #expect(LocalDate(year: 2000, month: 3, day: 1)!.dayNumber - LocalDate(year: 2000, month: 2, day: 28)!.dayNumber == 2)
        #expect(LocalDate(year: 2100, month: 3, day: 1)!.dayNumber - LocalDate(year: 2100, month: 2, day: 28)!.dayNumber == 1)
        var d = LocalDate(year: 1999, month: 12, day: 1)!
        for _ in 0..<3_000 {
            #expect(LocalDate(dayNumber: d.dayNumber) == d)
            #expect(LocalDate(iso: d.description) == d)
            let next = d.adding(days: 1)
            #expect(next > d)
            d = next
        }
        #expect(LocalDate(year: 2026, month: 6, day: 30)!.adding(days: 1).description == "2026-07-01")
        #expect(LocalDate(year: 2024, month: 1, day: 1)!.days(until: LocalDate(year: 2024, month: 12, day: 31)!) == 365)
    }

    @Test("today is the calendar day in Shanghai, not in UTC")
    func shanghaiDay() {
        // 2026-12-31 16:30 UTC is 2027-01-01 00:30 in Shanghai.
        let instant = Date(timeIntervalSince1970: TimeInterval(LocalDate(year: 2026, month: 12, day: 31)!.dayNumber * 86_400 + 16 * 3_600 + 1_800))
        #expect(FixedClock(instant).today.description == "2027-01-01")
        // 15:59 UTC is still 23:59 on the 31st.
        #expect(FixedClock(instant.addingTimeInterval(-31 * 60)).today.description == "2026-12-31")
        #expect(FixedClock(LocalDate(year: 2028, month: 2, day: 29)!).today.description == "2028-02-29")
    }
}
