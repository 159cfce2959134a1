import Foundation
import Logging
import SQLKit
import TuodiPostgres
import TuodiSQLite
import TuodiStore
import TuodiStoreConformance

/// Fresh databases for tests: a new SQLite file each, or a new PostgreSQL database each on the
/// throwaway cluster that `make test` starts (`TUODI_TEST_POSTGRES_URL`).
public enum TestDatabases {
    public static let logger: Logger = {
        var l = Logger(label: "tuodi.test")
        l.logLevel = .warning
        return l
    }()

    public static func environment(_ kind: StoreKind) -> ConformanceEnvironment {
        switch kind {
        case .sqlite:
            ConformanceEnvironment(
                freshStore: {
                    let store = try SQLStore(backend: try await freshSQLite())
                    _ = try await store.migrate()
                    return store
                },
                freshBackend: { try await freshSQLite() })
        case .postgres:
            ConformanceEnvironment(
                freshStore: { try SQLStore(backend: try await PostgresDatabases.shared.fresh(migrated: true)) },
                freshBackend: { try await PostgresDatabases.shared.fresh(migrated: false) })
        }
    }

    /// A migrated store of `kind` on a new database.
    public static func freshStore(_ kind: StoreKind) async throws -> SQLStore {
        try await environment(kind).freshStore()
    }

    /// A new, empty PostgreSQL database's URL, for a process started by the test.
    public static func freshPostgresURL(migrated: Bool) async throws -> PostgresURL {
        try await PostgresDatabases.shared.freshURL(migrated: migrated)
    }

    /// Runs one statement outside the store's use cases (a test that damages data on purpose).
    public static func execute(_ store: SQLStore, _ sql: String) async throws {
        try await store.backend.withSession { db in try await db.execute(sql: SQLRaw(sql)) { _ in } }
    }

    struct NoSuchTable: Error { let name: String }

    /// PostgreSQL's idea of a table's size (-1 until the table is first analyzed), and its real one.
    public static func plannedRows(_ store: SQLStore, _ table: String) async throws -> (planned: Double, actual: Int) {
        try await store.backend.withSession { db in
            guard let row = try await db.raw("""
                SELECT reltuples::float8 AS planned, (SELECT COUNT(*) FROM \(unsafeRaw: table)) AS actual FROM pg_class WHERE relname = \(bind: table)
                """).first() else { throw NoSuchTable(name: table) }
            return (try row.decode(column: "planned", as: Double.self), try row.decode(column: "actual", as: Int.self))
        }
    }

    public static func freshSQLite() async throws -> SQLiteBackend {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tuodi-tests", isDirectory: true)
        return try await SQLiteBackend.open(path: folder.appendingPathComponent("\(UUID().uuidString).sqlite").path,
                                            logger: logger)
    }

    /// Runs `body` on a fresh SQLite database and closes it afterwards, when `body` throws too.
    public static func withFreshSQLite<T: Sendable>(_ body: (SQLiteBackend) async throws -> T) async throws -> T {
        try await closing(try await freshSQLite(), body)
    }

    /// Runs `body` with `backend` and closes it afterwards, when `body` throws too.
    public static func closing<B: SQLBackend, T: Sendable>(_ backend: B, _ body: (B) async throws -> T) async throws -> T {
        do {
            let result = try await body(backend)
            try await backend.close()
            return result
        } catch {
            try? await backend.close()
            throw error
        }
    }
}

/// Creates one database per test on the test cluster: migrated ones are copied from a template
/// migrated once per process (`CREATE DATABASE ... TEMPLATE`), which is much faster than
/// migrating each.
public actor PostgresDatabases {
    public static let shared = PostgresDatabases()

    enum Problem: Error, CustomStringConvertible {
        case notConfigured, notLocal(String)
        var description: String {
            switch self {
            case .notConfigured:
                "TUODI_TEST_POSTGRES_URL is not set: run the tests with `make test`, which starts a throwaway PostgreSQL"
            case .notLocal(let host):
                "refusing to create and drop test databases on \(host): only a local cluster is allowed"
            }
        }
    }

    private var admin: PostgresBackend?
    private var template: Task<String, any Error>?

    private func adminURL() throws -> PostgresURL {
        guard let raw = ProcessInfo.processInfo.environment["TUODI_TEST_POSTGRES_URL"], let url = PostgresURL(raw) else {
            throw Problem.notConfigured
        }
        guard url.unixSocketPath != nil || ["127.0.0.1", "localhost", "::1"].contains(url.host) else {
            throw Problem.notLocal(url.host)
        }
        // Every suite shares one throwaway server: under a full parallel run a connection can be a
        // while coming, which is load, not an outage.
        var patient = url
        patient.connectTimeoutSeconds = 120
        return patient
    }

    private func adminBackend() throws -> PostgresBackend {
        if let admin { return admin }
        let backend = PostgresBackend(url: try adminURL(), logger: TestDatabases.logger)
        admin = backend
        return backend
    }

    private func create(_ name: String, template: String?) async throws {
        let sql = "CREATE DATABASE \"\(name)\"" + (template.map { " TEMPLATE \"\($0)\"" } ?? "")
        try await adminBackend().withSession { db in try await db.execute(sql: SQLRaw(sql)) { _ in } }
    }

    /// The migrated template, created on first use.
    private func templateName() async throws -> String {
        if let template { return try await template.value }
        let task = Task<String, any Error> {
            let name = "tuodi_template_\(ProcessInfo.processInfo.processIdentifier)"
            try await self.create(name, template: nil)
            let backend = PostgresBackend(url: try self.adminURL().with(database: name), logger: TestDatabases.logger)
            do {
                _ = try await SQLStore(backend: backend).migrate()
            } catch { try? await backend.close(); throw error }
            // The template must have no open connection while it is copied.
            try await backend.close()
            return name
        }
        template = task
        return try await task.value
    }

    public func fresh(migrated: Bool) async throws -> PostgresBackend {
        PostgresBackend(url: try await freshURL(migrated: migrated), logger: TestDatabases.logger)
    }

    /// Runs `body` on a fresh database and closes its backend afterwards, when `body` throws too.
    public nonisolated func withFresh<T: Sendable>(migrated: Bool, _ body: (PostgresBackend) async throws -> T) async throws -> T {
        try await TestDatabases.closing(try await fresh(migrated: migrated), body)
    }

    public func freshURL(migrated: Bool) async throws -> PostgresURL {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await create(name, template: migrated ? try await templateName() : nil)
        return try adminURL().with(database: name)
    }
}
