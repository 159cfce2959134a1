import CTuodiSQLite
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization
import VaporCSQLite

/// The write connection: SQLite's C API called directly, each distinct statement prepared once.
///
/// Why not SQLiteNIO here: it sends every statement to a thread pool and back (two thread hops per
/// statement, a quarter of a custody appointment's CPU) and prepares every statement anew
/// (another tenth). A write transaction holds this connection alone, behind the write gate, and
/// runs on the connection's own thread (`executor`), so its statements run inline there.
///
/// The SQLite library is SQLiteNIO's own copy (`VaporCSQLite`): the read connections open the same
/// file through it, and two copies of SQLite in one process would not see each other's locks.
final class SQLiteWriter: @unchecked Sendable {
    // @unchecked: the handle and the statement cache are used by one caller at a time, the one
    // holding the write gate's lease (`SQLiteBackend.writer`).
    private var handle: OpaquePointer?
    private var statements: [String: PreparedStatement] = [:]
    /// Where this connection's transactions run.
    let executor = ThreadExecutor()
    /// The write transactions sharing the open transaction's commit, if one is open.
    var group: CommitGroup?
    /// How many groups have been committed (tests count them).
    var groupsCommitted = 0
    let logger: Logger

    /// How many statements stay prepared. The store's statements are a few hundred distinct texts
    /// at most; texts that vary (IN lists of every length) would otherwise grow the cache forever.
    static let cacheLimit = 512

    private static let initialised = Mutex(false)

    /// Opens (creating if needed) `path`, or an in-memory database for `:memory:`.
    init(path: String, logger: Logger) throws {
        self.logger = logger
        Self.initialised.withLock {
            if !$0 { sqlite_nio_sqlite3_initialize(); $0 = true }
        }
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE
        let opened = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard opened == SQLITE_OK else {
            let error = SQLiteWriterError(code: opened, message: handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "out of memory")
            sqlite_nio_sqlite3_close_v2(handle)
            handle = nil
            throw error
        }
        // Plans that do not depend on bound values. Without this SQLite marks a statement whose
        // plan looked at a bound value (a partial index's condition, an expression index) to be
        // prepared again whenever that value changes: four of a custody appointment's kept
        // statements were, on every run (9 % of the server's CPU).
        let planned = tuodi_sqlite_enable_qpsg(UnsafeMutableRawPointer(handle))
        guard planned == SQLITE_OK else {
            sqlite_nio_sqlite3_close_v2(handle)
            handle = nil
            throw SQLiteWriterError(code: planned, message: "could not set the query planner stability guarantee")
        }
    }

    /// Runs one statement: `binds` in order, `onRow` for every row.
    func run(_ sql: String, _ binds: [SQLiteData], _ onRow: (SQLiteValues) throws -> Void) throws {
        let statement = try prepared(sql)
        let raw = statement.handle
        defer {
            sqlite_nio_sqlite3_reset(raw)
            sqlite_nio_sqlite3_clear_bindings(raw)
        }
        for (offset, bind) in binds.enumerated() {
            try check(Self.bind(bind, at: Int32(offset + 1), to: raw))
        }
        while true {
            let stepped = sqlite_nio_sqlite3_step(raw)
            guard stepped == SQLITE_ROW else {
                if stepped == SQLITE_DONE { return }
                throw failure(stepped)
            }
            let columns = statement.columns(raw)
            var values: [SQLiteData] = []
            values.reserveCapacity(columns.names.count)
            for column in 0..<Int32(columns.names.count) { values.append(try value(at: column, of: raw)) }
            try onRow(SQLiteValues(columns: columns, values: values))
        }
    }

    /// The statement for `sql`, from the cache or prepared now and kept. After a schema change
    /// SQLite prepares a kept statement again by itself, and its columns are then read again
    /// (`PreparedStatement.columns`).
    private func prepared(_ sql: String) throws -> PreparedStatement {
        if let cached = statements[sql] { return cached }
        if statements.count >= Self.cacheLimit { finaliseAll() }
        var raw: OpaquePointer?
        // PERSISTENT: SQLite expects the statement to be kept and used again, and allocates it so.
        let result = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard result == SQLITE_OK, let raw else {
            sqlite_nio_sqlite3_finalize(raw)
            throw failure(result)
        }
        let statement = PreparedStatement(handle: raw)
        statements[sql] = statement
        return statement
    }

    /// How many statements are kept now.
    var statementsKept: Int { statements.count }

