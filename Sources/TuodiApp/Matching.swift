import Foundation
import TuodiDomain
import TuodiStore

/// A batch custody proposal as the app reports it.
public struct MatchProposalView: Sendable, Encodable, Equatable {
    public let id: Int
    public let unit: String
    public let asOf: LocalDate
    public let termStart: LocalDate
    public let termEnd: LocalDate
    public let status: String
    public let weights: MatchWeights
    public let pairs: [MatchPair]
    public let unplaced: [MatchUnplaced]
    /// The sum of the pairs' costs, in hundredths of a point.
    public let totalCost: Int
    public let proposedBy: String
    public let createdAt: String
    public let decidedBy: String?
    public let decidedAt: String?
    public let decisionReason: String?
    /// The custody arrangements the approval created.
    public let arrangementIDs: [Int]

    init(_ p: MatchProposal) {
        id = p.id; unit = p.unit; asOf = p.asOf; termStart = p.termStart; termEnd = p.termEnd; status = p.status.rawValue
        weights = p.weights; pairs = p.plan.pairs; unplaced = p.plan.unplaced; totalCost = p.plan.totalCost
        proposedBy = p.proposedBy; createdAt = p.createdAt; decidedBy = p.decidedBy; decidedAt = p.decidedAt
        decisionReason = p.decisionReason; arrangementIDs = p.arrangementIDs
    }
}

/// The matching engine on the live registry: a clerk asks for the optimal batch of custody
/// appointments for a unit's unmanaged estates, edits it, and a second person approves it,
/// which creates every custody arrangement at once or none.
public struct MatchUseCases: Sendable {
    let context: AppContext

    /// Solves the unit's batch and stores it as a proposal. The term starts on `start` (default:
    /// `asOf`, default today) and runs for the district's custody maximum unless `plannedEnd` is given.
    public func propose(unit: String, asOf: String?, start: String?, plannedEnd: String?, by actor: Caller) async throws -> MatchProposalView {
        try await translatingErrors {
            try Gate.require(.matchPropose, actor, unit: unit, entity: "unit", key: unit)
            var e = FieldErrors()
            var day: LocalDate?, first: LocalDate?, last: LocalDate?
            do throws(ValidationFailure) { day = try LocalDate.field(asOf, "asOf") } catch { e.add(contentsOf: error) }
            do throws(ValidationFailure) { first = try LocalDate.field(start, "start") } catch { e.add(contentsOf: error) }
            do throws(ValidationFailure) { last = try LocalDate.field(plannedEnd, "plannedEnd") } catch { e.add(contentsOf: error) }
            try e.throwIfAny()
            let now = context.clock.now
            let asOfDay = day ?? context.clock.today
            let termStart = first ?? asOfDay, requestedEnd = last
            // Long: the unit's whole batch is solved in it.
            return try await context.store.bulkTransaction { tx in
                guard try await tx.reportingUnits().contains(where: { $0.code == unit }) else {
                    throw AppError.notFound(entity: "unit", key: unit)
                }
                let settings = try await tx.districtSettings(unit: unit)
                let latest = termStart.adding(months: settings.custodyMaxMonths).adding(days: -1)
                let termEnd = requestedEnd ?? latest
                var errors = FieldErrors()
                if termEnd < termStart { errors.add("plannedEnd", "order", "计划结束日期不能早于开始日期") }
                if termEnd > latest { errors.add("plannedEnd", "custodyTerm", "临时托管期限不得超过本区规定的 \(settings.custodyMaxMonths) 个月（最晚 \(latest)）") }
                try errors.throwIfAny()
                let (estates, companies) = try await Self.batch(unit: unit, start: termStart, end: termEnd, tx: tx)
                let plan = MatchCostModel.plan(estates: estates, companies: companies, weights: settings.matchWeights)
                var proposal = MatchProposal(id: 0, unit: unit, asOf: asOfDay, termStart: termStart, termEnd: termEnd, status: .proposed,
                                             weights: settings.matchWeights, plan: plan, proposedBy: actor.username,
                                             createdAt: AuditChain.timestamp(now))
                let id = try await tx.insertMatchProposal(proposal)
                proposal = try await tx.matchProposal(id: id, lock: false)!
                let view = MatchProposalView(proposal)
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(Action.matchPropose.rawValue, by: actor.username, entity: "matchProposal",
                                                               id: String(id), unit: unit, before: Nothing?.none, after: view)
                return view
            }
        }
    }

    public func list(unit: String?, by actor: Caller) async throws -> [MatchProposalView] {
        try await translatingErrors {
            try Gate.require(.matchRead, actor)
            if let own = Authorization.visibleUnit(for: actor), let unit, unit != own { return [] }
            let scope = Authorization.visibleUnit(for: actor) ?? unit
            return try await context.store.read { tx in try await tx.matchProposals(unit: scope).map { MatchProposalView($0) } }
        }
    }

