import SQLKit

extension SQLStore {
    /// SQLite only: a transactionally consistent copy of the whole database in the new file
    /// `path`, taken while other connections go on writing (WAL).
    public func copySQLite(to path: String) async throws {
        precondition(kind == .sqlite, "VACUUM INTO is SQLite's")
        try await backend.withSession { db in
            try await db.execute(sql: SQLQueryString("VACUUM INTO \(bind: path)")) { _ in }
        }
    }

    /// The tables the database holds: 0 for a fresh one, which is the only kind a restore fills.
    public func tableCount() async throws -> Int {
        let sql = kind == .sqlite
            ? "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            : "SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'"
        return try await backend.withSession { db in
            try await db.raw(SQLQueryString(sql)).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}
