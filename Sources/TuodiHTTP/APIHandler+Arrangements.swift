import Foundation
import OpenAPIRuntime
import TuodiAPI
import TuodiApp
import TuodiDomain
import TuodiStore

extension APIHandler {
    static func wire(_ a: ArrangementView) throws -> Components.Schemas.Arrangement {
        try .init(id: a.id, estateCode: a.estateCode, unit: a.unit, kind: try wireCase(a.kind), uscc: a.uscc, provider: a.provider,
              contact: a.contact, start: a.start.description, plannedEnd: a.plannedEnd?.description, reviewDate: a.reviewDate?.description,
              endedOn: a.endedOn?.description, fee: a.fee, status: try wireCase(a.status), justification: a.justification,
              replaces: a.replaces, selectionId: a.selectionRoundID, proposedBy: a.proposedBy, decidedBy: a.decidedBy,
              decisionReason: a.decisionReason, needsReplacement: a.needsReplacement,
              changes: a.changes.map { .init(id: $0.id, kind: try wireCase($0.kind.rawValue), date: $0.date.description,
                                             previousEnd: $0.previousEnd?.description, reason: $0.reason, recordedAt: $0.recordedAt,
                                             recordedBy: $0.recordedBy) },
              decidedOn: a.decidedOn?.description, documentRef: a.documentRef)
    }

    static func wire(_ s: SelectionView) throws -> Components.Schemas.Selection {
        try .init(id: s.id, unit: s.unit, title: s.title, status: try wireCase(s.status), technicalPercent: s.technicalPercent,
              pricePercent: s.pricePercent, closesOn: s.closesOn.description, termStart: s.termStart.description,
              termEnd: s.termEnd.description, estateCodes: s.estateCodes, invited: s.invited,
              bids: s.bids.map { .init(id: $0.id, uscc: $0.uscc, companyName: $0.companyName, price: $0.price,
                                       technicalScore: $0.technicalScore, submittedAt: $0.submittedAt, invalidReason: $0.invalidReason,
                                       priceScore: $0.priceScore, total: $0.total, rank: $0.rank) },
              validBids: s.validBids, finishedOn: s.finishedOn?.description, outcomeReason: s.outcomeReason, awardBidId: s.awardBidID,
              awardProposedBy: s.awardProposedBy, awardDecidedBy: s.awardDecidedBy, createdBy: s.createdBy, createdAt: s.createdAt)
    }

    func listArrangements(_ input: Operations.listArrangements.Input) async throws -> Operations.listArrangements.Output {
        let items = try await context.arrangements.list(unit: input.query.unit, estateCode: input.query.estate,
                                                         status: input.query.status?.rawValue, by: try await caller())
        return .ok(.init(body: .json(.init(items: try items.map(Self.wire)))))
    }