    public func show(id: Int, by actor: Caller) async throws -> MatchProposalView {
        try await translatingErrors {
            try await context.store.read { tx in
                let p = try await visible(id, tx: tx, op: .matchRead, actor: actor, lock: false)
                return MatchProposalView(p)
            }
        }
    }

    /// Gives `estateCode` to `uscc` (or takes it out of the batch when `uscc` is nil), re-checked
    /// against eligibility and spare capacity on today's registry.
    public func edit(id: Int, estateCode: String, uscc: String?, reason: String?, by actor: Caller) async throws -> MatchProposalView {
        try await translatingErrors {
            let reason = try requireReason(reason)
            var company: USCC?
            if let uscc {
                do { company = try USCC(validating: uscc) } catch {
                    throw AppError.validation([FieldError(field: "uscc", code: "uscc", message: "统一社会信用代码无效：\(uscc)")])
                }
            }
            let target = company
            let now = context.clock.now
            // Long: the batch is loaded again and the plan re-solved around the edit.
            return try await context.store.bulkTransaction { tx in
                var p = try await visible(id, tx: tx, op: .matchEdit, actor: actor, lock: true)
                try Self.requireProposed(p)
                let (estates, companies) = try await Self.batch(unit: p.unit, start: p.termStart, end: p.termEnd, tx: tx,
                                                               including: Set(p.plan.pairs.map(\.estateCode) + p.plan.unplaced.map(\.estateCode)))
                let before = MatchProposalView(p)
                do throws(MatchEditError) {
                    p.plan = try MatchCostModel.reassign(p.plan, estateCode: estateCode, to: target, by: actor.username,
                                                         estates: estates, companies: companies, weights: p.weights)
                } catch {
                    switch error {
                    case .unknownEstate(let code):
                        throw AppError.validation([FieldError(field: "estateCode", code: "notInProposal", message: "小区 \(code) 不在本方案中")])
                    case .unknownCompany(let u): throw AppError.conflict(rule: .ineligible, message: "企业 \(u) 不是本区在 \(p.termStart) 的预选库成员")
                    case .ineligible(let why): throw AppError.conflict(rule: .ineligible, message: why)
                    case .capacity(let why): throw AppError.conflict(rule: .capacity, message: why)
                    }
                }
                try await tx.updateMatchProposal(p)
                let after = MatchProposalView(p)
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(Action.matchEdit.rawValue, by: actor.username, entity: "matchProposal",
                                                               id: String(id), unit: p.unit, reason: reason, before: before, after: after)
                return after
            }
        }
    }

    /// A second person (neither the proposer nor anyone who edited a pair) approves: every pair
    /// becomes an approved custody arrangement in this one transaction, or none does. As with a
    /// selection award, the one audit entry is the proposal's; its `after` lists the arrangements.
    public func approve(id: Int, reason: String? = nil, by actor: Caller) async throws -> MatchProposalView {
        try await decide(id, .matchApprove, reason: reason, actor: actor) { p, tx, now in
            var created: [Int] = []
            for pair in p.plan.pairs {
                guard let stored = try await tx.estate(code: pair.estateCode) else { throw AppError.notFound(entity: "estate", key: pair.estateCode) }
                try await ArrangementUseCases.requireUnmanaged(stored, on: p.termStart, tx: tx)
                let uscc = try USCC(validating: pair.uscc)
                let membership = try await ArrangementUseCases.eligibleMembership(uscc, unit: p.unit, on: p.termStart, tx: tx)
                let arrangementID = try await tx.insertArrangement(NewArrangement(
                    estateID: stored.id, unit: p.unit, kind: .custody, provider: .company(uscc), start: p.termStart,
                    plannedEnd: p.termEnd, reviewDate: nil, fee: nil, status: .active,
                    justification: Self.justification(p.id), replaces: nil, selectionRoundID: nil,
                    proposedBy: p.proposedBy, decidedBy: actor.username, createdAt: now), capacity: membership.capacityEstates)
                created.append(arrangementID)
            }
            return created
        }
    }

    public func reject(id: Int, reason: String?, by actor: Caller) async throws -> MatchProposalView {
        let reason = try await translatingErrors { try requireReason(reason) }
        return try await decide(id, .matchReject, reason: reason, actor: actor) { _, _, _ in [] }
    }

