import Foundation
import SQLKit

/// Applies the embedded migrations and records them in `schema_migrations`.
struct MigrationRunner {
    let backend: any SQLBackend
    let migrations: [Migration]

    /// The same bookkeeping table on both dialects.
    static let createTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            checksum TEXT NOT NULL,
            applied_at TEXT NOT NULL
        )
        """

    func status() async throws -> MigrationStatus {
        let applied = try await backend.withSession { db in
            try await db.execute(sql: SQLRaw(Self.createTable)) { _ in }
            return try await db.raw("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version")
                .all().map { row in
                    AppliedMigration(
                        version: try row.decode(column: "version", as: Int.self),
                        name: try row.decode(column: "name", as: String.self),
                        checksum: try row.decode(column: "checksum", as: String.self),
                        // Swift's own ISO 8601 parser: Foundation's ISO8601DateFormatter goes through ICU,
                        // 13 % of every CLI process's start for 15 rows.
                        appliedAt: (try? Date(try row.decode(column: "applied_at", as: String.self), strategy: .iso8601)) ?? .distantPast)
                }
        }
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        let appliedVersions = Set(applied.map(\.version))
        return MigrationStatus(
            applied: applied,
            pending: migrations.filter { !appliedVersions.contains($0.version) },
            changed: applied.filter { a in known[a.version].map { $0.checksum != a.checksum } ?? false }.map(\.version),
            unknown: applied.filter { known[$0.version] == nil }.map(\.version))
    }

    /// Applies what is pending, each file in its own transaction, after refusing a changed or
    /// unknown applied file.
    func migrate() async throws -> [Migration] {
        let current = try await status()
        if let version = current.changed.first, let m = migrations.first(where: { $0.version == version }) {
            throw MigrationError.changedAfterApply(version: version, name: m.name)
        }
        if !current.unknown.isEmpty { throw MigrationError.unknownApplied(versions: current.unknown) }
        for migration in current.pending {
            try await TransactionScheduling.$alone.withValue(true) { try await backend.inTransaction { db in
                for statement in SQLScript.statements(in: migration.sql) {
                    try await db.execute(sql: SQLRaw(statement)) { _ in }
                }
                let now = ISO8601DateFormatter().string(from: Date())
                try await db.raw("""
                    INSERT INTO schema_migrations (version, name, checksum, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: migration.checksum), \(bind: now))
                    """).run()
            } }
        }
        return current.pending
    }
}
