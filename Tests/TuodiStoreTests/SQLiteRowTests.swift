import Foundation
import SQLKit
import Testing
@testable import TuodiSQLite
import TuodiTestSupport

/// The SQLite backend's sessions read cells without SQLiteKit's decoder (`SQLiteRowsDatabase` on
/// the read connections, `SQLiteWriterDatabase` on the write connection): binds and cells must
/// come out as SQLiteKit's own path gave them, on the write connection and on a read connection alike.
@Suite("SQLite rows read directly")
struct SQLiteRowTests {
    struct Payload: Codable, Equatable, Sendable {
        let district: String
    }

    @Test("every bind kind goes in and every column type comes out as before; NULL, a missing column, a nil bind and a JSON value")
    func roundTrip() async throws {
        let backend = try await TestDatabases.freshSQLite()
        do {
            try await backend.withSession { db in
                try await db.execute(sql: SQLRaw("CREATE TABLE probe (n INTEGER)")) { _ in }
                try await db.execute(sql: SQLRaw("INSERT INTO probe VALUES (1)")) { _ in }
            }
            let sessions: [@Sendable (@escaping @Sendable (any SQLDatabase) async throws -> Void) async throws -> Void] = [
                { try await backend.withSession($0) }, { try await backend.withReadSession($0) },
            ]
            for session in sessions {
                try await session { db in
                    let some: String? = "有", none: String? = nil
                    let row = try #require(try await db.raw("""
                        SELECT \(bind: "上海") AS s, \(bind: 42) AS i, \(bind: 2.5) AS d, \(bind: true) AS b, NULL AS n,
                               \(bind: some) AS o, \(bind: none) AS z, 7 AS whole, 'x' AS t, \(bind: Int.max) AS big,
                               \(bind: "{\"district\":\"黄浦区\"}") AS j, 0 AS f
                        """).first())
                    #expect(String(describing: type(of: row)).hasPrefix("SQLiteCells<"))   // not SQLiteKit's row
                    #expect(row.allColumns == ["s", "i", "d", "b", "n", "o", "z", "whole", "t", "big", "j", "f"])
                    #expect(try row.decode(column: "s", as: String.self) == "上海")
                    #expect(try row.decode(column: "i", as: Int.self) == 42)
                    #expect(try row.decode(column: "d", as: Double.self) == 2.5)
                    #expect(try row.decode(column: "whole", as: Double.self) == 7)   // an integer cell read as a double
                    #expect(try row.decode(column: "b", as: Bool.self) && !row.decode(column: "f", as: Bool.self))
                    #expect(try row.decodeNil(column: "n") && row.decodeNil(column: "z") && !row.decodeNil(column: "t"))
                    #expect(try row.decode(column: "n", as: String?.self) == nil)
                    #expect(try row.decode(column: "o", as: String.self) == "有")
                    #expect(throws: (any Error).self) { try row.decode(column: "n", as: String.self) }
                    #expect(throws: (any Error).self) { try row.decode(column: "n", as: Int.self) }
                    #expect(throws: (any Error).self) { try row.decode(column: "t", as: Int.self) }
                    #expect(throws: (any Error).self) { try row.decode(column: "t", as: Bool.self) }
                    #expect(try row.decode(column: "big", as: Int.self) == Int.max)
                    #expect(try row.decode(column: "whole", as: Int32.self) == 7)   // a type beyond the four, through SQLiteKit
                    #expect(try row.decode(column: "j", as: Payload.self) == Payload(district: "黄浦区"))   // SQLiteKit's JSON fallback
                    #expect(row.contains(column: "t") && !row.contains(column: "absent"))
                    #expect(try row.decodeNil(column: "absent"))
                    #expect(throws: (any Error).self) { try row.decode(column: "absent", as: String.self) }

                    // Many rows, in order, from a table.
                    let rows = try await db.raw("""
                        WITH RECURSIVE g(n) AS (SELECT n FROM probe UNION ALL SELECT n + 1 FROM g WHERE n < \(bind: 2000))
                        SELECT n FROM g ORDER BY n
                        """).all()
                    #expect(try rows.map { try $0.decode(column: "n", as: Int.self) } == Array(1...2000))
                }
            }
        } catch {
            try? await backend.close()
            throw error
        }
        try await backend.close()
    }

    /// What one cell gives read as one type: the value, or that it failed.
    static func outcome<T: Decodable & Equatable>(_ row: any SQLRow, _ column: String, _ type: T.Type) -> T?? {
        do { return .some(try row.decode(column: column, as: T.self)) } catch { return .none }
    }

    @Test("every kind of cell read as each type comes out as SQLiteKit's own row gives it: the same value, or an error on both")
    func sameAsSQLiteKit() async throws {
        let backend = try await TestDatabases.freshSQLite()
        do {
            let sql: SQLQueryString = """
                SELECT 1 AS one, 0 AS zero, 42 AS int, -7 AS negative, 2.5 AS real, 3.0 AS whole_real, '1' AS text_one, 'x' AS text,
                       '2.5' AS text_real, '' AS empty, NULL AS no_value, X'00FF' AS blob, 9223372036854775807 AS big, '上海' AS chinese
                """
            // SQLiteKit's own row, from a read connection's SQLiteKit database.
            let kit = try await backend.withReadSession { db in try #require(try await (db as! SQLiteRowsDatabase).inner.raw(sql).first()) }
            // The write connection's row (its own C calls) and a read connection's.
            let written = try await backend.withSession { db in try #require(try await db.raw(sql).first()) }
            let read = try await backend.withReadSession { db in try #require(try await db.raw(sql).first()) }
            for direct in [written, read] {
                #expect(String(describing: type(of: kit)) != String(describing: type(of: direct)))
                for column in kit.allColumns {
                    #expect(Self.outcome(direct, column, String.self) == Self.outcome(kit, column, String.self), "\(column) as String")
                    #expect(Self.outcome(direct, column, Int.self) == Self.outcome(kit, column, Int.self), "\(column) as Int")
                    #expect(Self.outcome(direct, column, Double.self) == Self.outcome(kit, column, Double.self), "\(column) as Double")
                    #expect(Self.outcome(direct, column, Bool.self) == Self.outcome(kit, column, Bool.self), "\(column) as Bool")
                    #expect(Self.outcome(direct, column, String?.self) == Self.outcome(kit, column, String?.self), "\(column) as String?")
                    #expect(try direct.decodeNil(column: column) == kit.decodeNil(column: column), "\(column) nil")
                }
                #expect(direct.allColumns == kit.allColumns)
            }
        } catch {
            try? await backend.close()
            throw error
        }
        try await backend.close()
    }
}
