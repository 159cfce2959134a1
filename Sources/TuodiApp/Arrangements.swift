import Foundation
import TuodiDomain
import TuodiStore

/// An arrangement as the app reports it (status as of today; the provider's name resolved).
public struct ArrangementView: Sendable, Encodable, Equatable {
    public let id: Int
    public let estateCode: String
    public let unit: String
    public let kind: String
    public let uscc: String?
    /// The company's name, or the responsible body.
    public let provider: String
    public let contact: String?
    public let start: LocalDate
    public let plannedEnd: LocalDate?
    public let reviewDate: LocalDate?
    public let endedOn: LocalDate?
    public let fee: Double?
    public let status: String
    public let justification: String?
    public let replaces: Int?
    public let selectionRoundID: Int?
    public let proposedBy: String
    public let decidedBy: String?
    public let decisionReason: String?
    /// The provider's membership is suspended, removed or expired: the arrangement keeps running
    /// (the estate must not fall back to unmanaged) but should be replaced.
    public let needsReplacement: Bool
    public let changes: [ArrangementChange]
    /// For an arrangement decided before Tuodi and recorded after the fact (#12): the decision's
    /// date and document reference (文号); `nil` for one decided in Tuodi.
    public let decidedOn: LocalDate?
    public let documentRef: String?
}

/// Arrangements ending soon and memberships expiring soon, in one unit.
public struct ExpiringList: Sendable {
    public let unit: String
    public let asOf: LocalDate
    public let withinDays: Int
    public let arrangements: [ArrangementView]
    public let memberships: [PoolMember]
}

/// The ranked custody candidates for an estate and term.
public struct CandidateList: Sendable {
    public let estateCode: String
    public let start: LocalDate
    public let plannedEnd: LocalDate
    public let eligible: [RankedCandidate]
    public let ineligible: [IneligibleCandidate]
}

public struct ArrangementUseCases: Sendable {
    let context: AppContext

    // MARK: reading

    public func list(unit: String?, estateCode: String? = nil, status: String? = nil, by actor: Caller) async throws -> [ArrangementView] {
        try await translatingErrors {
            try Gate.require(.arrangementRead, actor)
            var filterStatuses: [ArrangementStatus]?
            if let status {
                guard let s = ArrangementStatus(rawValue: status) else {
                    throw AppError.validation([FieldError(field: "status", code: "invalid", message: "状态应为 \(ArrangementStatus.allCases.map(\.rawValue).joined(separator: "、"))")])
                }
                // `ended` is also an approved arrangement past its end.
                filterStatuses = s == .ended ? [.active, .ended] : [s]
            }
            let statuses = filterStatuses
            let scope = Authorization.visibleUnit(for: actor) ?? unit
            if let own = Authorization.visibleUnit(for: actor), let unit, unit != own { return [] }
            let today = context.clock.today
            return try await context.store.read { tx in
                var estateID: Int?
                if let estateCode {
                    let stored = try await visibleEstate(estateCode, tx: tx, op: .arrangementRead, actor: actor)
                    estateID = stored.id
                }
                let found = try await tx.arrangements(ArrangementFilter(unit: scope, estateID: estateID, statuses: statuses))
                let views = try await Self.views(found, tx: tx, today: today)
                return status.map { s in views.filter { $0.status == s } } ?? views
            }
        }
    }

    public func show(id: Int, by actor: Caller) async throws -> ArrangementView {
        try await translatingErrors {
            try await context.store.briefRead { tx in
                let a = try await visible(id, tx: tx, op: .arrangementRead, actor: actor)
                return try await Self.views([a], tx: tx, today: context.clock.today)[0]
            }
        }
    }

