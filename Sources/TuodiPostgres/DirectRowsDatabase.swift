import Logging
import PostgresKit
import PostgresNIO
import SQLKit
import TuodiStore

/// PostgresKit's `SQLDatabase` on one connection, with each query sent straight to the connection
/// and its cells decoded by PostgresNIO itself.
///
/// Why: PostgresKit's row decodes every cell through a generic path that first formats a coding
/// key string for the cell and looks the type's conformances up at run time: 39 % of the CPU of
/// the city roll-up (20,000 estates) on PostgreSQL. Its fast path ends in PostgresNIO's own
/// decoding, which this row calls directly; values PostgresNIO can encode are bound as PostgresKit
/// binds them. A query with a nil or any other bind goes through PostgresKit unchanged, unless
/// it runs prepared (`PreparedStatements`: a statement of a write transaction or a brief read run
/// before on the connection, whose nil binds are typed as their wrapped type).
struct DirectRowsDatabase: WrappedDatabase {
    let inner: any SQLDatabase
    let connection: PostgresConnection
    /// The connection's prepared statements; nil: none are prepared.
    var statements: PreparedStatements? = nil
    /// The connection's event loop as a task executor, from which every statement is sent (`sent`).
    let loop: EventLoopExecutor

    init(inner: any SQLDatabase, connection: PostgresConnection, statements: PreparedStatements? = nil) {
        self.inner = inner
        self.connection = connection
        self.statements = statements
        loop = EventLoopExecutor(connection.eventLoop)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        if let statements, Self.preparable(sql), let values = Self.values(binds) {
            do {
                if let prepared = try await sent({ try await statements.statement(sql, types: values.map(\.type), on: connection) }) {
                    return try await sent { try await prepared.execute(values) { row in onRow(DirectRow(cells: row.makeRandomAccess(), binary: true)) }.get() }
                }
            } catch {
                throw Self.reported(error, statements: statements, connection: connection)
            }
        }
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds {
            guard try Self.append(bind, to: &bindings) else { return try await sent { try await inner.execute(sql: query, onRow) } }
        }
        let bound = bindings
        let rows = try await sent { try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bound), logger: logger) }
        // These rows are read where the caller runs: off the loop for a plain read, so that a
        // report's decoding holds up no loop. (The prepared and PostgresKit paths read theirs on the loop.)
        for try await row in rows {
            onRow(DirectRow(cells: row.makeRandomAccess()))
        }
    }

    /// Sends a statement from the connection's event loop, once the connection is seen open there.
    ///
    /// Why: PostgresNIO (1.33) writes a statement to its channel without listening to the write.
    /// On a connection that has closed (a restart, `pg_terminate_backend`, a failover), the write
    /// fails unheard and the statement's answer never comes: its caller would wait for ever,
    /// holding its pooled lease. Sent from off the loop, the write reaches the loop later, when
    /// the connection may have closed after any check made here; on the loop, the check and the
    /// write run with nothing in between. (A write transaction that does not run alone, and a
    /// brief read, are on the loop already.)
    private func sent<T>(_ send: () async throws -> T) async throws -> T {
        // On the loop already (a write transaction, a brief read): no executor to switch to.
        guard !connection.eventLoop.inEventLoop else { return try await sendIfOpen(send) }
        return try await withTaskExecutorPreference(loop) { try await sendIfOpen(send) }
    }

    private func sendIfOpen<T>(_ send: () async throws -> T) async throws -> T {
        // Nothing was sent: not a connection lost under a statement (a COMMIT lost so might have
        // been carried out), but one found closed, which kept nothing.
        if connection.isClosed { throw StoreError.unreachable }
        return try await send()
    }

    /// A prepared statement's error as the rest of the backend expects it: PostgresNIO's older
    /// API reports a connection that failed under it as the underlying error, which says
    /// nothing of the connection; as a closed connection instead. A statement PostgreSQL no
    /// longer has, or whose plan no longer fits, makes the connection's record start over.
    private static func reported(_ error: any Error, statements: PreparedStatements, connection: PostgresConnection) -> any Error {
        guard case .server(let e) = error as? PostgresError else {
            return connection.isClosed ? PostgresError.connectionClosed : error
        }
        if ["26000", "0A000"].contains(e.fields[.sqlState]) { statements.forget(connection) }
        return error
    }

    /// Only these can be prepared (not BEGIN, COMMIT, DDL).
    private static func preparable(_ sql: String) -> Bool {
        let head = sql.prefix(8).uppercased()
        return ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"].contains { head.hasPrefix($0) }
    }

    /// The binds as values of the four types Tuodi binds (a nil one typed as its wrapped type),
    /// when every one is and there are not many (not a bulk load's long lists); nil otherwise.
    private static func values(_ binds: [any Encodable]) -> [PostgresData]? {
        guard binds.count <= 100 else { return nil }
        var values: [PostgresData] = []
        values.reserveCapacity(binds.count)
        for bind in binds {
            guard let value = value(bind) else { return nil }
            values.append(value)
        }
        return values
    }

    private static func value<T: Encodable>(_ bind: T) -> PostgresData? {
        // A non-nil optional casts to its wrapped value; a nil one is typed by its static type.
        switch bind {
        case let v as String: return PostgresData(string: v)
        case let v as Int: return PostgresData(int: v)
        case let v as Double: return PostgresData(double: v)
        case let v as Bool: return PostgresData(bool: v)
        default: break
        }
        guard let optional = bind as? any OptionalBind, optional.isNone else { return nil }
        let wrapped: [(Any.Type, PostgresDataType)] = [(String?.self, .text), (Int?.self, .int8), (Double?.self, .float8), (Bool?.self, .bool)]
        return wrapped.first { $0.0 == T.self }.map { PostgresData(type: $0.1) }
    }

    /// Appends `value` as PostgresKit would; false when only PostgresKit can: a nil, which it
    /// binds as a NULL of the wrapped type (PostgresNIO's NULL has none), or a value PostgresNIO
    /// cannot encode. (A non-nil optional casts to its wrapped value.)
    private static func append<T: Encodable>(_ value: T, to bindings: inout PostgresBindings) throws -> Bool {
        if let optional = value as? any OptionalBind, optional.isNone { return false }
        guard let encodable = value as? any PostgresThrowingDynamicTypeEncodable else { return false }
        try bindings.append(encodable)
        return true
    }
}

