import Foundation
import TuodiDomain
import TuodiStore

/// City-scale synthetic history for benchmarks and trials (`tuodi demo generate`): estates in all
/// 17 units, regular companies leaving, unmanaged episodes, and every route covering them, over
/// a number of years. Deterministic for a seed.
///
/// It runs only on a registry without estates. Pool memberships go through the real admission
/// workflow (audited step by step, under the generator's own names). Estates,
/// facts and arrangements are bulk-loaded through the store, which still checks every
/// arrangement against the overlap rule; the bulk load leaves one audit entry per unit.
public enum DemoGenerator {
    public struct Report: Sendable, Encodable {
        public var estates = 0, facts = 0, arrangements = 0, memberships = 0, companies = 0
        public var from: LocalDate
        public var through: LocalDate
    }

    /// The domain's SplitMix64, with the draws the generator uses.
    struct Random {
        var generator: SeededGenerator
        init(state: UInt64) { generator = SeededGenerator(seed: state) }
        mutating func next() -> UInt64 { generator.next() }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) / 1_000_000 < p }
    }

    static let companiesPerUnit = 6

    /// The USCC of a generated company: `91`, the unit's area code (浦东's for 临港, with serials
    /// from 501 so they differ from 浦东's), `MA1G`, a serial, check.
    static func uscc(unit: String, serial: Int) -> USCC {
        let (area, n) = unit == "LG" ? ("310115", serial + 500) : (unit, serial)
        return USCC.withCheckCharacter(body: "91" + area + "MA1G" + String(format: "%05d", n))!
    }

    public static func generate(_ context: AppContext, estates total: Int, years: Int, seed: UInt64 = 20_261_203,
                                through: LocalDate? = nil) async throws -> Report {
        guard (1...1_000_000).contains(total) else {
            throw AppError.validation([FieldError(field: "estates", code: "range", message: "小区数应为 1–1,000,000")])
        }
        guard (1...30).contains(years) else {
            throw AppError.validation([FieldError(field: "years", code: "range", message: "年数应为 1–30")])
        }
        let end = through ?? context.clock.today
        let start = LocalDate(year: end.year - years + 1, month: 1, day: 1)!
        var report = Report(from: start, through: end)
        let units = try await context.store.transaction { try await $0.reportingUnits() }
        // Synthetic history goes only into a registry without estates: never beside real data.
        let existing = try await context.store.transaction { try await $0.estateCount(unit: nil) }
        guard existing == 0 else {
            throw AppError.conflict(rule: .notEmpty, message: "小区清单已有 \(existing) 个小区：演示数据只生成到空的数据库中")
        }
        var random = Random(state: seed)
        for (index, unit) in units.enumerated() {
            // Spread the estates over the units, the remainder to the first ones.
            let count = total / units.count + (index < total % units.count ? 1 : 0)
            let providers = try await admitPool(context, unit: unit.code, from: start, through: end, report: &report)
            try await loadEstates(context, unit: unit.code, count: count, from: start, through: end, providers: providers,
                                  random: &random, report: &report)
        }
        try await context.store.refreshStatistics()
        return report
    }

    static func code(unit: String, _ i: Int) -> String { "G\(unit)-" + String(format: "%06d", i) }

    /// Registers the unit's companies and admits them for successive terms through the pool
    /// workflow, each decision taken on the term's first day.
    static func admitPool(_ context: AppContext, unit: String, from: LocalDate, through: LocalDate, report: inout Report) async throws -> [USCC] {
        let clerk = Caller(userID: 0, username: "generator.clerk", role: .districtClerk, unit: unit)
        let approver = Caller(userID: 0, username: "generator.approver", role: .districtApprover, unit: unit)
        let usccs = (1...companiesPerUnit).map { uscc(unit: unit, serial: $0) }
        for (i, u) in usccs.enumerated() {
            _ = try await context.companies.register(CompanyDraft(uscc: u.value, name: "演示物业\(unit)-\(i + 1) 有限公司",
                                                                  ownership: i == 0 ? "stateWhollyOwned" : "private", districtGroup: i == 0), by: clerk)
            report.companies += 1
        }
        let term = try await context.store.transaction { try await $0.districtSettings(unit: unit) }.membershipTermYears
        var day = from
        while day <= through {
            let onDay = AppContext(store: context.store, clock: FixedClock(day), logger: context.logger, security: context.security)
            let round = try await onDay.pool.openRound(AdmissionRoundDraft(unit: unit, title: "\(day.year) 年预选库征集（演示）",
                opensOn: day.description, closesOn: day.adding(days: 30).description,
                criteria: [ScoringCriterion(name: "服务能力", weightPercent: 100)]), by: clerk)
            for (i, u) in usccs.enumerated() {
                let app = try await onDay.pool.apply(roundID: round.id, uscc: u.value, capacityEstates: 500, capacityHouseholds: nil, by: clerk)
                _ = try await onDay.pool.score(applicationID: app.id, scores: ["服务能力": 95 - Double(i) * 4], by: clerk)
                _ = try await onDay.pool.propose(applicationID: app.id, .admit, reason: "演示数据", by: clerk)
                _ = try await onDay.pool.decide(applicationID: app.id, approve: true, reason: nil, by: approver)
                report.memberships += 1
            }
            day = LocalDate(year: day.year + term, month: day.month, day: day.day)!
        }
        return usccs
    }

    /// The unit's estates and their history, in one transaction.
    static func loadEstates(_ context: AppContext, unit: String, count: Int, from: LocalDate, through: LocalDate, providers: [USCC],
                            random: inout Random, report: inout Report) async throws {
        let categories: [(EstateCategory, Double)] = [(.directPublic, 0.35), (.workUnitPublic, 0.25), (.earlyCommodity, 0.25), (.otherOld, 0.15)]
        var estates: [Estate] = []
        for i in 1...max(count, 1) where count > 0 {
            var pick = Double(random.int(0...999)) / 1000, category = EstateCategory.otherOld
            for (c, share) in categories { if pick < share { category = c; break }; pick -= share }
            let households = random.int(60...1_200)
            estates.append(Estate(code: code(unit: unit, i), name: "演示小区\(i)", address: "演示路 \(i) 号", unit: unit,
                                  legalDistrict: unit == "LG" ? "310115" : unit, subDistrict: "第\(random.int(1...8))街道", category: category,
                                  highDispute: random.chance(0.05), households: households, buildings: households / 40 + 1,
                                  floorArea: Double(households * random.int(45...75)), yearBuilt: random.int(1950...1999)))
        }
        guard !estates.isEmpty else { return }
        // Each estate's story, drawn before the transaction so the database sees plain inserts.
        var stories: [(code: String, facts: [(LocalDate, ManagementFactKind)], arrangements: [(CoverageKind, LocalDate, LocalDate?, Int)])] = []
        for e in estates {
            var facts: [(LocalDate, ManagementFactKind)] = [(from.adding(days: -random.int(365...3650)), .regularBegan(company: "原物业服务企业"))]
            var plans: [(CoverageKind, LocalDate, LocalDate?, Int)] = []
            var managedFrom = from
            storyLoop: while true {
                // A regular company stays about four years on average before it leaves.
                let leaves = managedFrom.adding(days: random.int(30...2_900))
                guard leaves < through else { break }
                facts.append((leaves, .regularEnded(company: "原物业服务企业")))
                var unmanagedFrom = leaves.adding(days: 1)
                while true {
                    let delay = random.chance(0.7) ? random.int(0...90) : random.int(91...330)
                    let coveredFrom = unmanagedFrom.adding(days: delay)
                    guard coveredFrom <= through else { break storyLoop }
                    if random.chance(0.1) {                      // the owners hire a company themselves
                        facts.append((coveredFrom, .regularBegan(company: "业主选聘物业")))
                        managedFrom = coveredFrom
                        continue storyLoop
                    }
                    let roll = random.int(0...99)
                    let kind: CoverageKind = roll < 35 ? .custody : roll < 65 ? .selection : roll < 85 ? .ownerSelf : .communityFallback
                    let months = kind == .custody ? random.int(6...12) : kind == .selection ? 36 : random.int(12...24)
                    let last = coveredFrom.adding(months: months).adding(days: -1)
                    plans.append((kind, coveredFrom, last, random.int(0...(providers.count - 1))))
                    let next = last.adding(days: 1)
                    guard next <= through else { break storyLoop }
                    if random.chance(0.5) {                      // regular management follows the fallback
                        facts.append((next, .regularBegan(company: "业主选聘物业")))
                        managedFrom = next
                        continue storyLoop
                    }
                    unmanagedFrom = next                         // no successor: a new episode
                }
            }
            stories.append((e.code, facts, plans))
        }
        let now = context.clock.now
        let (rows, plans) = (estates, stories)
        let made = try await context.store.bulkTransaction { tx -> (Int, Int) in
            // Synthetic estates were "registered" when their history begins.
            try await tx.insertEstates(rows, createdAt: FixedClock(from).now)
            let ids = Dictionary(uniqueKeysWithValues: try await tx.estates(unit: unit, limit: try await tx.estateCount(unit: unit), offset: 0)
                .map { ($0.estate.code, $0.id) })
            var facts = 0, arrangements = 0
            for story in plans {
                let id = ids[story.code]!
                for (date, kind) in story.facts {
                    _ = try await tx.insertFact(NewManagementFact(estateID: id, date: date, kind: kind, recordedAt: now, recordedBy: "generator.clerk"))
                    facts += 1
                }
                for (kind, first, last, provider) in story.arrangements {
                    let who: ArrangementProvider = kind == .custody || kind == .selection
                        ? .company(providers[provider]) : .body(name: kind == .ownerSelf ? "业主委员会" : "街道社区托底服务站", contact: "021-00000000")
                    _ = try await tx.insertArrangement(NewArrangement(
                        estateID: id, unit: unit, kind: kind, provider: who, start: first, plannedEnd: last,
                        reviewDate: kind == .ownerSelf || kind == .communityFallback ? first.adding(months: 6) : nil, fee: nil, status: .active,
                        justification: kind == .custody ? "演示数据：原物业撤场" : nil, replaces: nil, selectionRoundID: nil,
                        proposedBy: "generator.clerk", decidedBy: "generator.approver", createdAt: now), capacity: nil)
                    arrangements += 1
                }
            }
            struct Loaded: Encodable { let estates: Int, facts: Int, arrangements: Int }
            try await AuditWriter(tx: tx, now: now, logger: context.logger).record("demo.generate", by: "generator", entity: "unit", id: unit, unit: unit,
                reason: "演示数据批量生成", before: Nothing?.none, after: Loaded(estates: rows.count, facts: facts, arrangements: arrangements))
            return (facts, arrangements)
        }
        report.estates += estates.count
        report.facts += made.0
        report.arrangements += made.1
    }
}
