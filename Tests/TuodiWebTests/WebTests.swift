import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TuodiApp
import TuodiDomain
import TuodiHTTP
import TuodiStore
import TuodiTestSupport

/// The web application in-process (the router, no socket), on both backends: sessions, the form
/// token, the 404 page for another unit, escaping. The browser suite (Tests/Browser) drives the
/// journeys in a real browser.
@Suite("Web pages")
struct WebTests {
    func withWeb(_ kind: StoreKind, _ body: @escaping @Sendable (any TestClientProtocol, AppContext) async throws -> Void) async throws {
        let store = try await TestDatabases.freshStore(kind)
        let context = AppContext(store: store, clock: FixedClock(LocalDate(year: 2026, month: 11, day: 28)!),
                                 logger: TestDatabases.logger, security: SecuritySettings(bcryptCost: 4))
        let app = Application(router: try buildRouter(context: context))
        do {
            try await TestUsers.create(context)
            for (code, unit, name, clerk) in [("HP-0001", "310101", "福佑路<script>alert(1)</script>小区", "hp.clerk"),
                                              ("PT-0001", "310107", "曹杨一村", "pt.clerk")] {
                _ = try await context.estates.register(
                    EstateDraft(code: code, name: name, address: "某路 1 号", unit: unit, subDistrict: "某街道", category: "directPublic",
                                households: "100", buildings: "2", floorArea: "5000"),
                    by: try await context.identity.actor(username: clerk))
            }
            try await app.test(.router) { client in try await body(client, context) }
        } catch { try? await store.close(); throw error }
        try await store.close()
    }

