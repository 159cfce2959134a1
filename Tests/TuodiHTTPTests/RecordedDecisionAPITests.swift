import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TuodiApp
import TuodiDomain
import TuodiStore
import TuodiTestSupport

/// Past decisions over HTTP (#12): a recorded admission, recorded arrangements and the
/// arrangement import, with their refusals as problem+json. Clock 2026-11-28.
@Suite("HTTP API: recorded past decisions")
struct RecordedDecisionAPITests {
    static let uscc = "91310101MA1FT0001U"

    @Test("recorded admission 201; custody before the membership 409 naming its start; inside it 201 with its 文号; 422, 403; import dry run",
          arguments: StoreKind.allCases)
    func recordedDecisions(_ kind: StoreKind) async throws {
        let api = APITests()
        try await api.withAPI(kind) { client, context in
            let clerk = try await TestUsers.caller(context, "hp.clerk"), approver = try await TestUsers.caller(context, "hp.approver")
            _ = try await context.companies.register(CompanyDraft(uscc: Self.uscc, name: "申城物业", ownership: "private"), by: clerk)
            _ = try await context.estates.register(AuditCoverageFixtures.estate("HP-R1"),
                                                   current: FactDraft(kind: "becameUnmanaged", date: "2026-03-01", reason: "contractEnded"), by: clerk)
            let auth = try await api.login(client, "hp.clerk")
            func post(_ uri: String, _ body: String, _ headers: HTTPFields) async throws -> TestResponse {
                try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
            }

            let admission = try await post("/api/v1/units/310101/recorded-admissions", #"""
                {"decidedOn":"2026-05-20","documentRef":"黄房物〔2026〕12号","members":[{"uscc":"\#(Self.uscc)","capacityEstates":2}]}
                """#, auth)
            #expect(admission.status == .created)
            let recorded = try api.json(admission.body)
            #expect((recorded["round"] as? [String: Any])?["documentRef"] as? String == "黄房物〔2026〕12号")
            let applications = try #require(recorded["applications"] as? [[String: Any]])
            #expect(applications.map { $0["status"] as? String } == ["proposed"])
            _ = try await context.pool.decide(applicationID: applications[0]["id"] as! Int, approve: true, reason: nil, by: approver)

            func custody(_ start: String, _ ref: String = "黄房物〔2026〕21号") -> String {
                #"{"estateCode":"HP-R1","kind":"custody","uscc":"\#(Self.uscc)","decidedOn":"2026-03-28","documentRef":"\#(ref)","start":"\#(start)","plannedEnd":"2026-08-31"}"#
            }
            let early = try await post("/api/v1/recorded-arrangements", custody("2026-04-01"), auth)
            #expect(early.status == .conflict)
            let problem = try api.json(early.body)
            #expect(problem["rule"] as? String == "ineligible" && (problem["detail"] as? String ?? "").contains("其入库资格自 2026-05-20 起"), "\(problem)")

            let long = try await post("/api/v1/recorded-arrangements", custody("2026-06-01", String(repeating: "号", count: 201)), auth)
            #expect(long.status == .unprocessableContent)
            #expect((try api.json(long.body)["errors"] as? [[String: Any]])?.first?["field"] as? String == "documentRef")

            let analyst = try await api.login(client, "city.analyst")
            #expect(try await post("/api/v1/recorded-arrangements", custody("2026-06-01"), analyst).status == .forbidden)

            let made = try await post("/api/v1/recorded-arrangements", custody("2026-06-01"), auth)
            #expect(made.status == .created)
            let arrangement = try api.json(made.body)
            #expect(arrangement["status"] as? String == "proposed" && arrangement["documentRef"] as? String == "黄房物〔2026〕21号"
                    && arrangement["decidedOn"] as? String == "2026-03-28")

            // The import: the same custody again overlaps the proposal just made; a dry run of a later one passes.
            var upload = auth
            upload[.contentType] = "application/octet-stream"
            let header = "小区编码,托底方式,决定日期,文号,开始日期,计划结束日期,统一社会信用代码\r\n"
            let clash = try await post("/api/v1/imports/arrangements?fileName=a.csv",
                                       header + "HP-R1,临时托管,2026-03-28,黄房物〔2026〕22号,2026-08-01,2026-09-30,\(Self.uscc)\r\n", upload)
            let report = try api.json(clash.body)
            #expect(clash.status == .ok && report["imported"] as? Int == 0)
            #expect((report["errors"] as? [[String: Any]])?.first?["column"] as? String == "开始日期")
            let dry = try await post("/api/v1/imports/arrangements?dryRun=true&fileName=a.csv",
                                     header + "HP-R1,临时托管,2026-08-30,黄房物〔2026〕22号,2026-09-01,2026-11-30,\(Self.uscc)\r\n", upload)
            let dryReport = try api.json(dry.body)
            #expect(dryReport["succeeded"] as? Bool == true && dryReport["imported"] as? Int == 0, "\(dryReport)")
        }
    }
}

/// An estate of 310101 for these tests.
enum AuditCoverageFixtures {
    static func estate(_ code: String) -> EstateDraft {
        EstateDraft(code: code, name: "测试小区", address: "某路 1 号", unit: "310101", subDistrict: "豫园街道",
                    category: "直管公房", households: "120", buildings: "3", floorArea: "5400", yearBuilt: "1965")
    }
}