    private func decide(_ id: Int, _ op: Action, reason: String?, actor: Caller,
                        _ body: @escaping @Sendable (MatchProposal, any StoreTransaction, Date) async throws -> [Int]) async throws -> MatchProposalView {
        try await translatingErrors {
            let now = context.clock.now
            // Long: an approval books every pair of the plan.
            return try await context.store.bulkTransaction { tx in
                var p = try await visible(id, tx: tx, op: op, actor: actor, lock: true)
                try Self.requireProposed(p)
                let editors = Set(p.plan.pairs.compactMap(\.editedBy))
                guard p.proposedBy != actor.username, !editors.contains(actor.username) else {
                    throw AppError.conflict(rule: .fourEyes, message: "方案的提出人或修改人不能审批该方案")
                }
                let before = MatchProposalView(p)
                p.arrangementIDs = try await body(p, tx, now)
                p.status = op == .matchApprove ? .approved : .rejected
                p.decidedBy = actor.username
                p.decidedAt = AuditChain.timestamp(now)
                p.decisionReason = reason
                try await tx.updateMatchProposal(p)
                let after = MatchProposalView(p)
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(op.rawValue, by: actor.username, entity: "matchProposal", id: String(id),
                                                               unit: p.unit, reason: reason, before: before, after: after)
                return after
            }
        }
    }

    // MARK: helpers

    static func justification(_ proposalID: Int) -> String { "按批量托管匹配方案第 \(proposalID) 号直接指定（经审批）" }

    static func requireProposed(_ p: MatchProposal) throws {
        guard p.status == .proposed else {
            throw AppError.conflict(rule: .status, message: "第 \(p.id) 号匹配方案状态为 \(p.status.rawValue)，只能处理待审批（proposed）的方案")
        }
    }

    private func visible(_ id: Int, tx: any StoreTransaction, op: Action, actor: Caller, lock: Bool) async throws -> MatchProposal {
        guard let p = try await tx.matchProposal(id: id, lock: lock) else { throw AppError.notFound(entity: "matchProposal", key: String(id)) }
        try Gate.require(op, actor, unit: p.unit, entity: "matchProposal", key: String(id))
        return p
    }

    /// The batch on the live registry: the unit's estates unmanaged on `start` that no held
    /// arrangement covers in the term (or just `including`, for an edit), and the unit's pool
    /// members with their state on `start`, their peak load in the term and where they work.
    static func batch(unit: String, start: LocalDate, end: LocalDate, tx: any StoreTransaction,
                      including: Set<String>? = nil) async throws -> ([MatchEstate], [MatchCompany]) {
        let held = try await tx.arrangements(ArrangementFilter(unit: unit)).filter { $0.overlaps(start: start, end: end) }
        var subDistrictOf: [Int: String] = [:]
        var estates: [MatchEstate] = []
        var departed: [Int: [String]] = [:]   // estate id → companies (USCC or name) that left it
        for a in try await tx.arrangements(ArrangementFilter(unit: unit)) where a.status == .terminated {
            if let u = a.provider.uscc { departed[a.estateID, default: []].append(u.value) }
        }
        let heldEstates = Set(held.map(\.estateID))
        let total = try await tx.estateCount(unit: unit)
        var candidates: [(StoredEstate, [String])] = []
        let facts = try await tx.facts(unit: unit)
        for stored in try await tx.estates(unit: unit, limit: max(total, 1), offset: 0) {
            subDistrictOf[stored.id] = stored.estate.subDistrict
            if let including, !including.contains(stored.estate.code) { continue }
            if including == nil, heldEstates.contains(stored.id) { continue }
            let timeline = EstateTimeline(facts: (facts[stored.id] ?? []).map(\.fact))
            guard timeline.managementState(on: start) == .unmanaged else { continue }
            var left = departed[stored.id] ?? []
            for f in timeline.facts { if case .regularEnded(let company) = f.kind { left.append(company) } }
            candidates.append((stored, left))
        }
        var companies: [MatchCompany] = []
        for m in try await tx.memberships(unit: unit, from: start, to: start) {
            guard let company = try await tx.company(uscc: m.uscc) else { continue }
            let mine = held.filter { $0.provider.uscc == m.uscc }
            companies.append(MatchCompany(uscc: m.uscc, name: company.name, districtGroup: company.districtGroup, state: m.state(on: start),
                                          capacity: m.capacityEstates, score: m.score,
                                          load: ArrangementRules.peakLoad(of: mine, start: start, end: end),
                                          subDistricts: Set(mine.compactMap { subDistrictOf[$0.estateID] })))
        }
        for (stored, left) in candidates {
            // A departed company is named by USCC (arrangements) or as recorded in the fact (name or USCC).
            let leftBy = Set(companies.filter { c in left.contains(c.uscc.value) || left.contains(c.name) }.map(\.uscc))
            estates.append(MatchEstate(code: stored.estate.code, subDistrict: stored.estate.subDistrict, category: stored.estate.category,
                                       leftBy: leftBy))
        }
        return (estates, companies)
    }
}