    func proposeArrangement(_ input: Operations.proposeArrangement.Input) async throws -> Operations.proposeArrangement.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        let view = try await context.arrangements.propose(ArrangementDraft(
            estateCode: b.estateCode, kind: b.kind, uscc: b.uscc, body: b.body, contact: b.contact, start: b.start,
            plannedEnd: b.plannedEnd, reviewDate: b.reviewDate, fee: b.fee, justification: b.justification, replaces: b.replaces), by: actor)
        return .created(.init(body: .json(try Self.wire(view))))
    }

    func recordArrangement(_ input: Operations.recordArrangement.Input) async throws -> Operations.recordArrangement.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        let view = try await context.arrangements.record(RecordedArrangementDraft(
            arrangement: ArrangementDraft(estateCode: b.estateCode, kind: b.kind, uscc: b.uscc, body: b.body, contact: b.contact, start: b.start,
                                          plannedEnd: b.plannedEnd, reviewDate: b.reviewDate, fee: b.fee, justification: b.justification),
            decidedOn: b.decidedOn, documentRef: b.documentRef, validBids: b.validBids, awardedPrice: b.awardedPrice), by: actor)
        return .created(.init(body: .json(try Self.wire(view))))
    }

    func getArrangement(_ input: Operations.getArrangement.Input) async throws -> Operations.getArrangement.Output {
        .ok(.init(body: .json(try Self.wire(try await context.arrangements.show(id: input.path.arrangementId, by: try await caller())))))
    }

    func decideArrangement(_ input: Operations.decideArrangement.Input) async throws -> Operations.decideArrangement.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        let id = input.path.arrangementId
        let view = switch input.path.decision {
        case .approve: try await context.arrangements.approve(id: id, reason: b.reason, by: actor)
        case .reject: try await context.arrangements.reject(id: id, reason: b.reason, by: actor)
        }
        return .ok(.init(body: .json(try Self.wire(view))))
    }

    func extendArrangement(_ input: Operations.extendArrangement.Input) async throws -> Operations.extendArrangement.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        return .ok(.init(body: .json(try Self.wire(try await context.arrangements.extend(
            id: input.path.arrangementId, plannedEnd: b.plannedEnd, reason: b.reason, by: actor)))))
    }

    func terminateArrangement(_ input: Operations.terminateArrangement.Input) async throws -> Operations.terminateArrangement.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        return .ok(.init(body: .json(try Self.wire(try await context.arrangements.terminate(
            id: input.path.arrangementId, lastDay: b.lastDay, reason: b.reason, by: actor)))))
    }

    func getExpiring(_ input: Operations.getExpiring.Input) async throws -> Operations.getExpiring.Output {
        let list = try await context.arrangements.expiring(unit: input.path.unit, withinDays: input.query.within ?? 90, by: try await caller())
        return .ok(.init(body: .json(.init(unit: list.unit, asOf: list.asOf.description, within: list.withinDays,
                                           arrangements: try list.arrangements.map(Self.wire), memberships: try list.memberships.map(Self.wire)))))
    }

    func getCustodyCandidates(_ input: Operations.getCustodyCandidates.Input) async throws -> Operations.getCustodyCandidates.Output {
        let list = try await context.arrangements.candidates(estateCode: input.path.code, start: input.query.start,
                                                              plannedEnd: input.query.plannedEnd, by: try await caller())
        func wire(_ f: CandidateFacts, rank: Int?, total: Double?, factors: [CandidateFactor]?, reason: String?) throws -> Components.Schemas.Candidate {
            try .init(rank: rank, uscc: f.uscc.value, companyName: f.companyName, districtGroup: f.districtGroup, capacity: f.capacity,
                  load: f.load, spare: f.spare, score: f.score, total: total,
                  factors: factors?.map { .init(name: try wireCase($0.name), label: $0.label, value: $0.value, share: $0.share,
                                                weight: $0.weight, points: $0.points) },
                  reason: reason)
        }
        return .ok(.init(body: .json(try .init(
            estateCode: list.estateCode, start: list.start.description, plannedEnd: list.plannedEnd.description,
            eligible: list.eligible.map { try wire($0.facts, rank: $0.rank, total: $0.total, factors: $0.factors, reason: nil) },
            ineligible: list.ineligible.map { try wire($0.facts, rank: nil, total: nil, factors: nil, reason: $0.reason) }))))
    }

    // MARK: competitive selection

    func listSelections(_ input: Operations.listSelections.Input) async throws -> Operations.listSelections.Output {
        .ok(.init(body: .json(.init(items: try await context.selections.list(unit: input.query.unit, by: try await caller()).map(Self.wire)))))
    }

    func createSelection(_ input: Operations.createSelection.Input) async throws -> Operations.createSelection.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        let view = try await context.selections.create(SelectionRoundDraft(
            unit: b.unit, title: b.title, estateCodes: b.estateCodes, technicalPercent: b.technicalPercent, pricePercent: b.pricePercent,
            closesOn: b.closesOn, termStart: b.termStart, termEnd: b.termEnd), by: actor)
        return .created(.init(body: .json(try Self.wire(view))))
    }

    func getSelection(_ input: Operations.getSelection.Input) async throws -> Operations.getSelection.Output {
        .ok(.init(body: .json(try Self.wire(try await context.selections.show(id: input.path.selectionId, by: try await caller())))))
    }

    func getSelectionOCDS(_ input: Operations.getSelectionOCDS.Input) async throws -> Operations.getSelectionOCDS.Output {
        let data = try await context.selections.ocdsRelease(id: input.path.selectionId, by: try await caller())
        return .ok(.init(body: .json(.init(additionalProperties: try JSONDecoder().decode(OpenAPIObjectContainer.self, from: data)))))
    }

    func inviteToSelection(_ input: Operations.inviteToSelection.Input) async throws -> Operations.inviteToSelection.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        return .ok(.init(body: .json(try Self.wire(try await context.selections.invite(id: input.path.selectionId, usccs: b.usccs, by: actor)))))
    }

    func recordBid(_ input: Operations.recordBid.Input) async throws -> Operations.recordBid.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        let view = try await context.selections.bid(id: input.path.selectionId,
                                                    BidDraft(uscc: b.uscc, price: b.price, technicalScore: b.technicalScore), by: actor)
        return .created(.init(body: .json(try Self.wire(view))))
    }

    func invalidateBid(_ input: Operations.invalidateBid.Input) async throws -> Operations.invalidateBid.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        return .ok(.init(body: .json(try Self.wire(try await context.selections.invalidateBid(
            id: input.path.selectionId, bidID: input.path.bidId, reason: b.reason, by: actor)))))
    }

    func advanceSelection(_ input: Operations.advanceSelection.Input) async throws -> Operations.advanceSelection.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        let id = input.path.selectionId, s = context.selections
        let view = switch input.path.step {
        case .open: try await s.open(id: id, by: actor)
        case .close: try await s.close(id: id, by: actor)
        case .propose_hyphen_award: try await s.proposeAward(id: id, by: actor)
        case .approve_hyphen_award: try await s.approveAward(id: id, by: actor)
        case .cancel: try await s.cancel(id: id, reason: b.reason, by: actor)
        }
        return .ok(.init(body: .json(try Self.wire(view))))
    }
}
