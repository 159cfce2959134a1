import Foundation
import Logging
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization
import TuodiStore

/// The embedded SQLite database: one connection, used by one caller at a time.
///
/// SQLite allows one writer per file anyway; a single serialised connection keeps a transaction's
/// statements from interleaving with another caller's on the same connection.
public final class SQLiteBackend: SQLBackend {
    public let kind = StoreKind.sqlite
    public let beginStatement = "BEGIN IMMEDIATE"
    public let auditLockStatement: String? = nil
    public let rowLockClause = ""
    let connection: SQLiteConnection
    let gate = AsyncGate()

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
        let connection = try await SQLiteConnection.open(storage: storage, logger: logger).get()
        let backend = SQLiteBackend(connection: connection)
        // Foreign keys are off by default in SQLite; WAL lets readers in other processes (the
        // CLI while the server runs) proceed; busy_timeout waits for another process's writer.
        for pragma in ["PRAGMA foreign_keys = ON", "PRAGMA journal_mode = WAL", "PRAGMA busy_timeout = 5000"] {
            _ = try await connection.query(pragma).get()
        }
        return backend
    }

    init(connection: SQLiteConnection) { self.connection = connection }

    public func withSession<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        // No query log: SQLKit's carries the bind values (token and password hashes among them).
        try await gate.run { try await body(self.connection.sql(queryLogLevel: nil)) }
    }

    /// One writer at a time (`BEGIN IMMEDIATE` behind the gate): nothing to deadlock with.
    public func isTransient(_ error: any Error) -> Bool { false }

    public func isUniqueViolation(_ error: any Error) -> Bool {
        guard let e = error as? SQLiteError else { return false }
        switch e.reason {
        case .constraintUniqueFailed, .constraintPrimaryKeyFailed: return true
        default: return false
        }
    }

    public func close() async throws {
        try await connection.close().get()
    }
}

/// A first-come-first-served async lock: one holder at a time, across suspension points (an
/// actor would not do: it lets other callers in whenever the holder awaits).
final class AsyncGate: Sendable {
    private struct State {
        var held = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { s -> Bool in
                if s.held { s.waiters.append(c); return false }
                s.held = true
                return true
            }
            if resumeNow { c.resume() }
        }
    }

    private func release() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.waiters.isEmpty { s.held = false; return nil }
            return s.waiters.removeFirst()   // ownership passes straight to the next waiter
        }
        next?.resume()
    }
}
