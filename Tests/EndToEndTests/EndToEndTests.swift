import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import SQLKit
import TuodiApp
import TuodiPostgres
import TuodiStore
import TuodiTestSupport

/// The built binary: the CLI, and `tuodi serve` over real loopback HTTP.
@Suite("End to end")
struct EndToEndTests {
    static let badUSCC = "91350100M000100Y4Z"
    static let validUSCC = "91350100M000100Y43"

    /// A `DATABASE_URL` for a new database of each backend (PostgreSQL left unmigrated).
    static func databaseURL(_ backend: String) async throws -> String {
        if backend == "sqlite" { return Tuodi.temporarySQLite() }
        let url = try await TestDatabases.freshPostgresURL(migrated: false)
        let socketFolder = url.unixSocketPath.map { ($0 as NSString).deletingLastPathComponent }
        // The shared test server is busy during a full run: load, not an outage (FailingFastTests has those).
        return "postgres://\(url.username)@\(url.host):\(url.port)/\(url.database)?connect_timeout=60" + (socketFolder.map { "&host=\($0)" } ?? "")
    }

    @Test("CLI: a bad USCC is refused with a readable message, a non-zero exit and nothing written",
          arguments: ["sqlite", "postgres"])
    func cliRefusesBadUSCC(_ backend: String) async throws {
        var env = ["DATABASE_URL": try await Self.databaseURL(backend)]
        #expect(try Tuodi.run(["migrate"], environment: env).status == 0)
        // The first admin needs no --as; then the admin creates a clerk, who acts from here on.
        let admin = try Tuodi.run(["user", "add", "--username", "admin", "--display-name", "管理员", "--role", "admin"],
                                  environment: env, input: "a long admin password\n")
        #expect(admin.status == 0, "stderr: \(admin.stderr)")
        let clerk = try Tuodi.run(["user", "add", "--as", "admin", "--username", "hp.clerk", "--display-name", "张敏",
                                   "--role", "districtClerk", "--unit", "310101"], environment: env, input: "a long clerk password\n")
        #expect(clerk.status == 0, "stderr: \(clerk.stderr)")
        env["TUODI_USER"] = "hp.clerk"

        let bad = try Tuodi.run(["company", "add", "--uscc", Self.badUSCC, "--name", "上海示例物业", "--ownership", "private"], environment: env)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("uscc") && bad.stderr.contains("第 18 位"), "stderr: \(bad.stderr)")
        #expect(bad.stdout.isEmpty)
        #expect(Self.count(try Tuodi.run(["company", "list", "--format", "json"], environment: env).stdout) == 0)

        let good = try Tuodi.run(["company", "add", "--uscc", Self.validUSCC, "--name", "上海示例物业", "--ownership", "private"], environment: env)
        #expect(good.status == 0, "stderr: \(good.stderr)")
        let again = try Tuodi.run(["company", "add", "--uscc", Self.validUSCC, "--name", "上海示例物业", "--ownership", "private"], environment: env)
        #expect(again.status != 0)
        #expect(again.stderr.contains("拒绝（重复）"), "stderr: \(again.stderr)")
        #expect(Self.count(try Tuodi.run(["company", "list", "--format", "json"], environment: env).stdout) == 1)

        let csv = try Tuodi.run(["company", "show", Self.validUSCC, "--format", "csv"], environment: env)
        #expect(csv.stdout.hasPrefix("\u{FEFF}统一社会信用代码,名称,所有制,区属房管集团,注册地址\r\n\(Self.validUSCC),上海示例物业,民营,否,"))

        // Who did what is in the trail, and the trail verifies.
        let verify = try Tuodi.run(["audit", "verify", "--as", "admin"], environment: env)
        #expect(verify.status == 0 && verify.stdout.contains("完整"), "\(verify.stdout)\(verify.stderr)")
        // A clerk may not verify the trail, nor create users.
        #expect(try Tuodi.run(["audit", "verify"], environment: env).status == 77)

