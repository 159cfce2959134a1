import Foundation
import TuodiDomain
import TuodiStore

/// One member of a district's pool as of a day.
public struct PoolMember: Sendable, Encodable {
    public let membershipID: Int
    public let uscc: String
    public let companyName: String
    public let districtGroup: Bool
    public let start: LocalDate
    public let end: LocalDate
    public let state: MembershipState
    public let capacityEstates: Int
    public let capacityHouseholds: Int?
    public let score: Double
    public let history: [MembershipEvent]
}

/// A district's pool as of a day, with the share of district-group companies among active members.
public struct PoolRoster: Sendable {
    public let unit: String
    public let asOf: LocalDate
    public let members: [PoolMember]
    public var active: [PoolMember] { members.filter { $0.state == .active } }
    /// `nil` ("none") when there is no active member.
    public var districtGroupShare: Double? {
        active.isEmpty ? nil : Double(active.filter(\.districtGroup).count) / Double(active.count)
    }
}

/// A member as the public sees it.
public struct PublicPoolMember: Sendable, Encodable {
    public let companyName: String
    public let uscc: String
    public let start: LocalDate
    public let end: LocalDate
    public let districtGroup: Bool
}

/// An application as the app reports it.
struct ApplicationSnapshot: Encodable {
    let id: Int, roundID: Int, uscc: String, status: String, total: Double?, proposal: String?, proposedBy: String?, decidedBy: String?
    init(_ a: PoolApplication) {
        id = a.id; roundID = a.roundID; uscc = a.uscc; status = a.status.rawValue; total = a.total
        proposal = a.proposal?.rawValue; proposedBy = a.proposedBy; decidedBy = a.decidedBy
    }
}

public struct PoolUseCases: Sendable {
    let context: AppContext

    // MARK: settings

    public func settings(unit: String, by actor: Caller) async throws -> DistrictSettings {
        try await translatingErrors {
            try Gate.require(.poolRead, actor, unit: unit, entity: "unit", key: unit)
            return try await context.store.read { try await $0.districtSettings(unit: unit) }
        }
    }

    /// Saves a unit's settings. With `keepingMatchWeights`, the weights stored now stay, read in
    /// the same transaction (a request that does not mention them cannot undo a concurrent change).
    public func updateSettings(unit: String, _ settings: DistrictSettings, keepingMatchWeights: Bool = false,
                               by actor: Caller) async throws -> DistrictSettings {
        try await translatingErrors {
            try Gate.require(.settingsUpdate, actor, unit: unit, entity: "unit", key: unit)
            _ = try settings.validated()
            let now = context.clock.now
            return try await context.store.transaction { tx in
                let before = try await tx.districtSettings(unit: unit)
                var valid = settings
                if keepingMatchWeights { valid.matchWeights = before.matchWeights }
                try await tx.putDistrictSettings(unit: unit, valid, at: now)
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(Action.settingsUpdate.rawValue, by: actor.username, entity: "districtSettings",
                                                               id: unit, unit: unit, before: before, after: valid)
                return valid
            }
        }
    }

    // MARK: rounds and applications

    public func openRound(_ draft: AdmissionRoundDraft, by actor: Caller) async throws -> AdmissionRound {
        try await translatingErrors {
            let valid = try draft.validated()
            try Gate.require(.poolRoundOpen, actor, unit: valid.unit, entity: "unit", key: valid.unit)
            let now = context.clock.now
            return try await context.store.transaction { tx in
                let id = try await tx.insertRound(valid, createdBy: actor.username, at: now)
                let round = try await tx.round(id: id)!
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(Action.poolRoundOpen.rawValue, by: actor.username, entity: "admissionRound",
                    id: String(id), unit: valid.unit, before: Nothing?.none,
                    after: ["title": valid.title, "opensOn": valid.opensOn.description, "closesOn": valid.closesOn.description,
                            "criteria": valid.criteria.map { "\($0.name):\($0.weightPercent)" }.joined(separator: ",")])
                return round
            }
        }
    }

