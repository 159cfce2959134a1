import Foundation
import Logging
import PostgresKit
import PostgresNIO
import SQLKit
import TuodiStore

/// PostgreSQL through PostgresNIO's connection pool. Each session leases one pooled connection.
public final class PostgresBackend: SQLBackend {
    public let kind = StoreKind.postgres
    public let beginStatement = "BEGIN"
    /// Any constant key will do; it only has to be the same for every writer of the trail.
    public let auditLockStatement: String? = "SELECT pg_advisory_xact_lock(7261001)"
    public let rowLockClause = "FOR UPDATE"
    let client: PostgresClient
    private let runner: Task<Void, Never>
    public let poolSize: Int

    /// Connects with the settings of `url` (see `PostgresURL`). The pool runs until `close()`.
    public init(url: PostgresURL, logger: Logger = Logger(label: "tuodi.postgres")) {
        var config: PostgresClient.Configuration
        if let socket = url.unixSocketPath {
            config = .init(unixSocketPath: socket, username: url.username, password: url.password, database: url.database)
        } else {
            config = .init(host: url.host, port: url.port, username: url.username, password: url.password,
                           database: url.database, tls: .disable)
        }
        config.options.maximumConnections = url.maximumConnections
        poolSize = url.maximumConnections
        let client = PostgresClient(configuration: config, backgroundLogger: logger)
        self.client = client
        self.runner = Task { await client.run() }
    }

    public func withSession<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await body(connection.sql())
        }
    }

    public func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }

    public func isTransient(_ error: any Error) -> Bool {
        ["40P01", "40001"].contains((error as? PSQLError)?.serverInfo?[.sqlState])
    }

    public func close() async throws {
        runner.cancel()
        await runner.value
    }
}

/// A `postgres://user:password@host:port/database` URL. A unix socket folder may be given
/// libpq-style as `?host=/path/to/folder`; `?pool=N` sets the pool size (default 8).
public struct PostgresURL: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var unixSocketPath: String?
    public var maximumConnections: Int

    public init?(_ string: String) {
        guard let c = URLComponents(string: string), c.scheme == "postgres" || c.scheme == "postgresql",
              let user = c.user, !user.isEmpty else { return nil }
        let database = String(c.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { return nil }
        host = c.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        port = c.port ?? 5432
        username = user
        password = c.password
        self.database = database
        let query = c.queryItems ?? []
        if let folder = query.first(where: { $0.name == "host" })?.value {
            unixSocketPath = folder.hasSuffix(".s.PGSQL.\(port)") ? folder : "\(folder)/.s.PGSQL.\(port)"
        }
        maximumConnections = query.first(where: { $0.name == "pool" })?.value.flatMap(Int.init) ?? 8
        guard maximumConnections > 0 else { return nil }
    }

    /// The same server and credentials, another database.
    public func with(database: String) -> PostgresURL {
        var copy = self
        copy.database = database
        return copy
    }
}
