@testable import TuodiDomain

// Sample quarterly returns for the renderer tests: a district's Q4 return, the municipal
// roll-up (by unit, a restatement, a unit without a rate) and a unit with nothing to report.

func day(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

private typealias QR = QuarterlyReturn

private func counts(_ pairs: KeyValuePairs<String, Int>) -> [KeyCount] { pairs.map { KeyCount(key: $0.key, count: $0.value) } }

/// 黄浦区, 2026 Q4. One estate name needs HTML escaping, one needs CSV quoting.
let unitReturn = QuarterlyReturn(
    unit: "310101", unitName: "黄浦区", year: 2026, quarter: 4,
    quarterStart: day("2026-10-01"), yearStart: day("2026-01-01"), asOf: day("2026-12-31"),
    pool: QR.Pool(
        active: 4, activeDistrictGroup: 2, admittedInQuarter: 1, removedOrExpiredInQuarter: 1,
        members: [
            QR.PoolMemberRow(uscc: "91310101MA1FL00010", name: "上海申城物业管理有限公司", districtGroup: true,
                             start: day("2025-07-01"), end: day("2028-06-30"), capacityEstates: 12),
            QR.PoolMemberRow(uscc: "91310101MA1FL00029", name: "上海黄浦物业服务有限公司", districtGroup: true,
                             start: day("2025-07-01"), end: day("2028-06-30"), capacityEstates: 8),
            QR.PoolMemberRow(uscc: "91310106MA1FL00037", name: "上海静安置业物业有限公司", districtGroup: false,
                             start: day("2026-03-15"), end: day("2029-03-14"), capacityEstates: 5),
            QR.PoolMemberRow(uscc: "91310115MA1FL00045", name: "上海浦江物业管理有限公司", districtGroup: false,
                             start: day("2026-11-02"), end: day("2029-11-01"), capacityEstates: 3),
        ]
    ),
    estates: QR.Estates(
        registered: 120,
        byCategory: counts(["directPublic": 50, "workUnitPublic": 30, "earlyCommodity": 25, "otherOld": 15]),
        byState: counts(["managed": 100, "unmanaged": 2, "selection": 6, "custody": 7, "ownerSelf": 2,
                         "communityFallback": 3, "unknown": 0])
    ),
    newlyUnmanaged: QR.NewlyUnmanaged(
        inQuarter: 2, yearToDate: 6,
        estates: [
            QR.NewlyUnmanagedEstate(code: "HP-0012", name: "建国新村", category: "directPublic", households: 320,
                                    floorArea: 12000.5, episodeStart: day("2026-02-10"), stateOnAsOf: "custody", daysToCover: 21),
            QR.NewlyUnmanagedEstate(code: "HP-0031", name: "蓬莱<&>公寓", category: "workUnitPublic", households: 210,
                                    floorArea: 8300, episodeStart: day("2026-04-01"), stateOnAsOf: "selection", daysToCover: 64),
            QR.NewlyUnmanagedEstate(code: "HP-0047", name: "瞿溪小区", category: "earlyCommodity", households: 450,
                                    floorArea: 15600.25, episodeStart: day("2026-06-18"), stateOnAsOf: "ownerSelf", daysToCover: 12),
            QR.NewlyUnmanagedEstate(code: "HP-0052", name: "\"老西门,南块\"小区", category: "otherOld", households: 96,
                                    floorArea: 3100, episodeStart: day("2026-08-05"), stateOnAsOf: "managed", daysToCover: 30),
            QR.NewlyUnmanagedEstate(code: "HP-0060", name: "复兴坊", category: "directPublic", households: 104,
                                    floorArea: 2000, episodeStart: day("2026-10-20"), stateOnAsOf: "custody", daysToCover: 9),
            QR.NewlyUnmanagedEstate(code: "HP-0071", name: "丽园路小区", category: "directPublic", households: 220,
                                    floorArea: 9200, episodeStart: day("2026-11-30"), stateOnAsOf: "unmanaged", daysToCover: nil),
        ]
    ),
    yearToDateState: QR.YearToDateState(
        covered: 5,
        byKind: counts(["selection": 1, "custody": 2, "ownerSelf": 1, "communityFallback": 0, "managed": 1]),
        stillUnmanaged: 1
    ),
    coverage: QR.Coverage(
        estates: Rate(numerator: 5, denominator: 6),
        households: Rate(numerator: 1180, denominator: 1400),
        floorArea: Rate(numerator: 41000.75, denominator: 50200.75)
    ),
    daysToCover: QR.DaysToCover(episodes: 5, median: 21, maximum: 64),
    stillUnmanaged: [
        QR.UnmanagedEstate(unit: "310101", code: "HP-0071", name: "丽园路小区", subDistrict: "打浦桥街道", category: "directPublic",
                           episodeStart: day("2026-11-30"), daysUnmanaged: 32, daysLeftInYear: 0),
        QR.UnmanagedEstate(unit: "310101", code: "HP-0008", name: "董家渡小区", subDistrict: "小东门街道", category: "earlyCommodity",
                           episodeStart: day("2025-09-01"), daysUnmanaged: 487, daysLeftInYear: 0),
    ],
    endingSoon: [
        QR.EndingArrangement(id: 31, unit: "310101", estateCode: "HP-0012", kind: "custody", provider: "上海申城物业管理有限公司",
                             start: day("2026-03-03"), end: day("2027-03-02")),
        QR.EndingArrangement(id: 44, unit: "310101", estateCode: "HP-0047", kind: "ownerSelf", provider: "瞿溪小区业主委员会",
                             start: day("2026-06-30"), end: day("2027-03-31")),
    ],
    selectionRounds: QR.SelectionRounds(
        finished: 2, failed: 1,
        rounds: [
            QR.SelectionRoundRow(id: 42, unit: "310101", title: "2026年第2批老旧小区物业服务企业比选", status: "awarded",
                                 finishedOn: day("2026-11-20")),
            QR.SelectionRoundRow(id: 47, unit: "310101", title: "2026年第3批老旧小区物业服务企业比选", status: "failed",
                                 finishedOn: day("2026-12-05")),
        ]
    ),
    byUnit: [],
    restatements: []
)

/// The city: 黄浦区's figures plus two more units, one of them without newly unmanaged estates
/// (its rate is none) and not yet submitted; a restatement of the Q3 return.
let rollUp: QuarterlyReturn = {
    var r = unitReturn
    r.unit = "310000"
    r.unitName = "上海市"
    r.pool.active = 11
    r.pool.activeDistrictGroup = 5
    r.pool.members.append(QR.PoolMemberRow(uscc: "91310107MA1FL00053", name: "上海普陀物业有限公司", districtGroup: false,
                                           start: day("2026-01-05"), end: day("2029-01-04"), capacityEstates: 6))
    r.estates.registered = 300
    r.newlyUnmanaged.inQuarter = 4
    r.newlyUnmanaged.yearToDate = 9
    r.byUnit = [
        QR.UnitRow(unit: "310101", unitName: "黄浦区", activeMembers: 4, registeredEstates: 120, newlyUnmanagedInQuarter: 2,
                   newlyUnmanagedYearToDate: 6, coveredYearToDate: 5, coverageRate: 5.0 / 6.0, stillUnmanaged: 2,
                   returnStatus: "submitted"),
        QR.UnitRow(unit: "310107", unitName: "普陀区", activeMembers: 7, registeredEstates: 150, newlyUnmanagedInQuarter: 2,
                   newlyUnmanagedYearToDate: 3, coveredYearToDate: 3, coverageRate: 1, stillUnmanaged: 0, returnStatus: "late"),
        QR.UnitRow(unit: "LG", unitName: "临港新片区管委会", activeMembers: 0, registeredEstates: 30, newlyUnmanagedInQuarter: 0,
                   newlyUnmanagedYearToDate: 0, coveredYearToDate: 0, coverageRate: nil, stillUnmanaged: 0, returnStatus: "missing"),
    ]
    r.restatements = [
        QR.Restatement(year: 2026, quarter: 3, figure: "newlyUnmanaged.yearToDate", submitted: 5, now: 6),
        QR.Restatement(year: 2026, quarter: 3, figure: "coverage.households.rate", submitted: nil, now: 0.75),
    ]
    return r
}()

/// 崇明区 in Q1 with nothing at all: every rate and the median are none, every list empty.
let emptyReturn = QuarterlyReturn(
    unit: "310151", unitName: "崇明区", year: 2026, quarter: 1,
    quarterStart: day("2026-01-01"), yearStart: day("2026-01-01"), asOf: day("2026-03-31"),
    pool: QR.Pool(active: 0, activeDistrictGroup: 0, admittedInQuarter: 0, removedOrExpiredInQuarter: 0, members: []),
    estates: QR.Estates(
        registered: 0,
        byCategory: counts(["directPublic": 0, "workUnitPublic": 0, "earlyCommodity": 0, "otherOld": 0]),
        byState: counts(["managed": 0, "unmanaged": 0, "selection": 0, "custody": 0, "ownerSelf": 0,
                         "communityFallback": 0, "unknown": 0])
    ),
    newlyUnmanaged: QR.NewlyUnmanaged(inQuarter: 0, yearToDate: 0, estates: []),
    yearToDateState: QR.YearToDateState(
        covered: 0, byKind: counts(["selection": 0, "custody": 0, "ownerSelf": 0, "communityFallback": 0, "managed": 0]),
        stillUnmanaged: 0
    ),
    coverage: QR.Coverage(estates: Rate(numerator: 0, denominator: 0), households: Rate(numerator: 0, denominator: 0),
                          floorArea: Rate(numerator: 0, denominator: 0)),
    daysToCover: QR.DaysToCover(episodes: 0, median: nil, maximum: nil),
    stillUnmanaged: [], endingSoon: [],
    selectionRounds: QR.SelectionRounds(finished: 0, failed: 0, rounds: []),
    byUnit: [], restatements: []
)

let samples: [(String, QuarterlyReturn)] = [("unit", unitReturn), ("roll-up", rollUp), ("empty", emptyReturn)]