    public func rounds(unit: String, by actor: Caller) async throws -> [AdmissionRound] {
        try await translatingErrors {
            try Gate.require(.poolRead, actor, unit: unit, entity: "unit", key: unit)
            return try await context.store.read { try await $0.rounds(unit: unit) }
        }
    }

    public func applications(roundID: Int, by actor: Caller) async throws -> [PoolApplication] {
        try await translatingErrors {
            try await context.store.read { tx in
                _ = try await visibleRound(roundID, tx: tx, op: .poolRead, actor: actor)
                return try await tx.applications(roundID: roundID)
            }
        }
    }

    /// Records a company's application (entered by the clerk) while the call is open.
    public func apply(roundID: Int, uscc raw: String, capacityEstates: Int, capacityHouseholds: Int?, by actor: Caller) async throws -> PoolApplication {
        try await translatingErrors {
            var e = FieldErrors()
            var parsed: USCC?
            do { parsed = try USCC(validating: raw) } catch let error as USCCError { e.add("uscc", error.code, error.description) } catch {}
            if !(1...500).contains(capacityEstates) { e.add("capacityEstates", "range", "可承接小区数应为 1–500") }
            if let h = capacityHouseholds, !(1...1_000_000).contains(h) { e.add("capacityHouseholds", "range", "可承接户数应为正整数") }
            try e.throwIfAny()
            let uscc = parsed
            let now = context.clock.now, today = context.clock.today
            return try await context.store.transaction { tx in
                let round = try await visibleRound(roundID, tx: tx, op: .poolApply, actor: actor)
                guard round.opensOn <= today, today <= round.closesOn else {
                    throw AppError.conflict(rule: .roundClosed, message: "不在申请期内（\(round.opensOn) 至 \(round.closesOn)）")
                }
                guard try await tx.company(uscc: uscc!) != nil else {
                    throw AppError.validation([FieldError(field: "uscc", code: "unknown", message: "该企业尚未登记，请先登记企业")])
                }
                let id = try await tx.insertApplication(roundID: roundID, uscc: uscc!, capacityEstates: capacityEstates,
                                                        capacityHouseholds: capacityHouseholds, recordedBy: actor.username, at: now)
                let application = try await tx.application(id: id)!
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(Action.poolApply.rawValue, by: actor.username, entity: "application",
                    id: String(id), unit: round.unit, before: Nothing?.none, after: ApplicationSnapshot(application))
                return application
            }
        }
    }

    /// Scores an application against the round's rubric; the weighted total is computed.
    public func score(applicationID: Int, scores: [String: Double], by actor: Caller) async throws -> PoolApplication {
        try await change(applicationID, .poolScore, actor: actor, allowed: [.applied, .scored]) { app, round in
            app.scores = scores
            app.total = try Scoring.total(scores, rubric: round.criteria)
            app.status = .scored
        }
    }

    /// The clerk proposes to admit or reject a scored application.
    public func propose(applicationID: Int, _ proposal: AdmissionProposal, reason: String?, by actor: Caller) async throws -> PoolApplication {
        try await change(applicationID, .poolPropose, actor: actor, allowed: [.scored], reason: reason) { app, _ in
            app.proposal = proposal
            app.proposalReason = reason
            app.proposedBy = actor.username
            app.status = .proposed
        }
    }

