import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TuodiAPI
import TuodiApp
import TuodiDomain
@testable import TuodiHTTP
import TuodiStore
import TuodiTestSupport

/// Client mistakes, hostile text and the headers every answer carries (issue 13).
extension APITests {
    /// `errors[].field` of a problem body.
    func fields(_ response: TestResponse) throws -> [String] {
        (try json(response.body)["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    @Test("client mistakes once answered with 500 are 4xx problem+json, naming the parameter")
    func clientMistakes() async throws {
        try await withAPI(.sqlite) { client, _ in
            let clerk = try await login(client, "hp.clerk")
            var form = clerk
            form[.contentType] = "application/x-www-form-urlencoded"
            let cases: [(String, HTTPRequest.Method, HTTPFields, String?, HTTPResponse.Status, [String]?)] = [
                ("/api/v1/companies", .post, form, "uscc=x&name=y", .unsupportedMediaType, nil),
                ("/api/v1/estates/HP-0001?asOf=2026-13-01", .get, clerk, nil, .unprocessableContent, ["asOf"]),
                ("/api/v1/units/310101/pool?asOf=xx", .get, clerk, nil, .unprocessableContent, ["asOf"]),
                ("/public/v1/pool", .get, [:], nil, .badRequest, ["district"]),
                ("/public/v1/pool?district=310101", .get, [.accept: "text/html"], nil, .notAcceptable, nil),
                ("/api/v1/units/310101/returns/2026/3/export", .get, clerk, nil, .badRequest, ["format"]),
                ("/api/v1/estates/HP-0001/custody-candidates", .get, clerk, nil, .badRequest, ["start"]),
                // With another parameter present the runtime reports only "a value is missing", not which.
                ("/api/v1/estates/HP-0001/custody-candidates?plannedEnd=2027-01-01", .get, clerk, nil, .badRequest, nil),
                ("/api/v1/companies?limit=abc", .get, clerk, nil, .badRequest, nil),
            ]
            for (uri, method, headers, body, status, named) in cases {
                let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
                #expect(response.status == status, "\(method) \(uri): \(String(buffer: response.body))")
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true, "\(uri)")
                if let named { #expect(try fields(response) == named, "\(uri): \(String(buffer: response.body))") }
                #expect(try !fields(response).contains(""), "\(uri) names an empty field")
            }
        }
    }

    @Test("NUL and other control characters, and over-long text, are 422 naming the field, and write nothing", arguments: StoreKind.allCases)
    func hostileText(_ kind: StoreKind) async throws {
        try await withAPI(kind) { client, context in
            let nul = try await post(client, #"{"uscc":"\#(Self.validUSCC)","name":"a\u0000b","ownership":"private"}"#)
            #expect(nul.status == .unprocessableContent)
            #expect(try fields(nul) == ["name"])
            let bell = try await post(client, #"{"uscc":"\#(Self.validUSCC)","name":"上海物业","contactPerson":"张\u0007三","ownership":"private"}"#)
            #expect(try fields(bell) == ["contactPerson"])
            let long = String(repeating: "路", count: 501)
            let address = try await post(client, #"{"uscc":"\#(Self.validUSCC)","name":"上海物业","registeredAddress":"\#(long)","ownership":"private"}"#)
            #expect(address.status == .unprocessableContent)
            #expect((try json(address.body)["errors"] as? [[String: Any]])?.first?["code"] as? String == "tooLong")
            #expect(try await companyCount(context) == 0)
            // A line break is fine in a reason, not in a name.
            #expect(TextRule.problem(in: "第一行\n第二行", field: "reason", maxLength: 2000, multiline: true) == nil)

            // Unauthenticated login too: PostgreSQL once answered a NUL with 500.
            let login = try await client.execute(uri: "/api/v1/auth/login", method: .post, headers: [.contentType: "application/json"],
                                                 body: ByteBuffer(string: #"{"username":"hp\u0000clerk","password":"x"}"#))
            #expect(login.status == .unprocessableContent)
            #expect(try fields(login) == ["username"])
            // And in a query value.
            let auth = try await self.login(client, "hp.clerk")
            let query = try await client.execute(uri: "/api/v1/estates?unit=3101%0001", method: .get, headers: auth)
            #expect(query.status == .unprocessableContent)
            #expect(try fields(query) == ["unit"])
        }
    }

    @Test("a floor area too small to keep at 0.01 m² (schemathesis sent 7.06e-287) is a 422 naming floorArea, not a 500",
          arguments: StoreKind.allCases)
    func vanishingFloorArea(_ kind: StoreKind) async throws {
        try await withAPI(kind) { client, _ in
            let auth = try await login(client, "hp.clerk")
            func post(_ area: String) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/estates", method: .post, headers: auth, body: ByteBuffer(string: """
                    {"code":"HP-A1","name":"小区","address":"某路 1 号","unit":"310101","subDistrict":"豫园街道",
                     "category":"workUnitPublic","households":100,"buildings":2,"floorArea":\(area)}
                    """))
            }
            for area in ["7.06413541329374e-287", "0.004"] {
                let response = try await post(area)
                #expect(response.status == .unprocessableContent, "\(area)")
                #expect(try fields(response) == ["floorArea"])
            }
            #expect(try await post("0.005").status == .created)   // rounds to 0.01 m²
        }
    }

    @Test("a fact dated after today (9999-12-31) is refused", arguments: StoreKind.allCases)
    func futureFact(_ kind: StoreKind) async throws {
        try await withAPI(kind) { client, context in
            let clerk = try await TestUsers.caller(context, "hp.clerk")
            _ = try await context.estates.register(EstateDraft(code: "HP-F1", name: "小区", address: "某路 1 号", unit: "310101", subDistrict: "豫园街道",
                category: "直管公房", households: "100", buildings: "2", floorArea: "3000"), by: clerk)
            let auth = try await login(client, "hp.clerk")
            let future = try await client.execute(uri: "/api/v1/estates/HP-F1/facts", method: .post, headers: auth,
                                                  body: ByteBuffer(string: #"{"kind":"becameUnmanaged","date":"9999-12-31","reason":"other"}"#))
            #expect(future.status == .unprocessableContent)
            #expect(try fields(future) == ["date"])
            // Today (the injected clock reads 2026-11-28) is fine.
            let today = try await client.execute(uri: "/api/v1/estates/HP-F1/facts", method: .post, headers: auth,
                                                 body: ByteBuffer(string: #"{"kind":"becameUnmanaged","date":"2026-11-28","reason":"other"}"#))
            #expect(today.status == .created)
        }
    }

    @Test("the contract states every request text limit the server enforces")
    func limitsInContract() throws {
        let spec = String(decoding: openAPIDocument, as: UTF8.self)
        let pattern = /(\w+): \{type: (?:string|array, items: \{type: string), maxLength: (\d+)/
        let stated = spec.matches(of: pattern).map { (String($0.output.1), Int($0.output.2)!) }
        #expect(stated.count > 50)
        for (field, limit) in stated { #expect(limit == TextLimits.maxLength(field), "\(field)") }
        // Every string of every JSON request body has one.
        let bodies = spec.split(separator: "\n").filter { $0.contains("requestBody: {") || $0.contains("content: {application/json: {schema: {type: object") }
        for line in bodies where line.contains("{type: string}") { Issue.record("no maxLength: \(line)") }
    }

    @Test("every response carries the security headers; signed-in answers and the token are not cached")
    func securityHeaders() async throws {
        try await withAPI(.sqlite) { client, _ in
            let clerk = try await login(client, "hp.clerk")
            let loginResponse = try await client.execute(uri: "/api/v1/auth/login", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"username":"hp.clerk","password":"\#(TestUsers.password)"}"#))
            let responses: [(String, TestResponse, Bool)] = [
                ("health", try await client.execute(uri: "/health", method: .get), false),
                ("public roster", try await client.execute(uri: "/public/v1/pool?district=310101", method: .get), false),
                // Answered by the web application's 404 page, which sets its own page policy.
                ("unknown route", try await client.execute(uri: "/nothing", method: .get), false),
                ("login", loginResponse, true),
                ("estates", try await client.execute(uri: "/api/v1/estates", method: .get, headers: clerk), true),
                ("problem", try await client.execute(uri: "/api/v1/companies/123", method: .get, headers: clerk), true),
            ]
            for (name, response, signedIn) in responses {
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(name)")
                #expect(response.headers[.xFrameOptions] == "DENY", "\(name)")
                #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true, "\(name)")
                let page = name == "unknown route"
                #expect(response.headers[.referrerPolicy] == (page ? "same-origin" : "no-referrer"), "\(name)")
                if signedIn || !page {
                    #expect((response.headers[.cacheControl] == "no-store") == signedIn, "\(name): \(response.headers[.cacheControl] ?? "none")")
                }
            }
        }
    }

    @Test("the contract's enum for Problem.rule is exactly the rules the code can refuse with")
    func rulesInContract() throws {
        let spec = String(decoding: openAPIDocument, as: UTF8.self)
        let listed = try #require(spec.firstMatch(of: /enum: \[(biddingClosed[^\]]*)\]/)?.output.1)
            .split(whereSeparator: { ", \n".contains($0) }).map(String.init)
        #expect(listed.count == Set(listed).count)
        #expect(Set(listed) == Set(RefusalRule.allCases.map(\.rawValue)))
    }

    @Test("an app value the contract has no case for fails the request (a logged 500), it does not crash the server")
    func wireMismatch() throws {
        let role: Components.Schemas.Role = try wireCase("districtClerk")
        #expect(role == .districtClerk)
        #expect(throws: WireMismatch.self) { let _: Components.Schemas.Role = try wireCase("nobody") }
        let problem = ProblemMapping.problem(for: WireMismatch(type: "Role", value: "nobody"), path: "/x", logger: TestDatabases.logger)
        #expect(problem.status == 500)
    }

    @Test("a Chinese file name survives in filename* (RFC 6266), with an ASCII fallback")
    func chineseFileName() {
        #expect(DownloadDescription.contentDisposition(fileName: "黄浦区 2026Q3.csv")
                == #"attachment; filename="___ 2026Q3.csv"; filename*=UTF-8''%E9%BB%84%E6%B5%A6%E5%8C%BA%202026Q3.csv"#)
        #expect(DownloadDescription.contentDisposition(fileName: #"a"b.xml"#) == #"attachment; filename="a_b.xml"; filename*=UTF-8''a%22b.xml"#)
    }

    @Test("a change the database kept aborting is 503 with rule retry, never 500")
    func busyIsRetry() {
        let problem = ProblemMapping.problem(for: StoreError.busy, path: "/x", logger: TestDatabases.logger)
        #expect(problem.status == 503 && problem.rule == .retry)
    }

    @Test("a connection lost while its COMMIT ran is 503, and its detail does not claim that nothing was written")
    func lostAtCommitIsUnknown() {
        let problem = ProblemMapping.problem(for: StoreError.lostAtCommit, path: "/x", logger: TestDatabases.logger)
        #expect(problem.status == 503)
        #expect(problem.detail?.contains("可能已保存") == true)
        let unreachable = ProblemMapping.problem(for: StoreError.unreachable, path: "/x", logger: TestDatabases.logger)
        #expect(unreachable.status == 503 && unreachable.detail?.contains("未写入") == true)
    }
}
