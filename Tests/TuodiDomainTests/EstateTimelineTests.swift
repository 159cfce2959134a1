import Testing
@testable import TuodiDomain

@Suite("Estate timeline: states and episodes (domain.md rules)")
struct EstateTimelineTests {
    static func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }

    @Test("a regular contract ending on 30 June makes the estate unmanaged from 1 July")
    func endDateIsInclusive() {
        let t = EstateTimeline(facts: [
            ManagementFact(id: 1, date: Self.d("2010-01-01"), kind: .regularBegan(company: "甲")),
            ManagementFact(id: 2, date: Self.d("2026-06-30"), kind: .regularEnded(company: "甲")),
        ])
        #expect(t.state(on: Self.d("2026-06-30")) == .managed)
        #expect(t.state(on: Self.d("2026-07-01")) == .unmanaged)
        #expect(t.episodes() == [Episode(start: Self.d("2026-07-01"), end: nil, endedBy: nil)])
        #expect(t.episodes().first?.daysUnmanaged(on: Self.d("2026-07-01")) == 1)
        #expect(t.episodes().first?.daysUnmanaged(on: Self.d("2026-12-31")) == 184)
        #expect(t.state(on: Self.d("2009-12-31")) == .unknown)
    }

    @Test("two episodes in one year, ended by regular management and by coverage")
    func twoEpisodes() {
        let t = EstateTimeline(facts: [
            ManagementFact(id: 1, date: Self.d("2026-01-10"), kind: .becameUnmanaged(reason: .newlyIdentified)),
            ManagementFact(id: 2, date: Self.d("2026-03-01"), kind: .regularBegan(company: "乙")),
            ManagementFact(id: 3, date: Self.d("2026-08-31"), kind: .regularEnded(company: "乙")),
        ], coverage: [CoverageSpan(kind: .custody, start: Self.d("2026-10-15"), end: Self.d("2027-04-14"))])
        let episodes = t.episodes()
        #expect(episodes.count == 3)
        #expect(episodes[0] == Episode(start: Self.d("2026-01-10"), end: Self.d("2026-03-01"), endedBy: .managed))
        #expect(episodes[1] == Episode(start: Self.d("2026-09-01"), end: Self.d("2026-10-15"), endedBy: .covered(.custody)))
        #expect(t.state(on: Self.d("2026-12-31")) == .covered(.custody))
        // Coverage ending with no successor: a new episode the next day.
        #expect(t.state(on: Self.d("2027-04-15")) == .unmanaged)
        #expect(t.episodes().last?.start == Self.d("2027-04-15"))
        // As of a date inside the second episode, it is still running.
        #expect(t.episodes(asOf: Self.d("2026-10-01")).last == Episode(start: Self.d("2026-09-01"), end: nil, endedBy: nil))
    }

    @Test("an episode starting on 31 December, in a leap year")
    func yearEndAndLeapYear() {
        let t = EstateTimeline(facts: [ManagementFact(id: 1, date: Self.d("2028-12-31"), kind: .becameUnmanaged(reason: .other))])
        #expect(t.episodes().first?.start == Self.d("2028-12-31"))
        #expect(t.episodes().first?.daysUnmanaged(on: Self.d("2028-12-31")) == 1)
        let leap = EstateTimeline(facts: [ManagementFact(id: 1, date: Self.d("2028-02-28"), kind: .becameUnmanaged(reason: .other))])
        #expect(leap.episodes().first?.daysUnmanaged(on: Self.d("2028-03-01")) == 3)
    }

    @Test("a correction supersedes a fact; a retraction removes it; the same day's later record wins")
    func corrections() {
        let wrong = ManagementFact(id: 1, date: Self.d("2026-05-01"), kind: .becameUnmanaged(reason: .other))
        let fixed = ManagementFact(id: 2, date: Self.d("2026-05-11"), kind: .becameUnmanaged(reason: .contractEnded), supersedes: 1)
        #expect(EstateTimeline(facts: [wrong, fixed]).episodes().map(\.start) == [Self.d("2026-05-11")])
        let retraction = ManagementFact(id: 3, date: Self.d("2026-05-11"), kind: .becameUnmanaged(reason: .other),
                                        supersedes: 2, isRetraction: true)
        #expect(EstateTimeline(facts: [wrong, fixed, retraction]).episodes().isEmpty)
        let sameDay = EstateTimeline(facts: [
            ManagementFact(id: 5, date: Self.d("2026-05-01"), kind: .becameUnmanaged(reason: .other)),
            ManagementFact(id: 6, date: Self.d("2026-05-01"), kind: .regularBegan(company: "丙")),
        ])
        #expect(sameDay.state(on: Self.d("2026-05-01")) == .managed)
    }

    @Test("each of the four kinds covers an unmanaged day", arguments: CoverageKind.allCases)
    func fourKinds(_ kind: CoverageKind) {
        let t = EstateTimeline(facts: [ManagementFact(id: 1, date: Self.d("2026-02-01"), kind: .becameUnmanaged(reason: .other))],
                               coverage: [CoverageSpan(kind: kind, start: Self.d("2026-03-01"), end: nil)])
        #expect(t.state(on: Self.d("2026-03-01")) == .covered(kind))
        #expect(t.episodes() == [Episode(start: Self.d("2026-02-01"), end: Self.d("2026-03-01"), endedBy: .covered(kind))])
    }
}
