import Foundation
import Testing
import TuodiMigrations
import TuodiStore

@Suite("Migration files")
struct MigrationCatalogTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Migrations")

    @Test("every SQL file on disk is embedded, and nothing else", arguments: StoreKind.allCases)
    func catalogMatchesFolder(_ kind: StoreKind) throws {
        let suffix = ".\(kind.rawValue).sql"
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: Self.folder.appendingPathComponent(kind.rawValue).path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        #expect(onDisk.allSatisfy { $0.hasSuffix(suffix) }, "files must end in \(suffix): \(onDisk)")
        let embedded = try Migration.embedded(for: kind)
        #expect(embedded.map { $0.name + suffix } == onDisk)
        for m in embedded {
            let text = try String(contentsOf: Self.folder.appendingPathComponent(kind.rawValue).appendingPathComponent(m.name + suffix), encoding: .utf8)
            #expect(text == m.sql, "embedded \(m.name) differs from the file on disk")
        }
    }

    @Test("every expression index on an end date reads an open end as the store's queries do", arguments: StoreKind.allCases)
    func openEnds(_ kind: StoreKind) throws {
        var found = 0
        for m in try Migration.embedded(for: kind) {
            for statement in SQLScript.statements(in: m.sql) where statement.contains("COALESCE(") {
                found += 1
                #expect(statement.contains(", \(SQLStore.openEndSQL))"), "\(m.name): \(statement)")
            }
        }
        #expect(found == 5)
    }

    @Test("both dialects have the same versions with the same purpose")
    func dialectsAgree() throws {
        #expect(try Migration.embedded(for: .sqlite).map(\.name) == Migration.embedded(for: .postgres).map(\.name))
    }

    @Test("versions must run 1, 2, 3 without gaps")
    func sequence() throws {
        let one = try Migration(name: "0001_a", sql: "")
        let three = try Migration(name: "0003_c", sql: "")
        #expect(throws: MigrationError.outOfSequence(expected: 2, found: "0003_c")) {
            try Migration.checkSequence([one, three])
        }
        #expect(throws: MigrationError.badFileName("init")) { try Migration(name: "init", sql: "") }
    }

    @Test("checksums change with any byte")
    func checksum() throws {
        let a = try Migration(name: "0001_a", sql: "CREATE TABLE x (id INTEGER);")
        let b = try Migration(name: "0001_a", sql: "CREATE TABLE x (id  INTEGER);")
        #expect(a.checksum != b.checksum)
        #expect(a.checksum.count == 64)
    }
}

@Suite("SQL script splitting")
struct SQLScriptTests {
    @Test func splitsOnSemicolonsOutsideQuotesAndComments() {
        let script = """
            -- a comment; with a semicolon
            CREATE TABLE a (x TEXT DEFAULT 'a;b');
            /* block; comment */
            INSERT INTO a VALUES ('it''s; fine');
            SELECT "odd;name" FROM a
            """
        #expect(SQLScript.statements(in: script) == [
            "CREATE TABLE a (x TEXT DEFAULT 'a;b')",
            "INSERT INTO a VALUES ('it''s; fine')",
            "SELECT \"odd;name\" FROM a",
        ])
    }

    @Test func keepsTriggerBodiesAndDollarQuotesWhole() {
        let script = """
            CREATE TRIGGER no_update BEFORE UPDATE ON audit
            BEGIN
                SELECT RAISE(ABORT, 'append-only');
            END;
            CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'x;y'; END; $$ LANGUAGE plpgsql;
            SELECT 1;
            """
        let statements = SQLScript.statements(in: script)
        #expect(statements.count == 3)
        #expect(statements[0].hasPrefix("CREATE TRIGGER") && statements[0].hasSuffix("END"))
        #expect(statements[1].hasSuffix("LANGUAGE plpgsql"))
        #expect(statements[2] == "SELECT 1")
    }
}
