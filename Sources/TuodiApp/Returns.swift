import Foundation
import TuodiDomain
import TuodiStore

/// The municipal roll-up's pseudo-unit code (上海市).
public let cityUnitCode = "310000"

/// A unit's quarterly return with where it stands in the workflow.
public struct ReturnView: Sendable, Encodable {
    /// notDrafted (a live preview), draft, approved or submitted.
    public let status: String
    public let unit: String
    public let year: Int
    public let quarter: Int
    /// The last day to submit: the quarter's last day + the district's deadline setting.
    public let deadline: LocalDate
    /// Submitted after the deadline, or not submitted with the deadline past.
    public let late: Bool
    public let draftedBy: String?
    public let draftedAt: String?
    public let approvedBy: String?
    public let approvedAt: String?
    public let submittedBy: String?
    public let submittedAt: String?
    /// SHA-256 of the stored snapshot (its exact JSON bytes).
    public let snapshotSHA256: String?
    public let report: QuarterlyReturn
}

/// Where one unit's return for one quarter stands, for the municipal analyst.
public struct ReturnStatusRow: Sendable, Encodable, Equatable {
    public let unit: String
    public let unitName: String
    public let year: Int
    public let quarter: Int
    public let deadline: LocalDate
    /// submitted, late (submitted after the deadline), missing (deadline past, not submitted),
    /// or pending (deadline not yet past; `stage` says how far it got).
    public let status: String
    /// notDrafted, draft, approved or submitted.
    public let stage: String
    public let submittedAt: String?
}

public struct CoverageUseCases: Sendable {
    let context: AppContext

    /// Coverage of the fallback list on a day (default today): a unit, or the city.
    public func asOf(unit: String?, date: String?, by actor: Caller) async throws -> CoverageAsOf {
        try await translatingErrors {
            let day = try LocalDate.field(date, "asOf") ?? context.clock.today
            let scope = try ReturnUseCases.scope(unit, .coverageRead, actor)
            let key = ReportCache.Key(report: "coverage.asOf", unit: scope, parameters: [], day: day)
            return try await context.reports.read(key, store: context.store) { tx in
                if let scope { _ = try await ReturnUseCases.unitName(scope, tx: tx) }   // an unknown unit is 404
                return CoverageAsOf.compute(try await tx.coverageBasis(unit: scope, from: day, to: day))
            }
        }
    }

    /// Year-end coverage for `year`, read today: a live countdown during the year, final after it.
    public func yearEnd(unit: String?, year: Int, by actor: Caller) async throws -> YearEndCoverage {
        try await translatingErrors {
            guard (2000...2100).contains(year) else {
                throw AppError.validation([FieldError(field: "year", code: "range", message: "年份应在 2000–2100 之间")])
            }
            let scope = try ReturnUseCases.scope(unit, .coverageRead, actor)
            let today = context.clock.today
            let key = ReportCache.Key(report: "coverage.yearEnd", unit: scope, parameters: [year], day: today)
            return try await context.reports.read(key, store: context.store) { tx in
                if let scope { _ = try await ReturnUseCases.unitName(scope, tx: tx) }
                let period = YearEndCoverage.period(year: year, asOf: today)
                return YearEndCoverage.compute(try await tx.coverageBasis(unit: scope, from: period.from, to: period.to), year: year, asOf: today)
            }
        }
    }
}

public struct ReturnUseCases: Sendable {
    let context: AppContext

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    /// The stored return (exactly as stored once submitted), or a live preview when none is drafted.
    public func show(unit: String, year: Int, quarter: Int, by actor: Caller) async throws -> ReturnView {
        try await translatingErrors {
            try Self.checkPeriod(year, quarter)
            try Gate.require(.returnRead, actor, unit: unit, entity: "unit", key: unit)
            let today = context.clock.today
            return try await context.store.read { tx in
                let head = try await tx.auditHead()
                let name = try await Self.unitName(unit, tx: tx)
                let deadline = try await Self.deadline(unit: unit, year: year, quarter: quarter, tx: tx)
                if let stored = try await tx.quarterlyReturn(unit: unit, year: year, quarter: quarter, lock: false) {
                    return try Self.view(stored, deadline: deadline, today: today)
                }
                // The preview is the return as it would be drafted now: the same under the same head.
                let key = ReportCache.Key(report: "return.preview", unit: unit, parameters: [year, quarter], day: nil)
                let report: QuarterlyReturn
                if let cached = context.reports.lookup(key, head: head, as: QuarterlyReturn.self) { report = cached } else {
                    report = try await Self.compute(unit: unit, name: name, year: year, quarter: quarter, tx: tx)
                    context.reports.store(key, head: head, report)
                }
                return ReturnView(status: "notDrafted", unit: unit, year: year, quarter: quarter, deadline: deadline, late: today > deadline,
                                  draftedBy: nil, draftedAt: nil, approvedBy: nil, approvedAt: nil, submittedBy: nil, submittedAt: nil,
                                  snapshotSHA256: nil, report: report)
            }
        }
    }