    /// Active arrangements whose last day falls in (today, today + days], and memberships whose
    /// term ends in that window.
    public func expiring(unit: String, withinDays days: Int = 90, by actor: Caller) async throws -> ExpiringList {
        try await translatingErrors {
            guard (1...3650).contains(days) else {
                throw AppError.validation([FieldError(field: "within", code: "range", message: "天数应在 1–3650 之间")])
            }
            try Gate.require(.arrangementRead, actor, unit: unit, entity: "unit", key: unit)
            let today = context.clock.today, horizon = today.adding(days: days)
            return try await context.store.read { tx in
                let held = try await tx.arrangements(ArrangementFilter(unit: unit, statuses: [.active], endingAfter: today, endingBy: horizon))
                    .filter { a in a.effectiveEnd.map { $0 > today && $0 <= horizon } ?? false }
                    .sorted { ($0.effectiveEnd!, $0.id) < ($1.effectiveEnd!, $1.id) }
                let ending = try await tx.memberships(unit: unit, from: today, to: today).filter { $0.end > today && $0.end <= horizon }
                let members = try await PoolUseCases.members(ending, tx: tx, on: today)
                return ExpiringList(unit: unit, asOf: today, withinDays: days,
                                    arrangements: try await Self.views(held, tx: tx, today: today), memberships: members)
            }
        }
    }

    /// The pool members that could take the estate into custody for the term, ranked and explained.
    public func candidates(estateCode: String, start: String, plannedEnd: String, by actor: Caller) async throws -> CandidateList {
        try await translatingErrors {
            var e = FieldErrors()
            let s = LocalDate(iso: start), p = LocalDate(iso: plannedEnd)
            if s == nil { e.add("start", "format", "日期应为 YYYY-MM-DD，实为“\(start)”") }
            if p == nil { e.add("plannedEnd", "format", "日期应为 YYYY-MM-DD，实为“\(plannedEnd)”") }
            if let s, let p, p < s { e.add("plannedEnd", "order", "计划结束日期不能早于开始日期") }
            try e.throwIfAny()
            return try await context.store.read { tx in
                let stored = try await visibleEstate(estateCode, tx: tx, op: .arrangementRead, actor: actor)
                let facts = try await Self.candidateFacts(for: stored, start: s!, end: p!, tx: tx)
                let (eligible, ineligible) = CustodyCandidates.rank(facts, estate: stored.estate)
                return CandidateList(estateCode: estateCode, start: s!, plannedEnd: p!, eligible: eligible, ineligible: ineligible)
            }
        }
    }

    static func candidateFacts(for stored: StoredEstate, start: LocalDate, end: LocalDate, tx: any StoreTransaction) async throws -> [CandidateFacts] {
        var result: [CandidateFacts] = []
        var subDistricts: [String: String] = [:]
        for m in try await tx.memberships(unit: stored.estate.unit, from: start, to: start) {
            guard let company = try await tx.company(uscc: m.uscc) else { continue }
            let held = try await tx.arrangements(ArrangementFilter(unit: m.unit, uscc: m.uscc))
            let inTerm = held.filter { $0.overlaps(start: start, end: end) }
            var same = 0
            for a in inTerm {
                if subDistricts[a.estateCode] == nil { subDistricts[a.estateCode] = try await tx.estate(code: a.estateCode)?.estate.subDistrict }
                if subDistricts[a.estateCode] == stored.estate.subDistrict { same += 1 }
            }
            let left = held.contains { $0.estateID == stored.id && $0.status == .terminated }
            result.append(CandidateFacts(uscc: m.uscc, companyName: company.name, districtGroup: company.districtGroup,
                                         state: m.state(on: start), capacity: m.capacityEstates, score: m.score,
                                         load: ArrangementRules.peakLoad(of: held, start: start, end: end),
                                         sameSubDistrict: same, leftThisEstate: left))
        }
        return result
    }

    // MARK: proposing and deciding

