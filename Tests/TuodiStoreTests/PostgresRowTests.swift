import Foundation
import SQLKit
import Testing
import TuodiPostgres
import TuodiTestSupport

/// The PostgreSQL backend's sessions send queries straight to the connection and read cells with
/// PostgresNIO (`DirectRowsDatabase`): binds and cells must come out as PostgresKit's own path
/// gave them, and a bind only PostgresKit can encode must still work.
@Suite("PostgreSQL rows read directly")
struct PostgresRowTests {
    struct Payload: Encodable, Sendable {
        let district = "黄浦区"
    }

    @Test("every bind kind goes in and every column type comes out as before; NULL, a missing column, a nil bind and a JSON bind")
    func roundTrip() async throws {
        let backend = try await PostgresDatabases.shared.fresh(migrated: false)
        do {
            try await backend.withSession { db in
                let some: String? = "有"
                let row = try #require(try await db.raw("""
                    SELECT \(bind: "上海"), \(bind: 42)::bigint + 0 AS i, \(bind: 2.5)::float8 AS d, \(bind: true) AS b,
                           NULL::text AS n, \(bind: some) AS o, 7::int4 AS small, 9::int2 AS tiny, 'x'::text AS t, \(bind: Int.max) AS big
                    """).first())
                #expect(String(describing: type(of: row)) == "DirectRow")   // not PostgresKit's row
                #expect(row.allColumns == ["?column?", "i", "d", "b", "n", "o", "small", "tiny", "t", "big"])
                #expect(try row.decode(column: "?column?", as: String.self) == "上海")
                #expect(try row.decode(column: "i", as: Int.self) == 42)
                #expect(try row.decode(column: "d", as: Double.self) == 2.5)
                #expect(try row.decode(column: "b", as: Bool.self))
                #expect(try row.decodeNil(column: "n") && !row.decodeNil(column: "t"))
                #expect(try row.decode(column: "n", as: String?.self) == nil)
                #expect(try row.decode(column: "o", as: String.self) == "有")
                #expect(throws: (any Error).self) { try row.decode(column: "n", as: String.self) }
                #expect(try row.decode(column: "small", as: Int.self) == 7 && row.decode(column: "tiny", as: Int.self) == 9)
                #expect(try row.decode(column: "small", as: Int32.self) == 7)   // a type beyond the four, found at run time
                #expect(try row.decode(column: "big", as: Int.self) == Int.max)
                #expect(row.contains(column: "t") && !row.contains(column: "absent"))
                #expect(try row.decodeNil(column: "absent"))
                #expect(throws: (any Error).self) { try row.decode(column: "absent", as: String.self) }
                #expect(throws: (any Error).self) { try row.decode(column: "t", as: Int.self) }

                // A nil bind goes through PostgresKit, a NULL of the wrapped type, as it always did
                // (PostgresNIO's own NULL has no type: PostgreSQL could not tell what pg_typeof sees).
                let none: String? = nil
                let null = try #require(try await db.raw("SELECT \(bind: none) AS n, pg_typeof(\(bind: none))::text AS type").first())
                #expect(try null.decodeNil(column: "n") && null.decode(column: "type", as: String.self) == "text")

                // A struct is no PostgresNIO value: PostgresKit encodes it (as JSON), as it always did.
                let json = try #require(try await db.raw("SELECT (\(bind: Payload())::jsonb) ->> 'district' AS d").first())
                #expect(try json.decode(column: "d", as: String.self) == "黄浦区")

                // Many rows, in order.
                let rows = try await db.raw("SELECT g AS n FROM generate_series(1, \(bind: 2000)) g ORDER BY g").all()
                #expect(try rows.map { try $0.decode(column: "n", as: Int.self) } == Array(1...2000))
            }
        } catch {
            try? await backend.close()
            throw error
        }
        try await backend.close()
    }
}
