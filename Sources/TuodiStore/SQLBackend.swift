import Foundation
import SQLKit

/// What a database driver supplies so that `SQLStore` can run the same SQL on it. This is the
/// only part that differs between SQLite and PostgreSQL; queries live once, in `SQLStore`.
public protocol SQLBackend: Sendable {
    var kind: StoreKind { get }

    /// Runs `body` on one connection that no other caller uses until it returns.
    func withSession<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T

    /// Runs `body` on a connection used only for reading, which no other caller uses until it
    /// returns. Where the backend keeps separate read connections (SQLite's WAL readers), it
    /// never waits for a writer.
    func withReadSession<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T

    /// The statement that opens a read-only transaction: it sees one state, and a write in it
    /// fails on every backend (so a use case wrongly marked as reading fails its tests).
    var readBeginStatement: String { get }

    /// The statement that opens a read-write transaction (SQLite takes its write lock up front
    /// with `BEGIN IMMEDIATE`, so two writers never deadlock on a lock upgrade).
    var beginStatement: String { get }

    /// Selected to take the audit trail's lock before reading its last hash, so concurrent
    /// writers append one after the other (PostgreSQL: a transaction-scoped advisory lock). An
    /// expression, so that it can also be selected over rows just locked (`lockEstate`). `nil`
    /// where the transaction already excludes other writers (SQLite's `BEGIN IMMEDIATE`).
    var auditLockExpression: String? { get }

    /// Appended to a `SELECT` of one row to lock it until the transaction ends (PostgreSQL
    /// `FOR UPDATE`); empty where the transaction already excludes other writers (SQLite).
    var rowLockClause: String { get }

    /// Refreshes the planner's statistics after a bulk load (PostgreSQL: `ANALYZE`). `nil` on
    /// SQLite, whose queries are written for its plans without `sqlite_stat1`, which ANALYZE
    /// would create and so change them.
    var statisticsStatement: String? { get }

    /// `expression` with A–Z lowered and every other character kept, so that text search folds
    /// case alike on every backend (SQLite's `lower` folds ASCII only, PostgreSQL's all letters).
    func asciiLowercase(_ expression: String) -> String

    /// Whether `error` is the driver's report of a unique-constraint violation.
    func isUniqueViolation(_ error: any Error) -> Bool

    /// Whether `error` aborted the transaction for reasons of timing alone (PostgreSQL's
    /// deadlock detector, 40P01, or a serialisation failure, 40001): the same transaction run
    /// again may well succeed.
    func isTransient(_ error: any Error) -> Bool

    /// Whether `error` says the connection broke (a server that ended it, a failed socket):
    /// whatever the statement was, its answer is lost. Never on SQLite, which runs in-process.
    func isConnectionLost(_ error: any Error) -> Bool

    /// Runs `body` inside one transaction (read-only with `readOnly`): BEGIN ... COMMIT on one
    /// session, rolled back and rethrown on error (`plainTransaction`, the default). A backend may
    /// let write transactions share a commit, as long as each caller returns only once its own
    /// changes are committed, and a body that throws leaves no change behind.
    func runTransaction<T: Sendable>(readOnly: Bool, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T

    /// Closes the connection(s).
    func close() async throws

    /// How many sessions can be open at once (shown on /metrics beside the sessions in use).
    var poolSize: Int { get }
}

extension SQLBackend {
    /// One connection, unless the backend pools more.
    public var poolSize: Int { 1 }

    public func isConnectionLost(_ error: any Error) -> Bool { false }

    public func runTransaction<T: Sendable>(readOnly: Bool,
                                            _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await plainTransaction(readOnly: readOnly, body)
    }

    func inTransaction<T: Sendable>(readOnly: Bool = false,
                                    _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await runTransaction(readOnly: readOnly, body)
    }

    /// Runs `body` inside BEGIN ... COMMIT on one session (a read session with `readOnly`); rolls
    /// back and rethrows on error.
    public func plainTransaction<T: Sendable>(readOnly: Bool,
                                              _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let run = transactionBody(readOnly: readOnly, body)
        return readOnly ? try await withReadSession(run) : try await withSession(run)
    }

    /// `body` wrapped in BEGIN ... COMMIT (ROLLBACK and rethrow on error), for a session.
    public func transactionBody<T: Sendable>(readOnly: Bool, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T)
        -> @Sendable (any SQLDatabase) async throws -> T {
        let begin = readOnly ? readBeginStatement : beginStatement
        return { db in
            try await db.execute(sql: SQLRaw(begin)) { _ in }
            do {
                let result = try await body(db)
                do {
                    try await db.execute(sql: SQLRaw("COMMIT")) { _ in }
                } catch where !readOnly && isConnectionLost(error) {
                    // The COMMIT may have reached the database and been carried out before its
                    // answer was lost. (A read's has nothing to keep: it is lost as any statement.)
                    throw StoreError.lostAtCommit
                }
                return result
            } catch {
                try? await db.execute(sql: SQLRaw("ROLLBACK")) { _ in }
                throw error
            }
        }
    }
}