    private func finaliseAll() {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement.handle) }
        statements.removeAll()
    }

    private func check(_ result: Int32) throws {
        guard result == SQLITE_OK else { throw failure(result) }
    }

    private func failure(_ result: Int32) -> SQLiteWriterError {
        SQLiteWriterError(code: handle.map { sqlite_nio_sqlite3_extended_errcode($0) } ?? result,
                          message: handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "closed")
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static func bind(_ value: SQLiteData, at index: Int32, to statement: OpaquePointer) -> Int32 {
        switch value {
        case .integer(let value): sqlite_nio_sqlite3_bind_int64(statement, index, Int64(value))
        case .float(let value): sqlite_nio_sqlite3_bind_double(statement, index, value)
        case .text(let value):
            sqlite_nio_sqlite3_bind_text64(statement, index, value, UInt64(value.utf8.count), transient, UInt8(SQLITE_UTF8))
        case .blob(let value):
            value.withUnsafeReadableBytes {
                sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), transient)
            }
        case .null: sqlite_nio_sqlite3_bind_null(statement, index)
        }
    }

    /// A cell as SQLiteNIO reads it (`SQLiteStatement.data(at:)`), so both connections give the same values.
    private func value(at column: Int32, of statement: OpaquePointer) throws -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { throw failure(SQLITE_NOMEM) }
            return .text(String(cString: text))
        case SQLITE_BLOB:
            let length = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            var buffer = ByteBufferAllocator().buffer(capacity: length)
            if let bytes = sqlite_nio_sqlite3_column_blob(statement, column) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: length))
            }
            return .blob(buffer)
        default: return .null
        }
    }

    /// This connection as SQLKit's database, for the lease holder's statements.
    var database: any SQLDatabase { SQLiteWriterDatabase(writer: self, eventLoop: MultiThreadedEventLoopGroup.singleton.any()) }

    /// Whether a transaction is open (SQLite ends one on its own after some errors: I/O, a full disk).
    var inTransaction: Bool { handle.map { sqlite_nio_sqlite3_get_autocommit($0) == 0 } ?? false }

    /// Whether the open transaction holds foreign-key violations that SQLite will check only at
    /// its commit (a `DEFERRABLE INITIALLY DEFERRED` key).
    var hasDeferredViolations: Bool {
        var current: Int32 = 0, highest: Int32 = 0
        return sqlite_nio_sqlite3_db_status(handle, SQLITE_DBSTATUS_DEFERRED_FKS, &current, &highest, 0) == SQLITE_OK && current > 0
    }

    /// How often SQLite has prepared the kept statements again since they were first prepared.
    func timesPreparedAgain() -> Int {
        statements.values.reduce(0) { $0 + Int(sqlite_nio_sqlite3_stmt_status($1.handle, SQLITE_STMTSTATUS_REPREPARE, 0)) }
    }

    /// Finalises every statement and closes the connection; stops its thread.
    func close() async throws {
        finaliseAll()
        let closed = sqlite_nio_sqlite3_close_v2(handle)
        handle = nil
        try await executor.shutdown()
        guard closed == SQLITE_OK else { throw SQLiteWriterError(code: closed, message: "closing the write connection") }
    }
}

/// A prepared statement and its columns' names, read once.
private final class PreparedStatement {
    let handle: OpaquePointer
    private var cachedColumns: SQLiteColumns?

    init(handle: OpaquePointer) { self.handle = handle }

    /// How often SQLite had prepared the statement again when the names were read.
    private var preparedAgain: Int32 = -1

    /// The names are read again once SQLite has prepared the statement anew: it does when another
    /// connection (a migration from the CLI) changed the schema, and `SELECT *` may then give
    /// other columns.
    func columns(_ raw: OpaquePointer) -> SQLiteColumns {
        let again = sqlite_nio_sqlite3_stmt_status(raw, SQLITE_STMTSTATUS_REPREPARE, 0)
        if let cachedColumns, again == preparedAgain { return cachedColumns }
        preparedAgain = again
        let names = (0..<sqlite_nio_sqlite3_column_count(raw)).map { column in
            sqlite_nio_sqlite3_column_name(raw, column).map { String(cString: $0) } ?? ""
        }
        let columns = SQLiteColumns(names: names)
        cachedColumns = columns
        return columns
    }
}

/// A statement's column names, and each name's first position (as SQLiteNIO's row finds a column).
final class SQLiteColumns: Sendable {
    let names: [String]
    let positions: [String: Int]

    init(names: [String]) {
        self.names = names
        var positions: [String: Int] = [:]
        for (position, name) in names.enumerated() where positions[name] == nil { positions[name] = position }
        self.positions = positions
    }
}

/// One row read on the write connection.
struct SQLiteValues: SQLiteCellSource {
    let columns: SQLiteColumns
    let values: [SQLiteData]

    var columnNames: [String] { columns.names }
    func column(_ name: String) -> SQLiteData? { columns.positions[name].map { values[$0] } }
}

/// SQLite's report of a failed call on the write connection: its extended result code and message.
public struct SQLiteWriterError: Error, CustomStringConvertible {
    public let code: Int32
    public let message: String
    public var description: String { "SQLite error \(code): \(message)" }

    /// SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY.
    var isUniqueViolation: Bool { code == 2067 || code == 1555 }
}

/// The write connection as SQLKit's database, for one transaction's statements.
struct SQLiteWriterDatabase: SQLDatabase {
    let writer: SQLiteWriter
    let eventLoop: any EventLoop

    var logger: Logger { writer.logger }
    var version: (any SQLDatabaseReportedVersion)? { nil }
    var dialect: any SQLDialect { SQLiteDialect() }
    /// No query log: SQLKit's carries the bind values (token and password hashes among them).
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = try sqliteStatement(query)
        try writer.run(sql, binds) { onRow(SQLiteCells(row: $0)) }
    }

    /// SQLKit's older form: the statement still runs on the connection's own thread, where every
    /// other statement of the lease holder runs, not on the event loop that completes the future.
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let executor = writer.executor
        return eventLoop.makeFutureWithTask { try await withTaskExecutorPreference(executor) { try await self.execute(sql: query, onRow) } }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }
}
