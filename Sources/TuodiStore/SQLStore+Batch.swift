import Foundation
import SQLKit
import TuodiDomain

/// Multi-row statements for imports: one round trip per chunk instead of one per row.
extension SQLStoreTransaction {
    /// Rows per statement: well under SQLite's and PostgreSQL's bind limits for our widest table.
    static let chunkSize = 500

    /// `INSERT INTO table (columns) VALUES (...), (...)` with every value bound; with `returning`
    /// (column names), the inserted rows' values of those columns, in no promised order.
    @discardableResult
    func insertRows(_ table: String, columns: [String], rows: [[any Encodable & Sendable]], returning: [String] = []) async throws -> [any SQLRow] {
        var result: [any SQLRow] = []
        for start in stride(from: 0, to: rows.count, by: Self.chunkSize) {
            var q = SQLQueryString("INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: columns.joined(separator: ", "))) VALUES ")
            for (i, row) in rows[start..<min(start + Self.chunkSize, rows.count)].enumerated() {
                q.appendInterpolation(unsafeRaw: i == 0 ? "(" : ", (")
                q.appendInterpolation(binds: row)
                q.appendInterpolation(unsafeRaw: ")")
            }
            if returning.isEmpty {
                try await db.raw(q).run()
            } else {
                q.appendInterpolation(unsafeRaw: " RETURNING \(returning.joined(separator: ", "))")
                result += try await db.raw(q).all()
            }
        }
        return result
    }

    /// Inserts new facts (not corrections) in chunks and returns their ids in the order given.
    /// The caller guarantees at most one new fact per estate and day (the import's rule), which
    /// is how the returned rows are matched to the input, as RETURNING promises no order.
    func insertFacts(_ facts: [NewManagementFact]) async throws -> [Int] {
        var stamp: (Date, String)?
        let rows: [[any Encodable & Sendable]] = facts.map { f in
            if stamp?.0 != f.recordedAt { stamp = (f.recordedAt, AuditChain.timestamp(f.recordedAt)) }
            let (kind, reason, company) = Self.factKindColumns(f.kind)
            return [f.estateID, f.date.description, kind, reason, company, stamp!.1, f.recordedBy]
        }
        let inserted = try await insertRows("management_facts", columns: ["estate_id", "effective_date", "kind", "reason", "company",
                                                                          "recorded_at", "recorded_by"],
                                            rows: rows, returning: ["id", "estate_id", "effective_date"])
        for f in facts { changedEstates.insert(f.estateID) }   // their read-model rows are rewritten before commit
        var ids: [String: Int] = [:]
        for row in inserted {
            ids["\(try row.decode(column: "estate_id", as: Int.self))/\(try row.decode(column: "effective_date", as: String.self))"] =
                try row.decode(column: "id", as: Int.self)
        }
        return try facts.map { f in
            guard let id = ids["\(f.estateID)/\(f.date.description)"] else {
                throw StoreError.corruptRow(entity: "managementFact", detail: "estate \(f.estateID) \(f.date) not returned")
            }
            return id
        }
    }

    func insertEstates(_ estates: [Estate], createdAt: Date) async throws {
        let at = AuditChain.timestamp(createdAt)
        do {
            try await insertRows("estates", columns: ["code", "name", "address", "unit", "legal_district", "sub_district", "category",
                                                      "high_dispute", "households", "buildings", "floor_area", "year_built", "created_at"],
                                 rows: estates.map { e in
                                     [e.code, e.name, e.address, e.unit, e.legalDistrict, e.subDistrict, e.category.rawValue, e.highDispute,
                                      e.households, e.buildings, e.floorArea, e.yearBuilt, at]
                                 })
        } catch where backend.isUniqueViolation(error) {
            throw StoreError.duplicate(entity: "estate", key: "import")
        }
    }

    func existingEstateCodes(_ codes: [String]) async throws -> Set<String> {
        var found = Set<String>()
        for chunk in Self.chunks(codes) {
            for row in try await db.raw("SELECT code FROM estates WHERE code IN (\(binds: chunk))").all() {
                found.insert(try row.decode(column: "code", as: String.self))
            }
        }
        return found
    }

    func appendAudits(_ drafts: [AuditDraft]) async throws {
        guard !drafts.isEmpty else { return }
        let last = try await headToChainOn()
        var seq = last?.seq ?? 0
        var prev = last?.hash ?? AuditChain.genesis
        var rows: [[any Encodable & Sendable]] = []
        rows.reserveCapacity(drafts.count)
        var stamp: (Date, String)?
        for d in drafts {
            seq += 1
            // An import's entries share one recorded time: format it once.
            if stamp?.0 != d.recordedAt { stamp = (d.recordedAt, AuditChain.timestamp(d.recordedAt)) }
            let at = stamp!.1
            let hash = AuditChain.hash(seq: seq, recordedAt: at, actor: d.actor, action: d.action, entity: d.entity, entityID: d.entityID,
                                       unit: d.unit, reason: d.reason, before: d.before, after: d.after, prevHash: prev)
            rows.append([seq, at, d.actor, d.action, d.entity, d.entityID, d.unit, d.reason, d.before, d.after, prev, hash])
            prev = hash
        }
        try await insertRows("audit_log", columns: ["seq", "recorded_at", "actor", "action", "entity", "entity_id", "unit", "reason",
                                                    "before_json", "after_json", "prev_hash", "hash"], rows: rows)
        heldAuditHead.know(AuditHead(seq: seq, hash: prev))
    }
}
