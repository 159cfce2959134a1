import Foundation
import SQLKit
import TuodiDomain

extension SQLStoreTransaction {
    static let selectionColumns = """
        id, unit, title, status, technical_percent, price_percent, closes_on, term_start, term_end, created_at, created_by,
        opened_at, closed_at, finished_on, finished_at, outcome_reason, award_bid_id, award_proposed_by, award_decided_by,
        decided_on, document_ref, awarded_uscc, valid_bid_count, awarded_price
        """

    func insertSelectionRound(_ r: NewSelectionRound) async throws -> Int {
        let id = try await db.raw("""
            INSERT INTO selection_rounds (unit, title, status, technical_percent, price_percent, closes_on, term_start, term_end,
                                          created_at, created_by)
            VALUES (\(bind: r.unit), \(bind: r.title), 'draft', \(bind: r.weights.technicalPercent), \(bind: r.weights.pricePercent),
                    \(bind: r.closesOn.description), \(bind: r.termStart.description), \(bind: r.termEnd.description),
                    \(bind: AuditChain.timestamp(r.createdAt)), \(bind: r.createdBy))
            RETURNING id
            """).first()!.decode(column: "id", as: Int.self)
        for estateID in r.estateIDs {
            try await db.raw("INSERT INTO selection_lots (round_id, estate_id) VALUES (\(bind: id), \(bind: estateID))").run()
        }
        return id
    }

    /// A selection awarded outside Tuodi (#12): a round of one lot holding only what is known,
    /// in evaluation with its award proposed by `createdBy`, until a second person approves the
    /// recorded arrangement. The weights are the schema's placeholder (see migration 0010).
    func insertRecordedSelection(_ r: NewSelectionRound, award: RecordedAward) async throws -> Int {
        let id = try await db.raw("""
            INSERT INTO selection_rounds (unit, title, status, technical_percent, price_percent, closes_on, term_start, term_end,
                                          created_at, created_by, award_proposed_by, decided_on, document_ref, awarded_uscc,
                                          valid_bid_count, awarded_price)
            VALUES (\(bind: r.unit), \(bind: r.title), 'evaluation', 90, 10, \(bind: award.decision.decidedOn.description),
                    \(bind: r.termStart.description), \(bind: r.termEnd.description), \(bind: AuditChain.timestamp(r.createdAt)),
                    \(bind: r.createdBy), \(bind: r.createdBy), \(bind: award.decision.decidedOn.description),
                    \(bind: award.decision.documentRef), \(bind: award.winner.value), \(bind: award.validBids), \(bind: award.awardedPrice))
            RETURNING id
            """).first()!.decode(column: "id", as: Int.self)
        for estateID in r.estateIDs {
            try await db.raw("INSERT INTO selection_lots (round_id, estate_id) VALUES (\(bind: id), \(bind: estateID))").run()
        }
        return id
    }

    func selectionRound(id: Int) async throws -> SelectionRound? {
        try await loadSelectionRounds(SQLQueryString("WHERE id = \(bind: id)")).first
    }

    func selectionRounds(unit: String?) async throws -> [SelectionRound] {
        var q = SQLQueryString("WHERE 1 = 1")
        if let unit { q.appendInterpolation(unsafeRaw: " AND unit = "); q.appendInterpolation(bind: unit) }
        return try await loadSelectionRounds(q)
    }