    /// A clerk proposes custody (with a written justification), owner self-management or
    /// community fallback; with `replaces`, a successor to a running arrangement from its start.
    public func propose(_ draft: ArrangementDraft, by actor: Caller) async throws -> ArrangementView {
        try await translatingErrors {
            let now = context.clock.now
            return try await context.store.transaction { tx in
                let stored = try await visibleEstate(draft.estateCode.trimmingCharacters(in: .whitespaces), tx: tx, op: .arrangementPropose, actor: actor)
                let settings = try await tx.districtSettings(unit: stored.estate.unit)
                let valid = try draft.validated(custodyMaxMonths: settings.custodyMaxMonths)
                try await Self.requireUnmanaged(stored, on: valid.start, tx: tx)
                if let replaced = valid.replaces {
                    guard let old = try await tx.arrangement(id: replaced), old.estateID == stored.id, old.status == .active,
                          old.start < valid.start, old.effectiveEnd.map({ valid.start <= $0 }) ?? true else {
                        throw AppError.conflict(rule: .replaces, message: "第 \(replaced) 号安排不是本小区在 \(valid.start) 仍在运行的已批准安排，无法更换")
                    }
                }
                var capacity: Int?
                if let uscc = valid.provider.uscc {
                    capacity = try await Self.eligibleMembership(uscc, unit: stored.estate.unit, on: valid.start, tx: tx).capacityEstates
                }
                let new = NewArrangement(
                    estateID: stored.id, unit: stored.estate.unit, kind: valid.kind, provider: valid.provider, start: valid.start,
                    plannedEnd: valid.plannedEnd, reviewDate: valid.reviewDate, fee: valid.fee, status: .proposed,
                    justification: valid.justification, replaces: valid.replaces, selectionRoundID: nil, proposedBy: actor.username,
                    decidedBy: nil, createdAt: now)
                // Everything the view needs is read before the insert locks the estate and the company:
                // every appointment for one company waits for that lock, so whatever runs under it is
                // paid once per appointment in the queue.
                let today = context.clock.today
                let lookups = try await ViewLookups(for: [new.stored(id: 0, estateCode: stored.estate.code)], tx: tx, today: today, changes: false)
                // The audit entry comes next, and nothing more is locked before the commit.
                let id = try await tx.insertArrangement(new, capacity: capacity, appendsAuditNext: true)
                let view = Self.view(new.stored(id: id, estateCode: stored.estate.code), lookups, today: today)
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(Action.arrangementPropose.rawValue, by: actor.username, entity: "arrangement",
                    id: String(id), unit: stored.estate.unit, reason: valid.justification, before: Nothing?.none, after: view)
                return view
            }
        }
    }

    /// An approver who did not propose it approves: active from its start date. A replacement
    /// cuts its predecessor to end the day before, in the same transaction.
    public func approve(id: Int, reason: String? = nil, by actor: Caller) async throws -> ArrangementView {
        try await decide(id, .arrangementApprove, reason: reason, actor: actor) { a, tx, now in
            let stored = try await tx.estate(code: a.estateCode)!
            try await Self.requireUnmanaged(stored, on: a.start, tx: tx)
            // A proposal with a company is custody or a recorded selection: both need a member on their first day.
            if let uscc = a.provider.uscc {
                _ = try await Self.eligibleMembership(uscc, unit: a.unit, on: a.start, tx: tx)
            }
            try await Self.settleRecordedRound(of: a, approvedBy: actor.username, reason: nil, tx: tx, now: now)
            if let replaced = a.replaces {
                // The predecessor must still be running on the successor's first day (it may have
                // been terminated since the proposal).
                try await tx.lock(.arrangement, id: replaced)
                guard let old = try await tx.arrangement(id: replaced), old.status == .active,
                      old.effectiveEnd.map({ a.start <= $0 }) ?? true else {
                    throw AppError.conflict(rule: .replaces, message: "第 \(replaced) 号安排在 \(a.start) 已不再运行，无法由第 \(a.id) 号更换")
                }
                let lastDay = a.start.adding(days: -1)
                try await tx.updateArrangement(old.with(status: .ended, endedOn: lastDay), capacity: nil)
                try await tx.insertArrangementChange(arrangementID: old.id, kind: .replaced, date: lastDay, previousEnd: old.effectiveEnd,
                                                     reason: "由第 \(a.id) 号安排更换：\(a.justification ?? "")", recordedBy: actor.username, at: now)
            }
            return a.with(status: .active, decidedBy: actor.username, decisionReason: reason)
        }
    }