    /// A clerk drafts (or re-drafts, until it is submitted): the return is computed now, with a
    /// restatement of every earlier submitted return whose figures read differently today.
    public func draft(unit: String, year: Int, quarter: Int, by actor: Caller) async throws -> ReturnView {
        try await translatingErrors {
            try Self.checkPeriod(year, quarter)
            try Gate.require(.returnDraft, actor, unit: unit, entity: "unit", key: unit)
            let (_, end) = QuarterlyReturnCalculator.bounds(year: year, quarter: quarter)!
            guard context.clock.today >= end else {
                throw AppError.conflict(rule: .quarterOpen, message: "\(year) 年第 \(quarter) 季度截至 \(end)，季末之后方可起草报表")
            }
            // Two first drafts at once both find no row, and the second insert hits the unique key.
            // Run again, the loser finds the winner's row and re-drafts it, as any later draft
            // would: simultaneous drafts converge on one draft instead of answering 409.
            do { return try await draftOnce(unit: unit, year: year, quarter: quarter, end: end, by: actor) } catch StoreError.duplicate(entity: "quarterlyReturn", _) {
                return try await draftOnce(unit: unit, year: year, quarter: quarter, end: end, by: actor)
            }
        }
    }

    private func draftOnce(unit: String, year: Int, quarter: Int, end: LocalDate, by actor: Caller) async throws -> ReturnView {
        let now = context.clock.now, today = context.clock.today
        // Long: every figure of the unit's return is computed in it.
        return try await context.store.bulkTransaction { tx in
            // One state for every figure of the draft and its restatements, however many queries
            // they take: on PostgreSQL another change could otherwise commit between two of them.
            try await tx.lockAuditTrail()
            let name = try await Self.unitName(unit, tx: tx)
            var report = try await Self.compute(unit: unit, name: name, year: year, quarter: quarter, tx: tx)
            for earlier in try await tx.quarterlyReturns(unit: unit)
            where earlier.status == .submitted && (earlier.year, earlier.quarter) < (year, quarter) {
                let submitted = try Self.decode(earlier)
                let recomputed = try await Self.compute(unit: unit, name: name, year: earlier.year, quarter: earlier.quarter, tx: tx)
                report.restatements += QuarterlyReturnCalculator.restatements(submitted: submitted, now: recomputed)
            }
            let json = String(decoding: try Self.encoder.encode(report), as: UTF8.self)
            let existing = try await tx.quarterlyReturn(unit: unit, year: year, quarter: quarter, lock: true)
            let before = try existing.map { try Self.view($0, deadline: end, today: today) }
            let stored: StoredReturn
            if var r = existing {
                guard r.status != .submitted else {
                    throw AppError.conflict(rule: .frozen, message: "\(year) 年第 \(quarter) 季度报表已报送，不能修改；之后的更正在下一期报表中列为更正说明")
                }
                r.status = .draft
                r.snapshotJSON = json
                r.snapshotSHA256 = Hex.sha256(Array(json.utf8))
                r.draftedBy = actor.username
                r.draftedAt = AuditChain.timestamp(now)
                r.approvedBy = nil
                r.approvedAt = nil
                try await tx.updateReturn(r)
                stored = r
            } else {
                let new = StoredReturn(id: 0, unit: unit, year: year, quarter: quarter, status: .draft, snapshotJSON: json,
                                       snapshotSHA256: Hex.sha256(Array(json.utf8)), draftedBy: actor.username,
                                       draftedAt: AuditChain.timestamp(now))
                _ = try await tx.insertReturn(new)
                stored = try await tx.quarterlyReturn(unit: unit, year: year, quarter: quarter, lock: false)!
            }
            let deadline = try await Self.deadline(unit: unit, year: year, quarter: quarter, tx: tx)
            let after = try Self.view(stored, deadline: deadline, today: today)
            try await AuditWriter(tx: tx, now: now, logger: context.logger).record(Action.returnDraft.rawValue, by: actor.username, entity: "quarterlyReturn",
                id: "\(unit)/\(year)Q\(quarter)", unit: unit, before: before.map(Self.summary), after: Self.summary(after))
            return after
        }
    }

