import Foundation
import OpenAPIRuntime
import TuodiAPI
import TuodiApp
import TuodiDomain
import TuodiStore

extension APIHandler {
    static func wire(_ s: DistrictSettings) -> Components.Schemas.DistrictSettings {
        .init(membershipTermYears: s.membershipTermYears, custodyMaxMonths: s.custodyMaxMonths, returnDeadlineDays: s.returnDeadlineDays,
              matchWeights: wire(s.matchWeights))
    }

    static func wire(_ r: AdmissionRound) -> Components.Schemas.AdmissionRound {
        .init(id: r.id, unit: r.unit, title: r.title, opensOn: r.opensOn.description, closesOn: r.closesOn.description,
              criteria: r.criteria.map { .init(name: $0.name, weightPercent: $0.weightPercent) }, createdBy: r.createdBy,
              decidedOn: r.decidedOn?.description, documentRef: r.documentRef)
    }

    static func wire(_ a: PoolApplication) throws -> Components.Schemas.Application {
        try .init(id: a.id, roundId: a.roundID, uscc: a.uscc, status: try wireCase(a.status.rawValue), capacityEstates: a.capacityEstates,
              capacityHouseholds: a.capacityHouseholds, scores: a.scores.map { .init(additionalProperties: $0) }, total: a.total,
              proposal: a.proposal.flatMap { .init(rawValue: $0.rawValue) }, proposedBy: a.proposedBy, decidedBy: a.decidedBy)
    }

    static func wire(_ m: PoolMember) throws -> Components.Schemas.PoolMember {
        try .init(membershipId: m.membershipID, uscc: m.uscc, companyName: m.companyName, districtGroup: m.districtGroup,
              start: m.start.description, end: m.end.description, state: try wireCase(m.state.rawValue),
              capacityEstates: m.capacityEstates, capacityHouseholds: m.capacityHouseholds, score: m.score,
              history: m.history.map { .init(kind: try wireCase($0.kind.rawValue), date: $0.date.description,
                                             until: $0.until?.description, reason: $0.reason) })
    }

    func getSettings(_ input: Operations.getSettings.Input) async throws -> Operations.getSettings.Output {
        .ok(.init(body: .json(Self.wire(try await context.pool.settings(unit: input.path.unit, by: try await caller())))))
    }