        // Someone alters one audit row directly in the database: verify names it and fails.
        let location = try #require(DatabaseLocation(env["DATABASE_URL"]!))
        let store = try #require(try await AppContext.openStore(location, logger: TestDatabases.logger) as? SQLStore)
        let disable = store.kind == .sqlite ? "DROP TRIGGER audit_log_no_update"
                                            : "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"
        try await store.backend.withSession { db in
            try await db.execute(sql: SQLRaw(disable)) { _ in }
            try await db.execute(sql: SQLRaw("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2")) { _ in }
        }
        try await store.close()
        let tampered = try Tuodi.run(["audit", "verify", "--as", "admin"], environment: env)
        #expect(tampered.status == 1)
        #expect(tampered.stderr.contains("第 2 条"), "stderr: \(tampered.stderr)")
    }

    /// A migrated database with an admin and a clerk of 黄浦区 (310101), who acts by default.
    static func migratedWithUsers(_ backend: String) async throws -> [String: String] {
        var env = ["DATABASE_URL": try await databaseURL(backend)]
        #expect(try Tuodi.run(["migrate"], environment: env).status == 0)
        #expect(try Tuodi.run(["user", "add", "--username", "admin", "--display-name", "管理员", "--role", "admin"],
                              environment: env, input: "a long admin password\n").status == 0)
        #expect(try Tuodi.run(["user", "add", "--as", "admin", "--username", "hp.clerk", "--display-name", "张敏", "--role", "districtClerk",
                               "--unit", "310101"], environment: env, input: "a long clerk password\n").status == 0)
        env["TUODI_USER"] = "hp.clerk"
        return env
    }

    static func count(_ json: String) -> Int {
        ((try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [Any])?.count ?? -1
    }

    @Test("CLI: migrate --status lists applied and pending versions")
    func migrateStatus() throws {
        let env = ["DATABASE_URL": Tuodi.temporarySQLite()]
        let before = try Tuodi.run(["migrate", "--status", "--format", "csv"], environment: env)
        #expect(before.status == 0)
        #expect(before.stdout.contains("1,0001_foundation,待执行,"))
        #expect(try Tuodi.run(["migrate"], environment: env).status == 0)
        let after = try Tuodi.run(["migrate", "--status", "--format", "csv"], environment: env)
        #expect(after.stdout.contains("1,0001_foundation,已执行,"))
    }

    @Test("CLI: a wrong environment names every wrong variable")
    func badEnvironment() throws {
        let result = try Tuodi.run(["company", "list", "--as", "admin"], environment: ["DATABASE_URL": "mysql://x", "TUODI_LOG_LEVEL": "loud"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("DATABASE_URL") && result.stderr.contains("TUODI_LOG_LEVEL"))
    }

    @Test("serve refuses a schema that is not current unless told to migrate")
    func serveRefusesOldSchema() throws {
        let env = ["DATABASE_URL": Tuodi.temporarySQLite(), "TUODI_HTTP_ADDRESS": "127.0.0.1:0"]
        let result = try Tuodi.run(["serve"], environment: env)
        #expect(result.status == 69)
        #expect(result.stderr.contains("tuodi migrate"))
    }

    @Test("serve over loopback: health, spec, districts, 422/201/409, graceful stop", arguments: ["sqlite", "postgres"])
    func serveOverLoopback(_ backend: String) async throws {
        let server = try RunningServer(arguments: ["serve", "--migrate", "--demo-data"],
                                       environment: ["DATABASE_URL": try await Self.databaseURL(backend)])
        do {
            let health = try await Self.get(server.baseURL.appendingPathComponent("health"))
            #expect(health.status == 200)
            let spec = try await Self.get(server.baseURL.appendingPathComponent("openapi.yaml"))
            #expect(String(decoding: spec.body, as: UTF8.self).contains("/api/v1/companies"))
            let districts = try await Self.get(server.baseURL.appendingPathComponent("api/v1/districts"))
            let items = (try JSONSerialization.jsonObject(with: districts.body) as? [String: Any])?["items"] as? [[String: Any]]
            #expect(items?.count == 17)
            #expect(items?.contains { $0["name"] as? String == "崇明区" } == true)

            let login = try await Self.post(server.baseURL.appendingPathComponent("api/v1/auth/login"),
                                            #"{"username":"hp.clerk","password":"\#(DemoData.password)"}"#)
            #expect(login.status == 200)
            let token = try #require((try JSONSerialization.jsonObject(with: login.body) as? [String: Any])?["token"] as? String)
            let demo = try await Self.get(server.baseURL.appendingPathComponent("api/v1/companies"), token: token)
            #expect((try JSONSerialization.jsonObject(with: demo.body) as? [String: Any])?["total"] as? Int == 6)

            let bad = try await Self.post(server.baseURL.appendingPathComponent("api/v1/companies"),
                                          #"{"uscc":"\#(Self.badUSCC)","name":"上海示例物业","ownership":"private"}"#, token: token)
            #expect(bad.status == 422)
            #expect(bad.contentType?.hasPrefix("application/problem+json") == true)
            let good = #"{"uscc":"\#(Self.validUSCC)","name":"上海示例物业","ownership":"private"}"#
            #expect(try await Self.post(server.baseURL.appendingPathComponent("api/v1/companies"), good, token: token).status == 201)
            #expect(try await Self.post(server.baseURL.appendingPathComponent("api/v1/companies"), good, token: token).status == 409)
            #expect(try await Self.post(server.baseURL.appendingPathComponent("api/v1/companies"), good).status == 401)
        } catch {
            _ = server.stop()
            throw error
        }
        // SIGTERM: a graceful shutdown exits 0.
        #expect(server.stop() == 0, "log: \(server.log)")
    }

    struct HTTPResult {
        let status: Int
        let contentType: String?
        let body: Data
    }

    static func get(_ url: URL, token: String? = nil) async throws -> HTTPResult {
        var request = URLRequest(url: url)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        return try await send(request)
    }

    static func post(_ url: URL, _ json: String, token: String? = nil) async throws -> HTTPResult {
        var request = URLRequest(url: url)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(json.utf8)
        return try await send(request)
    }

    static func send(_ request: URLRequest) async throws -> HTTPResult {
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        return HTTPResult(status: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type"), body: data)
    }
}