    /// An approver who did not draft it approves the snapshot as drafted.
    public func approve(unit: String, year: Int, quarter: Int, by actor: Caller) async throws -> ReturnView {
        try await step(.returnApprove, unit: unit, year: year, quarter: quarter, actor: actor) { r, now in
            guard r.status == .draft else { throw Self.wrongStatus(r, expected: "draft") }
            guard r.draftedBy != actor.username else { throw AppError.conflict(rule: .fourEyes, message: "起草人不能审核自己起草的报表") }
            r.status = .approved
            r.approvedBy = actor.username
            r.approvedAt = AuditChain.timestamp(now)
        }
    }

    /// Submits the approved return: from now on it is frozen (the database refuses changes).
    public func submit(unit: String, year: Int, quarter: Int, by actor: Caller) async throws -> ReturnView {
        try await step(.returnSubmit, unit: unit, year: year, quarter: quarter, actor: actor) { r, now in
            guard r.status == .approved else { throw Self.wrongStatus(r, expected: "approved") }
            r.status = .submitted
            r.submittedBy = actor.username
            r.submittedAt = AuditChain.timestamp(now)
        }
    }

    private func step(_ op: Action, unit: String, year: Int, quarter: Int, actor: Caller,
                      _ change: @escaping @Sendable (inout StoredReturn, Date) throws -> Void) async throws -> ReturnView {
        try await translatingErrors {
            try Self.checkPeriod(year, quarter)
            try Gate.require(op, actor, unit: unit, entity: "unit", key: unit)
            let now = context.clock.now, today = context.clock.today
            return try await context.store.transaction { tx in
                guard var r = try await tx.quarterlyReturn(unit: unit, year: year, quarter: quarter, lock: true) else {
                    throw AppError.notFound(entity: "quarterlyReturn", key: "\(unit)/\(year)Q\(quarter)")
                }
                let deadline = try await Self.deadline(unit: unit, year: year, quarter: quarter, tx: tx)
                let before = try Self.view(r, deadline: deadline, today: today)
                try change(&r, now)
                try await tx.updateReturn(r)
                let after = try Self.view(r, deadline: deadline, today: today)
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(op.rawValue, by: actor.username, entity: "quarterlyReturn",
                    id: "\(unit)/\(year)Q\(quarter)", unit: unit, before: Self.summary(before), after: Self.summary(after))
                return after
            }
        }
    }

    /// Every unit's return for the quarter: submitted, late, missing or pending (the analyst's view).
    public func statuses(year: Int, quarter: Int, by actor: Caller) async throws -> [ReturnStatusRow] {
        try await translatingErrors {
            try Self.checkPeriod(year, quarter)
            try Gate.require(.returnRollup, actor)
            let today = context.clock.today
            return try await context.store.read { tx in try await Self.statusRows(year: year, quarter: quarter, today: today, tx: tx) }
        }
    }