private protocol OptionalBind {
    var isNone: Bool { get }
}

extension Optional: OptionalBind {
    var isNone: Bool { if case .none = self { true } else { false } }
}

/// A row whose cells PostgresNIO decodes, found by column name.
struct DirectRow: SQLRow {
    let cells: PostgresRandomAccessRow
    /// The cells are binary whatever their columns say: a prepared statement's columns are those
    /// PostgreSQL described when it was prepared (format: text, not yet chosen), while
    /// PostgresNIO asks for every result in binary.
    var binary = false

    enum Failure: Error {
        case missingColumn(String)
        case notDecodable(String, Any.Type)
    }

    var allColumns: [String] { cells.map(\.columnName) }

    func contains(column: String) -> Bool { cells.contains(column) }

    func decodeNil(column: String) throws -> Bool {
        !cells.contains(column) || cells[column].bytes == nil
    }

    func decode<T: Decodable>(column: String, as type: T.Type) throws -> T {
        guard cells.contains(column) else { throw Failure.missingColumn(column) }
        var cell = cells[column]
        if binary { cell.format = .binary }
        // The four types Tuodi reads, without a run-time conformance lookup; anything else that
        // PostgresNIO can decode, with one.
        if T.self == String.self { return try cell.decode(String.self) as! T }
        if T.self == Int.self { return try cell.decode(Int.self) as! T }
        if T.self == Double.self { return try cell.decode(Double.self) as! T }
        if T.self == Bool.self { return try cell.decode(Bool.self) as! T }
        guard let decodable = T.self as? any PostgresDecodable.Type else { throw Failure.notDecodable(column, T.self) }
        return try cell.decode(decodable) as! T
    }
}