    /// An approver who did not propose decides. Approving an admission creates the membership,
    /// starting today for the district's term (a recorded past decision: on its decision date,
    /// for the term it stated if any); declining sends the application back for scoring.
    public func decide(applicationID: Int, approve: Bool, reason: String?, by actor: Caller) async throws -> PoolApplication {
        let today = context.clock.today
        return try await change(applicationID, .poolDecide, actor: actor, allowed: [.proposed], reason: reason) { app, _ in
            guard app.proposedBy != actor.username else {
                throw AppError.conflict(rule: .fourEyes, message: "提议人不能审核自己的提议，须由另一位审核人决定")
            }
            app.decidedBy = actor.username
            app.decisionReason = reason
            if approve {
                app.status = app.proposal == .admit ? .admitted : .rejected
            } else {
                app.status = .scored
                app.proposal = nil
                app.proposedBy = nil
                app.decidedBy = nil
            }
        } after: { tx, app, round, now in
            guard approve, app.status == .admitted else { return }
            let settings = try await tx.districtSettings(unit: round.unit)
            let uscc = try USCC(validating: app.uscc)
            let start = round.decidedOn ?? today
            _ = try await tx.insertMembership(NewMembership(
                unit: round.unit, uscc: uscc, applicationID: app.id, start: start,
                end: app.termEnd ?? Membership.termEnd(start: start, years: settings.membershipTermYears),
                capacityEstates: app.capacityEstates, capacityHouseholds: app.capacityHouseholds, score: app.total ?? 0), at: now)
        }
    }

    /// Loads, checks and changes an application, saving it with its audit entry in one transaction.
    private func change(_ id: Int, _ op: Action, actor: Caller, allowed: Set<ApplicationStatus>, reason: String? = nil,
                        _ body: @escaping @Sendable (inout PoolApplication, AdmissionRound) throws -> Void,
                        after: @escaping @Sendable (any StoreTransaction, PoolApplication, AdmissionRound, Date) async throws -> Void = { _, _, _, _ in })
        async throws -> PoolApplication {
        try await translatingErrors {
            let now = context.clock.now
            return try await context.store.transaction { tx in
                guard let before = try await tx.application(id: id) else { throw AppError.notFound(entity: "application", key: String(id)) }
                let round = try await visibleRound(before.roundID, tx: tx, op: op, actor: actor, hideAs: ("application", String(id)))
                guard allowed.contains(before.status) else {
                    throw AppError.conflict(rule: .state, message: "申请当前状态为 \(before.status.rawValue)，不能执行 \(op.rawValue)")
                }
                var app = before
                try body(&app, round)
                try await tx.updateApplication(app)
                try await after(tx, app, round, now)
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(op.rawValue, by: actor.username, entity: "application", id: String(id),
                                                               unit: round.unit, reason: reason, before: ApplicationSnapshot(before),
                                                               after: ApplicationSnapshot(app))
                return app
            }
        }
    }

    private func visibleRound(_ id: Int, tx: any StoreTransaction, op: Action, actor: Caller,
                              hideAs: (String, String)? = nil) async throws -> AdmissionRound {
        let (entity, key) = hideAs ?? ("admissionRound", String(id))
        guard let round = try await tx.round(id: id) else { throw AppError.notFound(entity: entity, key: key) }
        try Gate.require(op, actor, unit: round.unit, entity: entity, key: key)
        return round
    }

    // MARK: memberships

    /// The pool of `unit` as of `asOf` (default today): every membership whose term covers that
    /// day, with its state and history.
    public func roster(unit: String, asOf: LocalDate? = nil, by actor: Caller) async throws -> PoolRoster {
        try Gate.require(.poolRead, actor, unit: unit, entity: "unit", key: unit)
        return try await roster(unit: unit, asOf: asOf)
    }

    /// The published roster (no login): today's active members with their names, USCCs, terms and
    /// district-group flag, and nothing else (no contacts, no scores, no history).
    public func publicRoster(unit: String) async throws -> (unit: ReportingUnit, asOf: LocalDate, members: [PublicPoolMember]) {
        guard let reportingUnit = ReportingUnit.named(unit) else { throw AppError.notFound(entity: "district", key: unit) }
        let roster = try await roster(unit: unit, asOf: nil)
        return (reportingUnit, roster.asOf, roster.active.map {
            PublicPoolMember(companyName: $0.companyName, uscc: $0.uscc, start: $0.start, end: $0.end, districtGroup: $0.districtGroup)
        })
    }

