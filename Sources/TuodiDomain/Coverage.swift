// Coverage as of a day, year-end coverage and the quarterly return, computed from estates'
// timelines (facts and approved arrangements) exactly as domain.md defines them. Pure: the caller
// gathers the inputs and names the day.

/// One estate with everything the coverage figures need.
public struct CoverageEstate: Sendable {
    public let code: String
    public let name: String
    public let unit: String
    public let subDistrict: String
    public let category: EstateCategory
    public let households: Int
    public let floorArea: Double
    /// The day it was registered (Asia/Shanghai). It counts among the estates "registered on E"
    /// from that day, or from its first recorded fact if that is earlier: a district that enters
    /// its history after adopting Tuodi has its estates on its past returns, with the states and
    /// episodes they already count in. Its episodes count by their effective dates, however late
    /// it was entered.
    public let registeredOn: LocalDate
    public let timeline: EstateTimeline
    /// Every episode, worked out once: reports ask for them many times (the roll-up, for each unit).
    public let episodes: [Episode]

    public init(code: String, name: String, unit: String, subDistrict: String, category: EstateCategory, households: Int,
                floorArea: Double, registeredOn: LocalDate, timeline: EstateTimeline) {
        self.code = code; self.name = name; self.unit = unit; self.subDistrict = subDistrict; self.category = category
        self.households = households; self.floorArea = floorArea; self.registeredOn = registeredOn; self.timeline = timeline
        episodes = timeline.episodes()
    }

    /// The episodes known on `d`, as `EstateTimeline.episodes(asOf:)` gives them.
    public func episodes(asOf d: LocalDate) -> [Episode] { EstateTimeline.known(episodes, asOf: d) }
}

public enum CoverageMath {
    /// For an even count, the mean of the two middle values (domain.md); `nil` when empty.
    public static func median(_ values: [Int]) -> Double? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted(), n = s.count
        return n % 2 == 1 ? Double(s[n / 2]) : Double(s[n / 2 - 1] + s[n / 2]) / 2
    }

    /// Estates unmanaged on `d` with their days unmanaged, the longest first.
    static func unmanagedList(_ rows: [UnmanagedRow], on d: LocalDate) -> [QuarterlyReturn.UnmanagedEstate] {
        rows.map { r in
            QuarterlyReturn.UnmanagedEstate(unit: r.unit, code: r.code, name: r.name, subDistrict: r.subDistrict, category: r.category,
                                            episodeStart: r.episodeStart, daysUnmanaged: r.episodeStart.days(until: d) + 1,
                                            daysLeftInYear: d.days(until: d.endOfYear))
        }.sorted { ($1.daysUnmanaged, $0.unit, $0.code) < ($0.daysUnmanaged, $1.unit, $1.code) }
    }
}

/// Coverage of the fallback list on one day.
public struct CoverageAsOf: Codable, Equatable, Sendable {
    public let asOf: LocalDate
    /// Covered on the day, by any of the four kinds.
    public let covered: Int
    public let unmanaged: Int
    /// covered ÷ (covered + unmanaged); `nil` when both are 0.
    public let rate: Rate
    /// Keys: the four coverage kinds, always present.
    public let byKind: [KeyCount]
    /// Estates unmanaged on the day, the longest first.
    public let uncovered: [QuarterlyReturn.UnmanagedEstate]

    public static func compute(_ estates: [CoverageEstate], on d: LocalDate) -> CoverageAsOf {
        compute(CoverageBasis(estates: estates, from: d, to: d))
    }

    /// Coverage on `basis.day`, from its counts and its unmanaged estates.
    public static func compute(_ basis: CoverageBasis) -> CoverageAsOf {
        let d = basis.day
        var kinds: [CoverageKind: Int] = [:]
        for c in basis.counts {
            if case .covered(let k)? = EstateState(code: c.state) { kinds[k, default: 0] += c.count }
        }
        let covered = kinds.values.reduce(0, +)
        let uncovered = CoverageMath.unmanagedList(basis.unmanaged, on: d)
        return CoverageAsOf(asOf: d, covered: covered, unmanaged: uncovered.count,
                            rate: Rate(numerator: Double(covered), denominator: Double(covered + uncovered.count)),
                            byKind: CoverageKind.allCases.map { KeyCount(key: $0.rawValue, count: kinds[$0] ?? 0) }, uncovered: uncovered)
    }
}

