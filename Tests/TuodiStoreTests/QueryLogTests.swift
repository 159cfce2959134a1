import Foundation
import Logging
import Synchronization
import Testing
import TuodiDomain
import TuodiPostgres
import TuodiSQLite
import TuodiStore
import TuodiTestSupport

/// At the most verbose log level the backends log nothing that holds a bound value: SQLKit's
/// query log would print every bind, password and token hashes included.
@Suite("No bind values in the logs")
struct QueryLogTests {
    /// Keeps every line logged through it, message and metadata, at every level.
    final class Capture: LogHandler, Sendable {
        let lines = Mutex<[String]>([])
        var metadata: Logger.Metadata {
            get { [:] }
            set {}
        }
        var logLevel: Logger.Level {
            get { .trace }
            set {}
        }
        subscript(metadataKey _: String) -> Logger.Metadata.Value? {
            get { nil }
            set {}
        }
        func log(event: LogEvent) {
            let line = "\(event.message) \(event.metadata ?? [:])"
            lines.withLock { $0.append(line) }
        }
    }

    @Test("a user and a token written at trace level leave no hash in the log", arguments: StoreKind.allCases)
    func noBinds(_ kind: StoreKind) async throws {
        let capture = Capture()
        let logger = Logger(label: "tuodi.test.querylog") { _ in capture }
        let backend: any SQLBackend
        switch kind {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("tuodi-tests/\(UUID().uuidString).sqlite").path
            backend = try await SQLiteBackend.open(path: path, logger: logger)
        case .postgres:
            backend = PostgresBackend(url: try await TestDatabases.freshPostgresURL(migrated: false), logger: logger)
        }
        let store = try SQLStore(backend: backend)
        _ = try await store.migrate()
        let passwordHash = "$2b$12$secretpasswordhash" + UUID().uuidString
        let tokenHash = "secret-token-hash-" + UUID().uuidString
        try await store.transaction { tx in
            let id = try await tx.insertUser(NewUser(username: "log.probe", displayName: "日志", role: .admin, unit: nil,
                                                     passwordHash: passwordHash), createdAt: Date())
            try await tx.insertToken(userID: id, tokenHash: tokenHash, createdAt: 0, expiresAt: 1e10)
        }
        let owner = try await store.transaction { tx in try await tx.tokenOwner(tokenHash: tokenHash, now: 1) }
        #expect(owner?.passwordHash == passwordHash)
        try await backend.close()
        let logged = capture.lines.withLock { $0 }
        #expect(!logged.contains { $0.contains(passwordHash) || $0.contains(tokenHash) })
    }
}
