import Testing
import TuodiDomain

/// Coverage, year-end coverage and the quarterly return on fixed dates (domain.md, "Rules for
/// time and coverage" and "The quarterly return"). Every expected figure is worked out by hand.
@Suite("Coverage and the quarterly return")
struct CoverageTests {
    static func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }

    static func estate(_ code: String, category: EstateCategory = .directPublic, households: Int = 100, area: Double = 5000,
                       facts: [(String, ManagementFactKind)], spans: [(CoverageKind, String, String?)] = []) -> CoverageEstate {
        let f = facts.enumerated().map { ManagementFact(id: $0.offset + 1, date: d($0.element.0), kind: $0.element.1) }
        let c = spans.map { CoverageSpan(kind: $0.0, start: d($0.1), end: $0.2.map(d)) }
        return CoverageEstate(code: code, name: "小区\(code)", unit: "310101", subDistrict: "豫园街道", category: category, households: households,
                              floorArea: area, registeredOn: d("2020-01-01"), timeline: EstateTimeline(facts: f, coverage: c))
    }

    static func unmanaged(_ date: String) -> (String, ManagementFactKind) { (date, .becameUnmanaged(reason: .contractEnded)) }

    static func quarterly(_ estates: [CoverageEstate], _ year: Int, _ q: Int, arrangements: [(arrangement: Arrangement, provider: String)] = []) -> QuarterlyReturn {
        QuarterlyReturnCalculator.compute(unit: "310101", unitName: "黄浦区", year: year, quarter: q,
                                          ReturnInputs(estates: estates, members: [], arrangements: arrangements, rounds: []))
    }

    @Test("quarter bounds, medians and a zero denominator")
    func basics() {
        #expect(QuarterlyReturnCalculator.bounds(year: 2028, quarter: 1)! == (Self.d("2028-01-01"), Self.d("2028-03-31")))
        #expect(QuarterlyReturnCalculator.bounds(year: 2026, quarter: 4)! == (Self.d("2026-10-01"), Self.d("2026-12-31")))
        #expect(QuarterlyReturnCalculator.bounds(year: 2026, quarter: 5) == nil)
        #expect(CoverageMath.median([7, 1, 3]) == 3)
        #expect(CoverageMath.median([28, 44]) == 36)
        #expect(CoverageMath.median([]) == nil)
        #expect(Rate(numerator: 0, denominator: 0).rate == nil)
        #expect(Rate(numerator: 3, denominator: 4).rate == 0.75)
    }

    @Test("an episode starting on 31 December counts in its year, unmanaged on day 1 with 0 days left; not in the next year")
    func episodeOnNewYearsEve() {
        let e = Self.estate("A", facts: [Self.unmanaged("2026-12-31")])
        let r = Self.quarterly([e], 2026, 4)
        #expect(r.newlyUnmanaged.inQuarter == 1 && r.newlyUnmanaged.yearToDate == 1)
        #expect(r.yearToDateState.stillUnmanaged == 1 && r.coverage.estates.rate == 0)
        #expect(r.stillUnmanaged.map(\.daysUnmanaged) == [1] && r.stillUnmanaged.map(\.daysLeftInYear) == [0])
        #expect(r.daysToCover == .init(episodes: 0, median: nil, maximum: nil))
        let y = YearEndCoverage.compute([e], year: 2026, asOf: Self.d("2027-01-15"))
        #expect(y.newlyUnmanaged == 1 && y.covered == 0 && y.stateOn == Self.d("2026-12-31") && y.daysLeft == 0)
        #expect(y.atRisk.map(\.code) == ["A"])
        // Q3 of the same year does not know it yet; 2027's year-end does not count it.
        #expect(Self.quarterly([e], 2026, 3).newlyUnmanaged.yearToDate == 0)
        let next = YearEndCoverage.compute([e], year: 2027, asOf: Self.d("2027-12-31"))
        #expect(next.newlyUnmanaged == 0 && next.estates.rate == nil)
    }

    @Test("an arrangement ending on 31 December covers that day; unmanaged again from 1 January, a new episode in the new year")
    func arrangementEndingNewYearsEve() {
        let e = Self.estate("B", facts: [Self.unmanaged("2026-03-01")], spans: [(.custody, "2026-04-01", "2026-12-31")])
        let y = YearEndCoverage.compute([e], year: 2026, asOf: Self.d("2026-12-31"))
        #expect(y.newlyUnmanaged == 1 && y.covered == 1 && y.estates.rate == 1)
        // 1 March → 1 April: 31 days to cover.
        #expect(y.daysToCover == .init(episodes: 1, median: 31, maximum: 31))
        #expect(e.timeline.state(on: Self.d("2026-12-31")) == .covered(.custody))
        #expect(e.timeline.state(on: Self.d("2027-01-01")) == .unmanaged)
        let r2027 = Self.quarterly([e], 2027, 1)
        #expect(r2027.newlyUnmanaged.estates.map(\.episodeStart) == [Self.d("2027-01-01")])
        #expect(r2027.stillUnmanaged.map(\.daysUnmanaged) == [90])   // 1 Jan … 31 Mar 2027
    }

    @Test("two episodes of one estate in one year: the estate counts once, both episodes count for days to cover")
    func twoEpisodesOneYear() {
        let e = Self.estate("C", households: 240, facts: [Self.unmanaged("2026-02-01")],
                            spans: [(.ownerSelf, "2026-03-01", "2026-05-31"), (.communityFallback, "2026-07-15", nil)])
        #expect(e.timeline.episodes().map(\.start) == [Self.d("2026-02-01"), Self.d("2026-06-01")])
        let r = Self.quarterly([e], 2026, 4)
        #expect(r.newlyUnmanaged.yearToDate == 1 && r.newlyUnmanaged.inQuarter == 0)
        #expect(r.newlyUnmanaged.estates.first?.episodeStart == Self.d("2026-02-01"))
        #expect(r.yearToDateState.covered == 1)
        #expect(r.yearToDateState.byKind.first { $0.key == "communityFallback" }?.count == 1)
        // 1 Feb → 1 Mar is 28 days; 1 Jun → 15 Jul is 44; the median of two is their mean.
        #expect(r.daysToCover == .init(episodes: 2, median: 36, maximum: 44))
        #expect(r.coverage.households == Rate(numerator: 240, denominator: 240))
        // Q2 (E = 30 June): the second episode runs, 30 days on E.
        let q2 = Self.quarterly([e], 2026, 2)
        #expect(q2.newlyUnmanaged.inQuarter == 1 && q2.stillUnmanaged.map(\.daysUnmanaged) == [30])
        #expect(q2.daysToCover == .init(episodes: 1, median: 28, maximum: 28))
    }

    @Test("a leap year: 29 February is a day like any other")
    func leapYear() {
        let e = Self.estate("D", facts: [Self.unmanaged("2028-02-28")], spans: [(.selection, "2028-03-01", "2031-02-28")])
        let on29 = CoverageAsOf.compute([e], on: Self.d("2028-02-29"))
        #expect(on29.uncovered.map(\.daysUnmanaged) == [2] && on29.uncovered.map(\.daysLeftInYear) == [306])
        let q1 = Self.quarterly([e], 2028, 1)
        #expect(q1.daysToCover == .init(episodes: 1, median: 2, maximum: 2))
        #expect(q1.coverage.estates.rate == 1)
        // 2027 is not a leap year: the same dates give one day less.
        let e27 = Self.estate("D", facts: [Self.unmanaged("2027-02-28")], spans: [(.selection, "2027-03-01", nil)])
        #expect(Self.quarterly([e27], 2027, 1).daysToCover.maximum == 1)
    }

    @Test("each of the four kinds covers; coverage as of a day, by kind, by households and floor area")
    func fourKinds() {
        let estates = [
            Self.estate("K1", households: 100, area: 1000, facts: [Self.unmanaged("2026-07-01")], spans: [(.selection, "2026-08-01", nil)]),
            Self.estate("K2", households: 200, area: 2000, facts: [Self.unmanaged("2026-07-01")], spans: [(.custody, "2026-07-01", "2027-06-30")]),
            Self.estate("K3", households: 300, area: 3000, facts: [Self.unmanaged("2026-07-01")], spans: [(.ownerSelf, "2026-09-01", nil)]),
            Self.estate("K4", households: 400, area: 4000, facts: [Self.unmanaged("2026-07-01")], spans: [(.communityFallback, "2026-10-01", nil)]),
            Self.estate("K5", category: .earlyCommodity, households: 1000, area: 10000, facts: [Self.unmanaged("2026-08-20")]),
            Self.estate("M", category: .workUnitPublic, facts: [("2015-01-01", .regularBegan(company: "甲物业"))]),
        ]
        let c = CoverageAsOf.compute(estates, on: Self.d("2026-12-31"))
        #expect(c.covered == 4 && c.unmanaged == 1 && c.rate.rate == 0.8)
        #expect(c.byKind.map(\.count) == [1, 1, 1, 1])
        #expect(c.uncovered.map(\.code) == ["K5"] && c.uncovered[0].daysUnmanaged == 134)   // 20 Aug … 31 Dec
        let r = Self.quarterly(estates, 2026, 4)
        #expect(r.estates.registered == 6)
        #expect(r.estates.byState.map(\.key) == ["managed", "unmanaged", "selection", "custody", "ownerSelf", "communityFallback", "unknown"])
        #expect(r.estates.byState.map(\.count) == [1, 1, 1, 1, 1, 1, 0])
        #expect(r.estates.byCategory.map(\.count) == [4, 1, 1, 0])
        #expect(r.newlyUnmanaged.yearToDate == 5 && r.newlyUnmanaged.inQuarter == 0)
        #expect(r.coverage.estates == Rate(numerator: 4, denominator: 5))
        #expect(r.coverage.households == Rate(numerator: 1000, denominator: 2000))
        #expect(r.coverage.floorArea == Rate(numerator: 10000, denominator: 20000))
        // Days to cover: 31, 0, 62, 92 → median (31 + 62) / 2, maximum 92.
        #expect(r.daysToCover == .init(episodes: 4, median: 46.5, maximum: 92))
    }

    @Test("ending soon is (E, E + 90 days]; rounds count when awarded or failed in the quarter")
    func endingSoonAndRounds() {
        func arrangement(_ id: Int, _ start: String, _ end: String, status: ArrangementStatus = .active) -> (arrangement: Arrangement, provider: String) {
            (Arrangement(id: id, estateID: id, estateCode: "E\(id)", unit: "310101", kind: .custody,
                         provider: .company(USCC.withCheckCharacter(body: "91310101MA1FT0001")!), start: Self.d(start), plannedEnd: Self.d(end),
                         reviewDate: nil, endedOn: nil, fee: nil, status: status, justification: "j", replaces: nil, selectionRoundID: nil,
                         proposedBy: "a", decidedBy: "b", decisionReason: nil), "企业1")
        }
        let list = [arrangement(1, "2026-01-01", "2026-12-31"), arrangement(2, "2026-01-01", "2027-03-31"),
                    arrangement(3, "2026-01-01", "2027-04-01"), arrangement(4, "2026-01-01", "2027-01-15", status: .proposed),
                    arrangement(5, "2027-01-01", "2027-02-01")]
        let rounds = [ReturnInputs.Round(id: 1, unit: "310101", title: "甲", status: "awarded", finishedOn: Self.d("2026-10-08")),
                      ReturnInputs.Round(id: 2, unit: "310101", title: "乙", status: "failed", finishedOn: Self.d("2026-12-31")),
                      ReturnInputs.Round(id: 3, unit: "310101", title: "丙", status: "failed", finishedOn: Self.d("2026-09-30")),
                      ReturnInputs.Round(id: 4, unit: "310101", title: "丁", status: "open", finishedOn: nil)]
        let r = QuarterlyReturnCalculator.compute(unit: "310101", unitName: "黄浦区", year: 2026, quarter: 4,
                                                  ReturnInputs(estates: [], members: [], arrangements: list, rounds: rounds))
        // 31 Dec + 90 days is 31 March 2027: included; 1 April is not; a proposal and one not yet begun are not active on E.
        #expect(r.endingSoon.map(\.id) == [2])
        #expect(r.selectionRounds.finished == 2 && r.selectionRounds.failed == 1 && r.selectionRounds.rounds.map(\.id) == [1, 2])
        #expect(r.coverage.estates.rate == nil && r.daysToCover.median == nil)
    }

    @Test("pool figures: active on E, district groups, admitted and removed or expired in the quarter")
    func poolFigures() {
        func member(_ n: Int, _ start: String, _ end: String, group: Bool, events: [MembershipEvent] = []) -> ReturnInputs.Member {
            .init(membership: Membership(id: n, unit: "310101", uscc: USCC.withCheckCharacter(body: "91310101MA1FT000\(n)")!, start: Self.d(start),
                                         end: Self.d(end), capacityEstates: 3, capacityHouseholds: nil, score: 80, events: events),
                  name: "企业\(n)", districtGroup: group)
        }
        let members = [
            member(1, "2025-01-01", "2026-12-31", group: true),                     // active on E, expires 1 Jan: not in Q4
            member(2, "2026-11-01", "2028-10-31", group: false),                    // admitted in Q4
            member(3, "2025-01-01", "2026-11-14", group: false),                    // expired 15 Nov
            member(4, "2025-01-01", "2027-12-31", group: true,
                   events: [MembershipEvent(id: 1, kind: .removed, date: Self.d("2026-10-10"), until: nil, reason: "违约")]),
            member(5, "2025-01-01", "2027-12-31", group: false,
                   events: [MembershipEvent(id: 2, kind: .suspended, date: Self.d("2026-12-01"), until: nil, reason: "整改")]),
            // Removed in Q1: its term's end in Q4 is not a second departure.
            member(6, "2025-01-01", "2026-11-30", group: false,
                   events: [MembershipEvent(id: 3, kind: .removed, date: Self.d("2026-02-01"), until: nil, reason: "违约")]),
        ]
        let r = QuarterlyReturnCalculator.compute(unit: "310101", unitName: "黄浦区", year: 2026, quarter: 4,
                                                  ReturnInputs(estates: [], members: members, arrangements: [], rounds: []))
        #expect(r.pool.active == 2 && r.pool.activeDistrictGroup == 1)
        #expect(r.pool.admittedInQuarter == 1 && r.pool.removedOrExpiredInQuarter == 2)
        #expect(r.pool.members.map(\.name) == ["企业1", "企业2"])
    }

    @Test("an estate entered after E counts among the estates registered on E from its first recorded fact, not before")
    func lateRegistration() {
        let known = Self.estate("L1", facts: [Self.unmanaged("2026-08-01")])
        // Entered on 5 November with its history: unmanaged since 1 September.
        let late = CoverageEstate(code: "L2", name: "后录入小区", unit: "310101", subDistrict: "豫园街道", category: .otherOld, households: 50,
                                  floorArea: 2000, registeredOn: Self.d("2026-11-05"),
                                  timeline: EstateTimeline(facts: [ManagementFact(id: 1, date: Self.d("2026-09-01"), kind: .becameUnmanaged(reason: .newlyIdentified))]))
        // Entered on 5 November, managed since 1 October: nothing is known of it on 30 September.
        let later = CoverageEstate(code: "L3", name: "后录入小区二", unit: "310101", subDistrict: "豫园街道", category: .otherOld, households: 50,
                                   floorArea: 2000, registeredOn: Self.d("2026-11-05"),
                                   timeline: EstateTimeline(facts: [ManagementFact(id: 2, date: Self.d("2026-10-01"), kind: .regularBegan(company: "甲物业"))]))
        let q3 = Self.quarterly([known, late, later], 2026, 3)
        #expect(q3.estates.registered == 2 && q3.estates.byState.first { $0.key == "unmanaged" }?.count == 2)
        #expect(q3.newlyUnmanaged.yearToDate == 2 && q3.stillUnmanaged.map(\.code) == ["L1", "L2"])
        let q2 = Self.quarterly([known, late, later], 2026, 2)
        #expect(q2.estates.registered == 1 && q2.newlyUnmanaged.yearToDate == 0)   // L1 only (entered in 2020)
        #expect(Self.quarterly([known, late, later], 2026, 4).estates.registered == 3)
    }

    @Test("a backdated correction reads as a restatement of the submitted figures")
    func restatement() {
        let before = [Self.estate("R1", facts: [Self.unmanaged("2026-08-01")], spans: [(.custody, "2026-09-01", nil)]),
                      Self.estate("R2", facts: [Self.unmanaged("2026-09-10")])]
        let submitted = Self.quarterly(before, 2026, 3)
        #expect(submitted.coverage.estates.rate == 0.5)
        // Later a clerk records that R2 was in fact taken over by a regular company on 20 September.
        let after = [before[0], Self.estate("R2", facts: [Self.unmanaged("2026-09-10"), ("2026-09-20", .regularBegan(company: "乙物业"))])]
        let now = Self.quarterly(after, 2026, 3)
        let diff = QuarterlyReturnCalculator.restatements(submitted: submitted, now: now)
        #expect(diff.map(\.figure) == ["yearToDateState.covered", "yearToDateState.stillUnmanaged", "coverage.estates", "coverage.households",
                                       "coverage.floorArea", "daysToCover.median", "stillUnmanaged"])
        // R2 was managed again after 10 days: it counts in days to cover (31 and 10).
        #expect(now.daysToCover == .init(episodes: 2, median: 20.5, maximum: 31))
        #expect(now.newlyUnmanaged.estates.first { $0.code == "R2" }?.daysToCover == 10)
        #expect(diff.first { $0.figure == "coverage.estates" }.map { ($0.submitted, $0.now) }! == (0.5, 1))
        #expect(QuarterlyReturnCalculator.restatements(submitted: submitted, now: submitted).isEmpty)
    }

    @Test("ruling of 2026-12-04: an episode ended by a regular appointment counts in days to cover like one ended by an arrangement")
    func regularAppointmentEndsEpisode() {
        // G1: unmanaged 1 Mar, a regular company from 15 Apr (45 days). G2: unmanaged 10 Mar, custody from
        // 20 Mar (10 days). G3: unmanaged 1 Jun, a regular company from 2 Jun (1 day). G4: unmanaged
        // 1 Jun, still unmanaged on 30 June (no figure). G5: a regular company ends 31 May, unmanaged from
        // 1 June, a new company from 1 Jul (30 days: after E of Q2, so only in Q3).
        let estates = [
            Self.estate("G1", facts: [Self.unmanaged("2026-03-01"), ("2026-04-15", .regularBegan(company: "甲物业"))]),
            Self.estate("G2", facts: [Self.unmanaged("2026-03-10")], spans: [(.custody, "2026-03-20", nil)]),
            Self.estate("G3", facts: [Self.unmanaged("2026-06-01"), ("2026-06-02", .regularBegan(company: "乙物业"))]),
            Self.estate("G4", facts: [Self.unmanaged("2026-06-01")]),
            Self.estate("G5", facts: [("2020-01-01", .regularBegan(company: "丙物业")), ("2026-05-31", .regularEnded(company: "丙物业")),
                                      ("2026-07-01", .regularBegan(company: "丁物业"))]),
        ]
        #expect(estates[0].timeline.episodes().map { [$0.start, $0.end] } == [[Self.d("2026-03-01"), Self.d("2026-04-15")]])
        #expect(estates[0].timeline.episodes().map(\.endedBy) == [.managed])
        let q2 = Self.quarterly(estates, 2026, 2)
        // G1 45, G2 10, G3 1 → median 10, maximum 45; G4 and G5 are still unmanaged on 30 June.
        #expect(q2.daysToCover == .init(episodes: 3, median: 10, maximum: 45))
        #expect(q2.newlyUnmanaged.estates.map(\.code) == ["G1", "G2", "G3", "G4", "G5"])
        #expect(q2.newlyUnmanaged.estates.map(\.daysToCover) == [45, 10, 1, nil, nil])
        let q3 = Self.quarterly(estates, 2026, 3)
        // G5 managed again after 30 days: 1, 10, 30, 45 → median 20.
        #expect(q3.daysToCover == .init(episodes: 4, median: 20, maximum: 45))
        #expect(YearEndCoverage.compute(estates, year: 2026, asOf: Self.d("2026-12-31")).daysToCover == q3.daysToCover)
        // The coverage rate counted G1 and G3 already; the ruling changes only days to cover.
        #expect(q2.coverage.estates == Rate(numerator: 3, denominator: 5))
    }
}