    public func reject(id: Int, reason: String?, by actor: Caller) async throws -> ArrangementView {
        let reason = try requireReason(reason)
        return try await decide(id, .arrangementReject, reason: reason, actor: actor) { a, tx, now in
            try await Self.settleRecordedRound(of: a, approvedBy: nil, reason: reason, tx: tx, now: now)
            return a.with(status: .rejected, decidedBy: actor.username, decisionReason: reason)
        }
    }

    private func decide(_ id: Int, _ op: Action, reason: String?, actor: Caller,
                        _ change: @escaping @Sendable (Arrangement, any StoreTransaction, Date) async throws -> Arrangement) async throws -> ArrangementView {
        try await translatingErrors {
            let now = context.clock.now, today = context.clock.today
            return try await context.store.transaction { tx in
                let a = try await visible(id, tx: tx, op: op, actor: actor)
                guard a.status == .proposed else {
                    throw AppError.conflict(rule: .status, message: "第 \(id) 号安排状态为 \(a.status.rawValue)，只能审批待审批（proposed）的安排")
                }
                guard a.proposedBy != actor.username else {
                    throw AppError.conflict(rule: .fourEyes, message: "提出人不能审批自己的提议")
                }
                let before = try await Self.views([a], tx: tx, today: today)[0]
                let updated = try await change(a, tx, now)
                try await tx.updateArrangement(updated, capacity: nil)
                let after = try await Self.views([try await tx.arrangement(id: id)!], tx: tx, today: today)[0]
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(op.rawValue, by: actor.username, entity: "arrangement", id: String(id),
                                                               unit: a.unit, reason: reason, before: before, after: after)
                return after
            }
        }
    }

    // MARK: changes

    /// Extends an approved arrangement to a later planned end, with a reason. Custody stays within
    /// the district's maximum term; overlap and capacity are re-checked by the store.
    public func extend(id: Int, plannedEnd: String, reason: String?, by actor: Caller) async throws -> ArrangementView {
        let reason = try await translatingErrors { try requireReason(reason) }
        return try await change(id, .arrangementExtend, reason: reason, actor: actor) { a, tx in
            let newEnd = try LocalDate.field(plannedEnd, "plannedEnd")!
            guard a.endedOn == nil, let old = a.plannedEnd, newEnd > old else {
                throw AppError.validation([FieldError(field: "plannedEnd", code: "order", message: "延期后的结束日期须晚于原计划结束日期")])
            }
            var capacity: Int?
            if a.kind == .custody {
                let max = try await tx.districtSettings(unit: a.unit).custodyMaxMonths
                let latest = a.start.adding(months: max).adding(days: -1)
                guard newEnd <= latest else {
                    throw AppError.validation([FieldError(field: "plannedEnd", code: "custodyTerm", message: "临时托管期限不得超过本区规定的 \(max) 个月（最晚 \(latest)）")])
                }
            }
            if let uscc = a.provider.uscc {
                capacity = try await tx.memberships(unit: a.unit, from: a.start, to: a.start).first { $0.uscc == uscc }?.capacityEstates ?? 0
            }
            return (a.with(plannedEnd: newEnd), .extended, newEnd, capacity)
        }
    }

    /// Ends an approved arrangement early: `lastDay` is the last day served (the day before its
    /// start cancels it before it begins). Without a successor the estate is unmanaged from the next day.
    public func terminate(id: Int, lastDay: String, reason: String?, by actor: Caller) async throws -> ArrangementView {
        let reason = try await translatingErrors { try requireReason(reason) }
        return try await change(id, .arrangementTerminate, reason: reason, actor: actor) { a, _ in
            let day = try LocalDate.field(lastDay, "lastDay")!
            guard day >= a.start.adding(days: -1), a.effectiveEnd.map({ day < $0 }) ?? true else {
                throw AppError.validation([FieldError(field: "lastDay", code: "range",
                    message: "终止日期应在 \(a.start.adding(days: -1)) 与原结束日期之前")])
            }
            return (a.with(status: .terminated, endedOn: day), .terminated, day, nil)
        }
    }