    /// The return summed over all 17 units (computed over all their estates, so medians are
    /// exact), with a table by unit and each unit's submission status.
    public func rollup(year: Int, quarter: Int, by actor: Caller) async throws -> QuarterlyReturn {
        try await translatingErrors {
            try Self.checkPeriod(year, quarter)
            try Gate.require(.returnRollup, actor)
            let today = context.clock.today
            // Bounded, on the report threads, and computed after the read transaction has ended;
            // one read of the city's figures, each unit's being its part of them.
            let key = ReportCache.Key(report: "return.rollup", unit: nil, parameters: [year, quarter], day: today)
            let (head, cached) = try await context.store.briefRead { tx in
                let head = try await tx.auditHead()
                return (head, context.reports.lookup(key, head: head, as: QuarterlyReturn.self))
            }
            if let cached { return cached }
            let city = try await context.heavyReports.run {
                // Two sessions at once (one state), each with about half of the reading: the states
                // on E on one; the episodes and the providers on the other.
                let ((states, statuses, units), (episodes, providers)) = try await context.store.readInParallel({ tx in
                    (try await ReturnSources.states(unit: nil, year: year, quarter: quarter, tx: tx),
                     Dictionary(uniqueKeysWithValues: try await Self.statusRows(year: year, quarter: quarter, today: today, tx: tx)
                        .map { ($0.unit, $0.status) }),
                     try await tx.reportingUnits())
                }, { tx in
                    (try await ReturnSources.episodes(unit: nil, year: year, quarter: quarter, tx: tx),
                     try await ReturnSources.providers(unit: nil, year: year, quarter: quarter, tx: tx))
                })
                let sources = ReturnSources(states, episodes: episodes, providers, year: year, quarter: quarter)
                // The city's figures on one report thread, the units' (a seventeenth of it each) on the other.
                async let cityTotal = Self.compute(sources, unit: nil, name: "上海市", year: year, quarter: quarter)
                let byUnit = units.map { u in (u, Self.compute(sources, unit: u.code, name: u.name, year: year, quarter: quarter)) }
                var city = await cityTotal
                for (u, r) in byUnit {
                    city.byUnit.append(.init(unit: u.code, unitName: u.name, activeMembers: r.pool.active, registeredEstates: r.estates.registered,
                                             newlyUnmanagedInQuarter: r.newlyUnmanaged.inQuarter, newlyUnmanagedYearToDate: r.newlyUnmanaged.yearToDate,
                                             coveredYearToDate: r.yearToDateState.covered, coverageRate: r.coverage.estates.rate,
                                             stillUnmanaged: r.stillUnmanaged.count, returnStatus: statuses[u.code] ?? "missing"))
                }
                return city
            }
            context.reports.store(key, head: head, city, weight: ReportCache.rollupWeight)
            return city
        }
    }

    // MARK: helpers

    static func checkPeriod(_ year: Int, _ quarter: Int) throws {
        var e = FieldErrors()
        if !(2000...2100).contains(year) { e.add("year", "range", "年份应在 2000–2100 之间") }
        if !(1...4).contains(quarter) { e.add("quarter", "range", "季度应为 1–4") }
        try e.throwIfAny()
    }

    /// The unit a read covers: a district user's own, whatever was asked; the city when nil.
    static func scope(_ unit: String?, _ op: Action, _ actor: Caller) throws -> String? {
        let unit = unit == cityUnitCode ? nil : unit   // 310000 is the city
        try Gate.require(op, actor, unit: unit, entity: "unit", key: unit ?? "")
        return Authorization.visibleUnit(for: actor) ?? unit
    }

    static func unitName(_ unit: String, tx: any StoreTransaction) async throws -> String {
        guard let u = try await tx.reportingUnits().first(where: { $0.code == unit }) else { throw AppError.notFound(entity: "unit", key: unit) }
        return u.name
    }

    static func deadline(unit: String, year: Int, quarter: Int, tx: any StoreTransaction) async throws -> LocalDate {
        deadline(year: year, quarter: quarter, settings: try await tx.districtSettings(unit: unit))
    }

    static func deadline(year: Int, quarter: Int, settings: DistrictSettings) -> LocalDate {
        QuarterlyReturnCalculator.bounds(year: year, quarter: quarter)!.end.adding(days: settings.returnDeadlineDays)
    }

    static func decode(_ r: StoredReturn) throws -> QuarterlyReturn {
        do { return try JSONDecoder().decode(QuarterlyReturn.self, from: Data(r.snapshotJSON.utf8)) } catch {
            throw StoreError.corruptRow(entity: "quarterlyReturn", detail: "\(r.unit) \(r.year)Q\(r.quarter)")
        }
    }

    static func view(_ r: StoredReturn, deadline: LocalDate, today: LocalDate) throws -> ReturnView {
        let submittedOn = r.submittedAt.flatMap(AuditChain.date(fromTimestamp:)).map(LocalDate.inShanghai)
        let late = submittedOn.map { $0 > deadline } ?? (today > deadline)
        return ReturnView(status: r.status.rawValue, unit: r.unit, year: r.year, quarter: r.quarter, deadline: deadline, late: late,
                          draftedBy: r.draftedBy, draftedAt: r.draftedAt, approvedBy: r.approvedBy, approvedAt: r.approvedAt,
                          submittedBy: r.submittedBy, submittedAt: r.submittedAt, snapshotSHA256: r.snapshotSHA256, report: try decode(r))
    }

