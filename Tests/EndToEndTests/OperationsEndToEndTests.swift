import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import Testing
import TuodiApp
import TuodiDomain

/// What an operator relies on: exit codes, metrics, request logs, HEAD probes, a clear word
/// when the port is taken, and a backup that restores.
@Suite("Operations end to end")
struct OperationsEndToEndTests {
    static func migratedWithUsers(_ backend: String) async throws -> [String: String] {
        try await EndToEndTests.migratedWithUsers(backend)
    }

    @Test("exit codes: 64 usage, 65 refused, 69 schema not current, 77 no permission, 78 wrong environment")
    func exitCodes() async throws {
        let env = try await Self.migratedWithUsers("sqlite")

        let usage = try Tuodi.run(["estate", "list", "--no-such-flag"], environment: env)
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("未知选项 '--no-such-flag'"), "stderr: \(usage.stderr)")

        let refused = try Tuodi.run(["company", "add", "--uscc", EndToEndTests.badUSCC, "--name", "某物业", "--ownership", "private"],
                                    environment: env)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("错误（--uscc）") && refused.stderr.contains("未写入任何数据"), "stderr: \(refused.stderr)")

        let fresh = ["DATABASE_URL": Tuodi.temporarySQLite(), "TUODI_USER": "hp.clerk"]
        let unavailable = try Tuodi.run(["estate", "list"], environment: fresh)
        #expect(unavailable.status == 69)
        #expect(unavailable.stderr.contains("tuodi migrate"), "stderr: \(unavailable.stderr)")

        let denied = try Tuodi.run(["audit", "verify"], environment: env)
        #expect(denied.status == 77)
        #expect(denied.stderr.hasPrefix("拒绝："), "stderr: \(denied.stderr)")

        let wrongEnvironment = try Tuodi.run(["estate", "list"], environment: env.merging(["TUODI_BCRYPT_COST": "99"]) { $1 })
        #expect(wrongEnvironment.status == 78)
        #expect(wrongEnvironment.stderr.contains("TUODI_BCRYPT_COST") && wrongEnvironment.stderr.contains("应为 4–16 的整数"))
    }

    /// Every command's help, walked from `tuodi --help` down, is Chinese apart from flag names,
    /// placeholders, command names and the codes one types as values.
    @Test("--help of every command is Chinese apart from flags, placeholders, commands and codes")
    func helpIsChinese() throws {
        var queue: [[String]] = [[]]
        var seen = 0
        var english: [String] = []
        while let path = queue.popLast() {
            let result = try Tuodi.run(path + ["--help"], environment: [:])
            #expect(result.status == 0, "\(path): \(result.stderr)")
            let text = result.stdout
            seen += 1
            #expect(text.contains("用法：") && text.contains("选项：") && !text.contains("USAGE") && !text.contains("OPTIONS"),
                    "\(path): \(text)")
            // Subcommands are listed under 子命令：, one per line, name first.
            if let section = text.components(separatedBy: "子命令：\n").dropFirst().first {
                for line in section.split(separator: "\n") {
                    guard line.hasPrefix("  ") else { break }
                    guard let name = line.split(separator: " ").first,
                          name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0 == "-") }) else { continue }
                    if name != "help" { queue.append(path + [String(name)]) }
                }
            }
            english += Self.englishWords(text).map { "\(path.joined(separator: " ")): \($0)" }
        }
        #expect(seen > 60, "walked only \(seen) commands")
        #expect(english.isEmpty, "English left in help:\n\(english.joined(separator: "\n"))")
    }

    /// Lower-case words of three or more letters that are not flags, placeholders, command names,
    /// values typed on the command line, or environment variables.
    static func englishWords(_ text: String) -> [String] {
        var stripped = text
        // Flags, placeholders, quoted commands, addresses and paths, product names (SQLite, pg_dump),
        // environment variables and acronyms.
        for pattern in [#"--?[a-zA-Z][a-zA-Z0-9-]*"#, #"<[^>]*>"#, #"'[^']*'"#, #"https?://\S+"#, #"[^\s（）：，、]*/[^\s（）：，、]*"#,
                        #"[A-Za-z]*SQL[a-z]*"#, #"pg_[a-z]+"#, #"[A-Z][A-Z0-9_]+"#] {
            stripped = stripped.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        let allowed: Set<String> = Set(["tuodi", "help", "table", "json", "csv", "xlsx", "xml", "html", "curl", "sqlite", "postgres",
                                        "trace", "debug", "info", "notice", "warning", "error", "critical", "createdb",
                                        "true", "false"])
        let words = stripped.split(whereSeparator: { !($0.isASCII && $0.isLetter) }).map(String.init)
        // A code: camelCase or a known value, as typed after a flag (`--kind custody`).
        let codes = Set(EstateCategory.allCases.map(\.rawValue) + CoverageKind.allCases.map(\.rawValue)
            + UnmanagedReason.allCases.map(\.rawValue) + ArrangementStatus.allCases.map(\.rawValue)
            + Role.allCases.map(\.rawValue) + Ownership.allCases.map(\.rawValue)
            + ["becameUnmanaged", "regularBegan", "regularEnded", "estate", "arrangement", "send", "back"])
        let commandNames = Set(text.components(separatedBy: "子命令：\n").dropFirst().first?
            .split(separator: "\n").compactMap { $0.split(separator: " ").first }
            .flatMap { $0.split(separator: "-").map(String.init) } ?? [])
        return words.filter { w in
            w.count >= 3 && w == w.lowercased() && !allowed.contains(w) && !codes.contains(w) && !commandNames.contains(w)
                && !text.contains("tuodi \(w)") && !text.contains(" \(w) ")  // the command's own name in 用法：
        }.filter { w in !Self.usageLineWords(text).contains(w) }
    }

    static func usageLineWords(_ text: String) -> Set<String> {
        let usage = text.components(separatedBy: "\n").filter { $0.hasPrefix("用法：") || $0.hasPrefix("       ") }
        return Set(usage.joined(separator: " ").split(whereSeparator: { !($0.isASCII && $0.isLetter) }).map(String.init))
    }

    @Test("listings: Chinese headers and labels, CSV with a byte-order mark, times in Beijing time, --version")
    func listings() async throws {
        let env = try await Self.migratedWithUsers("sqlite")
        let company = try Tuodi.run(["company", "add", "--uscc", EndToEndTests.validUSCC, "--name", "=HYPERLINK(\"x\")",
                                     "--ownership", "stateWhollyOwned", "--district-group"], environment: env)
        #expect(company.status == 0, "stderr: \(company.stderr)")
        #expect(company.stdout.contains("国有独资") && company.stdout.contains("是"), "\(company.stdout)")

        let csv = try Tuodi.run(["company", "show", EndToEndTests.validUSCC, "--format", "csv"], environment: env)
        let bytes = Array(csv.stdout.utf8)
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "no byte-order mark")
        // Formula text is defused; headers are Chinese.
        #expect(csv.stdout.contains("统一社会信用代码,名称,所有制,区属房管集团,注册地址\r\n\(EndToEndTests.validUSCC),\"'=HYPERLINK(\"\"x\"\")\",国有独资,是,"),
                "\(csv.stdout)")

        let users = try Tuodi.run(["user", "list", "--as", "admin"], environment: env)
        #expect(users.stdout.contains("区经办人") && users.stdout.contains("系统管理员") && !users.stdout.contains("districtClerk"), "\(users.stdout)")

        // The audit trail stores UTC; people read Beijing time (UTC+8).
        let audit = try Tuodi.run(["audit", "list", "--as", "admin", "--format", "csv"], environment: env)
        let rows = audit.stdout.split(separator: "\r\n").dropFirst()
        let shown = try #require(rows.first?.split(separator: ",").dropFirst().first.map(String.init))
        let beijing = DateFormatter()
        beijing.dateFormat = "yyyy-MM-dd HH:mm:ss"
        beijing.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        let when = try #require(beijing.date(from: shown), "not a Beijing time: \(shown)")
        #expect(abs(when.timeIntervalSinceNow) < 600, "\(shown) is not now in Beijing")
        #expect(audit.stdout.contains("登记企业"), "\(audit.stdout)")

        let version = try Tuodi.run(["--version"], environment: [:])
        #expect(version.status == 0 && version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == TuodiVersion.current)

        let unknown = USCC.withCheckCharacter(body: "91310101MA1B00001")!.value
        let show = try Tuodi.run(["company", "show", unknown], environment: env)
        #expect(show.status == 65 && show.stderr.contains("未找到企业"), "\(show.stderr)")
    }

    @Test("serve: /metrics parses as Prometheus text, HEAD probes, one request id from access log to use case, shutdown logged")
    func metricsAndLogs() async throws {
        let env = try await Self.migratedWithUsers("sqlite")
        let server = try RunningServer(arguments: ["serve"], environment: env.merging(["TUODI_LOG_LEVEL": "info"]) { $1 })
        var bearer = ""
        do {
            var head = URLRequest(url: server.baseURL.appendingPathComponent("health"))
            head.httpMethod = "HEAD"
            #expect(try await EndToEndTests.send(head).status == 200)
            head.url = server.baseURL.appendingPathComponent("ready")
            #expect(try await EndToEndTests.send(head).status == 200)

            let login = try await EndToEndTests.post(server.baseURL.appendingPathComponent("api/v1/auth/login"),
                                                     #"{"username":"hp.clerk","password":"a long clerk password"}"#)
            let token = try #require((try JSONSerialization.jsonObject(with: login.body) as? [String: Any])?["token"] as? String)
            bearer = token
            let created = try await EndToEndTests.post(server.baseURL.appendingPathComponent("api/v1/companies"),
                                                       #"{"uscc":"\#(EndToEndTests.validUSCC)","name":"上海示例物业","ownership":"private"}"#,
                                                       token: token)
            #expect(created.status == 201)
            _ = try await EndToEndTests.get(server.baseURL.appendingPathComponent("api/v1/estates/NOPE"), token: token)

            let metrics = try await EndToEndTests.get(server.baseURL.appendingPathComponent("metrics"))
            #expect(metrics.status == 200 && metrics.contentType?.hasPrefix("text/plain") == true)
            let text = String(decoding: metrics.body, as: UTF8.self)
            // A real Prometheus text-format parser reads it, and finds what an operator alerts on.
            let parsed = try Self.parsePrometheus(text)
            #expect(parsed.contains("hb_requests"), "families: \(parsed)")
            #expect(parsed.contains("http_server_request_duration"), "families: \(parsed)")
            #expect(parsed.contains("tuodi_db_sessions_in_use") && parsed.contains("tuodi_db_pool_size")
                    && parsed.contains("tuodi_db_session_wait"), "families: \(parsed)")
            #expect(text.contains(#"http_route="/api/v1/companies""#) && text.contains(#"http_response_status_code="201""#), "\(text)")
        } catch {
            _ = server.stop()
            throw error
        }
        #expect(server.stop() == 0)
        let log = server.log
        // The use case's line for the company and the access-log line of its POST share one id.
        let lines = log.split(separator: "\n").map(String.init)
        let change = try #require(lines.first { $0.contains("change") && $0.contains("company.register") }, "\(log)")
        let id = try #require(change.firstMatch(of: /hb\.request\.id=([0-9a-f]+)/)?.1, "\(change)")
        #expect(lines.contains { $0.contains("request") && $0.contains("http.method=POST") && $0.contains("http.path=/api/v1/companies")
                                 && $0.contains("hb.request.id=\(id)") && $0.contains("http.status=201") }, "\(log)")
        #expect(log.contains("shutting down") && log.contains("requests.in_flight"), "\(log)")
        #expect(!bearer.isEmpty && !log.contains(bearer) && !log.contains("a long clerk password"), "a secret reached the log")
    }

    static func parsePrometheus(_ text: String) throws -> Set<String> {
        let script = """
        import sys
        from prometheus_client.parser import text_string_to_metric_families
        for f in text_string_to_metric_families(sys.stdin.read()):
            print(f.name)
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script]
        let input = Pipe(), output = Pipe(), err = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = err
        try p.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let names = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw ParseFailure(description: problem) }
        return Set(names.split(separator: "\n").map(String.init))
    }

    struct ParseFailure: Error, CustomStringConvertible { let description: String }

    @Test("maintenance rebuild-episodes: --verify agrees after demo data, names a damaged estate with exit 1, rebuild repairs it")
    func rebuildEpisodes() async throws {
        let env = try await Self.migratedWithUsers("sqlite")
        let generated = try Tuodi.run(["demo", "generate", "--estates", "34", "--years", "2", "--through", "2026-09-30"], environment: env)
        #expect(generated.status == 0, "stderr: \(generated.stderr)")
        let clean = try Tuodi.run(["maintenance", "rebuild-episodes", "--verify"], environment: env)
        #expect(clean.status == 0 && clean.stdout.contains("一致"), "stdout: \(clean.stdout) stderr: \(clean.stderr)")
        // Damage one episode behind the store's back, as a hand edit of the file would.
        let path = try #require(env["DATABASE_URL"]).replacingOccurrences(of: "sqlite:", with: "")
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [path, "UPDATE estate_episodes SET start_date = '1999-01-01' WHERE rowid = (SELECT min(rowid) FROM estate_episodes)"]
        try sqlite.run()
        sqlite.waitUntilExit()
        #expect(sqlite.terminationStatus == 0)
        let damaged = try Tuodi.run(["maintenance", "rebuild-episodes", "--verify"], environment: env)
        #expect(damaged.status == 1, "stdout: \(damaged.stdout)")
        #expect(damaged.stderr.contains("无人管理时段与从头计算不一致") && damaged.stderr.contains("1999-01-01"), "stderr: \(damaged.stderr)")
        let rebuilt = try Tuodi.run(["maintenance", "rebuild-episodes"], environment: env)
        #expect(rebuilt.status == 0 && rebuilt.stdout.contains("已重新计算 34 个小区"), "stdout: \(rebuilt.stdout) stderr: \(rebuilt.stderr)")
        #expect(try Tuodi.run(["maintenance", "rebuild-episodes", "--verify"], environment: env).status == 0)
    }

    @Test("serve on a port in use: a Chinese message and exit 71")
    func portInUse() async throws {
        let env = try await Self.migratedWithUsers("sqlite")
        let first = try RunningServer(arguments: ["serve"], environment: env)
        defer { _ = first.stop() }
        let port = try #require(first.baseURL.port)
        let second = try Tuodi.run(["serve"], environment: env.merging(["TUODI_HTTP_ADDRESS": "127.0.0.1:\(port)"]) { $1 })
        #expect(second.status == 71)
        #expect(second.stderr.contains("端口已被占用"), "stderr: \(second.stderr)")
    }

    /// Backs up while a client keeps registering companies over HTTP, restores into a fresh
    /// database, and checks: every return of the demo history reads the same, the audit chain
    /// verifies, and every company acknowledged before the backup began is there.
    @Test("backup while writes run, restore into a fresh database: returns, audit and acknowledged writes", arguments: ["sqlite", "postgres"])
    func backupRoundTrip(_ backend: String) async throws {
        let source = ["DATABASE_URL": try await EndToEndTests.databaseURL(backend)]
        let server = try RunningServer(arguments: ["serve", "--migrate", "--demo-data"], environment: source)
        let analyst = source.merging(["TUODI_USER": "city.analyst"]) { $1 }
        let periods = [(2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1), (2026, 2), (2026, 3)]
        func returns(_ env: [String: String]) throws -> [String] {
            try ["310101", "310107"].flatMap { unit in
                try periods.map { year, quarter in
                    let r = try Tuodi.run(["return", "show", "--unit", unit, "--year", String(year), "--quarter", String(quarter),
                                           "--format", "json"], environment: env)
                    #expect(r.status == 0, "\(unit) \(year)Q\(quarter): \(r.stderr)")
                    return r.stdout
                }
            }
        }
        let backupFile = FileManager.default.temporaryDirectory.appendingPathComponent("tuodi-backup-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: backupFile) }
        let before: [String]
        let acknowledgedBeforeBackup: [String]
        do {
            before = try returns(analyst)
            let login = try await EndToEndTests.post(server.baseURL.appendingPathComponent("api/v1/auth/login"),
                                                     #"{"username":"hp.clerk","password":"\#(DemoData.password)"}"#)
            let token = try #require((try JSONSerialization.jsonObject(with: login.body) as? [String: Any])?["token"] as? String)
            let acknowledged = Mutex<[String]>([])
            let stop = Atomic<Bool>(false)
            let url = server.baseURL.appendingPathComponent("api/v1/companies")
            let writer = Task {
                var n = 0
                while !stop.load(ordering: .relaxed), n < 400 {
                    n += 1
                    let uscc = USCC.withCheckCharacter(body: "91310101MA1B" + String(format: "%05d", n))!.value
                    let r = try await EndToEndTests.post(url, #"{"uscc":"\#(uscc)","name":"备份测试物业\#(n)","ownership":"private"}"#, token: token)
                    if r.status == 201 { acknowledged.withLock { $0.append(uscc) } }
                }
            }
            // Let some writes land, then back up while they go on.
            while acknowledged.withLock({ $0.count }) < 20 { try await Task.sleep(for: .milliseconds(20)) }
            acknowledgedBeforeBackup = acknowledged.withLock { $0 }
            let backup = try Tuodi.run(["backup", backupFile], environment: source)
            stop.store(true, ordering: .relaxed)
            try await writer.value
            #expect(backup.status == 0, "stderr: \(backup.stderr)")
            #expect(backup.stdout.contains("审计链完整"), "\(backup.stdout)")
        } catch {
            _ = server.stop()
            throw error
        }
        #expect(server.stop() == 0)

        let target = ["DATABASE_URL": try await EndToEndTests.databaseURL(backend)]
        let restore = try Tuodi.run(["restore", backupFile], environment: target)
        #expect(restore.status == 0, "stderr: \(restore.stderr)")
        // A second restore into the now-filled database is refused and changes nothing.
        let again = try Tuodi.run(["restore", backupFile], environment: target)
        #expect(again.status == 65 && again.stderr.contains("不是空的"), "\(again.stderr)")

        #expect(try returns(target.merging(["TUODI_USER": "city.analyst"]) { $1 }) == before)
        let verify = try Tuodi.run(["audit", "verify", "--as", "admin"], environment: target)
        #expect(verify.status == 0 && verify.stdout.contains("审计链完整"), "\(verify.stdout + verify.stderr)")
        let list = try Tuodi.run(["company", "list", "--as", "hp.clerk", "--limit", "500", "--format", "json"], environment: target)
        let restored = Set(((try JSONSerialization.jsonObject(with: Data(list.stdout.utf8))) as? [[String: Any]] ?? []).compactMap { $0["uscc"] as? String })
        let missing = acknowledgedBeforeBackup.filter { !restored.contains($0) }
        #expect(missing.isEmpty, "acknowledged before the backup but not restored: \(missing)")
    }
}