    private func change(_ id: Int, _ op: Action, reason: String, actor: Caller,
                        _ body: @escaping @Sendable (Arrangement, any StoreTransaction) async throws
                            -> (Arrangement, ArrangementChange.Kind, LocalDate, Int?)) async throws -> ArrangementView {
        try await translatingErrors {
            let now = context.clock.now, today = context.clock.today
            return try await context.store.transaction { tx in
                let a = try await visible(id, tx: tx, op: op, actor: actor)
                guard a.status == .active else {
                    throw AppError.conflict(rule: .status, message: "只能变更已批准且未终止的安排（当前：\(a.status.rawValue)）")
                }
                let before = try await Self.views([a], tx: tx, today: today)[0]
                let (updated, kind, date, capacity) = try await body(a, tx)
                try await tx.updateArrangement(updated, capacity: capacity)
                try await tx.insertArrangementChange(arrangementID: id, kind: kind, date: date, previousEnd: a.effectiveEnd,
                                                     reason: reason, recordedBy: actor.username, at: now)
                let after = try await Self.views([try await tx.arrangement(id: id)!], tx: tx, today: today)[0]
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(op.rawValue, by: actor.username, entity: "arrangement", id: String(id),
                                                               unit: a.unit, reason: reason, before: before, after: after)
                return after
            }
        }
    }

    // MARK: helpers

    /// The estate's facts must leave it unmanaged on `day` (not under a regular company).
    static func requireUnmanaged(_ stored: StoredEstate, on day: LocalDate, tx: any StoreTransaction) async throws {
        let state = EstateTimeline(facts: try await tx.facts(estateID: stored.id).map(\.fact)).managementState(on: day)
        guard state == .unmanaged else {
            throw AppError.conflict(rule: .notUnmanaged, message: "小区 \(stored.estate.code) 在 \(day) 的状态为 \(state)，不是无人管理，不能安排托底")
        }
    }

    /// The company's membership in the unit, active (not suspended, removed or expired) on `day`.
    static func eligibleMembership(_ uscc: USCC, unit: String, on day: LocalDate, tx: any StoreTransaction) async throws -> Membership {
        let ms = try await tx.memberships(unit: unit, from: day, to: day).filter { $0.uscc == uscc }
        if let m = ms.first(where: { $0.state(on: day) == .active }) { return m }
        let state = ms.first.map { $0.state(on: day).rawValue } ?? "不在本区预选库"
        // A backdated term before the company joined: name the day its membership starts.
        let later = ms.isEmpty ? try await tx.memberships(unit: unit, from: day, to: LocalDate(year: 9999, month: 12, day: 31)!)
            .filter { $0.uscc == uscc && $0.start > day }.map(\.start).min() : nil
        let since = later.map { "（其入库资格自 \($0) 起）" } ?? ""
        throw AppError.conflict(rule: .ineligible, message: "企业 \(uscc.value) 在 \(day) 的入库状态为 \(state)\(since)，不能承接新项目")
    }

    func visible(_ id: Int, tx: any StoreTransaction, op: Action, actor: Caller) async throws -> Arrangement {
        // A change reads the row under its lock, so a concurrent decision sees this one's result.
        if op.isMutating { try await tx.lock(.arrangement, id: id) }
        guard let a = try await tx.arrangement(id: id) else { throw AppError.notFound(entity: "arrangement", key: String(id)) }
        try Gate.require(op, actor, unit: a.unit, entity: "arrangement", key: String(id))
        return a
    }

    func visibleEstate(_ code: String, tx: any StoreTransaction, op: Action, actor: Caller) async throws -> StoredEstate {
        guard let stored = try await tx.estate(code: code) else { throw AppError.notFound(entity: "estate", key: code) }
        try Gate.require(op, actor, unit: stored.estate.unit, entity: "estate", key: code)
        return stored
    }