    /// What the audit trail keeps of a return step: the workflow fields and the snapshot's hash.
    struct Summary: Encodable {
        let status: String, draftedBy: String?, approvedBy: String?, submittedBy: String?, snapshotSHA256: String?
    }

    static func summary(_ v: ReturnView) -> Summary {
        Summary(status: v.status, draftedBy: v.draftedBy, approvedBy: v.approvedBy, submittedBy: v.submittedBy, snapshotSHA256: v.snapshotSHA256)
    }

    static func wrongStatus(_ r: StoredReturn, expected: String) -> AppError {
        .conflict(rule: .status, message: "\(r.year) 年第 \(r.quarter) 季度报表状态为 \(r.status.rawValue)，此操作需要 \(expected)")
    }

    /// Three queries whatever the number of units (one per unit cost the roll-up 34 round trips).
    static func statusRows(year: Int, quarter: Int, today: LocalDate, tx: any StoreTransaction) async throws -> [ReturnStatusRow] {
        let settings = try await tx.allDistrictSettings(), stages = try await tx.returnStages(year: year, quarter: quarter)
        return try await tx.reportingUnits().map { u in
            let deadline = deadline(year: year, quarter: quarter, settings: settings[u.code] ?? .defaults)
            let stored = stages[u.code]
            let status: String
            if let r = stored, r.status == .submitted {
                let on = r.submittedAt.flatMap(AuditChain.date(fromTimestamp:)).map(LocalDate.inShanghai)
                status = (on.map { $0 > deadline } ?? false) ? "late" : "submitted"
            } else {
                status = today > deadline ? "missing" : "pending"
            }
            return ReturnStatusRow(unit: u.code, unitName: u.name, year: year, quarter: quarter, deadline: deadline, status: status,
                                   stage: stored?.status.rawValue ?? "notDrafted", submittedAt: stored?.submittedAt)
        }
    }

    /// The return of one unit, or of the city (`unit` nil), computed now from the read model.
    static func compute(unit: String?, name: String, year: Int, quarter: Int, tx: any StoreTransaction) async throws -> QuarterlyReturn {
        compute(try await ReturnSources.load(unit: unit, year: year, quarter: quarter, tx: tx), unit: unit, name: name, year: year, quarter: quarter)
    }

    /// The return of `unit` (the city when nil) from sources loaded for it or for all units.
    static func compute(_ sources: ReturnSources, unit: String?, name: String, year: Int, quarter: Int) -> QuarterlyReturn {
        let inputs = unit.map { u in
            ReturnInputs(basis: sources.basis.only(unit: u), members: sources.members.filter { $0.membership.unit == u },
                         arrangements: sources.arrangements.filter { $0.arrangement.unit == u }, rounds: sources.rounds.filter { $0.unit == u })
        } ?? ReturnInputs(basis: sources.basis, members: sources.members, arrangements: sources.arrangements, rounds: sources.rounds)
        return QuarterlyReturnCalculator.compute(unit: unit ?? cityUnitCode, unitName: name, year: year, quarter: quarter, inputs)
    }

    /// Every estate of a unit (all when nil) with its timeline, worked out from its facts and
    /// approved arrangements (coverage by sub-district groups them).
    static func estates(unit: String?, tx: any StoreTransaction) async throws -> [CoverageEstate] {
        var spans: [Int: [CoverageSpan]] = [:]
        for a in try await tx.arrangements(ArrangementFilter(unit: unit)) {
            if let span = a.coverage { spans[a.estateID, default: []].append(span) }
        }
        let facts = try await tx.facts(unit: unit)
        let count = try await tx.estateCount(unit: unit)
        return try await tx.estates(unit: unit, limit: max(count, 1), offset: 0).map { stored in
            let e = stored.estate
            guard let registered = AuditChain.date(fromTimestamp: stored.registeredAt).map(LocalDate.inShanghai) else {
                throw StoreError.corruptRow(entity: "estate", detail: "created_at \(stored.registeredAt)")
            }
            return CoverageEstate(code: e.code, name: e.name, unit: e.unit, subDistrict: e.subDistrict, category: e.category,
                                  households: e.households, floorArea: e.floorArea, registeredOn: registered,
                                  timeline: EstateTimeline(facts: (facts[stored.id] ?? []).map(\.fact), coverage: spans[stored.id] ?? []))
        }
    }

