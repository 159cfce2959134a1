import Foundation
import Logging
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization
import TuodiStore

/// The embedded SQLite database: one write connection, used by one caller at a time, and a few
/// read connections beside it.
///
/// SQLite allows one writer per file anyway; a single serialised connection keeps a transaction's
/// statements from interleaving with another caller's on the same connection. In WAL mode a
/// reader sees the last committed state and neither waits for the writer nor holds it up, so
/// read-only transactions (plain, deferred `BEGIN`) run on read connections of their own, made
/// on first need. An in-memory database has no file to share: there, reads queue at the writer.
public final class SQLiteBackend: SQLBackend {
    public let kind = StoreKind.sqlite
    public let beginStatement = "BEGIN IMMEDIATE"
    public let readBeginStatement = "BEGIN"
    public let auditLockExpression: String? = nil
    public let statisticsStatement: String? = nil
    public let rowLockClause = ""
    public func asciiLowercase(_ expression: String) -> String { "lower(\(expression))" }
    /// The write gate: a pool of the one write connection, leased only through `withWriter` and
    /// `runTransaction`, which each settle an open commit group. The connection runs its
    /// transactions on a thread of its own: on SQLiteNIO's shared pool (a thread per core) a
    /// write's statements queued behind reports' long ones (an appointment's p99 was 60 ms while
    /// two city roll-ups ran, 14 ms with a thread of its own). The read connections stay there.
    private let writer: AsyncPool<SQLiteWriter>
    /// Read connections (`PRAGMA query_only`), or nil for an in-memory database.
    let readers: AsyncPool<SQLiteConnection>?

    /// How many read connections at most: enough that a long report does not keep the cheap
    /// reads waiting, few enough that each stays warm.
    public static let readConnections = 4

    /// Opens (creating if needed) the database file at `path`, or an in-memory database for
    /// `:memory:`. Creates the parent folder of a file path.
    public static func open(path: String, logger: Logger = Logger(label: "tuodi.sqlite")) async throws -> SQLiteBackend {
        let storage: SQLiteConnection.Storage
        if path == ":memory:" {
            storage = .memory
        } else {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            storage = .file(path: path)
        }
        // Foreign keys are off by default in SQLite; WAL lets readers (our read connections, the
        // CLI while the server runs) proceed beside the writer; busy_timeout waits for another
        // process's writer. temp_store: the savepoints of a commit group keep the pages an earlier
        // transaction of the group changed in a sub-journal, by default a temporary file written
        // with pwrite (3 % of the writer's time in appointments); in memory instead. synchronous
        // FULL (SQLite's default, stated so no build can change it): a commit waits for the disk,
        // so a change a clerk saw saved survives a power cut; group commit shares that wait.
        let writer = try SQLiteWriter(path: path, logger: logger)
        do {
            for pragma in ["PRAGMA foreign_keys = ON", "PRAGMA journal_mode = WAL", "PRAGMA busy_timeout = 5000", "PRAGMA temp_store = MEMORY",
                           "PRAGMA synchronous = FULL"] {
                try writer.run(pragma, []) { _ in }
            }
        } catch {
            try? await writer.close()
            throw error
        }
        let readers: AsyncPool<SQLiteConnection>? = path == ":memory:" ? nil : AsyncPool(limit: readConnections) {
            // query_only: a write on a read connection fails instead of taking the file's write lock.
            // mmap: reports read pages in place instead of copying each one in with pread (the
            // city roll-up's three read-model queries: 170 → 103 ms on 20,000 estates).
            try await connect(storage, on: .singleton, logger: logger, pragmas: ["PRAGMA query_only = ON", "PRAGMA busy_timeout = 5000",
                                                                                 "PRAGMA mmap_size = 268435456"])
        }
        return SQLiteBackend(writer: writer, readers: readers)
    }

    private static func connect(_ storage: SQLiteConnection.Storage, on threads: NIOThreadPool, logger: Logger,
                                pragmas: [String]) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(storage: storage, threadPool: threads, logger: logger,
                                                         on: MultiThreadedEventLoopGroup.singleton.any())
        do {
            for pragma in pragmas { _ = try await connection.query(pragma).get() }
        } catch {
            try? await connection.close().get()
            throw error
        }
        return connection
    }

    init(writer: SQLiteWriter, readers: AsyncPool<SQLiteConnection>?) {
        self.writer = AsyncPool(resources: [writer], limit: 1) { fatalError("the write connection is opened once, in open(path:)") }
        self.readers = readers
    }

    public func withSession<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withWriter { try await body($0.database) }
    }

    /// How many callers wait for the write connection now (tests).
    var callersWaitingForWriter: Int { writer.waitingCount }

    /// `body` with the write connection to itself, on the connection's own thread (its statements
    /// then run there without a hop), an open commit group committed first.
    func withWriter<T: Sendable>(_ body: (SQLiteWriter) async throws -> T) async throws -> T {
        try await writer.withLease { writer in
            try await withTaskExecutorPreference(writer.executor) {
                writer.commitGroup()
                return try await body(writer)
            }
        }
    }

    /// Write transactions share commits while callers queue for the connection (`CommitGroup`).
    public func runTransaction<T: Sendable>(readOnly: Bool,
                                            _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if TransactionScheduling.runsPlain(readOnly: readOnly) { return try await plainTransaction(readOnly: readOnly, body) }
        return try await writer.withPassableLease { writer, passOn in
            try await withTaskExecutorPreference(writer.executor) {
                try await writer.groupTransaction(passOn: passOn, body)
            }
        }
    }

    public func withReadSession<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        guard let readers else { return try await withSession(body) }
        return try await readers.withLease { try await body(Self.database($0)) }
    }

    private static func database(_ connection: SQLiteConnection) -> any SQLDatabase {
        // No query log: SQLKit's carries the bind values (token and password hashes among them).
        SQLiteRowsDatabase(inner: connection.sql(queryLogLevel: nil), connection: connection)
    }

    public var poolSize: Int { 1 + (readers == nil ? 0 : Self.readConnections) }

    /// One writer at a time (`BEGIN IMMEDIATE` behind the gate): nothing to deadlock with.
    public func isTransient(_ error: any Error) -> Bool { false }

    public func isUniqueViolation(_ error: any Error) -> Bool {
        if let e = error as? SQLiteWriterError { return e.isUniqueViolation }
        guard let e = error as? SQLiteError else { return false }
        switch e.reason {
        case .constraintUniqueFailed, .constraintPrimaryKeyFailed: return true
        default: return false
        }
    }

    /// Closes the connections not in use (all of them, once every caller has finished).
    public func close() async throws {
        for reader in readers?.takeIdle() ?? [] { try await reader.close().get() }
        for connection in writer.takeIdle() { try await connection.close() }
    }
}
