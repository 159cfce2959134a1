import Foundation
import Testing
import TuodiApp
import TuodiDomain
import TuodiStore
import TuodiTestSupport

/// The episode read model (issue #14) against a from-scratch `EstateTimeline` computation, on
/// both backends: random histories of facts, corrections and retractions, arrangements of every
/// kind (proposed, approved, rejected), extensions, terminations and backdated entries. After
/// every step the stored rows equal the computation, and coverage and a return computed from the
/// read model equal the same figures computed from the estates' timelines.
@Suite("Episode read model: random histories")
struct ReadModelPropertyTests {
    static let first = LocalDate(iso: "2025-01-01")!, today = LocalDate(iso: "2027-06-30")!

    struct World {
        let store: any Store
        func on(_ day: LocalDate) -> AppContext {
            AppContext(store: store, clock: FixedClock(day), logger: TestDatabases.logger, security: SecuritySettings(bcryptCost: 4))
        }
    }

    static let uscc = USCC.withCheckCharacter(body: "91310101MA1RT0001")!.value

    @Test("after every step the read model equals EstateTimeline, and the figures agree", arguments: StoreKind.allCases)
    func randomHistories(_ kind: StoreKind) async throws {
        for seed: UInt64 in [7, 2026] {
            try await run(kind, seed: seed, steps: 40)
        }
    }

    func run(_ kind: StoreKind, seed: UInt64, steps: Int) async throws {
        var random = SeededGenerator(seed: seed)
        let world = World(store: try await TestDatabases.freshStore(kind))
        // A pool member from 2025-01-01, so custody can start on any day of the history.
        let start = world.on(Self.first)
        try await TestUsers.create(start)
        let clerk = try await TestUsers.caller(start, "hp.clerk"), approver = try await TestUsers.caller(start, "hp.approver")
        try await TestUsers.admitToPool(start, uscc: Self.uscc, name: "黄浦物业", capacity: 50)
        var codes: [String] = []
        func register(_ context: AppContext) async throws {
            let code = "P\(codes.count + 1)"
            _ = try await context.estates.register(EstateDraft(code: code, name: "小区\(code)", address: "某路 1 号", unit: "310101",
                subDistrict: "豫园街道", category: "直管公房", households: String(50 + codes.count * 37), buildings: "2",
                floorArea: String(1000 + codes.count * 333)), by: clerk)
            codes.append(code)
        }
        for _ in 0..<4 { try await register(start) }

        let now = world.on(Self.today)
        func day() -> LocalDate { Self.first.adding(days: Int.random(in: 0...Self.first.days(until: Self.today), using: &random)) }
        var log: [String] = []
        for step in 0..<steps {
            let code = codes.randomElement(using: &random)!
            let choice = Int.random(in: 0..<100, using: &random)
            let what: String
            do {
                switch choice {
                case 0..<30:   // a fact, often dated long before today
                    let kinds = ["becameUnmanaged", "becameUnmanaged", "regularBegan", "regularEnded"]
                    let k = kinds.randomElement(using: &random)!
                    what = "fact \(code) \(k)"
                    _ = try await now.estates.recordFact(code: code, FactDraft(kind: k, date: day().description,
                        reason: k == "becameUnmanaged" ? "contractEnded" : nil, company: k == "becameUnmanaged" ? nil : "甲物业"), by: clerk)
                case 30..<40:  // a correction: another date or kind, or a retraction
                    let facts = try await now.estates.show(code: code, by: clerk).facts.filter { f in
                        !f.fact.isRetraction
                    }
                    guard let f = facts.randomElement(using: &random) else { what = "no fact to correct"; break }
                    let retract = Bool.random(using: &random)
                    what = "correct \(code) #\(f.fact.id)\(retract ? " retract" : "")"
                    _ = try await now.estates.correctFact(code: code, factID: f.fact.id,
                        replacement: retract ? nil : FactDraft(kind: "becameUnmanaged", date: day().description, reason: "other"),
                        reason: "录入错误", by: clerk)
                case 40..<70:  // an arrangement of one of the three kinds a clerk proposes
                    let s = day()
                    let k = ["custody", "ownerSelf", "communityFallback"].randomElement(using: &random)!
                    let end = k == "custody" || Bool.random(using: &random) ? s.adding(days: Int.random(in: 0...150, using: &random)).description : nil
                    what = "propose \(k) \(code) \(s)…\(end ?? "")"
                    let a = try await now.arrangements.propose(ArrangementDraft(estateCode: code, kind: k, uscc: k == "custody" ? Self.uscc : nil,
                        body: k == "custody" ? nil : "业委会", contact: k == "custody" ? nil : "13800000000", start: s.description,
                        plannedEnd: end, reviewDate: k == "custody" ? nil : s.adding(days: 180).description,
                        justification: k == "custody" ? "原物业撤场" : nil), by: clerk)
                    switch Int.random(in: 0..<10, using: &random) {
                    case 0..<7: _ = try await now.arrangements.approve(id: a.id, by: approver)
                    case 7..<9: _ = try await now.arrangements.reject(id: a.id, reason: "材料不全", by: approver)
                    default: break   // stays proposed: it holds its days but covers none
                    }
                case 70..<78:  // a selection award's arrangement, written as the award approval writes it
                    let s = day()
                    what = "selection \(code) \(s)"
                    try await world.store.transaction { tx in
                        let estate = try await tx.estate(code: code)!
                        _ = try await tx.insertArrangement(NewArrangement(estateID: estate.id, unit: "310101", kind: .selection,
                            provider: .company(try USCC(validating: Self.uscc)), start: s, plannedEnd: s.adding(days: 365), reviewDate: nil, fee: nil,
                            status: .active, justification: nil, replaces: nil, selectionRoundID: nil, proposedBy: "hp.clerk",
                            decidedBy: "hp.approver", createdAt: Date()), capacity: 50)
                    }
                case 78..<86:  // an extension
                    guard let a = try await held(now, clerk, random: &random) else { what = "nothing to extend"; break }
                    let to = (a.plannedEnd ?? a.start).adding(days: Int.random(in: 1...60, using: &random))
                    what = "extend #\(a.id) to \(to)"
                    _ = try await now.arrangements.extend(id: a.id, plannedEnd: to.description, reason: "延续服务", by: clerk)
                case 86..<96:  // a termination, often backdated
                    guard let a = try await held(now, clerk, random: &random) else { what = "nothing to terminate"; break }
                    let last = a.start.adding(days: Int.random(in: 0...90, using: &random))
                    what = "terminate #\(a.id) on \(last)"
                    _ = try await now.arrangements.terminate(id: a.id, lastDay: last.description, reason: "提前终止", by: clerk)
                default:       // a newly registered estate (registered today: not yet counted on earlier days)
                    what = "register"
                    try await register(now)
                }
            } catch is AppError {
                log.append("\(step): refused")
                try await check(world, kind: kind, seed: seed, step: step, log: log, random: &random)
                continue
            } catch StoreError.refused {
                log.append("\(step): refused by the store")
                try await check(world, kind: kind, seed: seed, step: step, log: log, random: &random)
                continue
            }
            log.append("\(step): \(what)")
            try await check(world, kind: kind, seed: seed, step: step, log: log, random: &random)
        }
        try await world.store.close()
    }

