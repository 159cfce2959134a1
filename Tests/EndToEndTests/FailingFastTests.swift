import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TuodiApp

/// Deadlines: a database that goes away, and a client that stops half-way through its body.
@Suite("Failing fast", .serialized)
struct FailingFastTests {
    static let pgScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/pg.sh")

    /// `scripts/pg.sh up|down DIR`: a PostgreSQL of this test's own, so stopping it disturbs no other test.
    /// Run with `system`, output to a file: Foundation's `Process` watches a socket that the
    /// server `up` starts would inherit and hold open, so it would never see the script end.
    @discardableResult
    static func pg(_ action: String, _ dir: String) throws -> String {
        let log = dir + ".\(action).log"
        let status = system("'\(pgScript.path)' \(action) '\(dir)' >'\(log)' 2>&1 </dev/null")
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: log)
        guard status == 0 else { throw RawHTTP.Failure(description: "pg.sh \(action) exited \(status): \(text)") }
        return text
    }

    /// GET with a deadline of its own, so a request that hangs fails the test instead of stalling it.
    static func status(_ url: URL) async -> Int {
        var request = URLRequest(url: url)
        request.timeoutInterval = 12
        return (try? await EndToEndTests.send(request).status) ?? -1
    }

    @Test("PostgreSQL stops under a running server: the CLI exits 69 and /ready answers 503 within 10 s; after a restart /ready is 200 again")
    func databaseOutage() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tuodi-outage-\(UUID().uuidString.prefix(8))").path
        defer { _ = try? Self.pg("down", dir); try? FileManager.default.removeItem(atPath: dir) }
        let up = try Self.pg("up", dir)
        let url = try #require(up.firstMatch(of: /DATABASE_URL='([^']+)'/)?.output.1).description
        let env = ["DATABASE_URL": url]
        #expect(try Tuodi.run(["migrate"], environment: env).status == 0)
        let server = try RunningServer(environment: env)
        defer { _ = server.stop() }
        let ready = server.baseURL.appendingPathComponent("ready")
        #expect(await Self.status(ready) == 200)

        try Self.pg("down", dir)
        let cliStart = Date()
        let cli = try Tuodi.run(["estate", "list", "--as", "admin"], environment: env)
        let cliSeconds = Date().timeIntervalSince(cliStart)
        #expect(cli.status == 69, "stderr: \(cli.stderr)")
        #expect(cliSeconds < 10, "the CLI took \(cliSeconds) s")

        let downStart = Date()
        var answer = await Self.status(ready)
        while answer != 503, Date().timeIntervalSince(downStart) < 10 { answer = await Self.status(ready) }
        let downSeconds = Date().timeIntervalSince(downStart)
        #expect(answer == 503)
        #expect(downSeconds < 10, "/ready took \(downSeconds) s to answer 503; log: \(server.log.suffix(3000))")
        // An API call is 503 too, within its deadline, never 500.
        #expect(await Self.status(server.baseURL.appendingPathComponent("api/v1/districts")) == 503)
        print("database outage: CLI exit \(cli.status) after \(String(format: "%.1f", cliSeconds)) s; /ready 503 after \(String(format: "%.1f", downSeconds)) s")

        try Self.pg("up", dir)
        let upStart = Date()
        while await Self.status(ready) != 200, Date().timeIntervalSince(upStart) < 60 { try await Task.sleep(for: .milliseconds(250)) }
        #expect(await Self.status(ready) == 200, "not ready again \(Date().timeIntervalSince(upStart)) s after the restart")
        print("database back: /ready 200 after \(String(format: "%.1f", Date().timeIntervalSince(upStart))) s")
        #expect(server.process.isRunning)
        #expect(server.stop() == 0, "log: \(server.log)")
    }

    @Test("a client that stops half-way through its body holds neither its connection nor the shutdown past the idle timeout")
    func halfSentBody() async throws {
        let server = try RunningServer(arguments: ["serve", "--migrate"],
                                       environment: ["DATABASE_URL": Tuodi.temporarySQLite(), "TUODI_HTTP_IDLE_TIMEOUT": "2"])
        let fd = try RawHTTP.connect(port: server.baseURL.port ?? 0)
        defer { close(fd) }
        try RawHTTP.sendAll(fd, Array("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"user".utf8))
        try await Task.sleep(for: .milliseconds(300))
        let start = Date()
        let status = server.stop()
        let seconds = Date().timeIntervalSince(start)
        print("half-sent body: SIGTERM to exit \(String(format: "%.1f", seconds)) s")
        #expect(status == 0)
        #expect(seconds < 8, "shutdown took \(seconds) s")
    }
}