/// Year-end coverage for year Y: of the estates with an episode starting in Y, the share not
/// unmanaged on 31 December (each estate once). Computed as of `asOf` (≤ 31 December) for the
/// live countdown; on or after 31 December it is the year-end figure.
public struct YearEndCoverage: Codable, Equatable, Sendable {
    public let year: Int
    /// The day the states are read on: min(asOf, 31 December).
    public let stateOn: LocalDate
    /// Days from `asOf` to 31 December (0 from then on).
    public let daysLeft: Int
    public let newlyUnmanaged: Int
    public let covered: Int
    public let estates: Rate
    public let households: Rate
    public let floorArea: Rate
    public let daysToCover: QuarterlyReturn.DaysToCover
    /// Of the year's newly unmanaged estates, those unmanaged on `stateOn`: the at-risk list,
    /// longest unmanaged first (all share the same days left).
    public let atRisk: [QuarterlyReturn.UnmanagedEstate]

    public static func compute(_ estates: [CoverageEstate], year: Int, asOf: LocalDate) -> YearEndCoverage {
        let p = period(year: year, asOf: asOf)
        return compute(CoverageBasis(estates: estates, from: p.from, to: p.to), year: year, asOf: asOf)
    }

    /// The period the basis of `compute(_:year:asOf:)` covers: 1 January to min(asOf, 31 December).
    public static func period(year: Int, asOf: LocalDate) -> (from: LocalDate, to: LocalDate) {
        let j = LocalDate(year: year, month: 1, day: 1)!
        return (j, min(asOf, j.endOfYear))
    }

    /// From a basis over `period(year:asOf:)`.
    public static func compute(_ basis: CoverageBasis, year: Int, asOf: LocalDate) -> YearEndCoverage {
        let dec31 = LocalDate(year: year, month: 12, day: 31)!, day = basis.day
        let ytd = YearToDate.compute(basis)
        // An estate unmanaged on the day has its running episode among the period's: the one that
        // made it newly unmanaged started by then.
        let atRisk = CoverageMath.unmanagedList(basis.episodesByEstate.compactMap { group -> UnmanagedRow? in
            let e = group[0]
            guard e.stateOnLastDay == EstateState.unmanaged.description,
                  let running = group.last(where: { $0.episode.daysUnmanaged(on: day) != nil }) else { return nil }
            return UnmanagedRow(unit: e.unit, code: e.code, name: e.name, subDistrict: e.subDistrict, category: e.category,
                                episodeStart: running.episode.start)
        }, on: day)
        return YearEndCoverage(year: year, stateOn: day, daysLeft: max(0, asOf.days(until: dec31)), newlyUnmanaged: ytd.rows.count,
                               covered: ytd.covered.count, estates: ytd.coverage.estates, households: ytd.coverage.households,
                               floorArea: ytd.coverage.floorArea, daysToCover: ytd.daysToCover, atRisk: atRisk)
    }
}

/// The estates newly unmanaged in the basis's period and what became of them by its last day.
struct YearToDate {
    var rows: [QuarterlyReturn.NewlyUnmanagedEstate] = []
    var covered: [QuarterlyReturn.NewlyUnmanagedEstate] { rows.filter { $0.stateOnAsOf != "unmanaged" } }
    var coverage: QuarterlyReturn.Coverage
    var daysToCover: QuarterlyReturn.DaysToCover

    static func compute(_ basis: CoverageBasis) -> YearToDate {
        var rows: [QuarterlyReturn.NewlyUnmanagedEstate] = []
        var days: [Int] = []
        var households = (covered: 0, all: 0), area = (covered: 0.0, all: 0.0)
        for group in basis.episodesByEstate {
            // As known on the last day: an end after it is not yet known.
            let episodes = EstateTimeline.known(group.map(\.episode), asOf: basis.day)
            let e = group[0], first = episodes[0]
            // Days to cover: episodes of the period that ended by the last day, covered or managed again.
            for ep in episodes { if let d = ep.daysToCover { days.append(d) } }
            let state = e.stateOnLastDay
            rows.append(.init(code: e.code, name: e.name, category: e.category, households: e.households, floorArea: e.floorArea,
                              episodeStart: first.start, stateOnAsOf: state, daysToCover: first.daysToCover))
            households.all += e.households
            area.all += e.floorArea
            if state != "unmanaged" { households.covered += e.households; area.covered += e.floorArea }
        }
        rows.sort { ($0.episodeStart, $0.code) < ($1.episodeStart, $1.code) }
        let covered = rows.filter { $0.stateOnAsOf != "unmanaged" }.count
        return YearToDate(rows: rows,
                          coverage: .init(estates: Rate(numerator: Double(covered), denominator: Double(rows.count)),
                                          households: Rate(numerator: Double(households.covered), denominator: Double(households.all)),
                                          floorArea: Rate(numerator: area.covered, denominator: area.all)),
                          daysToCover: .init(episodes: days.count, median: CoverageMath.median(days), maximum: days.max()))
    }
}

