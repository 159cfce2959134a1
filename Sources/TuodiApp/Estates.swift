import Foundation
import TuodiDomain
import TuodiStore

/// An estate with its state and episodes as of a date.
public struct EstateView: Sendable {
    public let estate: Estate
    public let asOf: LocalDate
    public let state: EstateState
    public let episodes: [Episode]
    public let facts: [StoredFact]
}

/// A management fact as a clerk enters it.
public struct FactDraft: Sendable {
    /// `becameUnmanaged`, `regularBegan` or `regularEnded`.
    public var kind: String
    public var date: String
    public var reason: String?
    public var company: String?

    public init(kind: String, date: String, reason: String? = nil, company: String? = nil) {
        self.kind = kind
        self.date = date
        self.reason = reason
        self.company = company
    }

    /// A fact records what has happened, so its date is today at the latest.
    func validated(today: LocalDate) throws(ValidationFailure) -> (LocalDate, ManagementFactKind) {
        var e = FieldErrors()
        let date = LocalDate(iso: self.date)
        if date == nil { e.add("date", "format", "日期应为 YYYY-MM-DD，实为“\(self.date)”") }
        if let date, date > today { e.add("date", "future", "事实的日期 \(date) 晚于今天（\(today)）：只能记录已经发生的事实") }
        var kind: ManagementFactKind?
        let company = self.company?.trimmingCharacters(in: .whitespaces)
        switch self.kind {
        case "becameUnmanaged":
            if let r = UnmanagedReason(rawValue: reason ?? "") { kind = .becameUnmanaged(reason: r) } else {
                e.add("reason", "invalid", "无人管理原因应为：\(UnmanagedReason.allCases.map(\.rawValue).joined(separator: "、"))")
            }
        case "regularBegan", "regularEnded":
            if let company, !company.isEmpty {
                kind = self.kind == "regularBegan" ? .regularBegan(company: company) : .regularEnded(company: company)
            } else {
                e.add("company", "required", "须填写物业服务企业名称")
            }
        default:
            e.add("kind", "invalid", "事实类型应为 becameUnmanaged、regularBegan 或 regularEnded")
        }
        try e.throwIfAny()
        return (date!, kind!)
    }
}

/// A fact for the audit trail.
struct FactSnapshot: Encodable {
    let id: Int
    let date: String
    let kind: String
    let detail: String?
    let supersedes: Int?

    init(id: Int, date: LocalDate, kind: ManagementFactKind?, supersedes: Int?) {
        self.id = id
        self.date = date.description
        self.supersedes = supersedes
        switch kind {
        case .becameUnmanaged(let r): self.kind = "becameUnmanaged"; detail = r.rawValue
        case .regularBegan(let c): self.kind = "regularBegan"; detail = c
        case .regularEnded(let c): self.kind = "regularEnded"; detail = c
        case nil: self.kind = "retraction"; detail = nil
        }
    }
}

/// What recording a fact changed, for the audit trail.
struct RegisteredWithManagement: Encodable {
    let estate: Estate
    let current: FactSnapshot
}

struct RecordedFact: Encodable {
    let fact: FactSnapshot
    let arrangementsEnded: [Int]?
}

public struct EstateUseCases: Sendable {
    let context: AppContext

    /// Registers an estate; with `current`, also its management today as a dated fact ("managed
    /// by company X since D" or "unmanaged since D"), so it does not start as `unknown` (#12).
    public func register(_ draft: EstateDraft, current: FactDraft? = nil, by actor: Caller) async throws -> Estate {
        try await translatingErrors {
            let today = context.clock.today
            var errors = FieldErrors()
            var estate: Estate?, fact: (LocalDate, ManagementFactKind)?
            do { estate = try draft.validated(today: today) } catch let error as ValidationFailure { errors.add(contentsOf: error) }
            if let current {
                if current.kind == "regularEnded" {
                    errors.add("kind", "current", "登记时的现状只能是 regularBegan（由某企业管理）或 becameUnmanaged（无人管理）")
                } else {
                    do { fact = try current.validated(today: today) } catch let error as ValidationFailure { errors.add(contentsOf: error) }
                }
            }
            try errors.throwIfAny()
            let valid = estate!, known = fact
            try Gate.require(.estateRegister, actor, unit: valid.unit, entity: "estate", key: valid.code)
            let now = context.clock.now
            try await context.store.transaction { tx in
                let id = try await tx.insertEstate(valid, createdAt: now)
                let audit = AuditWriter(tx: tx, now: now, logger: context.logger)
                if let known {
                    let (date, kind) = known
                    let factID = try await tx.insertFact(NewManagementFact(estateID: id, date: date, kind: kind, recordedAt: now,
                                                                           recordedBy: actor.username))
                    try await audit.record(Action.estateRegister.rawValue, by: actor.username, entity: "estate", id: valid.code, unit: valid.unit,
                        before: Nothing?.none,
                        after: RegisteredWithManagement(estate: valid, current: FactSnapshot(id: factID, date: date, kind: kind, supersedes: nil)))
                } else {
                    try await audit.record(Action.estateRegister.rawValue, by: actor.username, entity: "estate", id: valid.code, unit: valid.unit,
                        before: Nothing?.none, after: valid)
                }
            }
            return valid
        }
    }

    /// Estates the actor may see: a district role its own unit only, whatever `unit` asks for.
    public func list(unit: String?, limit: Int = 100, offset: Int = 0, by actor: Caller) async throws -> Page<Estate> {
        try await translatingErrors {
            try Gate.require(.estateRead, actor)
            try Page<Estate>.check(limit: limit, offset: offset)
            let scope = Authorization.visibleUnit(for: actor) ?? unit
            if let own = Authorization.visibleUnit(for: actor), let unit, unit != own {
                return Page(items: [], total: 0, limit: limit, offset: offset)
            }
            let (items, total) = try await context.store.read { tx in
                (try await tx.estates(unit: scope, limit: limit, offset: offset), try await tx.estateCount(unit: scope))
            }
            return Page(items: items.map(\.estate), total: total, limit: limit, offset: offset)
        }
    }

