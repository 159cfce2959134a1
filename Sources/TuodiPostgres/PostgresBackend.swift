import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresKit
import PostgresNIO
import ServiceLifecycle
import SQLKit
import Synchronization
import TuodiStore

/// PostgreSQL through PostgresNIO's connection pool. Each session leases one pooled connection.
public final class PostgresBackend: SQLBackend {
    public let kind = StoreKind.postgres
    public let beginStatement = "BEGIN"
    /// One snapshot for the whole read, as SQLite's WAL readers have: under the default (read
    /// committed) each statement saw what had committed by its own start, so a report's queries
    /// could disagree. A read-only transaction at this level is never refused for serialisation.
    public let readBeginStatement = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"
    /// Any constant key will do; it only has to be the same for every writer of the trail.
    public let auditLockExpression: String? = "pg_advisory_xact_lock(7261001)"
    public let statisticsStatement: String? = "ANALYZE"
    public let rowLockClause = "FOR UPDATE"
    public func asciiLowercase(_ expression: String) -> String {
        "translate(\(expression), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    }
    let client: PostgresClient
    /// The event loops of every PostgreSQL connection, not the HTTP server's (NIO's singleton):
    /// a write transaction runs on its connection's loop, and whatever it computes there must not
    /// hold up requests. Like the singleton, they live as long as the process.
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
    /// The statements prepared on each pooled connection.
    let statements = PreparedStatements()
    /// The pool's own task, when nobody else runs it (the CLI, tests); nil under `tuodi serve`,
    /// where the pool runs in the service group (`service`).
    private let runner: Task<Void, Never>?
    public let poolSize: Int

    /// How long a caller waits for a pooled connection before the database counts as unreachable
    /// (`connect_timeout` in the URL, default 5 s). Without it a request (or `tuodi estate list`)
    /// waits for as long as the pool keeps retrying.
    let leaseTimeout: Duration

    /// Connects with the settings of `url` (see `PostgresURL`). With `runsItself` the pool runs
    /// in a task of its own until `close()`; without, whoever takes `service` runs it (a
    /// ServiceGroup, which also ends it on shutdown).
    public init(url: PostgresURL, logger: Logger = Logger(label: "tuodi.postgres"), runsItself: Bool = true) {
        var config: PostgresClient.Configuration
        if let socket = url.unixSocketPath {
            config = .init(unixSocketPath: socket, username: url.username, password: url.password, database: url.database)
        } else {
            config = .init(host: url.host, port: url.port, username: url.username, password: url.password,
                           database: url.database, tls: url.sslMode.tls)
        }
        config.options.maximumConnections = url.maximumConnections
        poolSize = url.maximumConnections
        leaseTimeout = .seconds(url.connectTimeoutSeconds)
        config.options.connectTimeout = leaseTimeout
        let client = PostgresClient(configuration: config, eventLoopGroup: Self.eventLoops, backgroundLogger: logger)
        self.client = client
        self.runner = runsItself ? Task { await client.run() } : nil
    }

    /// Leases a connection within `leaseTimeout` (the work done on it has no deadline: a report
    /// may take its time) and reports a database that cannot be reached as `StoreError.unreachable`.
    public func withSession<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await session(onEventLoop: false, body)
    }

    /// Write transactions run on their connection's event loop (`EventLoopExecutor`): every
    /// statement's answer arrives on that thread, and the transaction goes on there instead of
    /// hopping to Swift's cooperative pool and back once per statement (15–25 % of the server's
    /// CPU in a custody appointment). Their statements are prepared on the connection
    /// once it has run them before (`PreparedStatements`). Brief reads
    /// (`TransactionScheduling.brief`) run there too, prepared alike. Other reads, and
    /// transactions that run alone (bulk loads and other long ones, `TransactionScheduling.alone`),
    /// stay on the pool and unprepared: a report's decoding would hold up every other connection
    /// that loop serves.
    public func runTransaction<T: Sendable>(readOnly: Bool,
                                            _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        guard !TransactionScheduling.alone, !readOnly || TransactionScheduling.brief else {
            return try await plainTransaction(readOnly: readOnly, body)
        }
        return try await session(onEventLoop: true, transactionBody(readOnly: readOnly, body))
    }

    private func session<T: Sendable>(onEventLoop: Bool, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let client = self.client, leaseTimeout = self.leaseTimeout, statements = self.statements
        let leased = LeaseFlag()
        do {
            return try await withThrowingTaskGroup(of: Lease<T>.self) { group in
                group.addTask {
                    // A connection the server closed while it sat in the pool may be leased
                    // before the pool hears of it: nothing has run on it, so another is leased.
                    for attempt in 1... {
                        do {
                            return .done(try await client.withConnection { connection in
                                guard !connection.isClosed else { throw ClosedWhenLeased() }
                                // From here the body has no deadline (a report may take its time).
                                leased.set()
                                // No query log: SQLKit's carries the bind values (token and password hashes).
                                let db = DirectRowsDatabase(inner: connection.sql(queryLogLevel: nil), connection: connection,
                                                            statements: onEventLoop ? statements : nil)
                                do {
                                    guard onEventLoop else { return try await body(db) }
                                    return try await withTaskExecutorPreference(db.loop) { try await body(db) }
                                } catch where Self.isConnectionLost(error) || error as? StoreError == .lostAtCommit {
                                    // Closed before it goes back: the server's last word (57P01) arrives
                                    // before its socket closes, and the next lease must not get it.
                                    try? await connection.close()
                                    throw error
                                }
                            })
                        } catch is ClosedWhenLeased {
                            if attempt > 4 { throw PostgresError.connectionClosed }
                            // The pool hears of the closing on the connection's loop; let it.
                            try await Task.sleep(for: .milliseconds(1 << attempt))
                        } catch where !leased.isSet {
                            // The pool gave no connection (it could not connect, or its circuit breaker tripped).
                            throw StoreError.unreachable
                        }
                    }
                    fatalError("the loop returns or throws")
                }
                group.addTask {
                    try await Task.sleep(for: leaseTimeout)
                    return .deadline
                }
                while let outcome = try await group.next() {
                    switch outcome {
                    case .done(let value):
                        group.cancelAll()
                        return value
                    case .deadline where !leased.isSet:
                        group.cancelAll()
                        throw StoreError.unreachable
                    case .deadline:
                        continue
                    }
                }
                throw StoreError.unreachable
            }
        } catch let error where Self.isConnectionLost(error) {
            throw StoreError.unreachable
        }
    }