/// What a quarterly return is computed from, besides the estates.
public struct ReturnInputs: Sendable {
    public struct Round: Sendable {
        public let id: Int, unit: String, title: String, status: String, finishedOn: LocalDate?
        public init(id: Int, unit: String, title: String, status: String, finishedOn: LocalDate?) {
            self.id = id; self.unit = unit; self.title = title; self.status = status; self.finishedOn = finishedOn
        }
    }
    public struct Member: Sendable {
        public let membership: Membership, name: String, districtGroup: Bool
        public init(membership: Membership, name: String, districtGroup: Bool) {
            self.membership = membership; self.name = name; self.districtGroup = districtGroup
        }
    }
    public let estates: [CoverageEstate]
    /// The read model's basis over J...E; when nil, it is worked out from `estates`.
    public let basis: CoverageBasis?
    public let members: [Member]
    /// Approved arrangements (their coverage decides "active on E").
    public let arrangements: [(arrangement: Arrangement, provider: String)]
    public let rounds: [Round]

    public init(estates: [CoverageEstate], members: [Member], arrangements: [(arrangement: Arrangement, provider: String)], rounds: [Round]) {
        self.estates = estates; self.basis = nil; self.members = members; self.arrangements = arrangements; self.rounds = rounds
    }

    /// From the read model: `arrangements` need hold only those that may end soon after E.
    public init(basis: CoverageBasis, members: [Member], arrangements: [(arrangement: Arrangement, provider: String)], rounds: [Round]) {
        self.estates = []; self.basis = basis; self.members = members; self.arrangements = arrangements; self.rounds = rounds
    }
}

public enum QuarterlyReturnCalculator {
    /// "Ending soon": an arrangement active on E whose last day falls in (E, E + this many days].
    public static let endingSoonDays = 90

    /// The quarter's first and last day.
    public static func bounds(year: Int, quarter: Int) -> (start: LocalDate, end: LocalDate)? {
        guard (1...4).contains(quarter), let start = LocalDate(year: year, month: quarter * 3 - 2, day: 1) else { return nil }
        return (start, start.adding(months: 3).adding(days: -1))
    }