    /// The cookies a response sets, as `name=value`.
    func cookies(_ response: TestResponse) -> [String: String] {
        var found: [String: String] = [:]
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            found[String(pair[0])] = pair.count > 1 ? String(pair[1]) : ""
        }
        return found
    }

    func formToken(_ html: String) throws -> String {
        let match = try #require(html.firstMatch(of: /name="_csrf" value="([^"]+)"/))
        return String(match.1)
    }

    /// Logs in through the form; returns the session cookie header.
    func login(_ client: any TestClientProtocol, _ username: String) async throws -> HTTPFields {
        let form = try await client.execute(uri: "/login", method: .get)
        let token = try formToken(String(buffer: form.body))
        let loginCookie = try #require(cookies(form)["tuodi_login"])
        let body = "_csrf=\(token)&username=\(username)&password=\(TestUsers.password.replacingOccurrences(of: " ", with: "+"))"
        let response = try await client.execute(uri: "/login", method: .post,
                                                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "tuodi_login=\(loginCookie)"],
                                                body: ByteBuffer(string: body))
        #expect(response.status == .seeOther)
        let setCookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("tuodi_session=") })
        #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && !setCookie.contains("Secure"))
        return [.cookie: "tuodi_session=\(try #require(cookies(response)["tuodi_session"]))"]
    }

    func factCount(_ context: AppContext) async throws -> Int {
        let clerk = try await context.identity.actor(username: "hp.clerk")
        return try await context.estates.show(code: "HP-0001", by: clerk).facts.count
    }

    @Test("every role's 工作台 renders, with the security headers", arguments: StoreKind.allCases)
    func dashboards(_ kind: StoreKind) async throws {
        try await withWeb(kind) { client, _ in
            for user in ["hp.clerk", "hp.approver", "city.analyst", "admin"] {
                let session = try await login(client, user)
                let page = try await client.execute(uri: "/", method: .get, headers: session)
                #expect(page.status == .ok, "\(user)")
                let html = String(buffer: page.body)
                #expect(html.contains("<h1>工作台</h1>") && !html.contains("系统出错"), "\(user)")
                #expect(html.contains("待我审批") == (user == "hp.approver"), "\(user)")
                #expect(page.headers.first { $0.name.canonicalName == "content-security-policy" }?.value.contains("frame-ancestors 'none'") == true)
                #expect(page.headers[.cacheControl] == "no-store")
            }
            let anonymous = try await client.execute(uri: "/", method: .get)
            #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/login")
        }
    }

    @Test("a post without the session's form token is 403 and writes nothing", arguments: StoreKind.allCases)
    func csrf(_ kind: StoreKind) async throws {
        try await withWeb(kind) { client, context in
            var headers = try await login(client, "hp.clerk")
            headers[.contentType] = "application/x-www-form-urlencoded"
            let before = try await factCount(context)
            for body in ["kind=becameUnmanaged&date=2026-11-01&reason=other", "_csrf=forged&kind=becameUnmanaged&date=2026-11-01&reason=other"] {
                let response = try await client.execute(uri: "/estates/HP-0001/facts", method: .post, headers: headers, body: ByteBuffer(string: body))
                #expect(response.status == .forbidden)
            }
            #expect(try await factCount(context) == before)
            // With the token it goes through, and redirects back to the estate (post/redirect/get).
            let form = try await client.execute(uri: "/estates/HP-0001/facts/new", method: .get, headers: headers)
            let token = try formToken(String(buffer: form.body))
            let ok = try await client.execute(uri: "/estates/HP-0001/facts", method: .post, headers: headers,
                                              body: ByteBuffer(string: "_csrf=\(token)&kind=becameUnmanaged&date=2026-11-01&reason=other"))
            #expect(ok.status == .seeOther && ok.headers[.location] == "/estates/HP-0001?done=fact")
            #expect(try await factCount(context) == before + 1)
        }
    }

    @Test("bad input shows the error summary in Chinese and writes nothing", arguments: StoreKind.allCases)
    func badInput(_ kind: StoreKind) async throws {
        try await withWeb(kind) { client, context in
            var headers = try await login(client, "hp.clerk")
            headers[.contentType] = "application/x-www-form-urlencoded"
            let form = try await client.execute(uri: "/estates/HP-0001/facts/new", method: .get, headers: headers)
            let token = try formToken(String(buffer: form.body))
            let before = try await factCount(context)
            let response = try await client.execute(uri: "/estates/HP-0001/facts", method: .post, headers: headers,
                                                    body: ByteBuffer(string: "_csrf=\(token)&kind=becameUnmanaged&date=2026-02-30"))
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(html.contains("error-summary") && html.contains("日期应为 YYYY-MM-DD") && html.contains("无人管理原因应为"))
            #expect(html.contains(#"value="2026-02-30""#))   // what was typed is shown again
            #expect(html.contains(#"<p class="field__error">日期应为 YYYY-MM-DD"#))   // and each message beside its field
            #expect(html.contains(#"<div class="field field--error">"#))
            #expect(try await factCount(context) == before)
        }
    }

    @Test("another unit's estate is the same 404 page as a missing one; names are escaped", arguments: StoreKind.allCases)
    func scopeAndEscaping(_ kind: StoreKind) async throws {
        try await withWeb(kind) { client, _ in
            let headers = try await login(client, "hp.clerk")
            let other = try await client.execute(uri: "/estates/PT-0001", method: .get, headers: headers)
            let missing = try await client.execute(uri: "/estates/HP-9999", method: .get, headers: headers)
            #expect(other.status == .notFound && missing.status == .notFound)
            #expect(String(buffer: other.body) == String(buffer: missing.body))
            let own = String(buffer: try await client.execute(uri: "/estates/HP-0001", method: .get, headers: headers).body)
            #expect(own.contains("福佑路&lt;script&gt;alert(1)&lt;/script&gt;小区") && !own.contains("<script>"))
            // The API keeps answering in problem+json beside the pages.
            let api = try await client.execute(uri: "/api/v1/nothing-here", method: .get)
            #expect(api.status == .notFound)
            #expect(api.headers[.contentType]?.hasPrefix("application/problem+json") == true)
        }
    }

    @Test("the estate list searches, filters by today's state and pages by 20", arguments: StoreKind.allCases)
    func estateList(_ kind: StoreKind) async throws {
        try await withWeb(kind) { client, context in
            let clerk = try await context.identity.actor(username: "hp.clerk")
            for n in 2...25 {
                let code = String(format: "HP-%04d", n)
                _ = try await context.estates.register(
                    EstateDraft(code: code, name: "测试小区\(n)", address: "某路 \(n) 号", unit: "310101", subDistrict: n % 2 == 0 ? "豫园街道" : "外滩街道",
                                category: "earlyCommodity", highDispute: n == 7, households: "100", buildings: "2", floorArea: "5000"),
                    by: clerk)
            }
            _ = try await context.estates.recordFact(code: "HP-0003", FactDraft(kind: "becameUnmanaged", date: "2026-10-01", reason: "other"), by: clerk)
            let headers = try await login(client, "hp.clerk")
            func list(_ query: String) async throws -> (status: HTTPResponse.Status, html: String) {
                let r = try await client.execute(uri: "/estates" + query, method: .get, headers: headers)
                return (r.status, String(buffer: r.body))
            }
            func codes(_ html: String) -> [String] { html.matches(of: /<a href="\/estates\/(HP-\d{4})">/).map { String($0.1) } }
            let first = try await list("")
            #expect(codes(first.html).count == 20 && first.html.contains("共 25 个小区，显示第 1–20 个"))
            #expect(first.html.contains(#"href="/estates?page=2" rel="next""#) && !first.html.contains("PT-0001"))
            let second = try await list("?page=2")
            #expect(codes(second.html) == (21...25).map { String(format: "HP-%04d", $0) } && second.html.contains("rel=\"prev\""))
            #expect(codes(try await list("?state=unmanaged").html) == ["HP-0003"])
            #expect(codes(try await list("?dispute=1").html) == ["HP-0007"])
            #expect(codes(try await list("?subDistrict=%E5%A4%96%E6%BB%A9%E8%A1%97%E9%81%93").html).count == 12)   // 外滩街道
            #expect(codes(try await list("?q=%E6%B5%8B%E8%AF%95%E5%B0%8F%E5%8C%BA1").html).count == 10)           // 测试小区10–19
            let bad = try await list("?state=flying")
            #expect(bad.status == .unprocessableContent && bad.html.contains("error-summary") && bad.html.contains("状态不在可选范围内"))
        }
    }

    @Test("logout revokes the session's token", arguments: StoreKind.allCases)
    func logout(_ kind: StoreKind) async throws {
        try await withWeb(kind) { client, _ in
            var headers = try await login(client, "hp.clerk")
            let home = try await client.execute(uri: "/", method: .get, headers: headers)
            let token = try formToken(String(buffer: home.body))
            headers[.contentType] = "application/x-www-form-urlencoded"
            let out = try await client.execute(uri: "/logout", method: .post, headers: headers, body: ByteBuffer(string: "_csrf=\(token)"))
            #expect(out.status == .seeOther && out.headers[.location] == "/login?out=1")
            let again = try await client.execute(uri: "/", method: .get, headers: headers)
            #expect(again.status == .seeOther && again.headers[.location] == "/login")
        }
    }
}

