import NIOCore
import PostgresNIO
import SQLKit
import Testing
@testable import TuodiPostgres
import TuodiStore
import TuodiTestSupport

/// A statement a PostgreSQL write transaction runs a second time on its connection is prepared
/// there and from then on executed by name (`PreparedStatements`): it must answer exactly as it
/// did unprepared, report errors the same way, survive a rolled-back transaction and recover when
/// PostgreSQL no longer has it. Plain reads never prepare; brief ones do, as writes.
@Suite("PostgreSQL statements prepared on their connection")
struct PostgresPreparedStatementTests {
    static func prepared(_ db: any SQLDatabase) async throws -> [String] {
        // Leaving out this query itself.
        try await db.raw("SELECT statement FROM pg_prepared_statements WHERE statement NOT LIKE '%pg_prepared_statements%' ORDER BY prepare_time").all()
            .map { try $0.decode(column: "statement", as: String.self) }
    }

    /// A backend on a fresh database with one pooled connection, so that every session meets
    /// what the earlier ones prepared.
    static func withOneConnection(_ body: (PostgresBackend) async throws -> Void) async throws {
        var url = try await PostgresDatabases.shared.freshURL(migrated: false)
        url.maximumConnections = 1
        try await TestDatabases.closing(PostgresBackend(url: url, logger: TestDatabases.logger), body)
    }

