import Testing
import TuodiDomain

/// The read model's rows say exactly what `EstateTimeline` says, day by day.
@Suite("Episode read model rows")
struct ReadModelTests {
    static func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }

    static let timelines: [EstateTimeline] = [
        // A regular contract's last day is managed even inside an unmanaged stretch: a one-day span.
        EstateTimeline(facts: [ManagementFact(id: 1, date: d("2026-01-01"), kind: .becameUnmanaged(reason: .contractEnded)),
                               ManagementFact(id: 2, date: d("2026-03-31"), kind: .regularEnded(company: "甲"))]),
        EstateTimeline(facts: [ManagementFact(id: 1, date: d("2026-02-01"), kind: .becameUnmanaged(reason: .other)),
                               ManagementFact(id: 2, date: d("2026-05-01"), kind: .regularBegan(company: "乙"))],
                       coverage: [CoverageSpan(kind: .custody, start: d("2026-01-15"), end: d("2026-02-28")),
                                  CoverageSpan(kind: .ownerSelf, start: d("2026-03-10"), end: nil)]),
        EstateTimeline(facts: [], coverage: [CoverageSpan(kind: .custody, start: d("2026-01-15"), end: d("2026-02-28"))]),
    ]

    @Test("every day of every span has the span's state; days outside all spans are unknown")
    func spansAgreeWithStates() {
        for timeline in Self.timelines {
            let spans = timeline.stateSpans()
            var day = Self.d("2025-12-01")
            while day <= Self.d("2026-07-01") {
                let span = spans.first { $0.start <= day && ($0.end.map { day < $0 } ?? true) }
                #expect((span?.state ?? .unknown) == timeline.state(on: day), "\(day)")
                day = day.adding(days: 1)
            }
            // Neighbours differ (merged otherwise) and do not overlap.
            for (a, b) in zip(spans, spans.dropFirst()) { #expect(a.state != b.state || a.end != b.start); #expect(a.end.map { $0 <= b.start } == true) }
        }
    }

    @Test("the rows are the timeline's episodes, with days to cover by the ruling of 2026-12-04")
    func episodesAndDaysToCover() {
        let model = EstateReadModel(timeline: Self.timelines[1])
        #expect(model.episodes == Self.timelines[1].episodes())
        #expect(model.episodes.map(\.daysToCover) == model.episodes.map { e in
            e.end.map { e.start.days(until: $0) }
        })
    }
}
