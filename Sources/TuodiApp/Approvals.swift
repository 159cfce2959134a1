import Foundation
import TuodiDomain
import TuodiStore

/// A decision waiting for a second person: who proposed it, when, and what it is about.
public struct PendingDecision: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case poolApplication, arrangement, selectionAward, matchProposal, returnApproval, returnSubmission
    }

    public let kind: Kind
    /// The record's key: an id, or `UNIT/YEAR/QUARTER` for a return.
    public let key: String
    public let unit: String
    /// What it is about, in the record's own words (an estate code and provider, a title, a period).
    public let subject: String
    /// For an arrangement: its kind (`custody`, `ownerSelf`, `communityFallback`).
    public let arrangementKind: String?
    public let proposedBy: String
    /// ISO 8601 UTC, as recorded.
    public let proposedAt: String?
}

extension AppContext {
    public var approvals: ApprovalUseCases { ApprovalUseCases(context: self) }
}

/// 待我审批: every decision in the caller's scope that the caller may take, except their own
/// proposals (the four-eyes rule would refuse them anyway).
public struct ApprovalUseCases: Sendable {
    let context: AppContext

    public func pending(by actor: Caller) async throws -> [PendingDecision] {
        try await translatingErrors {
            let scope = Authorization.visibleUnit(for: actor)
            @Sendable func may(_ op: Action) -> Bool { Authorization.decide(op, actor: actor, unit: scope) == .allowed }
            return try await context.store.read { tx in
                var found: [PendingDecision] = []
                func proposedAt(_ action: Action, _ entity: String, _ id: String) async throws -> String? {
                    var filter = AuditFilter()
                    filter.entity = entity; filter.entityID = id
                    return try await tx.auditEntries(filter).last { $0.action == action.rawValue }?.recordedAt
                }
                if may(.arrangementApprove) {
                    for a in try await tx.arrangements(ArrangementFilter(unit: scope, statuses: [.proposed])) where a.proposedBy != actor.username {
                        let provider = try await ArrangementUseCases.views([a], tx: tx, today: context.clock.today)[0].provider
                        found.append(.init(kind: .arrangement, key: String(a.id), unit: a.unit, subject: "\(a.estateCode) · \(provider)",
                                           arrangementKind: a.kind.rawValue, proposedBy: a.proposedBy,
                                           proposedAt: try await proposedAt(.arrangementPropose, "arrangement", String(a.id))))
                    }
                }
                if may(.poolDecide) {
                    for round in try await tx.rounds(unit: scope) {
                        for app in try await tx.applications(roundID: round.id)
                        where app.status == .proposed && app.proposedBy != actor.username {
                            var name = app.uscc
                            if let uscc = try? USCC(validating: app.uscc), let company = try await tx.company(uscc: uscc) { name = company.name }
                            found.append(.init(kind: .poolApplication, key: String(app.id), unit: round.unit, subject: "\(round.title) · \(name)",
                                               arrangementKind: nil, proposedBy: app.proposedBy ?? app.recordedBy,
                                               proposedAt: try await proposedAt(.poolPropose, "application", String(app.id))))
                        }
                    }
                }
                if may(.selectionApproveAward) {
                    for round in try await tx.selectionRounds(unit: scope)
                    where round.status == .evaluation && round.awardProposedBy != nil && round.awardDecidedBy == nil
                        && round.awardProposedBy != actor.username {
                        found.append(.init(kind: .selectionAward, key: String(round.id), unit: round.unit, subject: round.title,
                                           arrangementKind: nil, proposedBy: round.awardProposedBy!,
                                           proposedAt: try await proposedAt(.selectionProposeAward, "selectionRound", String(round.id))))
                    }
                }
                if may(.matchApprove) {
                    for p in try await tx.matchProposals(unit: scope) where p.status == .proposed && p.proposedBy != actor.username {
                        found.append(.init(kind: .matchProposal, key: String(p.id), unit: p.unit,
                                           subject: "\(p.termStart)–\(p.termEnd)，\(p.plan.pairs.count) 个小区", arrangementKind: nil,
                                           proposedBy: p.proposedBy, proposedAt: p.createdAt))
                    }
                }
                for r in try await tx.quarterlyReturns(unit: scope) {
                    let period = "\(r.year) 年第 \(r.quarter) 季度"
                    if r.status == .draft, may(.returnApprove), r.draftedBy != actor.username {
                        found.append(.init(kind: .returnApproval, key: "\(r.unit)/\(r.year)/\(r.quarter)", unit: r.unit, subject: period,
                                           arrangementKind: nil, proposedBy: r.draftedBy, proposedAt: r.draftedAt))
                    } else if r.status == .approved, may(.returnSubmit) {
                        found.append(.init(kind: .returnSubmission, key: "\(r.unit)/\(r.year)/\(r.quarter)", unit: r.unit, subject: period,
                                           arrangementKind: nil, proposedBy: r.approvedBy ?? r.draftedBy, proposedAt: r.approvedAt))
                    }
                }
                // Oldest first: what has waited longest comes first.
                return found.sorted { ($0.proposedAt ?? "", $0.key) < ($1.proposedAt ?? "", $1.key) }
            }
        }
    }
}