    /// The views of a list of arrangements in a few queries however long the list: the
    /// providers' names and the changes once each, the memberships once per unit that has a
    /// running company arrangement.
    static func views(_ list: [Arrangement], tx: any StoreTransaction, today: LocalDate) async throws -> [ArrangementView] {
        let lookups = try await ViewLookups(for: list, tx: tx, today: today)
        return list.map { view($0, lookups, today: today) }
    }

    /// What views need beyond the arrangements' own rows.
    struct ViewLookups {
        var names: [String: String] = [:]
        /// Unit → USCC → the company's membership state today (active when any membership is).
        var memberStates: [String: [String: MembershipState]] = [:]
        var changes: [Int: [ArrangementChange]] = [:]

        /// With `changes: false` for arrangements inserted in this transaction, which have none yet.
        init(for list: [Arrangement], tx: any StoreTransaction, today: LocalDate, changes: Bool = true) async throws {
            names = try await tx.companiesByUSCC(Set(list.compactMap { $0.provider.uscc?.value })).mapValues(\.name)
            // Only a running arrangement can need replacing: the memberships of the units that have one.
            for unit in Set(list.filter { $0.provider.uscc != nil && ArrangementUseCases.isRunning($0, today: today) }.map(\.unit)) {
                var states: [String: MembershipState] = [:]
                for m in try await tx.memberships(unit: unit, from: today, to: today) {
                    let s = m.state(on: today)
                    if states[m.uscc.value] != .active { states[m.uscc.value] = s }
                }
                memberStates[unit] = states
            }
            if changes, !list.isEmpty { self.changes = try await tx.arrangementChanges(arrangementIDs: list.map(\.id)) }
        }
    }

    static func isRunning(_ a: Arrangement, today: LocalDate) -> Bool { a.status(on: today) == .active && a.start <= today }

    static func view(_ a: Arrangement, _ lookups: ViewLookups, today: LocalDate) -> ArrangementView {
        var provider = "", contact: String?, needsReplacement = false
        switch a.provider {
        case .company(let u):
            provider = lookups.names[u.value] ?? u.value
            needsReplacement = isRunning(a, today: today) && lookups.memberStates[a.unit]?[u.value] != .active
        case .body(let name, let c):
            provider = name; contact = c
        }
        return ArrangementView(
            id: a.id, estateCode: a.estateCode, unit: a.unit, kind: a.kind.rawValue, uscc: a.provider.uscc?.value, provider: provider,
            contact: contact, start: a.start, plannedEnd: a.plannedEnd, reviewDate: a.reviewDate, endedOn: a.endedOn, fee: a.fee,
            status: a.status(on: today).rawValue, justification: a.justification, replaces: a.replaces,
            selectionRoundID: a.selectionRoundID, proposedBy: a.proposedBy, decidedBy: a.decidedBy, decisionReason: a.decisionReason,
            needsReplacement: needsReplacement, changes: lookups.changes[a.id] ?? [],
            decidedOn: a.recorded?.decidedOn, documentRef: a.recorded?.documentRef)
    }
}

extension Arrangement {
    /// A copy with some fields changed (the rest as stored).
    func with(status: ArrangementStatus? = nil, plannedEnd: LocalDate? = nil, endedOn: LocalDate? = nil,
              decidedBy: String? = nil, decisionReason: String? = nil) -> Arrangement {
        Arrangement(id: id, estateID: estateID, estateCode: estateCode, unit: unit, kind: kind, provider: provider, start: start,
                    plannedEnd: plannedEnd ?? self.plannedEnd, reviewDate: reviewDate, endedOn: endedOn ?? self.endedOn, fee: fee,
                    status: status ?? self.status, justification: justification, replaces: replaces, selectionRoundID: selectionRoundID,
                    proposedBy: proposedBy, decidedBy: decidedBy ?? self.decidedBy, decisionReason: decisionReason ?? self.decisionReason,
                    recorded: recorded)
    }
}
