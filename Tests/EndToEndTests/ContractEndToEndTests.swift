import Foundation
import OpenAPIRuntime
import Testing
import TuodiAPI
import TuodiAPITestSupport
import TuodiApp

/// A running `tuodi serve` with the demo data, read and written through the client generated
/// from the contract, over real loopback HTTP. The generated client decodes each response by the
/// status and schema the contract declares for it, so every call below fails if the server's
/// answer strays from the contract: a missing field, a wrong type, an unknown enum value, an
/// undeclared status.
@Suite("The contract's client against a running server")
struct ContractEndToEndTests {
    static func signIn(_ base: URL, _ username: String) async throws -> Client {
        let login = try await Client.loopback(base).login(body: .json(.init(username: username, password: DemoData.password)))
        return Client.loopback(base, token: try login.ok.body.json.token)
    }

    @Test("every read of a district's day decodes as the contract declares; a write's 201, 409 and 422 too",
          arguments: ["sqlite", "postgres"])
    func walk(_ backend: String) async throws {
        let environment = ["DATABASE_URL": try await EndToEndTests.databaseURL(backend)]
        let server = try RunningServer(arguments: ["serve", "--migrate", "--demo-data"], environment: environment)
        do {
            let anonymous = Client.loopback(server.baseURL)
            _ = try await anonymous.getHealth().ok.body.json
            _ = try await anonymous.getReady().ok.body.json
            #expect(try await anonymous.listDistricts().ok.body.json.items.count == 17)
            _ = try await anonymous.getPublicPool(query: .init(district: "310101")).ok

            let clerk = try await Self.signIn(server.baseURL, "hp.clerk")
            let companies = try await clerk.listCompanies().ok.body.json
            #expect(companies.total > 0)
            if let first = companies.items.first {
                #expect(try await clerk.getCompany(path: .init(uscc: first.uscc)).ok.body.json.uscc == first.uscc)
            }
            let estates = try await clerk.listEstates().ok.body.json
            #expect(!estates.items.isEmpty && estates.items.allSatisfy { $0.unit == "310101" })
            for estate in estates.items.prefix(5) {
                let detail = try await clerk.getEstate(path: .init(code: estate.code)).ok.body.json
                #expect(detail.estate.code == estate.code)
            }
            let arrangements = try await clerk.listArrangements().ok.body.json
            if let first = arrangements.items.first {
                #expect(try await clerk.getArrangement(path: .init(arrangementId: first.id)).ok.body.json.id == first.id)
            }
            _ = try await clerk.getSettings(path: .init(unit: "310101")).ok.body.json
            _ = try await clerk.getPool(path: .init(unit: "310101")).ok.body.json
            let rounds = try await clerk.listRounds(path: .init(unit: "310101")).ok.body.json
            if let round = rounds.items.first {
                _ = try await clerk.listApplications(path: .init(roundId: round.id)).ok.body.json
            }
            _ = try await clerk.getExpiring(path: .init(unit: "310101")).ok.body.json
            _ = try await clerk.listMatchProposals(path: .init(unit: "310101")).ok.body.json
            _ = try await clerk.listSelections().ok.body.json
            _ = try await clerk.getCoverage(query: .init(unit: "310101")).ok.body.json
            _ = try await clerk.getYearEndCoverage(query: .init(year: 2026, unit: "310101")).ok.body.json
            _ = try await clerk.getReturn(path: .init(unit: "310101", year: 2026, quarter: 3)).ok.body.json
            _ = try await clerk.listAudit().ok.body.json

            let analyst = try await Self.signIn(server.baseURL, "city.analyst")
            _ = try await analyst.getReturnStatuses(path: .init(year: 2026, quarter: 3)).ok.body.json
            let rollup = try await analyst.getReturnRollup(path: .init(year: 2026, quarter: 3)).ok.body.json
            // The CLI's roll-up JSON is the API's document, figure for figure.
            let cli = try Tuodi.run(["return", "rollup", "--as", "city.analyst", "--year", "2026", "--quarter", "3", "--format", "json"],
                                    environment: environment)
            #expect(cli.status == 0, "\(cli.stderr)")
            #expect(try JSONDecoder().decode(Components.Schemas.ReturnRollup.self, from: Data(cli.stdout.utf8)) == rollup)
            #expect(try await analyst.verifyAudit().ok.body.json.intact)
            let admin = try await Self.signIn(server.baseURL, "admin")
            #expect(try await admin.listUsers().ok.body.json.items.contains { $0.username == "hp.clerk" })

            // A write: created, then the same again a conflict naming its rule, and a bad USCC
            // invalid naming its field.
            let company = Components.Schemas.CompanyInput(uscc: EndToEndTests.validUSCC, name: "上海示例物业", ownership: ._private)
            #expect(try await clerk.createCompany(body: .json(company)).created.body.json.uscc == EndToEndTests.validUSCC)
            let again = try await clerk.createCompany(body: .json(company)).conflict.body.application_problem_plus_json
            #expect(again.rule == .duplicate)
            var bad = company
            bad.uscc = EndToEndTests.badUSCC
            let invalid = try await clerk.createCompany(body: .json(bad)).unprocessableContent.body.application_problem_plus_json
            #expect(invalid.errors?.map(\.field) == ["uscc"])
        } catch {
            _ = server.stop()
            throw error
        }
        #expect(server.stop() == 0, "log: \(server.log)")
    }
}
