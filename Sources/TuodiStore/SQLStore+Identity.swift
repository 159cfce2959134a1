import Foundation
import SQLKit
import Synchronization
import TuodiDomain

extension SQLRow {
    /// A nullable column.
    func optional<T: Decodable>(_ column: String, _ type: T.Type) throws -> T? {
        try decodeNil(column: column) ? nil : try decode(column: column, as: T.self)
    }
}

/// The audit trail's head as a transaction knows it once it holds the trail's lock: read in a
/// statement that began after the lock was taken (`insertArrangement`'s with `appendsAuditNext`), then
/// moved on by each entry the transaction appends. Until the transaction ends no other writer
/// can append, so its later entries chain on it without taking the lock or reading the head again.
final class HeldAuditHead: Sendable {
    private let state = Mutex<Known?>(nil)

    /// The head, which is nil while the trail is empty.
    struct Known { let head: AuditHead? }

    var known: Known? { state.withLock { $0 } }
    func know(_ head: AuditHead?) { state.withLock { $0 = Known(head: head) } }
}

extension SQLStoreTransaction {
    static let userColumns = "id, username, display_name, role, unit, password_hash, active, failed_logins, last_failed_at"

    static func user(from row: any SQLRow) throws -> UserRecord {
        let role = try row.decode(column: "role", as: String.self)
        guard let r = Role(rawValue: role) else { throw StoreError.corruptRow(entity: "user", detail: "role \(role)") }
        return UserRecord(id: try row.decode(column: "id", as: Int.self),
                          username: try row.decode(column: "username", as: String.self),
                          displayName: try row.decode(column: "display_name", as: String.self),
                          role: r, unit: try row.optional("unit", String.self),
                          passwordHash: try row.decode(column: "password_hash", as: String.self),
                          active: try row.decode(column: "active", as: Bool.self),
                          failedLogins: try row.decode(column: "failed_logins", as: Int.self),
                          lastFailedAt: try row.optional("last_failed_at", Double.self))
    }

    func insertUser(_ u: NewUser, createdAt: Date) async throws -> Int {
        do {
            let row = try await db.raw("""
                INSERT INTO users (username, display_name, role, unit, password_hash, active, failed_logins, created_at)
                VALUES (\(bind: u.username), \(bind: u.displayName), \(bind: u.role.rawValue), \(bind: u.unit),
                        \(bind: u.passwordHash), \(bind: true), 0, \(bind: AuditChain.timestamp(createdAt)))
                RETURNING id
                """).first()
            return try row!.decode(column: "id", as: Int.self)
        } catch where backend.isUniqueViolation(error) {
            throw StoreError.duplicate(entity: "user", key: u.username)
        }
    }

    func user(username: String) async throws -> UserRecord? {
        try await db.raw("SELECT \(unsafeRaw: Self.userColumns) FROM users WHERE username = \(bind: username)")
            .first().map(Self.user(from:))
    }

    func user(id: Int) async throws -> UserRecord? {
        try await db.raw("SELECT \(unsafeRaw: Self.userColumns) FROM users WHERE id = \(bind: id)").first().map(Self.user(from:))
    }

    func users() async throws -> [UserRecord] {
        try await db.raw("SELECT \(unsafeRaw: Self.userColumns) FROM users ORDER BY username").all().map(Self.user(from:))
    }

    func userCount() async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    func setUserActive(id: Int, active: Bool) async throws {
        try await db.raw("UPDATE users SET active = \(bind: active) WHERE id = \(bind: id)").run()
    }

    func resetUserPassword(id: Int, passwordHash: String, at: Double) async throws {
        try await db.raw("""
            UPDATE users SET password_hash = \(bind: passwordHash), failed_logins = 0, last_failed_at = NULL WHERE id = \(bind: id)
            """).run()
        try await db.raw("UPDATE api_tokens SET revoked_at = \(bind: at) WHERE user_id = \(bind: id) AND revoked_at IS NULL").run()
    }

    func claimLoginAttempt(userID: Int, at: Double, maxFailures: Int, lockSeconds: Double) async throws -> Bool {
        // The WHERE clause is LoginThrottle's "not locked", evaluated on the row as it is when
        // the update gets it: PostgreSQL re-checks it after waiting for a concurrent update of
        // the same row (READ COMMITTED), SQLite has one writer. Checking in Swift and counting
        // afterwards let 100 parallel guesses all through.
        let rows = try await db.raw("""
            UPDATE users SET failed_logins = failed_logins + 1, last_failed_at = \(bind: at)
            WHERE id = \(bind: userID)
              AND (failed_logins < \(bind: maxFailures) OR last_failed_at IS NULL OR last_failed_at + \(bind: lockSeconds) <= \(bind: at))
            RETURNING id
            """).all()
        return !rows.isEmpty
    }

    func resetLoginFailures(userID: Int) async throws {
        try await db.raw("UPDATE users SET failed_logins = 0, last_failed_at = NULL WHERE id = \(bind: userID)").run()
    }

    func insertToken(userID: Int, tokenHash: String, createdAt: Double, expiresAt: Double) async throws {
        try await db.raw("""
            INSERT INTO api_tokens (user_id, token_hash, created_at, expires_at)
            VALUES (\(bind: userID), \(bind: tokenHash), \(bind: createdAt), \(bind: expiresAt))
            """).run()
    }

