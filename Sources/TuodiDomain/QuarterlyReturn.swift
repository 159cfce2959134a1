// The quarterly return of one reporting unit (or the city), as of the quarter's last day
// (domain.md, "The quarterly return"). A plain value: computed by `QuarterlyReturnCalculator`,
// frozen as JSON when submitted, rendered by TuodiReports (XLSX, CSV, XML, HTML).

/// A fraction of a stated denominator; `rate` is `nil` when the denominator is 0 ("none").
public struct Rate: Codable, Equatable, Sendable {
    public let numerator: Double
    public let denominator: Double
    public let rate: Double?

    public init(numerator: Double, denominator: Double) {
        self.numerator = numerator
        self.denominator = denominator
        rate = denominator == 0 ? nil : numerator / denominator
    }
}

/// A count under a named key (a category, a state or an arrangement kind).
public struct KeyCount: Codable, Equatable, Sendable {
    public let key: String
    public let count: Int
    public init(key: String, count: Int) { self.key = key; self.count = count }
}

public struct QuarterlyReturn: Codable, Equatable, Sendable {
    /// The reporting unit's code (GB/T 2260 or `LG`), or `310000` for the municipal roll-up.
    public var unit: String
    public var unitName: String
    public var year: Int
    /// 1…4.
    public var quarter: Int
    /// The quarter's first day, J (1 January of the year) and E (the quarter's last day).
    public var quarterStart: LocalDate
    public var yearStart: LocalDate
    public var asOf: LocalDate

    public var pool: Pool
    public var estates: Estates
    public var newlyUnmanaged: NewlyUnmanaged
    /// Of the year-to-date newly unmanaged estates: their state on E.
    public var yearToDateState: YearToDateState
    /// Year-to-date newly unmanaged estates not unmanaged on E, by estates, households and floor area.
    public var coverage: Coverage
    public var daysToCover: DaysToCover
    /// Every estate unmanaged on E.
    public var stillUnmanaged: [UnmanagedEstate]
    /// Arrangements active on E ending in (E, E + 90 days].
    public var endingSoon: [EndingArrangement]
    public var selectionRounds: SelectionRounds
    /// For the municipal roll-up: one row per unit. Empty for a unit's own return.
    public var byUnit: [UnitRow]
    /// Differences between what earlier submitted returns said and what the same figures are now.
    public var restatements: [Restatement]

    public struct Pool: Codable, Equatable, Sendable {
        /// Memberships active on E.
        public var active: Int
        public var activeDistrictGroup: Int
        public var admittedInQuarter: Int
        public var removedOrExpiredInQuarter: Int
        /// The members active on E (the detail sheet).
        public var members: [PoolMemberRow]
    }

    public struct PoolMemberRow: Codable, Equatable, Sendable {
        public var uscc: String
        public var name: String
        public var districtGroup: Bool
        public var start: LocalDate
        public var end: LocalDate
        public var capacityEstates: Int
    }

    public struct Estates: Codable, Equatable, Sendable {
        /// Registered in the unit on E.
        public var registered: Int
        /// Keys: `EstateCategory` raw values, all four always present.
        public var byCategory: [KeyCount]
        /// Keys: managed, unmanaged, selection, custody, ownerSelf, communityFallback, unknown; all always present.
        public var byState: [KeyCount]
    }

    public struct NewlyUnmanaged: Codable, Equatable, Sendable {
        /// Estates with an episode starting in the quarter.
        public var inQuarter: Int
        /// Estates with an episode starting in [J, E].
        public var yearToDate: Int
        /// The year-to-date estates (the detail sheet), with their state on E.
        public var estates: [NewlyUnmanagedEstate]
    }

    public struct NewlyUnmanagedEstate: Codable, Equatable, Sendable {
        public var code: String
        public var name: String
        public var category: String
        public var households: Int
        public var floorArea: Double
        /// The first episode of the estate starting in [J, E].
        public var episodeStart: LocalDate
        /// managed, unmanaged or a coverage kind.
        public var stateOnAsOf: String
        /// First day covered or managed again − episode start, when that is by E.
        public var daysToCover: Int?
    }

    public struct YearToDateState: Codable, Equatable, Sendable {
        /// Not unmanaged on E (covered by a kind, or managed again).
        public var covered: Int
        /// Keys: the four coverage kinds and `managed`, all always present.
        public var byKind: [KeyCount]
        public var stillUnmanaged: Int
    }

    public struct Coverage: Codable, Equatable, Sendable {
        public var estates: Rate
        public var households: Rate
        public var floorArea: Rate
    }

    public struct DaysToCover: Codable, Equatable, Sendable {
        /// Episodes starting in [J, E] that ended by E: covered by an arrangement or managed again.
        public var episodes: Int
        /// For an even count, the mean of the two middle values; `nil` without episodes.
        public var median: Double?
        public var maximum: Int?

        public init(episodes: Int, median: Double?, maximum: Int?) {
            self.episodes = episodes; self.median = median; self.maximum = maximum
        }
    }

    public struct UnmanagedEstate: Codable, Equatable, Sendable {
        public var unit: String
        public var code: String
        public var name: String
        public var subDistrict: String
        public var category: String
        public var episodeStart: LocalDate
        /// E − episode start + 1.
        public var daysUnmanaged: Int
        /// Days from E to 31 December of the year (0 on 31 December).
        public var daysLeftInYear: Int
    }

    public struct EndingArrangement: Codable, Equatable, Sendable {
        public var id: Int
        public var unit: String
        public var estateCode: String
        public var kind: String
        public var provider: String
        public var start: LocalDate
        public var end: LocalDate
    }

    public struct SelectionRounds: Codable, Equatable, Sendable {
        /// Rounds that reached awarded or failed in the quarter.
        public var finished: Int
        public var failed: Int
        public var rounds: [SelectionRoundRow]
    }

    public struct SelectionRoundRow: Codable, Equatable, Sendable {
        public var id: Int
        public var unit: String
        public var title: String
        /// awarded or failed.
        public var status: String
        public var finishedOn: LocalDate
    }

    /// One unit's headline figures in the municipal roll-up.
    public struct UnitRow: Codable, Equatable, Sendable {
        public var unit: String
        public var unitName: String
        public var activeMembers: Int
        public var registeredEstates: Int
        public var newlyUnmanagedInQuarter: Int
        public var newlyUnmanagedYearToDate: Int
        public var coveredYearToDate: Int
        public var coverageRate: Double?
        public var stillUnmanaged: Int
        /// submitted, late, missing, or pending (deadline not yet past).
        public var returnStatus: String

        public init(unit: String, unitName: String, activeMembers: Int, registeredEstates: Int, newlyUnmanagedInQuarter: Int,
                    newlyUnmanagedYearToDate: Int, coveredYearToDate: Int, coverageRate: Double?, stillUnmanaged: Int, returnStatus: String) {
            self.unit = unit; self.unitName = unitName; self.activeMembers = activeMembers; self.registeredEstates = registeredEstates
            self.newlyUnmanagedInQuarter = newlyUnmanagedInQuarter; self.newlyUnmanagedYearToDate = newlyUnmanagedYearToDate
            self.coveredYearToDate = coveredYearToDate; self.coverageRate = coverageRate; self.stillUnmanaged = stillUnmanaged
            self.returnStatus = returnStatus
        }
    }

    /// A figure of an earlier submitted return that reads differently now.
    public struct Restatement: Codable, Equatable, Sendable {
        public var year: Int
        public var quarter: Int
        /// A stable figure name, e.g. `newlyUnmanaged.yearToDate`.
        public var figure: String
        public var submitted: Double?
        public var now: Double?
    }
}