    private func roster(unit: String, asOf: LocalDate?) async throws -> PoolRoster {
        try await translatingErrors {
            guard ReportingUnit.named(unit) != nil else { throw AppError.notFound(entity: "unit", key: unit) }
            let day = asOf ?? context.clock.today
            return try await context.store.read { tx in
                let members = try await Self.members(try await tx.memberships(unit: unit, from: day, to: day), tx: tx, on: day)
                return PoolRoster(unit: unit, asOf: day, members: members)
            }
        }
    }

    static func member(_ m: Membership, tx: any StoreTransaction, on day: LocalDate) async throws -> PoolMember {
        try await members([m], tx: tx, on: day)[0]
    }

    /// The members' views, their companies fetched in one query.
    static func members(_ list: [Membership], tx: any StoreTransaction, on day: LocalDate) async throws -> [PoolMember] {
        let companies = try await tx.companiesByUSCC(Set(list.map(\.uscc.value)))
        return list.map { m in member(m, company: companies[m.uscc.value], on: day) }
    }

    static func member(_ m: Membership, company: Company?, on day: LocalDate) -> PoolMember {
        PoolMember(membershipID: m.id, uscc: m.uscc.value, companyName: company?.name ?? "",
                   districtGroup: company?.districtGroup ?? false, start: m.start, end: m.end,
                   state: m.state(on: day), capacityEstates: m.capacityEstates,
                   capacityHouseholds: m.capacityHouseholds, score: m.score, history: m.events)
    }

    /// Suspends a member from `from` (default today), optionally until a day that lifts it.
    public func suspend(membershipID: Int, reason: String?, from: LocalDate? = nil, until: LocalDate?, by actor: Caller) async throws -> PoolMember {
        let start = from ?? context.clock.today
        if let until, until <= start {
            throw AppError.validation([FieldError(field: "until", code: "order", message: "暂停结束日期应晚于开始日期")])
        }
        return try await event(membershipID, .membershipSuspend, .suspended, date: start, until: until, reason: reason, actor: actor)
    }

    public func reinstate(membershipID: Int, reason: String?, by actor: Caller) async throws -> PoolMember {
        try await event(membershipID, .membershipReinstate, .reinstated, date: context.clock.today, until: nil, reason: reason, actor: actor)
    }

    public func remove(membershipID: Int, reason: String?, by actor: Caller) async throws -> PoolMember {
        try await event(membershipID, .membershipRemove, .removed, date: context.clock.today, until: nil, reason: reason, actor: actor)
    }

    private func event(_ id: Int, _ op: Action, _ kind: MembershipEvent.Kind, date: LocalDate, until: LocalDate?, reason: String?,
                       actor: Caller) async throws -> PoolMember {
        try await translatingErrors {
            let reason = try requireReason(reason)
            let now = context.clock.now
            return try await context.store.transaction { tx in
                guard let m = try await tx.membership(id: id) else { throw AppError.notFound(entity: "membership", key: String(id)) }
                try Gate.require(op, actor, unit: m.unit, entity: "membership", key: String(id))
                let state = m.state(on: date)
                switch (kind, state) {
                case (.suspended, .active), (.reinstated, .suspended), (.removed, .active), (.removed, .suspended), (.removed, .pending): break
                default:
                    throw AppError.conflict(rule: .state, message: "入库状态为 \(state.rawValue)，不能\(kind == .suspended ? "暂停" : kind == .reinstated ? "恢复" : "移出")")
                }
                _ = try await tx.insertMembershipEvent(membershipID: id, kind: kind, date: date, until: until, reason: reason,
                                                       recordedBy: actor.username, at: now)
                let after = try await tx.membership(id: id)!
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(op.rawValue, by: actor.username, entity: "membership", id: String(id),
                    unit: m.unit, reason: reason, before: ["state": state.rawValue],
                    after: ["state": after.state(on: date).rawValue, "date": date.description, "until": until?.description ?? ""])
                return try await Self.member(after, tx: tx, on: date)
            }
        }
    }
}