    /// One estate with its state and episodes as of `asOf` (default today).
    public func show(code: String, asOf: LocalDate? = nil, by actor: Caller) async throws -> EstateView {
        try await translatingErrors {
            try Gate.require(.estateRead, actor)
            let day = asOf ?? context.clock.today
            return try await context.store.briefRead { tx in
                let stored = try await visible(code, tx: tx, op: .estateRead, actor: actor)
                let facts = try await tx.facts(estateID: stored.id)
                let arrangements = try await tx.arrangements(ArrangementFilter(estateID: stored.id))
                let timeline = EstateTimeline(facts: facts.map(\.fact), coverage: arrangements.compactMap(\.coverage))
                return EstateView(estate: stored.estate, asOf: day, state: timeline.state(on: day),
                                  episodes: timeline.episodes(asOf: day), facts: facts)
            }
        }
    }

    /// Records a dated fact (became unmanaged, regular management began or ended).
    public func recordFact(code: String, _ draft: FactDraft, by actor: Caller) async throws -> EstateView {
        try await translatingErrors {
            let (date, kind) = try draft.validated(today: context.clock.today)
            let now = context.clock.now
            try await context.store.transaction { tx in
                let stored = try await visible(code, tx: tx, op: .estateRecordFact, actor: actor)
                let id = try await tx.insertFact(NewManagementFact(estateID: stored.id, date: date, kind: kind,
                                                                   recordedAt: now, recordedBy: actor.username))
                var ended: [Int] = []
                if case .regularBegan = kind {
                    ended = try await Self.endArrangementsForRegularAppointment(stored, from: date, tx: tx, actor: actor, now: now)
                }
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(Action.estateRecordFact.rawValue, by: actor.username,
                    entity: "estate", id: code, unit: stored.estate.unit, before: Nothing?.none,
                    after: RecordedFact(fact: FactSnapshot(id: id, date: date, kind: kind, supersedes: nil),
                                        arrangementsEnded: ended.isEmpty ? nil : ended))
            }
            return try await show(code: code, by: actor)
        }
    }

    /// Corrects a fact: a new record that supersedes it (or, with `replacement` nil, retracts it),
    /// with a required reason. The original stays in the history.
    public func correctFact(code: String, factID: Int, replacement: FactDraft?, reason: String?, by actor: Caller) async throws -> EstateView {
        try await translatingErrors {
            let reason = try requireReason(reason)
            let replaced = try replacement?.validated(today: context.clock.today)
            let now = context.clock.now
            try await context.store.transaction { tx in
                let stored = try await visible(code, tx: tx, op: .estateCorrect, actor: actor)
                let facts = try await tx.facts(estateID: stored.id)
                guard let old = facts.first(where: { $0.fact.id == factID }) else {
                    throw AppError.notFound(entity: "managementFact", key: String(factID))
                }
                let date = replaced?.0 ?? old.fact.date
                let id = try await tx.insertFact(NewManagementFact(estateID: stored.id, date: date, kind: replaced?.1,
                                                                   supersedes: factID, correctionReason: reason,
                                                                   recordedAt: now, recordedBy: actor.username))
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(Action.estateCorrect.rawValue, by: actor.username,
                    entity: "estate", id: code, unit: stored.estate.unit, reason: reason,
                    before: FactSnapshot(id: factID, date: old.fact.date, kind: old.fact.isRetraction ? nil : old.fact.kind,
                                         supersedes: old.fact.supersedes),
                    after: FactSnapshot(id: id, date: date, kind: replaced?.1, supersedes: factID))
            }
            return try await show(code: code, by: actor)
        }
    }

    /// Owners hired a company regularly (选聘) from `day`: the running arrangement ends the day
    /// before, later approved ones never start, and open proposals are rejected. The estate
    /// leaves fallback. Returns the ids changed.
    static func endArrangementsForRegularAppointment(_ stored: StoredEstate, from day: LocalDate, tx: any StoreTransaction,
                                                     actor: Caller, now: Date) async throws -> [Int] {
        var changed: [Int] = []
        let lastDay = day.adding(days: -1)
        for a in try await tx.arrangements(ArrangementFilter(estateID: stored.id, statuses: [.proposed, .active]))
        where a.effectiveEnd.map({ $0 >= day }) ?? true {
            if a.status == .proposed {
                try await tx.updateArrangement(a.with(status: .rejected, decisionReason: "业主自 \(day) 起选聘物业服务企业"), capacity: nil)
            } else {
                try await tx.updateArrangement(a.with(status: .ended, endedOn: lastDay), capacity: nil)
                try await tx.insertArrangementChange(arrangementID: a.id, kind: .regularAppointment, date: lastDay,
                                                     previousEnd: a.effectiveEnd, reason: "业主自 \(day) 起选聘物业服务企业，托底结束",
                                                     recordedBy: actor.username, at: now)
            }
            changed.append(a.id)
        }
        return changed
    }

    /// The estate, if it exists and the actor may perform `op` on it; otherwise not found.
    private func visible(_ code: String, tx: any StoreTransaction, op: Action, actor: Caller) async throws -> StoredEstate {
        guard let stored = try await tx.estate(code: code) else { throw AppError.notFound(entity: "estate", key: code) }
        try Gate.require(op, actor, unit: stored.estate.unit, entity: "estate", key: code)
        return stored
    }
}