    func tokenOwner(tokenHash: String, now: Double) async throws -> UserRecord? {
        let columns = Self.userColumns.split(separator: ",").map { "u." + $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: ", ")
        return try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = \(bind: tokenHash) AND t.revoked_at IS NULL AND t.expires_at > \(bind: now)
              AND u.active = \(bind: true)
            """).first().map(Self.user(from:))
    }

    func revokeToken(tokenHash: String, at: Double) async throws -> Bool {
        let rows = try await db.raw("""
            UPDATE api_tokens SET revoked_at = \(bind: at) WHERE token_hash = \(bind: tokenHash) AND revoked_at IS NULL
            RETURNING id
            """).all()
        return !rows.isEmpty
    }

    // MARK: audit

    static let auditColumns = "seq, recorded_at, actor, action, entity, entity_id, unit, reason, before_json, after_json, prev_hash, hash"

    static func auditEntry(from row: any SQLRow) throws -> AuditEntry {
        AuditEntry(seq: try row.decode(column: "seq", as: Int.self),
                   recordedAt: try row.decode(column: "recorded_at", as: String.self),
                   actor: try row.decode(column: "actor", as: String.self),
                   action: try row.decode(column: "action", as: String.self),
                   entity: try row.decode(column: "entity", as: String.self),
                   entityID: try row.decode(column: "entity_id", as: String.self),
                   unit: try row.optional("unit", String.self),
                   reason: try row.optional("reason", String.self),
                   before: try row.optional("before_json", String.self),
                   after: try row.optional("after_json", String.self),
                   prevHash: try row.decode(column: "prev_hash", as: String.self),
                   hash: try row.decode(column: "hash", as: String.self))
    }

    func appendAudit(_ d: AuditDraft) async throws -> AuditEntry {
        let last = try await headToChainOn()
        let seq = (last?.seq ?? 0) + 1
        let prev = last?.hash ?? AuditChain.genesis
        let at = AuditChain.timestamp(d.recordedAt)
        let hash = AuditChain.hash(seq: seq, recordedAt: at, actor: d.actor, action: d.action, entity: d.entity,
                                   entityID: d.entityID, unit: d.unit, reason: d.reason, before: d.before,
                                   after: d.after, prevHash: prev)
        try await db.raw("""
            INSERT INTO audit_log (seq, recorded_at, actor, action, entity, entity_id, unit, reason, before_json,
                                   after_json, prev_hash, hash)
            VALUES (\(bind: seq), \(bind: at), \(bind: d.actor), \(bind: d.action), \(bind: d.entity), \(bind: d.entityID),
                    \(bind: d.unit), \(bind: d.reason), \(bind: d.before), \(bind: d.after), \(bind: prev), \(bind: hash))
            """).run()
        heldAuditHead.know(AuditHead(seq: seq, hash: hash))
        return AuditEntry(seq: seq, recordedAt: at, actor: d.actor, action: d.action, entity: d.entity, entityID: d.entityID,
                          unit: d.unit, reason: d.reason, before: d.before, after: d.after, prevHash: prev, hash: hash)
    }

    /// The head a new entry chains on: the one this transaction holds (`HeldAuditHead`), or else
    /// read after taking the chain's lock where the backend needs one (held until commit), so
    /// that concurrent appenders form one chain.
    func headToChainOn() async throws -> AuditHead? {
        if let held = heldAuditHead.known { return held.head }
        try await lockAuditTrail()
        return try await auditHead()
    }

    func lockAuditTrail() async throws {
        // PostgreSQL's transaction-scoped advisory lock may be taken again by its holder.
        if let lock = backend.auditLockExpression {
            try await db.execute(sql: SQLRaw("SELECT " + lock)) { _ in }
        }
    }

    func auditHead() async throws -> AuditHead? {
        guard let row = try await db.raw("SELECT \(unsafeRaw: Self.auditHeadColumns)").first() else { return nil }
        return try Self.auditHead(from: row)
    }

    /// The newest entry's sequence number and hash as the columns `head_seq` and `head_hash`
    /// (both NULL while the trail is empty), selected alone or beside another statement's own.
    static let auditHeadColumns = """
        (SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 1) AS head_seq, \
        (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1) AS head_hash
        """

    /// The head in a row with `auditHeadColumns`; nil while the trail is empty.
    static func auditHead(from row: any SQLRow) throws -> AuditHead? {
        guard let seq = try row.optional("head_seq", Int.self) else { return nil }
        return AuditHead(seq: seq, hash: try row.decode(column: "head_hash", as: String.self))
    }

    func auditEntries(_ f: AuditFilter) async throws -> [AuditEntry] {
        var query = SQLQueryString("SELECT \(unsafeRaw: Self.auditColumns) FROM audit_log WHERE seq > \(bind: f.afterSeq)")
        if let v = f.entity { query.appendInterpolation(unsafeRaw: " AND entity = "); query.appendInterpolation(bind: v) }
        if let v = f.entityID { query.appendInterpolation(unsafeRaw: " AND entity_id = "); query.appendInterpolation(bind: v) }
        if let v = f.actor { query.appendInterpolation(unsafeRaw: " AND actor = "); query.appendInterpolation(bind: v) }
        if let v = f.from { query.appendInterpolation(unsafeRaw: " AND recorded_at >= "); query.appendInterpolation(bind: v) }
        if let v = f.to { query.appendInterpolation(unsafeRaw: " AND recorded_at <= "); query.appendInterpolation(bind: v) }
        if let v = f.unit { query.appendInterpolation(unsafeRaw: " AND unit = "); query.appendInterpolation(bind: v) }
        query.appendInterpolation(unsafeRaw: " ORDER BY seq LIMIT ")
        query.appendInterpolation(bind: f.limit)
        return try await db.raw(query).all().map(Self.auditEntry(from:))
    }

    func allAuditEntries() async throws -> [AuditEntry] {
        try await db.raw("SELECT \(unsafeRaw: Self.auditColumns) FROM audit_log ORDER BY seq").all().map(Self.auditEntry(from:))
    }
}
