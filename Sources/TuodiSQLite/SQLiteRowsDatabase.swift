import SQLKit
import SQLiteKit
import SQLiteNIO
import TuodiStore

/// SQLiteKit's `SQLDatabase` on one connection, with rows whose cells are read without a run-time
/// conformance lookup.
///
/// Why: SQLiteKit's row hands every cell to `SQLiteDataDecoder`, which first asks at run time
/// whether the wanted type is `SQLiteDataConvertible`. That is 9 % of the city roll-up
/// (20,000 estates) on SQLite. The four types Tuodi reads are converted here as that protocol's own
/// conformances convert them; any other type goes to SQLiteKit's decoder, as before. Binds are
/// encoded by SQLiteKit's encoder, as before.
struct SQLiteRowsDatabase: WrappedDatabase {
    let inner: any SQLDatabase
    let connection: SQLiteConnection

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = try sqliteStatement(query)
        try await connection.query(sql, binds) { onRow(SQLiteCells(row: $0)) }
    }
}

extension SQLDatabase {
    /// `query`'s SQL text and its binds as SQLite values, encoded by SQLiteKit's encoder.
    func sqliteStatement(_ query: any SQLExpression) throws -> (String, [SQLiteData]) {
        let (sql, binds) = serialize(query)
        let encoder = SQLiteDataEncoder()
        return (sql, try binds.map { try encoder.encode($0) })
    }
}

/// A row's cells by column name: SQLiteNIO's row on the read connections, `SQLiteValues` on the
/// write connection.
protocol SQLiteCellSource: Sendable {
    var columnNames: [String] { get }
    func column(_ name: String) -> SQLiteData?
}

extension SQLiteRow: SQLiteCellSource {
    var columnNames: [String] { columns.map(\.name) }
}

/// A row whose cells are found by column name and converted as `SQLiteDataConvertible` converts them.
struct SQLiteCells<Row: SQLiteCellSource>: SQLRow {
    let row: Row

    enum Failure: Error {
        case missingColumn(String)
        case typeMismatch(column: String, wanted: Any.Type, found: SQLiteData)
    }

    var allColumns: [String] { row.columnNames }

    func contains(column: String) -> Bool { row.column(column) != nil }

    func decodeNil(column: String) throws -> Bool { (row.column(column) ?? .null) == .null }

    func decode<T: Decodable>(column: String, as type: T.Type) throws -> T {
        guard let data = row.column(column) else { throw Failure.missingColumn(column) }
        if T.self == String.self { return try converted(String(sqliteData: data), column, data) as! T }
        if T.self == Int.self { return try converted(Int(sqliteData: data), column, data) as! T }
        if T.self == Double.self { return try converted(Double(sqliteData: data), column, data) as! T }
        if T.self == Bool.self { return try converted(Bool(sqliteData: data), column, data) as! T }
        return try SQLiteDataDecoder().decode(T.self, from: data)
    }

    private func converted<V>(_ value: V?, _ column: String, _ data: SQLiteData) throws -> V {
        guard let value else { throw Failure.typeMismatch(column: column, wanted: V.self, found: data) }
        return value
    }
}