    private func loadSelectionRounds(_ condition: SQLQueryString) async throws -> [SelectionRound] {
        let select = SQLQueryString("SELECT \(unsafeRaw: Self.selectionColumns) FROM selection_rounds ")
        var result: [SelectionRound] = []
        for row in try await db.raw(select + condition + " ORDER BY id").all() {
            let id = try row.decode(column: "id", as: Int.self)
            let statusText = try row.decode(column: "status", as: String.self)
            guard let status = SelectionStatus(rawValue: statusText) else { throw StoreError.corruptRow(entity: "selectionRound", detail: statusText) }
            let lots = try await db.raw("""
                SELECT l.estate_id, e.code FROM selection_lots l JOIN estates e ON e.id = l.estate_id
                WHERE l.round_id = \(bind: id) ORDER BY e.code
                """).all().map { SelectionRound.Lot(estateID: try $0.decode(column: "estate_id", as: Int.self),
                                                    estateCode: try $0.decode(column: "code", as: String.self)) }
            let invited = try await db.raw("SELECT uscc FROM selection_invitations WHERE round_id = \(bind: id) ORDER BY uscc")
                .all().map { try Self.uscc($0, "uscc", entity: "selectionInvitation") }
            let bids = try await db.raw("""
                SELECT id, uscc, price, technical_score, submitted_at, invalid_reason FROM selection_bids
                WHERE round_id = \(bind: id) ORDER BY id
                """).all().map { b in
                let at = try b.decode(column: "submitted_at", as: String.self)
                guard let when = AuditChain.date(fromTimestamp: at) else { throw StoreError.corruptRow(entity: "bid", detail: at) }
                return Bid(id: try b.decode(column: "id", as: Int.self), uscc: try Self.uscc(b, "uscc", entity: "bid"),
                           price: try b.decode(column: "price", as: Double.self),
                           technicalScore: try b.decode(column: "technical_score", as: Double.self),
                           submittedAt: when, invalidReason: try b.optional("invalid_reason", String.self))
            }
            result.append(SelectionRound(
                id: id, unit: try row.decode(column: "unit", as: String.self), title: try row.decode(column: "title", as: String.self),
                status: status,
                weights: SelectionWeights(technicalPercent: try row.decode(column: "technical_percent", as: Int.self),
                                          pricePercent: try row.decode(column: "price_percent", as: Int.self)),
                closesOn: try Self.date(row, "closes_on", entity: "selectionRound"),
                termStart: try Self.date(row, "term_start", entity: "selectionRound"),
                termEnd: try Self.date(row, "term_end", entity: "selectionRound"),
                createdAt: try row.decode(column: "created_at", as: String.self),
                createdBy: try row.decode(column: "created_by", as: String.self),
                openedAt: try row.optional("opened_at", String.self), closedAt: try row.optional("closed_at", String.self),
                finishedOn: try row.optional("finished_on", String.self).flatMap(LocalDate.init(iso:)),
                finishedAt: try row.optional("finished_at", String.self),
                outcomeReason: try row.optional("outcome_reason", String.self),
                awardBidID: try row.optional("award_bid_id", Int.self),
                awardProposedBy: try row.optional("award_proposed_by", String.self),
                awardDecidedBy: try row.optional("award_decided_by", String.self),
                lots: lots, invited: invited, bids: bids,
                recorded: try Self.recordedDecision(row, entity: "selectionRound").map { decision in
                    RecordedAward(decision: decision, winner: try Self.uscc(row, "awarded_uscc", entity: "selectionRound"),
                                  validBids: try row.optional("valid_bid_count", Int.self),
                                  awardedPrice: try row.optional("awarded_price", Double.self))
                }))
        }
        return result
    }

    static func uscc(_ row: any SQLRow, _ column: String, entity: String) throws -> USCC {
        let raw = try row.decode(column: column, as: String.self)
        guard let u = try? USCC(validating: raw) else { throw StoreError.corruptRow(entity: entity, detail: raw) }
        return u
    }

    func updateSelectionRound(_ r: SelectionRound) async throws {
        try await db.raw("""
            UPDATE selection_rounds SET status = \(bind: r.status.rawValue), opened_at = \(bind: r.openedAt),
                closed_at = \(bind: r.closedAt), finished_on = \(bind: r.finishedOn?.description),
                finished_at = \(bind: r.finishedAt), outcome_reason = \(bind: r.outcomeReason),
                award_bid_id = \(bind: r.awardBidID), award_proposed_by = \(bind: r.awardProposedBy), award_decided_by = \(bind: r.awardDecidedBy)
            WHERE id = \(bind: r.id)
            """).run()
    }

    func insertInvitations(roundID: Int, usccs: [USCC]) async throws {
        for u in usccs {
            do {
                try await db.raw("INSERT INTO selection_invitations (round_id, uscc) VALUES (\(bind: roundID), \(bind: u.value))").run()
            } catch where backend.isUniqueViolation(error) {
                throw StoreError.duplicate(entity: "invitation", key: u.value)
            }
        }
    }

    func insertBid(roundID: Int, uscc: USCC, price: Double, technicalScore: Double, submittedAt: Date, recordedBy: String) async throws -> Int {
        do {
            return try await db.raw("""
                INSERT INTO selection_bids (round_id, uscc, price, technical_score, submitted_at, recorded_by)
                VALUES (\(bind: roundID), \(bind: uscc.value), \(bind: price), \(bind: technicalScore),
                        \(bind: AuditChain.timestamp(submittedAt)), \(bind: recordedBy))
                RETURNING id
                """).first()!.decode(column: "id", as: Int.self)
        } catch where backend.isUniqueViolation(error) {
            throw StoreError.duplicate(entity: "bid", key: uscc.value)
        }
    }

    func markBidInvalid(bidID: Int, reason: String) async throws {
        try await db.raw("UPDATE selection_bids SET invalid_reason = \(bind: reason) WHERE id = \(bind: bidID)").run()
    }
}