    func putSettings(_ input: Operations.putSettings.Input) async throws -> Operations.putSettings.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        // Without `matchWeights` the district keeps the weights it has.
        let weights = b.matchWeights.map { MatchWeights(sameSubDistrict: $0.sameSubDistrict, merit: $0.merit, load: $0.load, districtGroup: $0.districtGroup) }
        let saved = try await context.pool.updateSettings(
            unit: input.path.unit, DistrictSettings(membershipTermYears: b.membershipTermYears, custodyMaxMonths: b.custodyMaxMonths,
                                                    returnDeadlineDays: b.returnDeadlineDays, matchWeights: weights ?? .defaults),
            keepingMatchWeights: weights == nil, by: actor)
        return .ok(.init(body: .json(Self.wire(saved))))
    }

    func getPool(_ input: Operations.getPool.Input) async throws -> Operations.getPool.Output {
        let actor = try await caller()
        let roster = try await context.pool.roster(unit: input.path.unit, asOf: try LocalDate.field(input.query.asOf, "asOf"), by: actor)
        return .ok(.init(body: .json(.init(unit: roster.unit, asOf: roster.asOf.description, members: try roster.members.map(Self.wire),
                                           activeCount: roster.active.count, districtGroupShare: roster.districtGroupShare))))
    }

    func listRounds(_ input: Operations.listRounds.Input) async throws -> Operations.listRounds.Output {
        .ok(.init(body: .json(.init(items: try await context.pool.rounds(unit: input.path.unit, by: try await caller()).map(Self.wire)))))
    }

    func recordAdmission(_ input: Operations.recordAdmission.Input) async throws -> Operations.recordAdmission.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        let (round, applications) = try await context.pool.recordAdmission(RecordedAdmissionDraft(
            unit: input.path.unit, decidedOn: b.decidedOn, documentRef: b.documentRef,
            members: b.members.map { .init(uscc: $0.uscc, capacityEstates: $0.capacityEstates, capacityHouseholds: $0.capacityHouseholds,
                                           termEnd: $0.termEnd) }), by: actor)
        return .created(.init(body: .json(.init(round: Self.wire(round), applications: try applications.map(Self.wire)))))
    }

    func openRound(_ input: Operations.openRound.Input) async throws -> Operations.openRound.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        let round = try await context.pool.openRound(AdmissionRoundDraft(
            unit: input.path.unit, title: b.title, opensOn: b.opensOn, closesOn: b.closesOn,
            criteria: b.criteria.map { ScoringCriterion(name: $0.name, weightPercent: $0.weightPercent) }), by: actor)
        return .created(.init(body: .json(Self.wire(round))))
    }

    func listApplications(_ input: Operations.listApplications.Input) async throws -> Operations.listApplications.Output {
        .ok(.init(body: .json(.init(items: try await context.pool.applications(roundID: input.path.roundId, by: try await caller()).map(Self.wire)))))
    }

    func apply(_ input: Operations.apply.Input) async throws -> Operations.apply.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        let app = try await context.pool.apply(roundID: input.path.roundId, uscc: b.uscc, capacityEstates: b.capacityEstates,
                                               capacityHouseholds: b.capacityHouseholds, by: actor)
        return .created(.init(body: .json(try Self.wire(app))))
    }

    func scoreApplication(_ input: Operations.scoreApplication.Input) async throws -> Operations.scoreApplication.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        return .ok(.init(body: .json(try Self.wire(try await context.pool.score(applicationID: input.path.applicationId,
                                                                             scores: b.scores.additionalProperties, by: actor)))))
    }

    func proposeDecision(_ input: Operations.proposeDecision.Input) async throws -> Operations.proposeDecision.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        let proposal: AdmissionProposal = b.proposal == .admit ? .admit : .reject
        return .ok(.init(body: .json(try Self.wire(try await context.pool.propose(applicationID: input.path.applicationId, proposal,
                                                                               reason: b.reason, by: actor)))))
    }

    func decideApplication(_ input: Operations.decideApplication.Input) async throws -> Operations.decideApplication.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        return .ok(.init(body: .json(try Self.wire(try await context.pool.decide(applicationID: input.path.applicationId, approve: b.approve,
                                                                              reason: b.reason, by: actor)))))
    }

    func changeMembership(_ input: Operations.changeMembership.Input) async throws -> Operations.changeMembership.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        let id = input.path.membershipId
        let member: PoolMember = switch input.path.change {
        case .suspend: try await context.pool.suspend(membershipID: id, reason: b.reason, until: try LocalDate.field(b.until, "until"), by: actor)
        case .reinstate: try await context.pool.reinstate(membershipID: id, reason: b.reason, by: actor)
        case .remove: try await context.pool.remove(membershipID: id, reason: b.reason, by: actor)
        }
        return .ok(.init(body: .json(try Self.wire(member))))
    }

    /// No login: the published roster shows names, USCCs, terms and the district-group flag only.
    func getPublicPool(_ input: Operations.getPublicPool.Input) async throws -> Operations.getPublicPool.Output {
        let roster = try await context.pool.publicRoster(unit: input.query.district)
        return .ok(.init(body: .json(.init(district: roster.unit.code, districtName: roster.unit.name, asOf: roster.asOf.description,
                                           members: roster.members.map { .init(companyName: $0.companyName, uscc: $0.uscc,
                                                                               start: $0.start.description, end: $0.end.description,
                                                                               districtGroup: $0.districtGroup) }))))
    }
}