    private struct ClosedWhenLeased: Error {}

    private enum Lease<T: Sendable>: Sendable {
        case done(T)
        case deadline
    }

    /// Set once a connection has been leased, so the deadline no longer applies.
    private final class LeaseFlag: Sendable {
        private let value = Mutex(false)
        func set() { value.withLock { $0 = true } }
        var isSet: Bool { value.withLock { $0 } }
    }

    /// Every pooled connection reads and writes alike.
    public func withReadSession<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withSession(body)
    }

    public func isUniqueViolation(_ error: any Error) -> Bool {
        Self.sqlState(error) == "23505"
    }

    public func isConnectionLost(_ error: any Error) -> Bool { Self.isConnectionLost(error) }

    public func isTransient(_ error: any Error) -> Bool {
        ["40P01", "40001"].contains(Self.sqlState(error))
    }

    /// Whether `error` is PostgresNIO's report of a connection that failed or closed under us, or
    /// the server's last word before it ends one: a shutdown, a restart or an administrator's
    /// `pg_terminate_backend` (SQLSTATE 57P01, 57P02), or a connection that failed (08000, 08003,
    /// 08006; not 08P01, which a healthy connection raises for a malformed message).
    static func isConnectionLost(_ error: any Error) -> Bool {
        if let state = sqlState(error) { return ["57P01", "57P02", "08000", "08003", "08006"].contains(state) }
        // A statement sent after the server's last word comes back as the client's own closing.
        if let e = error as? PSQLError {
            return [.connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection].contains(e.code)
        }
        // The same from a prepared statement, as PostgresNIO's older API converts them.
        switch error as? PostgresError {
        case .connectionClosed?: return true
        case .protocol(let message)?: return message == "Unexpected connection close"
        case .server?: return false
        case nil: return error is ChannelError || error is IOError
        }
    }

    /// The SQLSTATE of a server's error, as PostgresNIO reports it: a `PSQLError`, or for a
    /// prepared statement (its older API) a `PostgresError`.
    static func sqlState(_ error: any Error) -> String? {
        if let e = error as? PSQLError { return e.serverInfo?[.sqlState] }
        if case .server(let e) = error as? PostgresError { return e.fields[.sqlState] }
        return nil
    }

    /// The connection pool as a service, for a backend that does not run itself.
    public var service: (any Service)? { runner == nil ? client : nil }

    public func close() async throws {
        runner?.cancel()
        await runner?.value
    }
}

/// How a TCP connection uses TLS, as libpq's `sslmode` says it (`allow` is read as `prefer`).
public enum SSLMode: String, Sendable, Equatable {
    /// Plain text only.
    case disable
    /// TLS when the server offers it, without checking its certificate (libpq's default).
    case prefer
    /// TLS or nothing, without checking the certificate.
    case require
    /// TLS with the certificate checked against the system's trust store (and, for
    /// `verify-full`, the host name).
    case verifyCA = "verify-ca", verifyFull = "verify-full"

    var tls: PostgresClient.Configuration.TLS {
        var unchecked = TLSConfiguration.makeClientConfiguration()
        unchecked.certificateVerification = .none
        var checked = TLSConfiguration.makeClientConfiguration()
        switch self {
        case .disable: return .disable
        case .prefer: return .prefer(unchecked)
        case .require: return .require(unchecked)
        case .verifyCA:
            checked.certificateVerification = .noHostnameVerification
            return .require(checked)
        case .verifyFull:
            checked.certificateVerification = .fullVerification
            return .require(checked)
        }
    }
}

/// A `postgres://user:password@host:port/database` URL. A unix socket folder may be given
/// libpq-style as `?host=/path/to/folder`; `?pool=N` sets the pool size (default 8);
/// `?sslmode=disable|prefer|require|verify-ca|verify-full` as in libpq (default prefer; a unix
/// socket never uses TLS); `?connect_timeout=S` as in libpq, here also the longest wait for a
/// pooled connection (default 5).
public struct PostgresURL: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var unixSocketPath: String?
    public var maximumConnections: Int
    public var sslMode: SSLMode
    public var connectTimeoutSeconds: Int

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
        let mode = query.first(where: { $0.name == "sslmode" })?.value ?? "prefer"
        guard let sslMode = SSLMode(rawValue: mode == "allow" ? "prefer" : mode) else { return nil }
        self.sslMode = sslMode
        connectTimeoutSeconds = query.first(where: { $0.name == "connect_timeout" })?.value.flatMap(Int.init) ?? 5
        guard connectTimeoutSeconds > 0 else { return nil }
    }

    /// The same server and credentials, another database.
    public func with(database: String) -> PostgresURL {
        var copy = self
        copy.database = database
        return copy
    }
}