    /// The return of `unit` (a unit's inputs only), or of the city when `unit` is `310000`.
    public static func compute(unit: String, unitName: String, year: Int, quarter: Int, _ inputs: ReturnInputs) -> QuarterlyReturn {
        let (qs, e) = bounds(year: year, quarter: quarter)!
        let j = LocalDate(year: year, month: 1, day: 1)!
        let basis = inputs.basis ?? CoverageBasis(estates: inputs.estates, from: j, to: e)
        let registered = basis.counts.filter(\.registered)

        let activeMembers = inputs.members.filter { $0.membership.state(on: e) == .active }
        let inQuarter = { (d: LocalDate) in qs <= d && d <= e }
        let admitted = inputs.members.filter { inQuarter($0.membership.start) }.count
        // Removed in the quarter, or expired in it (the day after the term) without an earlier removal.
        let left = inputs.members.filter { m in
            let expiry = m.membership.end.adding(days: 1)
            let removal = m.membership.events.filter { $0.kind == .removed }.map(\.date).min()
            if let removal, removal < expiry { return inQuarter(removal) }
            return inQuarter(expiry)
        }.count

        var byState: [String: Int] = [:], byCategory: [String: Int] = [:]
        for c in registered {
            byState[c.state, default: 0] += c.count
            byCategory[c.category, default: 0] += c.count
        }
        let stateKeys = ["managed", "unmanaged"] + CoverageKind.allCases.map(\.rawValue) + ["unknown"]
        let ytd = YearToDate.compute(basis)
        let newInQuarter = Set(basis.episodes.filter { inQuarter($0.episode.start) }.map(\.code)).count
        var kinds: [String: Int] = [:]
        for row in ytd.covered { kinds[row.stateOnAsOf, default: 0] += 1 }
        let asOf = CoverageAsOf.compute(basis)
        let horizon = e.adding(days: endingSoonDays)
        let ending = inputs.arrangements.compactMap { pair -> QuarterlyReturn.EndingArrangement? in
            let a = pair.arrangement
            guard let span = a.coverage, span.start <= e, let end = span.end, e < end, end <= horizon else { return nil }
            return .init(id: a.id, unit: a.unit, estateCode: a.estateCode, kind: a.kind.rawValue, provider: pair.provider, start: a.start, end: end)
        }.sorted { ($0.end, $0.unit, $0.estateCode) < ($1.end, $1.unit, $1.estateCode) }
        let finished = inputs.rounds.filter { r in
            (r.status == "awarded" || r.status == "failed") && r.finishedOn.map(inQuarter) == true
        }.map { QuarterlyReturn.SelectionRoundRow(id: $0.id, unit: $0.unit, title: $0.title, status: $0.status, finishedOn: $0.finishedOn!) }
            .sorted { ($0.finishedOn, $0.id) < ($1.finishedOn, $1.id) }

        return QuarterlyReturn(
            unit: unit, unitName: unitName, year: year, quarter: quarter, quarterStart: qs, yearStart: j, asOf: e,
            pool: .init(active: activeMembers.count, activeDistrictGroup: activeMembers.filter(\.districtGroup).count,
                        admittedInQuarter: admitted, removedOrExpiredInQuarter: left,
                        members: activeMembers.map { .init(uscc: $0.membership.uscc.value, name: $0.name, districtGroup: $0.districtGroup,
                                                           start: $0.membership.start, end: $0.membership.end,
                                                           capacityEstates: $0.membership.capacityEstates) }
                            .sorted { ($0.uscc, $0.start) < ($1.uscc, $1.start) }),
            estates: .init(registered: registered.reduce(0) { $0 + $1.count },
                           byCategory: EstateCategory.allCases.map { KeyCount(key: $0.rawValue, count: byCategory[$0.rawValue] ?? 0) },
                           byState: stateKeys.map { KeyCount(key: $0, count: byState[$0] ?? 0) }),
            newlyUnmanaged: .init(inQuarter: newInQuarter, yearToDate: ytd.rows.count, estates: ytd.rows),
            yearToDateState: .init(covered: ytd.covered.count,
                                   byKind: (CoverageKind.allCases.map(\.rawValue) + ["managed"]).map { KeyCount(key: $0, count: kinds[$0] ?? 0) },
                                   stillUnmanaged: ytd.rows.count - ytd.covered.count),
            coverage: ytd.coverage, daysToCover: ytd.daysToCover,
            stillUnmanaged: asOf.uncovered, endingSoon: ending,
            selectionRounds: .init(finished: finished.count, failed: finished.filter { $0.status == "failed" }.count, rounds: finished),
            byUnit: [], restatements: [])
    }

    /// The headline figures compared for restatements, by stable name.
    public static func headline(_ r: QuarterlyReturn) -> [(String, Double?)] {
        [("pool.active", Double(r.pool.active)),
         ("pool.activeDistrictGroup", Double(r.pool.activeDistrictGroup)),
         ("estates.registered", Double(r.estates.registered)),
         ("newlyUnmanaged.inQuarter", Double(r.newlyUnmanaged.inQuarter)),
         ("newlyUnmanaged.yearToDate", Double(r.newlyUnmanaged.yearToDate)),
         ("yearToDateState.covered", Double(r.yearToDateState.covered)),
         ("yearToDateState.stillUnmanaged", Double(r.yearToDateState.stillUnmanaged)),
         ("coverage.estates", r.coverage.estates.rate),
         ("coverage.households", r.coverage.households.rate),
         ("coverage.floorArea", r.coverage.floorArea.rate),
         ("daysToCover.median", r.daysToCover.median),
         ("daysToCover.maximum", r.daysToCover.maximum.map(Double.init)),
         ("stillUnmanaged", Double(r.stillUnmanaged.count)),
         ("selectionRounds.finished", Double(r.selectionRounds.finished)),
         ("selectionRounds.failed", Double(r.selectionRounds.failed))]
    }

    /// The figures of a submitted return that read differently when recomputed now.
    public static func restatements(submitted: QuarterlyReturn, now: QuarterlyReturn) -> [QuarterlyReturn.Restatement] {
        zip(headline(submitted), headline(now)).compactMap { old, new in
            old.1 == new.1 ? nil : .init(year: submitted.year, quarter: submitted.quarter, figure: old.0, submitted: old.1, now: new.1)
        }
    }
}
