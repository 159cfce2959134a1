import Foundation
import OpenAPIRuntime
import TuodiAPI
import TuodiApp
import TuodiDomain

extension APIHandler {
    static func wire(_ w: MatchWeights) -> Components.Schemas.MatchWeights {
        .init(sameSubDistrict: w.sameSubDistrict, merit: w.merit, load: w.load, districtGroup: w.districtGroup)
    }

    static func wire(_ p: MatchProposalView) throws -> Components.Schemas.MatchProposal {
        try .init(id: p.id, unit: p.unit, asOf: p.asOf.description, termStart: p.termStart.description, termEnd: p.termEnd.description,
              status: try wireCase(p.status), weights: wire(p.weights),
              pairs: p.pairs.map { pair in
                  try .init(estateCode: pair.estateCode, uscc: pair.uscc, companyName: pair.companyName, cost: pair.cost.total,
                        factors: pair.cost.factors.map { .init(name: try wireCase($0.name), label: $0.label, value: $0.value,
                                                               weight: $0.weight, cost: $0.cost) },
                        editedBy: pair.editedBy)
              },
              unplaced: p.unplaced.map { .init(estateCode: $0.estateCode, reason: try wireCase($0.reason)) },
              totalCost: p.totalCost, proposedBy: p.proposedBy, createdAt: p.createdAt, decidedBy: p.decidedBy, decidedAt: p.decidedAt,
              decisionReason: p.decisionReason, arrangementIds: p.arrangementIDs)
    }

    func listMatchProposals(_ input: Operations.listMatchProposals.Input) async throws -> Operations.listMatchProposals.Output {
        let items = try await context.matching.list(unit: input.path.unit, by: try await caller())
        return .ok(.init(body: .json(.init(items: try items.map(Self.wire)))))
    }

    func proposeMatch(_ input: Operations.proposeMatch.Input) async throws -> Operations.proposeMatch.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        let view = try await context.matching.propose(unit: input.path.unit, asOf: b.asOf, start: b.start, plannedEnd: b.plannedEnd, by: actor)
        return .created(.init(body: .json(try Self.wire(view))))
    }

    func getMatchProposal(_ input: Operations.getMatchProposal.Input) async throws -> Operations.getMatchProposal.Output {
        .ok(.init(body: .json(try Self.wire(try await context.matching.show(id: input.path.proposalId, by: try await caller())))))
    }

    func editMatchPair(_ input: Operations.editMatchPair.Input) async throws -> Operations.editMatchPair.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        return .ok(.init(body: .json(try Self.wire(try await context.matching.edit(
            id: input.path.proposalId, estateCode: b.estateCode, uscc: b.uscc, reason: b.reason, by: actor)))))
    }

    func decideMatchProposal(_ input: Operations.decideMatchProposal.Input) async throws -> Operations.decideMatchProposal.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        let id = input.path.proposalId
        let view = switch input.path.decision {
        case .approve: try await context.matching.approve(id: id, reason: b.reason, by: actor)
        case .reject: try await context.matching.reject(id: id, reason: b.reason, by: actor)
        }
        return .ok(.init(body: .json(try Self.wire(view))))
    }
}