    static func answer(_ db: any SQLDatabase) async throws -> [String] {
        let none: String? = nil, noInt: Int? = nil, noDouble: Double? = nil, noBool: Bool? = nil
        let row = try #require(try await db.raw("""
            SELECT \(bind: "上海") AS s, \(bind: 42) + 0 AS i, \(bind: 2.5) AS d, \(bind: true) AS b, 7::int4 AS small,
                   \(bind: none) AS n, pg_typeof(\(bind: none))::text AS nt, pg_typeof(\(bind: noInt))::text AS it,
                   pg_typeof(\(bind: noDouble))::text AS dt, pg_typeof(\(bind: noBool))::text AS bt, '$1 ''$2''' AS literal
            """).first())
        return [try row.decode(column: "s", as: String.self), String(try row.decode(column: "i", as: Int.self)),
                String(try row.decode(column: "d", as: Double.self)), String(try row.decode(column: "b", as: Bool.self)),
                String(try row.decode(column: "small", as: Int.self)), String(try row.decodeNil(column: "n")),
                try row.decode(column: "nt", as: String.self), try row.decode(column: "it", as: String.self),
                try row.decode(column: "dt", as: String.self), try row.decode(column: "bt", as: String.self),
                try row.decode(column: "literal", as: String.self)]
    }

    @Test("in a write transaction, prepared on its second run; every bind kind and column type the same each time; reads never prepare")
    func sameAnswers() async throws {
        try await Self.withOneConnection { backend in
            let expected = ["上海", "42", "2.5", "true", "7", "true", "text", "bigint", "double precision", "boolean", "$1 '$2'"]
            try await backend.runTransaction(readOnly: true) { db in
                for _ in 1...3 {
                    let answer = try await Self.answer(db)
                    #expect(answer == expected)
                }
                let prepared = try await Self.prepared(db)
                #expect(prepared.isEmpty, "a read prepares nothing")
            }
            try await backend.runTransaction(readOnly: false) { db in
                for run in 1...3 {
                    let answer = try await Self.answer(db), prepared = try await Self.prepared(db)
                    #expect(answer == expected, "run \(run)")
                    #expect(prepared.count == (run == 1 ? 0 : 1), "run \(run)")
                }
                // Each parameter prepared as the type of its bind; the quoted `$1` left alone.
                let statement = try #require(try await Self.prepared(db).first)
                #expect(statement.contains("CAST($1 AS text)") && statement.contains("CAST($2 AS int8)") && statement.contains("CAST($3 AS float8)"))
                #expect(statement.contains("'$1 ''$2'''"))
                // SET and the like are never prepared.
                for _ in 1...3 { try await db.raw("SET LOCAL statement_timeout = 0").run() }
                let after = try await Self.prepared(db)
                #expect(after.count == 1)
            }
            // Once prepared, a read on the connection still runs it unprepared, with the same answer.
            let later = try await backend.runTransaction(readOnly: true) { db in try await Self.answer(db) }
            #expect(later == expected)
        }
    }

    @Test("a brief read runs on its connection's event loop and prepares what it runs again, as a write does, and stays read-only; other reads do neither, nor does a brief one that runs alone")
    func briefReads() async throws {
        try await Self.withOneConnection { backend in
            let expected = ["上海", "42", "2.5", "true", "7", "true", "text", "bigint", "double precision", "boolean", "$1 '$2'"]
            try await TransactionScheduling.$brief.withValue(true) {
                try await backend.runTransaction(readOnly: true) { db in
                    for run in 1...3 {
                        let answer = try await Self.answer(db), prepared = try await Self.prepared(db)
                        #expect(answer == expected, "run \(run)")
                        #expect(prepared.count == (run == 1 ? 0 : 1), "run \(run)")
                    }
                    #expect(MultiThreadedEventLoopGroup.currentEventLoop != nil, "on the connection's event loop")
                }
                // A brief read is still read-only: PostgreSQL refuses the write (25006), not something else.
                let refused = await #expect(throws: PSQLError.self) {
                    try await backend.runTransaction(readOnly: true) { db in try await db.raw("CREATE TABLE written (k TEXT)").run() }
                }
                #expect(refused?.serverInfo?[.sqlState] == "25006")
                // A brief read inside a transaction that runs alone runs as that one does.
                try await TransactionScheduling.$alone.withValue(true) {
                    try await backend.runTransaction(readOnly: true) { db in
                        #expect(MultiThreadedEventLoopGroup.currentEventLoop == nil, "on Swift's cooperative pool")
                        let answer = try await Self.answer(db)
                        #expect(answer == expected)
                    }
                }
            }
            try await backend.runTransaction(readOnly: true) { db in
                #expect(MultiThreadedEventLoopGroup.currentEventLoop == nil, "a plain read stays on Swift's cooperative pool")
                for _ in 1...3 {
                    let two = try await db.raw("SELECT \(bind: 1) + 1 AS two").first()?.decode(column: "two", as: Int.self)
                    #expect(two == 2)
                }
                let prepared = try await Self.prepared(db)
                #expect(prepared.count == 1, "a plain read prepares nothing")
            }
        }
    }

    @Test("a prepared statement's unique violation is reported as one; it survives a rolled-back transaction; one PostgreSQL dropped is prepared again")
    func errorsAndRollback() async throws {
        try await Self.withOneConnection { backend in
            try await backend.withSession { db in try await db.raw("CREATE TABLE keyed (k TEXT PRIMARY KEY)").run() }
            @Sendable func insert(_ k: String) async throws {
                try await backend.runTransaction(readOnly: false) { db in try await db.raw("INSERT INTO keyed (k) VALUES (\(bind: k))").run() }
            }
            try await insert("a")
            for _ in 1...2 {   // the second run is prepared first
                do {
                    try await insert("a")
                    Issue.record("a duplicate key was inserted")
                } catch {
                    #expect(backend.isUniqueViolation(error), "\(String(reflecting: error))")
                    #expect(!PostgresBackend.isConnectionLost(error))
                }
            }
            struct Undo: Error {}
            do {
                try await backend.runTransaction(readOnly: false) { db in
                    try await db.raw("INSERT INTO keyed (k) VALUES (\(bind: "b"))").run()
                    throw Undo()
                }
            } catch is Undo {}
            try await insert("c")
            // Gone from the session (as after DISCARD, or behind a pooler): refused once, then prepared again.
            try await backend.withSession { db in try await db.raw("DEALLOCATE ALL").run() }
            do {
                try await insert("d")
                Issue.record("ran a statement PostgreSQL no longer had")
            } catch {
                #expect(PostgresBackend.sqlState(error) == "26000", "\(String(reflecting: error))")
            }
            try await insert("d")
            try await insert("e")
            let keys = try await backend.withSession { db in
                try await db.raw("SELECT k FROM keyed ORDER BY k").all().map { try $0.decode(column: "k", as: String.self) }
            }
            #expect(keys == ["a", "c", "d", "e"])
        }
    }

    @Test("a connection lost under a prepared statement counts as a database out of reach, as under an unprepared one")
    func connectionLost() {
        #expect(PostgresBackend.isConnectionLost(PostgresError.connectionClosed))
        #expect(PostgresBackend.isConnectionLost(PostgresError.protocol("Unexpected connection close")))
        #expect(PostgresBackend.isConnectionLost(ChannelError.ioOnClosedChannel))
        #expect(!PostgresBackend.isConnectionLost(PostgresError.protocol("Server does not support TLS")))
    }

    @Test("each parameter outside quotes is cast to its bind's type; what the scanner does not follow prepares nothing")
    func typedText() {
        #expect(PreparedStatements.typed("SELECT $1, '$1', \"$2\", $10 + $2", [.text, .int8, .text, .text, .text, .text, .text, .text, .text, .bool])
                == "SELECT CAST($1 AS text), '$1', \"$2\", CAST($10 AS bool) + CAST($2 AS int8)")
        #expect(PreparedStatements.typed("SELECT 'it''s $1', $1", [.float8]) == "SELECT 'it''s $1', CAST($1 AS float8)")
        // A literal ending in e, a date's dashes, a minus before a minus: no escape string, no comment.
        #expect(PreparedStatements.typed("SELECT x FROM t WHERE s = 'active' AND d >= '9999-12-31' AND x = $1", [.int8])
                == "SELECT x FROM t WHERE s = 'active' AND d >= '9999-12-31' AND x = CAST($1 AS int8)")
        #expect(PreparedStatements.typed("SELECT 1 AS one WHERE $1 - -1 > 0", [.int8]) == "SELECT 1 AS one WHERE CAST($1 AS int8) - -1 > 0")
        #expect(PreparedStatements.typed("SELECT 1", []) == "SELECT 1")
        #expect(PreparedStatements.typed("SELECT $1", [.uuid]) == nil)
        #expect(PreparedStatements.typed("SELECT $2", [.text]) == nil)
        #expect(PreparedStatements.typed("SELECT $1", []) == nil)
        #expect(PreparedStatements.typed("SELECT 'open $1", [.text]) == nil)
        #expect(PreparedStatements.typed("SELECT a$1 FROM t WHERE x = $1", [.text]) == nil)
        #expect(PreparedStatements.typed("SELECT $$x$$, $1", [.text]) == nil)
        #expect(PreparedStatements.typed("SELECT $1 -- $2", [.text]) == nil)
        #expect(PreparedStatements.typed("SELECT /* $2 */ $1", [.text]) == nil)
        #expect(PreparedStatements.typed("SELECT E'\\'$1', $1", [.text]) == nil)
    }
}
