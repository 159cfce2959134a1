import Foundation
import SQLKit
import TuodiDomain

extension SQLStoreTransaction {
    func insertMatchProposal(_ p: MatchProposal) async throws -> Int {
        try await db.raw("""
            INSERT INTO match_proposals (unit, as_of, term_start, term_end, status, weights_json, plan_json, proposed_by, created_at,
                                         arrangement_ids_json)
            VALUES (\(bind: p.unit), \(bind: p.asOf.description), \(bind: p.termStart.description), \(bind: p.termEnd.description),
                    \(bind: p.status.rawValue), \(bind: try Self.json(p.weights)), \(bind: try Self.json(p.plan)),
                    \(bind: p.proposedBy), \(bind: p.createdAt), \(bind: try Self.json(p.arrangementIDs)))
            RETURNING id
            """).first()!.decode(column: "id", as: Int.self)
    }

    func matchProposal(id: Int, lock: Bool) async throws -> MatchProposal? {
        try await db.raw("""
            SELECT * FROM match_proposals WHERE id = \(bind: id) \(unsafeRaw: lock ? backend.rowLockClause : "")
            """).first().map(Self.matchProposal(from:))
    }

    func matchProposals(unit: String?) async throws -> [MatchProposal] {
        var q = SQLQueryString("SELECT * FROM match_proposals")
        if let unit { q.appendInterpolation(unsafeRaw: " WHERE unit = "); q.appendInterpolation(bind: unit) }
        return try await db.raw(q + " ORDER BY id").all().map(Self.matchProposal(from:))
    }

    func updateMatchProposal(_ p: MatchProposal) async throws {
        try await db.raw("""
            UPDATE match_proposals SET status = \(bind: p.status.rawValue), plan_json = \(bind: try Self.json(p.plan)),
                decided_by = \(bind: p.decidedBy), decided_at = \(bind: p.decidedAt), decision_reason = \(bind: p.decisionReason),
                arrangement_ids_json = \(bind: try Self.json(p.arrangementIDs))
            WHERE id = \(bind: p.id)
            """).run()
    }

    static func matchProposal(from row: any SQLRow) throws -> MatchProposal {
        let statusText = try row.decode(column: "status", as: String.self)
        guard let status = MatchProposal.Status(rawValue: statusText) else { throw StoreError.corruptRow(entity: "matchProposal", detail: statusText) }
        return MatchProposal(
            id: try row.decode(column: "id", as: Int.self), unit: try row.decode(column: "unit", as: String.self),
            asOf: try date(row, "as_of", entity: "matchProposal"), termStart: try date(row, "term_start", entity: "matchProposal"),
            termEnd: try date(row, "term_end", entity: "matchProposal"), status: status,
            weights: try decodeJSON(MatchWeights.self, try row.decode(column: "weights_json", as: String.self), entity: "matchProposal"),
            plan: try decodeJSON(MatchPlan.self, try row.decode(column: "plan_json", as: String.self), entity: "matchProposal"),
            proposedBy: try row.decode(column: "proposed_by", as: String.self),
            createdAt: try row.decode(column: "created_at", as: String.self),
            decidedBy: try row.optional("decided_by", String.self), decidedAt: try row.optional("decided_at", String.self),
            decisionReason: try row.optional("decision_reason", String.self),
            arrangementIDs: try decodeJSON([Int].self, try row.decode(column: "arrangement_ids_json", as: String.self), entity: "matchProposal"))
    }
}
