import NIOCore
import PostgresNIO
import SQLKit
import Testing
@testable import TuodiPostgres
import TuodiStore
import TuodiTestSupport

/// A statement a PostgreSQL connection runs a second time is prepared there and from then on
/// executed by name (`PreparedStatements`): it must answer exactly as it did unprepared, report
/// errors the same way, and survive a rolled-back transaction.
@Suite("PostgreSQL statements prepared on their connection")
struct PostgresPreparedStatementTests {
    static func prepared(_ db: any SQLDatabase) async throws -> [String] {
        // Leaving out this query, prepared too once run twice.
        try await db.raw("SELECT statement FROM pg_prepared_statements WHERE statement NOT LIKE '%pg_prepared_statements%' ORDER BY prepare_time").all()
            .map { try $0.decode(column: "statement", as: String.self) }
    }

    @Test("run three times on one connection: prepared on the second, every bind kind and column type the same each time")
    func sameAnswers() async throws {
        try await PostgresDatabases.shared.withFresh(migrated: false) { backend in
            try await backend.withSession { db in
                let none: String? = nil, noInt: Int? = nil, noDouble: Double? = nil, noBool: Bool? = nil
                var answers: [[String]] = []
                for run in 1...3 {
                    let row = try #require(try await db.raw("""
                        SELECT \(bind: "上海") AS s, \(bind: 42) + 0 AS i, \(bind: 2.5) AS d, \(bind: true) AS b, 7::int4 AS small,
                               \(bind: none) AS n, pg_typeof(\(bind: none))::text AS nt, pg_typeof(\(bind: noInt))::text AS it,
                               pg_typeof(\(bind: noDouble))::text AS dt, pg_typeof(\(bind: noBool))::text AS bt, '$1 ''$2''' AS literal
                        """).first())
                    answers.append([try row.decode(column: "s", as: String.self), String(try row.decode(column: "i", as: Int.self)),
                                    String(try row.decode(column: "d", as: Double.self)), String(try row.decode(column: "b", as: Bool.self)),
                                    String(try row.decode(column: "small", as: Int.self)), String(try row.decodeNil(column: "n")),
                                    try row.decode(column: "nt", as: String.self), try row.decode(column: "it", as: String.self),
                                    try row.decode(column: "dt", as: String.self), try row.decode(column: "bt", as: String.self),
                                    try row.decode(column: "literal", as: String.self)])
                    #expect(try await Self.prepared(db).count == (run == 1 ? 0 : 1), "run \(run)")
                }
                #expect(answers[0] == ["上海", "42", "2.5", "true", "7", "true", "text", "bigint", "double precision", "boolean", "$1 '$2'"])
                #expect(answers[1] == answers[0] && answers[2] == answers[0])
                // Each parameter prepared as the type of its bind; the quoted `$1` left alone.
                let statement = try #require(try await Self.prepared(db).first)
                #expect(statement.contains("CAST($1 AS text)") && statement.contains("CAST($2 AS int8)") && statement.contains("CAST($3 AS float8)"))
                #expect(statement.contains("'$1 ''$2'''"))
                // BEGIN, COMMIT and the like are never prepared.
                for _ in 1...3 { try await db.raw("SET LOCAL statement_timeout = 0").run() }
                #expect(try await Self.prepared(db).count == 1)
            }
        }
    }

    @Test("a prepared statement's unique violation is reported as one, and it survives a rolled-back transaction")
    func errorsAndRollback() async throws {
        try await PostgresDatabases.shared.withFresh(migrated: false) { backend in
            try await backend.withSession { db in try await db.raw("CREATE TABLE keyed (k TEXT PRIMARY KEY)").run() }
            try await backend.withSession { db in
                try await db.raw("INSERT INTO keyed (k) VALUES (\(bind: "a"))").run()
                for _ in 1...2 {   // the second run is prepared first
                    do {
                        try await db.raw("INSERT INTO keyed (k) VALUES (\(bind: "a"))").run()
                        Issue.record("a duplicate key was inserted")
                    } catch {
                        #expect(backend.isUniqueViolation(error), "\(String(reflecting: error))")
                        #expect(!PostgresBackend.isConnectionLost(error))
                    }
                }
                #expect(try await Self.prepared(db).count == 1)
            }
            struct Undo: Error {}
            do {
                try await backend.runTransaction(readOnly: false) { db in
                    for k in ["b", "c"] { try await db.raw("INSERT INTO keyed (k) VALUES (\(bind: k))").run() }
                    throw Undo()
                }
            } catch is Undo {}
            try await backend.runTransaction(readOnly: false) { db in
                for k in ["d", "e"] { try await db.raw("INSERT INTO keyed (k) VALUES (\(bind: k))").run() }
            }
            let keys = try await backend.withSession { db in
                try await db.raw("SELECT k FROM keyed ORDER BY k").all().map { try $0.decode(column: "k", as: String.self) }
            }
            #expect(keys == ["a", "d", "e"])
        }
    }

    @Test("a connection lost under a prepared statement counts as a database out of reach, as under an unprepared one")
    func connectionLost() {
        #expect(PostgresBackend.isConnectionLost(PostgresError.connectionClosed))
        #expect(PostgresBackend.isConnectionLost(PostgresError.protocol("Unexpected connection close")))
        #expect(PostgresBackend.isConnectionLost(ChannelError.ioOnClosedChannel))
        #expect(!PostgresBackend.isConnectionLost(PostgresError.protocol("Server does not support TLS")))
    }

    @Test("each parameter outside quotes is cast to its bind's type; a type it has no name for, or an open quote, prepares nothing")
    func typedText() {
        #expect(PreparedStatements.typed("SELECT $1, '$1', \"$2\", $10 + $2", [.text, .int8, .text, .text, .text, .text, .text, .text, .text, .bool])
                == "SELECT CAST($1 AS text), '$1', \"$2\", CAST($10 AS bool) + CAST($2 AS int8)")
        #expect(PreparedStatements.typed("SELECT 'it''s $1', $1", [.float8]) == "SELECT 'it''s $1', CAST($1 AS float8)")
        #expect(PreparedStatements.typed("SELECT $1", [.uuid]) == nil)
        #expect(PreparedStatements.typed("SELECT $2", [.text]) == nil)
        #expect(PreparedStatements.typed("SELECT 'open $1", [.text]) == nil)
        #expect(PreparedStatements.typed("SELECT 1", []) == "SELECT 1")
    }
}