    /// What one quarter's return is computed from: the read model's basis over J...E, every
    /// membership (the calculator picks by date), the approved arrangements that may end soon
    /// after E with their provider's name, and the selection rounds. A handful of queries
    /// whatever the size of the history.
    struct ReturnSources: Sendable {
        var basis: CoverageBasis
        var members: [ReturnInputs.Member] = []
        var arrangements: [(arrangement: Arrangement, provider: String)] = []
        var rounds: [ReturnInputs.Round] = []

        /// The estates' states on E: counts by unit, category and state, and the still-unmanaged.
        struct States: Sendable {
            var counts: [StateCount], unmanaged: [UnmanagedRow]
        }

        /// Who serves: every membership and the arrangements ending soon, each with its
        /// provider's name, and the selection rounds.
        struct Providers: Sendable {
            var members: [ReturnInputs.Member] = [], arrangements: [(arrangement: Arrangement, provider: String)] = []
            var rounds: [ReturnInputs.Round] = []
        }

        init(_ s: States, episodes: [EpisodeRow], _ p: Providers, year: Int, quarter: Int) {
            let (j, e) = Self.period(year: year, quarter: quarter)
            basis = CoverageBasis(periodStart: j, day: e, counts: s.counts, unmanaged: s.unmanaged, episodes: episodes)
            members = p.members
            arrangements = p.arrangements
            rounds = p.rounds
        }

        /// From J (1 January) to E (the quarter's last day).
        static func period(year: Int, quarter: Int) -> (LocalDate, LocalDate) {
            (LocalDate(year: year, month: 1, day: 1)!, QuarterlyReturnCalculator.bounds(year: year, quarter: quarter)!.end)
        }

        static func load(unit: String?, year: Int, quarter: Int, tx: any StoreTransaction) async throws -> ReturnSources {
            ReturnSources(try await states(unit: unit, year: year, quarter: quarter, tx: tx),
                          episodes: try await episodes(unit: unit, year: year, quarter: quarter, tx: tx),
                          try await providers(unit: unit, year: year, quarter: quarter, tx: tx), year: year, quarter: quarter)
        }

        static func episodes(unit: String?, year: Int, quarter: Int, tx: any StoreTransaction) async throws -> [EpisodeRow] {
            let (j, e) = period(year: year, quarter: quarter)
            return try await tx.episodesStarting(unit: unit, from: j, to: e)
        }

        static func states(unit: String?, year: Int, quarter: Int, tx: any StoreTransaction) async throws -> States {
            let (_, e) = period(year: year, quarter: quarter)
            return States(counts: try await tx.stateCounts(unit: unit, on: e), unmanaged: try await tx.unmanagedEstates(unit: unit, on: e))
        }

        static func providers(unit: String?, year: Int, quarter: Int, tx: any StoreTransaction) async throws -> Providers {
            let (_, e) = period(year: year, quarter: quarter)
            var r = Providers()
            let ending = try await tx.arrangementsEnding(unit: unit, after: e, through: e.adding(days: QuarterlyReturnCalculator.endingSoonDays))
            let memberships = try await tx.memberships(unit: unit, from: LocalDate(year: 1900, month: 1, day: 1)!,
                                                       to: LocalDate(year: 2999, month: 12, day: 31)!)
            // Every provider's name in one query (one each cost the city roll-up 500 round trips).
            var usccs = Set(memberships.map(\.uscc.value))
            for a in ending { if case .company(let u) = a.provider { usccs.insert(u.value) } }
            let names = try await tx.companiesByUSCC(usccs).mapValues { ($0.name, $0.districtGroup) }
            func company(_ u: USCC) -> (String, Bool) { names[u.value] ?? (u.value, false) }
            for a in ending {
                switch a.provider {
                case .company(let u): r.arrangements.append((a, company(u).0))
                case .body(let body, _): r.arrangements.append((a, body))
                }
            }
            for m in memberships {
                let (name, group) = company(m.uscc)
                r.members.append(.init(membership: m, name: name, districtGroup: group))
            }
            r.rounds = try await tx.selectionRounds(unit: unit).map {
                ReturnInputs.Round(id: $0.id, unit: $0.unit, title: $0.title, status: $0.status.rawValue, finishedOn: $0.finishedOn)
            }
            return r
        }
    }
}
