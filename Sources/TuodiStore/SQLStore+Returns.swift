import Foundation
import SQLKit

extension SQLStoreTransaction {
    func insertReturn(_ r: StoredReturn) async throws -> Int {
        do {
            return try await db.raw("""
                INSERT INTO quarterly_returns (unit, year, quarter, status, snapshot_json, snapshot_sha256, drafted_by, drafted_at)
                VALUES (\(bind: r.unit), \(bind: r.year), \(bind: r.quarter), \(bind: r.status.rawValue), \(bind: r.snapshotJSON),
                        \(bind: r.snapshotSHA256), \(bind: r.draftedBy), \(bind: r.draftedAt))
                RETURNING id
                """).first()!.decode(column: "id", as: Int.self)
        } catch where backend.isUniqueViolation(error) {
            throw StoreError.duplicate(entity: "quarterlyReturn", key: "\(r.unit) \(r.year)Q\(r.quarter)")
        }
    }

    func updateReturn(_ r: StoredReturn) async throws {
        try await db.raw("""
            UPDATE quarterly_returns SET status = \(bind: r.status.rawValue), snapshot_json = \(bind: r.snapshotJSON),
                snapshot_sha256 = \(bind: r.snapshotSHA256), drafted_by = \(bind: r.draftedBy), drafted_at = \(bind: r.draftedAt),
                approved_by = \(bind: r.approvedBy), approved_at = \(bind: r.approvedAt),
                submitted_by = \(bind: r.submittedBy), submitted_at = \(bind: r.submittedAt)
            WHERE id = \(bind: r.id)
            """).run()
    }

    func quarterlyReturn(unit: String, year: Int, quarter: Int, lock: Bool) async throws -> StoredReturn? {
        try await db.raw("""
            SELECT * FROM quarterly_returns WHERE unit = \(bind: unit) AND year = \(bind: year) AND quarter = \(bind: quarter)
            \(unsafeRaw: lock ? backend.rowLockClause : "")
            """).first().map(Self.storedReturn(from:))
    }

    func quarterlyReturns(unit: String?) async throws -> [StoredReturn] {
        var q = SQLQueryString("SELECT * FROM quarterly_returns")
        if let unit { q.appendInterpolation(unsafeRaw: " WHERE unit = "); q.appendInterpolation(bind: unit) }
        return try await db.raw(q + " ORDER BY unit, year, quarter").all().map(Self.storedReturn(from:))
    }

    func returnStages(year: Int, quarter: Int) async throws -> [String: ReturnStage] {
        var stages: [String: ReturnStage] = [:]
        for row in try await db.raw("""
            SELECT unit, status, submitted_at FROM quarterly_returns WHERE year = \(bind: year) AND quarter = \(bind: quarter)
            """).all() {
            stages[try row.decode(column: "unit", as: String.self)] = ReturnStage(status: try Self.returnStatus(row),
                                                                                   submittedAt: try row.optional("submitted_at", String.self))
        }
        return stages
    }

    /// A return row's `status` column.
    static func returnStatus(_ row: any SQLRow) throws -> StoredReturn.Status {
        let text = try row.decode(column: "status", as: String.self)
        guard let status = StoredReturn.Status(rawValue: text) else { throw StoreError.corruptRow(entity: "quarterlyReturn", detail: text) }
        return status
    }

    static func storedReturn(from row: any SQLRow) throws -> StoredReturn {
        let status = try returnStatus(row)
        return StoredReturn(
            id: try row.decode(column: "id", as: Int.self), unit: try row.decode(column: "unit", as: String.self),
            year: try row.decode(column: "year", as: Int.self), quarter: try row.decode(column: "quarter", as: Int.self), status: status,
            snapshotJSON: try row.decode(column: "snapshot_json", as: String.self),
            snapshotSHA256: try row.decode(column: "snapshot_sha256", as: String.self),
            draftedBy: try row.decode(column: "drafted_by", as: String.self), draftedAt: try row.decode(column: "drafted_at", as: String.self),
            approvedBy: try row.optional("approved_by", String.self), approvedAt: try row.optional("approved_at", String.self),
            submittedBy: try row.optional("submitted_by", String.self), submittedAt: try row.optional("submitted_at", String.self))
    }
}
