import Testing
import TuodiApp
import TuodiPostgres

@Suite("Configuration from the environment")
struct ConfigurationTests {
    @Test("defaults: SQLite in ./var, 127.0.0.1:8080, info")
    func defaults() throws {
        let c = try Configuration.fromEnvironment([:])
        #expect(c.database == .sqlite(path: "./var/tuodi.sqlite"))
        #expect(c.httpHost == "127.0.0.1" && c.httpPort == 8080)
        #expect(c.logLevel == .info)
    }

    @Test("a postgres URL, with a unix socket folder and pool size")
    func postgres() throws {
        let c = try Configuration.fromEnvironment([
            "DATABASE_URL": "postgres://tuodi:secret@db.internal:5433/tuodi?pool=4",
            "TUODI_HTTP_ADDRESS": "0.0.0.0:9000", "TUODI_LOG_LEVEL": "DEBUG",
        ])
        guard case .postgres(let url) = c.database else { Issue.record("not postgres"); return }
        #expect(url.host == "db.internal" && url.port == 5433 && url.username == "tuodi" && url.password == "secret")
        #expect(url.database == "tuodi" && url.maximumConnections == 4 && url.unixSocketPath == nil)
        #expect(c.httpHost == "0.0.0.0" && c.httpPort == 9000 && c.logLevel == .debug)
        let socket = PostgresURL("postgres://postgres@localhost/tuodi?host=/tmp/pg")
        #expect(socket?.unixSocketPath == "/tmp/pg/.s.PGSQL.5432")
    }

    @Test("sslmode as libpq reads it: prefer by default, the five modes, anything else refused; the idle timeout")
    func sslModeAndIdleTimeout() throws {
        #expect(PostgresURL("postgres://u@db.example/tuodi")?.sslMode == .prefer)
        #expect(PostgresURL("postgres://u@db.example/tuodi?sslmode=verify-full")?.sslMode == .verifyFull)
        #expect(PostgresURL("postgres://u@db.example/tuodi?sslmode=require&pool=2")?.sslMode == .require)
        #expect(PostgresURL("postgres://u@db.example/tuodi?sslmode=disable")?.sslMode == .disable)
        #expect(PostgresURL("postgres://u@db.example/tuodi?sslmode=allow")?.sslMode == .prefer)
        #expect(PostgresURL("postgres://u@db.example/tuodi")?.connectTimeoutSeconds == 5)
        #expect(PostgresURL("postgres://u@db.example/tuodi?connect_timeout=30")?.connectTimeoutSeconds == 30)
        #expect(PostgresURL("postgres://u@db.example/tuodi?connect_timeout=0") == nil)
        #expect(throws: ConfigurationError.self) {
            try Configuration.fromEnvironment(["DATABASE_URL": "postgres://u@db.example/tuodi?sslmode=sometimes"])
        }
        #expect(try Configuration.fromEnvironment([:]).httpIdleTimeoutSeconds == 30)
        #expect(try Configuration.fromEnvironment(["TUODI_HTTP_IDLE_TIMEOUT": "2"]).httpIdleTimeoutSeconds == 2)
        #expect(throws: ConfigurationError.self) { try Configuration.fromEnvironment(["TUODI_HTTP_IDLE_TIMEOUT": "0"]) }
    }

    @Test("every wrong variable is named at once")
    func allProblems() {
        do {
            _ = try Configuration.fromEnvironment([
                "DATABASE_URL": "mysql://x", "TUODI_HTTP_ADDRESS": "localhost", "TUODI_LOG_LEVEL": "loud",
            ])
            Issue.record("accepted a wrong environment")
        } catch {
            #expect(error.problems.map(\.variable) == ["DATABASE_URL", "TUODI_HTTP_ADDRESS", "TUODI_LOG_LEVEL"])
            #expect(error.description.contains("mysql://x"))
        }
        #expect(throws: ConfigurationError.self) { try Configuration.fromEnvironment(["TUODI_HTTP_ADDRESS": "127.0.0.1:70000"]) }
        #expect(throws: ConfigurationError.self) { try Configuration.fromEnvironment(["DATABASE_URL": "postgres://host/db"]) }
        #expect(throws: ConfigurationError.self) { try Configuration.fromEnvironment(["DATABASE_URL": "postgres://u@host/"]) }
    }

    @Test("SQLite locations", arguments: [("sqlite:/tmp/a.db", "/tmp/a.db"), ("sqlite:///tmp/b.db", "/tmp/b.db"), ("data/t.sqlite", "data/t.sqlite"), (":memory:", ":memory:")])
    func sqlitePaths(_ raw: String, _ path: String) {
        #expect(DatabaseLocation(raw) == .sqlite(path: path))
    }
}