    /// An approved arrangement, if any.
    func held(_ context: AppContext, _ clerk: Caller, random: inout SeededGenerator) async throws -> ArrangementView? {
        try await context.arrangements.list(unit: "310101", by: clerk).filter { $0.status == "active" || $0.status == "ended" }
            .randomElement(using: &random)
    }

    /// The stored rows against `EstateTimeline` on every estate; coverage on a random day and a
    /// random quarter's return from the read model against the same from the timelines.
    func check(_ world: World, kind: StoreKind, seed: UInt64, step: Int, log: [String], random: inout SeededGenerator) async throws {
        let context = "\(kind) seed \(seed) step \(step): \(log.suffix(4).joined(separator: "; "))"
        let day = Self.first.adding(days: Int.random(in: -30...(Self.first.days(until: Self.today) + 30), using: &random))
        let quarter = Int.random(in: 1...4, using: &random), year = Int.random(in: 2025...2027, using: &random)
        let (_, e) = QuarterlyReturnCalculator.bounds(year: year, quarter: quarter)!
        let j = LocalDate(year: year, month: 1, day: 1)!
        let (stored, estates, arrangements, dayBasis, returnBasis) = try await world.store.transaction { tx in
            let estates = try await Self.fromScratch(tx)
            return (try await tx.readModelRows(), estates.estates, estates.arrangements,
                    try await tx.coverageBasis(unit: nil, from: day, to: day), try await tx.coverageBasis(unit: "310101", from: j, to: e))
        }
        let expected = Dictionary(uniqueKeysWithValues: estates.map { ($0.code, EstateReadModel(timeline: $0.timeline)) })
            .filter { !$0.value.episodes.isEmpty || !$0.value.states.isEmpty }
        #expect(stored == expected, "\(context)")
        #expect(CoverageAsOf.compute(dayBasis) == CoverageAsOf.compute(estates, on: day), "\(context) coverage on \(day)")
        let fromModel = QuarterlyReturnCalculator.compute(unit: "310101", unitName: "黄浦区", year: year, quarter: quarter,
            ReturnInputs(basis: returnBasis, members: [], arrangements: arrangements, rounds: []))
        let fromTimelines = QuarterlyReturnCalculator.compute(unit: "310101", unitName: "黄浦区", year: year, quarter: quarter,
            ReturnInputs(estates: estates, members: [], arrangements: arrangements, rounds: []))
        #expect(fromModel == fromTimelines, "\(context) return \(year)Q\(quarter)")
        let period = YearEndCoverage.period(year: year, asOf: day)
        let yearEndBasis = try await world.store.transaction { try await $0.coverageBasis(unit: nil, from: period.from, to: period.to) }
        #expect(YearEndCoverage.compute(yearEndBasis, year: year, asOf: day) == YearEndCoverage.compute(estates, year: year, asOf: day),
                "\(context) year-end \(year) on \(day)")
    }

    /// Every estate with its timeline, read through the store's ordinary queries (not the read
    /// model's own loader), and the approved arrangements.
    static func fromScratch(_ tx: any StoreTransaction) async throws -> (estates: [CoverageEstate], arrangements: [(arrangement: Arrangement, provider: String)]) {
        let all = try await tx.arrangements(ArrangementFilter())
        let facts = try await tx.facts(unit: nil)
        let estates = try await tx.estates(unit: nil, limit: 10_000, offset: 0).map { s in
            CoverageEstate(code: s.estate.code, name: s.estate.name, unit: s.estate.unit, subDistrict: s.estate.subDistrict,
                           category: s.estate.category, households: s.estate.households, floorArea: s.estate.floorArea,
                           registeredOn: LocalDate.inShanghai(AuditChain.date(fromTimestamp: s.registeredAt)!),
                           timeline: EstateTimeline(facts: (facts[s.id] ?? []).map(\.fact),
                                                    coverage: all.filter { $0.estateID == s.id }.compactMap(\.coverage)))
        }
        return (estates, all.filter { $0.coverage != nil }.map { ($0, "黄浦物业") })
    }
}
