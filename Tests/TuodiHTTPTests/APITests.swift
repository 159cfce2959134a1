import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TuodiAPI
import TuodiAPITestSupport
import TuodiApp
import TuodiDomain
import TuodiHTTP
import TuodiStore
import TuodiTestSupport

/// The HTTP API in-process (the router, no socket), on both backends.
@Suite("HTTP API")
struct APITests {
    static let validUSCC = "91350100M000100Y43"
    static let badUSCC = "91350100M000100Y4Z"

    /// Runs `body` against a router over a fresh migrated store of `kind`, with an admin and a
    /// 黄浦 clerk (`TestUsers`).
    func withAPI(_ kind: StoreKind, _ body: @escaping @Sendable (any TestClientProtocol, AppContext) async throws -> Void) async throws {
        let store = try await TestDatabases.freshStore(kind)
        let context = AppContext(store: store, clock: FixedClock(LocalDate(year: 2026, month: 11, day: 28)!),
                                 logger: TestDatabases.logger, security: SecuritySettings(bcryptCost: 4))
        let app = Application(router: try buildRouter(context: context))
        do {
            try await TestUsers.create(context)
            try await app.test(.router) { client in try await body(client, context) }
        } catch { try? await store.close(); throw error }
        try await store.close()
    }

    /// Logs in over HTTP and returns the bearer header.
    func login(_ client: any TestClientProtocol, _ username: String) async throws -> HTTPFields {
        let response = try await client.execute(uri: "/api/v1/auth/login", method: .post, headers: [.contentType: "application/json"],
                                                body: ByteBuffer(string: #"{"username":"\#(username)","password":"\#(TestUsers.password)"}"#))
        #expect(response.status == .ok)
        let token = try #require(try json(response.body)["token"] as? String)
        return [.authorization: "Bearer \(token)", .contentType: "application/json"]
    }

    func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
    }

    func post(_ client: any TestClientProtocol, _ body: String, as user: String = "hp.clerk") async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/companies", method: .post,
                                 headers: try await login(client, user), body: ByteBuffer(string: body))
    }

    func companyCount(_ context: AppContext) async throws -> Int {
        try await context.store.transaction { try await $0.companyCount() }
    }

    @Test("health, readiness and the spec", arguments: StoreKind.allCases)
    func operations(_ kind: StoreKind) async throws {
        try await withAPI(kind) { client, _ in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .ok)
            #expect(try json(ready.body)["database"] as? String == kind.rawValue)
            let spec = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(spec.status == .ok)
            #expect(String(buffer: spec.body).hasPrefix("openapi: 3.1"))
        }
    }

    @Test("the 17 reporting units with codes and Chinese names", arguments: StoreKind.allCases)
    func districts(_ kind: StoreKind) async throws {
        try await withAPI(kind) { client, _ in
            let response = try await client.execute(uri: "/api/v1/districts", method: .get)
            #expect(response.status == .ok)
            let items = try #require(try json(response.body)["items"] as? [[String: Any]])
            #expect(items.count == 17)
            #expect(items.first?["code"] as? String == "310101" && items.first?["name"] as? String == "黄浦区")
            #expect(items.last?["code"] as? String == "LG" && items.last?["isDistrict"] as? Bool == false)
        }
    }

    @Test("a bad USCC is 422 problem+json naming uscc, and writes nothing", arguments: StoreKind.allCases)
    func badUSCC(_ kind: StoreKind) async throws {
        try await withAPI(kind) { client, context in
            let response = try await post(client, #"{"uscc":"\#(Self.badUSCC)","name":"上海示例物业","ownership":"private"}"#)
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            let problem = try json(response.body)
            #expect(problem["status"] as? Int == 422)
            let errors = try #require(problem["errors"] as? [[String: Any]])
            #expect(errors.map { $0["field"] as? String } == ["uscc"])
            #expect(try await companyCount(context) == 0)
        }
    }

    @Test("a valid USCC is 201; the same again is 409", arguments: StoreKind.allCases)
    func createAndConflict(_ kind: StoreKind) async throws {
        try await withAPI(kind) { client, context in
            let body = #"{"uscc":"\#(Self.validUSCC)","name":"上海示例物业","ownership":"stateControlled","districtGroup":true}"#
            let created = try await post(client, body)
            #expect(created.status == .created)
            #expect(try json(created.body)["districtGroup"] as? Bool == true)
            let again = try await post(client, body)
            #expect(again.status == .conflict)
            #expect(again.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            #expect(try json(again.body)["rule"] as? String == "duplicate")
            #expect(try await companyCount(context) == 1)

            let auth = try await login(client, "hp.clerk")
            let shown = try await client.execute(uri: "/api/v1/companies/\(Self.validUSCC)", method: .get, headers: auth)
            #expect(shown.status == .ok)
            #expect(try json(shown.body)["name"] as? String == "上海示例物业")
            let list = try await client.execute(uri: "/api/v1/companies?limit=10", method: .get, headers: auth)
            #expect(try json(list.body)["total"] as? Int == 1)
        }
    }

    @Test("unreadable and incomplete bodies are problems, not 500s")
    func badBodies() async throws {
        try await withAPI(.sqlite) { client, context in
            let malformed = try await post(client, #"{"uscc": "#)
            #expect(malformed.status == .badRequest)
            #expect(malformed.headers[.contentType]?.hasPrefix("application/problem+json") == true)

            let missing = try await post(client, #"{"uscc":"\#(Self.validUSCC)","ownership":"private"}"#)
            #expect(missing.status == .unprocessableContent)
            let fields = (try json(missing.body)["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(fields == ["name"])

            let wrongEnum = try await post(client, #"{"uscc":"\#(Self.validUSCC)","name":"x","ownership":"public"}"#)
            #expect(wrongEnum.status == .unprocessableContent)
            let enumFields = (try json(wrongEnum.body)["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(enumFields == ["ownership"])
            #expect(try await companyCount(context) == 0)
        }
    }

    @Test("lookups: unknown is 404, malformed is 422, bad paging is 422, unknown route is 404")
    func lookups() async throws {
        try await withAPI(.sqlite) { client, _ in
            let auth = try await login(client, "hp.clerk")
            let unknown = try await client.execute(uri: "/api/v1/companies/9131011877976576X6", method: .get, headers: auth)
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            let malformed = try await client.execute(uri: "/api/v1/companies/123", method: .get, headers: auth)
            #expect(malformed.status == .unprocessableContent)
            let paging = try await client.execute(uri: "/api/v1/companies?limit=0", method: .get, headers: auth)
            #expect(paging.status == .unprocessableContent)
            // A parameter that is not even of its type is a bad request naming the parameter.
            for (uri, name) in [("/api/v1/companies?limit=abc", "limit"), ("/api/v1/companies?limit=5&offset=x%20y", "offset"),
                                ("/api/v1/arrangements/abc", "arrangementId")] {
                let mistyped = try await client.execute(uri: uri, method: .get, headers: auth)
                #expect(mistyped.status == .badRequest, "\(uri)")
                let errors = try json(mistyped.body)["errors"] as? [[String: Any]]
                #expect(errors?.compactMap { $0["field"] as? String } == [name], "\(uri)")
                #expect((errors?.first?["message"] as? String)?.contains("应为整数") == true, "\(uri)")
            }
            let route = try await client.execute(uri: "/api/v1/nothing", method: .get)
            #expect(route.status == .notFound)
            #expect(route.headers[.contentType]?.hasPrefix("application/problem+json") == true)
        }
    }

    @Test("not ready on a database whose schema is not current")
    func notReady() async throws {
        let store = try SQLStore(backend: try await TestDatabases.freshSQLite())
        let app = Application(router: try buildRouter(context: AppContext(store: store, logger: TestDatabases.logger)))
        try await app.test(.router) { client in
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.headers[.contentType]?.hasPrefix("application/problem+json") == true)
        }
        try await store.close()
    }

    @Test("no token is 401 with WWW-Authenticate; a wrong role is 403; a revoked token is 401", arguments: StoreKind.allCases)
    func authentication(_ kind: StoreKind) async throws {
        try await withAPI(kind) { client, _ in
            let anonymous = try await client.execute(uri: "/api/v1/companies", method: .get)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate] == "Bearer")
            #expect(anonymous.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            let forged = try await client.execute(uri: "/api/v1/companies", method: .get, headers: [.authorization: "Bearer tdt_forged"])
            #expect(forged.status == .unauthorized)

            let analyst = try await login(client, "city.analyst")
            let refused = try await client.execute(uri: "/api/v1/companies", method: .post, headers: analyst,
                                                   body: ByteBuffer(string: #"{"uscc":"\#(Self.validUSCC)","name":"x","ownership":"private"}"#))
            #expect(refused.status == .forbidden)

            let clerk = try await login(client, "hp.clerk")
            #expect(try await client.execute(uri: "/api/v1/auth/logout", method: .post, headers: clerk).status == .noContent)
            #expect(try await client.execute(uri: "/api/v1/companies", method: .get, headers: clerk).status == .unauthorized)

            let wrong = try await client.execute(uri: "/api/v1/auth/login", method: .post, headers: [.contentType: "application/json"],
                                                 body: ByteBuffer(string: #"{"username":"hp.clerk","password":"wrong-password"}"#))
            #expect(wrong.status == .unauthorized)
        }
    }

    /// Through the client generated from the contract: each call decodes its answer by the
    /// status and schema the contract declares, so the shapes are checked along with the values.
    @Test("estates: a clerk registers in their unit, records a fact; another district sees not found", arguments: StoreKind.allCases)
    func estates(_ kind: StoreKind) async throws {
        try await withAPI(kind) { client, _ in
            func signedIn(_ username: String) async throws -> Client {
                let body = Components.Schemas.LoginInput(username: username, password: TestUsers.password)
                return Client.testing(client, token: try await Client.testing(client).login(body: .json(body)).ok.body.json.token)
            }
            let hp = try await signedIn("hp.clerk")
            var estate = Components.Schemas.EstateInput(code: "HP-T1", name: "福佑路小区", address: "福佑路 1 号", unit: "310101",
                                                         subDistrict: "豫园街道", category: .directPublic, households: 200, buildings: 4,
                                                         floorArea: 9800.5, yearBuilt: 1960)
            #expect(try await hp.createEstate(body: .json(estate)).created.body.json.code == "HP-T1")
            estate.unit = "310107"
            estate.code = "PT-T1"
            _ = try await hp.createEstate(body: .json(estate)).notFound

            let fact = Components.Schemas.FactInput(kind: .becameUnmanaged, date: "2026-07-01", reason: .previousCompanyLeft)
            let detail = try await hp.recordFact(path: .init(code: "HP-T1"), body: .json(fact)).created.body.json
            #expect(detail.state == .unmanaged)
            #expect(detail.episodes.first?.start == "2026-07-01")
            // 2026-07-01 to 2026-11-28 inclusive: 151 days.
            #expect(detail.episodes.first?.daysUnmanaged == 151)
            #expect(try await hp.getEstate(path: .init(code: "HP-T1"), query: .init(asOf: "2026-06-30")).ok.body.json.state == .unknown)

            let pt = try await signedIn("pt.clerk")
            _ = try await pt.getEstate(path: .init(code: "HP-T1")).notFound
            #expect(try await pt.listEstates().ok.body.json.total == 0)
            let analyst = try await signedIn("city.analyst")
            _ = try await analyst.getEstate(path: .init(code: "HP-T1")).ok

            let audit = try await hp.listAudit(query: .init(entity: "estate", entityId: "HP-T1")).ok.body.json
            #expect(audit.items.map(\.action) == ["estate.register", "estate.recordFact"])
            #expect(try await analyst.verifyAudit().ok.body.json.intact)
        }
    }

    @Test("pool over HTTP: round, application, four eyes, roster; the public roster shows no contacts or scores",
          arguments: StoreKind.allCases)
    func pool(_ kind: StoreKind) async throws {
        try await withAPI(kind) { client, _ in
            let clerk = try await login(client, "hp.clerk")
            let approver = try await login(client, "hp.approver")
            func call(_ uri: String, _ method: HTTPRequest.Method = .post, _ auth: HTTPFields, _ body: String? = nil) async throws -> TestResponse {
                try await client.execute(uri: uri, method: method, headers: auth, body: body.map { ByteBuffer(string: $0) })
            }
            let company = #"{"uscc":"\#(Self.validUSCC)","name":"上海示例物业","ownership":"stateWhollyOwned","districtGroup":true,"contactPerson":"赵六","contactPhone":"021-12345678"}"#
            #expect(try await call("/api/v1/companies", .post, clerk, company).status == .created)
            let round = try await call("/api/v1/units/310101/admission-rounds", .post, clerk,
                #"{"title":"征集","opensOn":"2026-11-01","closesOn":"2026-12-31","criteria":[{"name":"能力","weightPercent":70},{"name":"信用","weightPercent":30}]}"#)
            #expect(round.status == .created)
            let roundID = try #require(try json(round.body)["id"] as? Int)
            let app = try await call("/api/v1/admission-rounds/\(roundID)/applications", .post, clerk,
                                     #"{"uscc":"\#(Self.validUSCC)","capacityEstates":3}"#)
            #expect(app.status == .created)
            let appID = try #require(try json(app.body)["id"] as? Int)
            let scored = try await call("/api/v1/applications/\(appID)/score", .post, clerk, #"{"scores":{"能力":90,"信用":80}}"#)
            #expect(try json(scored.body)["total"] as? Double == 87)
            #expect(try await call("/api/v1/applications/\(appID)/propose", .post, clerk, #"{"proposal":"admit"}"#).status == .ok)
            // The clerk cannot decide (wrong role); the approver can.
            #expect(try await call("/api/v1/applications/\(appID)/decide", .post, clerk, #"{"approve":true}"#).status == .forbidden)
            let decided = try await call("/api/v1/applications/\(appID)/decide", .post, approver, #"{"approve":true}"#)
            #expect(try json(decided.body)["status"] as? String == "admitted")

            let roster = try await call("/api/v1/units/310101/pool", .get, clerk)
            let rosterJSON = try json(roster.body)
            #expect(rosterJSON["activeCount"] as? Int == 1 && rosterJSON["districtGroupShare"] as? Double == 1)

            let published = try await client.execute(uri: "/public/v1/pool?district=310101", method: .get)
            #expect(published.status == .ok)
            let text = String(buffer: published.body)
            #expect(text.contains("上海示例物业") && text.contains(Self.validUSCC))
            #expect(!text.contains("赵六") && !text.contains("021-12345678") && !text.contains("score") && !text.contains("87"))
            #expect(try await client.execute(uri: "/public/v1/pool?district=999999", method: .get).status == .notFound)
            // Another district's clerk: not found, not forbidden.
            let pt = try await login(client, "pt.clerk")
            #expect(try await call("/api/v1/units/310101/pool", .get, pt).status == .notFound)
        }
    }

    @Test("import over HTTP: a CSV body, dry run first, then all rows; a bad row imports nothing")
    func importCSV() async throws {
        try await withAPI(.sqlite) { client, context in
            var auth = try await login(client, "hp.clerk")
            auth[.contentType] = "application/octet-stream"
            let header = "小区编码,小区名称,地址,报送单位,所属街镇,房屋类型,户数,幢数,建筑面积\r\n"
            let rows = (1...3).map { "HP-C\($0),小区\($0),某路 \($0) 号,310103,豫园街道,直管公房,120,3,\"4,500.5\"\r\n" }.joined()
            let csv = "\u{FEFF}" + header + rows
            let dry = try await client.execute(uri: "/api/v1/imports/estates?dryRun=true&fileName=estates.csv", method: .post, headers: auth,
                                               body: ByteBuffer(string: csv))
            #expect(dry.status == .ok)
            let dryReport = try json(dry.body)
            #expect(dryReport["succeeded"] as? Bool == true && dryReport["imported"] as? Int == 0)
            #expect((dryReport["aliasesApplied"] as? [[String: Any]])?.count == 3)
            let bad = try await client.execute(uri: "/api/v1/imports/estates?fileName=estates.csv", method: .post, headers: auth,
                                               body: ByteBuffer(string: csv + "HP-C9,坏行,某路,310101,豫园街道,别墅,1,1,1\r\n"))
            let badReport = try json(bad.body)
            #expect(badReport["imported"] as? Int == 0)
            #expect((badReport["errors"] as? [[String: Any]])?.first?["row"] as? Int == 5)
            #expect(try await context.store.transaction { try await $0.estateCount(unit: nil) } == 0)
            let done = try await client.execute(uri: "/api/v1/imports/estates?fileName=estates.csv", method: .post, headers: auth,
                                                body: ByteBuffer(string: csv))
            #expect(try json(done.body)["imported"] as? Int == 3)
            #expect(try await context.store.transaction { try await $0.estate(code: "HP-C2") }?.estate.floorArea == 4500.5)
        }
    }

    @Test("batch custody proposals over HTTP: 201 with every factor, edits re-checked (422, 409 ineligible), four eyes, approval creates the arrangements",
          arguments: StoreKind.allCases)
    func matchProposals(_ kind: StoreKind) async throws {
        try await withAPI(kind) { client, context in
            // A pool member with room for one estate and two unmanaged estates, set up through the app layer.
            let clerkCaller = try await TestUsers.caller(context, "hp.clerk")
            try await TestUsers.admitToPool(context, uscc: Self.validUSCC, name: "上海示例物业", capacity: 1)
            for code in ["HP-X1", "HP-X2"] {
                _ = try await context.estates.register(EstateDraft(code: code, name: "测试小区", address: "某路 1 号", unit: "310101", subDistrict: "豫园街道",
                    category: "直管公房", households: "100", buildings: "2", floorArea: "3000"), by: clerkCaller)
                _ = try await context.estates.recordFact(code: code, FactDraft(kind: "becameUnmanaged", date: "2026-07-01", reason: "contractEnded"), by: clerkCaller)
            }
            let clerk = try await login(client, "hp.clerk"), approver = try await login(client, "hp.approver")
            func call(_ uri: String, _ auth: HTTPFields, _ body: String? = nil, _ method: HTTPRequest.Method = .post) async throws -> TestResponse {
                try await client.execute(uri: uri, method: method, headers: auth, body: body.map { ByteBuffer(string: $0) })
            }
            let created = try await call("/api/v1/units/310101/match-proposals", clerk, #"{"start":"2026-12-01","plannedEnd":"2027-02-28"}"#)
            #expect(created.status == .created)
            let proposal = try json(created.body)
            let id = try #require(proposal["id"] as? Int)
            let pairs = try #require(proposal["pairs"] as? [[String: Any]])
            #expect(pairs.count == 1)
            let factors = try #require(pairs.first?["factors"] as? [[String: Any]])
            #expect(factors.compactMap { $0["name"] as? String } == ["sameSubDistrict", "merit", "load", "districtGroup"])
            #expect(pairs.first?["cost"] as? Int == factors.compactMap { $0["cost"] as? Int }.reduce(0, +))
            #expect((proposal["unplaced"] as? [[String: Any]])?.first?["reason"] as? String == "insufficientCapacity")
            #expect(proposal["termEnd"] as? String == "2027-02-28")

            let placed = try #require(pairs.first?["estateCode"] as? String)
            let bad = try await call("/api/v1/match-proposals/\(id)/pairs", clerk, #"{"estateCode":"\#(placed)","uscc":"\#(Self.badUSCC)","reason":"调整"}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            let outsider = USCC.withCheckCharacter(body: "91310101MA1HT0009")!.value   // valid, but not in the pool
            let stranger = try await call("/api/v1/match-proposals/\(id)/pairs", clerk,
                                          #"{"estateCode":"\#(placed)","uscc":"\#(outsider)","reason":"调整"}"#)
            #expect(stranger.status == .conflict)
            #expect(try json(stranger.body)["rule"] as? String == "ineligible")

            #expect(try await call("/api/v1/match-proposals/\(id)/approve", clerk, "{}").status == .forbidden)
            let approved = try await call("/api/v1/match-proposals/\(id)/approve", approver, #"{"reason":"同意"}"#)
            #expect(approved.status == .ok)
            let ids = try #require(try json(approved.body)["arrangementIds"] as? [Int])
            #expect(ids.count == 1)
            let arrangement = try json(try await call("/api/v1/arrangements/\(ids[0])", clerk, nil, .get).body)
            #expect(arrangement["kind"] as? String == "custody" && arrangement["estateCode"] as? String == placed)
            let listed = try json(try await call("/api/v1/units/310101/match-proposals", approver, nil, .get).body)
            #expect((listed["items"] as? [[String: Any]])?.first?["status"] as? String == "approved")
            // Another district sees not found.
            let pt = try await login(client, "pt.clerk")
            #expect(try await call("/api/v1/match-proposals/\(id)", pt, nil, .get).status == .notFound)
            // The settings carry the weights.
            let settings = try json(try await call("/api/v1/units/310101/settings", clerk, nil, .get).body)
            #expect((settings["matchWeights"] as? [String: Any])?["merit"] as? Int == 30)
        }
    }

    @Test("coverage and returns over HTTP: draft, four eyes, submit, frozen; exports carry their content type and file name",
          arguments: StoreKind.allCases)
    func returns(_ kind: StoreKind) async throws {
        try await withAPI(kind) { client, context in
            let clerkCaller = try await TestUsers.caller(context, "hp.clerk")
            _ = try await context.estates.register(EstateDraft(code: "HP-R1", name: "测试小区", address: "某路 1 号", unit: "310101", subDistrict: "豫园街道",
                category: "直管公房", households: "100", buildings: "2", floorArea: "3000"), by: clerkCaller)
            _ = try await context.estates.recordFact(code: "HP-R1", FactDraft(kind: "becameUnmanaged", date: "2026-08-01", reason: "contractEnded"), by: clerkCaller)
            let clerk = try await login(client, "hp.clerk"), approver = try await login(client, "hp.approver")
            let analyst = try await login(client, "city.analyst")
            func call(_ uri: String, _ auth: HTTPFields, _ method: HTTPRequest.Method = .post) async throws -> TestResponse {
                try await client.execute(uri: uri, method: method, headers: auth, body: method == .post ? ByteBuffer(string: "") : nil)
            }
            let coverage = try json(try await call("/api/v1/coverage?asOf=2026-09-30", clerk, .get).body)
            #expect(coverage["unmanaged"] as? Int == 1 && coverage["covered"] as? Int == 0)
            #expect((coverage["uncovered"] as? [[String: Any]])?.first?["daysUnmanaged"] as? Int == 61)
            #expect(try await call("/api/v1/coverage?asOf=2026-02-30", clerk, .get).status == .unprocessableContent)

            let base = "/api/v1/units/310101/returns/2026/3"
            let drafted = try await call(base + "/draft", clerk)
            #expect(drafted.status == .ok)
            let report = try #require(try json(drafted.body)["report"] as? [String: Any])
            #expect((report["newlyUnmanaged"] as? [String: Any])?["inQuarter"] as? Int == 1)
            let selfApproval = try await call(base + "/approve", clerk)
            #expect(selfApproval.status == .forbidden)
            #expect(try await call(base + "/approve", approver).status == .ok)
            #expect(try await call(base + "/submit", clerk).status == .ok)
            let again = try await call(base + "/draft", clerk)
            let againRule = try json(again.body)["rule"] as? String
            #expect(again.status == .conflict && againRule == "frozen")

            for (format, type) in [("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("csv", "text/csv; charset=utf-8"),
                                   ("xml", "application/xml"), ("html", "text/html; charset=utf-8"), ("json", "application/json")] {
                let file = try await call(base + "/export?format=\(format)", clerk, .get)
                #expect(file.status == .ok, "\(format)")
                #expect(file.headers[.contentType] == type, "\(format): \(file.headers[.contentType] ?? "")")
                let name = "310101-2026Q3.\(format)"
                #expect(file.headers[.contentDisposition] == "attachment; filename=\"\(name)\"; filename*=UTF-8''\(name)",
                        "\(file.headers[.contentDisposition] ?? "none")")
                #expect(file.body.readableBytes > 100)
            }
            // The format is an enum in the contract: anything else is a bad request.
            #expect(try await call(base + "/export?format=pdf", clerk, .get).status == .badRequest)
            // The analyst: statuses and the roll-up; a clerk may not.
            let statuses = try json(try await call("/api/v1/returns/2026/3/status", analyst, .get).body)
            let rows = try #require(statuses["items"] as? [[String: Any]])
            #expect(rows.count == 17 && rows.first { $0["unit"] as? String == "310101" }?["stage"] as? String == "submitted")
            #expect(try await call("/api/v1/returns/2026/3/rollup", clerk, .get).status == .forbidden)
            // An estate of the quarter already covered by its owners until 30 November: ending soon after 30 September.
            _ = try await context.estates.register(EstateDraft(code: "HP-R2", name: "自管小区", address: "某路 2 号", unit: "310101", subDistrict: "豫园街道",
                category: "直管公房", households: "80", buildings: "1", floorArea: "2000"), by: clerkCaller)
            _ = try await context.estates.recordFact(code: "HP-R2", FactDraft(kind: "becameUnmanaged", date: "2026-07-01", reason: "contractEnded"), by: clerkCaller)
            let ownerSelf = try await context.arrangements.propose(ArrangementDraft(
                estateCode: "HP-R2", kind: "ownerSelf", body: "HP-R2 业主委员会", contact: "李主任 13800000000", start: "2026-07-01",
                plannedEnd: "2026-11-30", reviewDate: "2026-10-01"), by: clerkCaller)
            _ = try await context.arrangements.approve(id: ownerSelf.id, by: try await TestUsers.caller(context, "hp.approver"))
            // The roll-up's headline counts its long lists; they come a page at a time.
            let rollup = try json(try await call("/api/v1/returns/2026/3/rollup", analyst, .get).body)
            let stillUnmanaged = try #require(rollup["stillUnmanaged"] as? Int)
            #expect(stillUnmanaged >= 1 && rollup["newlyUnmanagedYearToDate"] as? Int == stillUnmanaged + 1)
            let page = try json(try await call("/api/v1/returns/2026/3/rollup/still-unmanaged?limit=1", analyst, .get).body)
            #expect(page["total"] as? Int == stillUnmanaged && (page["items"] as? [[String: Any]])?.count == 1)
            let newly = try json(try await call("/api/v1/returns/2026/3/rollup/newly-unmanaged?offset=0", analyst, .get).body)
            #expect(((newly["items"] as? [[String: Any]])?.map { $0["code"] as? String }).map { $0.contains("HP-R1") } == true)
            #expect(try await call("/api/v1/returns/2026/3/rollup/newly-unmanaged?limit=0", analyst, .get).status == .unprocessableContent)
            #expect(try await call("/api/v1/returns/2026/3/rollup/still-unmanaged", clerk, .get).status == .forbidden)
            // Arrangements ending soon: a count in the headline, the list a page at a time.
            #expect(rollup["endingSoon"] as? Int == 1)
            let ending = try json(try await call("/api/v1/returns/2026/3/rollup/ending-soon?limit=1", analyst, .get).body)
            let items = try #require(ending["items"] as? [[String: Any]])
            #expect(ending["total"] as? Int == 1 && items.count == 1 && items.first?["estateCode"] as? String == "HP-R2")
            #expect(items.first?["kind"] as? String == "ownerSelf" && items.first?["end"] as? String == "2026-11-30")
            let past = try json(try await call("/api/v1/returns/2026/3/rollup/ending-soon?offset=1", analyst, .get).body)
            #expect(past["total"] as? Int == 1 && (past["items"] as? [[String: Any]])?.isEmpty == true)
            #expect(try await call("/api/v1/returns/2026/3/rollup/ending-soon", clerk, .get).status == .forbidden)
            #expect(try await call("/api/v1/returns/2026/3/rollup/ending-soon?offset=-1", analyst, .get).status == .unprocessableContent)
            let firstPage = try json(try await call("/api/v1/coverage?asOf=2026-09-30&limit=1&offset=1", clerk, .get).body)
            #expect(firstPage["unmanaged"] as? Int == 1 && (firstPage["uncovered"] as? [[String: Any]])?.isEmpty == true)
            let city = try await call("/api/v1/units/310000/returns/2026/3/export?format=xlsx", analyst, .get)
            #expect(city.status == .ok && city.body.readableBytes > 100)
        }
    }
}
