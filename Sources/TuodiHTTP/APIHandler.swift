import Foundation
import OpenAPIRuntime
import TuodiApp
import TuodiDomain
import TuodiStore

/// The API operations of `openapi.yaml`. Handlers translate between wire types and the app
/// layer, nothing more: rules live in TuodiApp, errors are mapped by `ProblemMiddleware`.
struct APIHandler: APIProtocol {
    let context: AppContext

    func getHealth(_ input: Operations.getHealth.Input) async throws -> Operations.getHealth.Output {
        .ok(.init(body: .json(.init(status: .ok))))
    }

    func getReady(_ input: Operations.getReady.Input) async throws -> Operations.getReady.Output {
        let readiness = try await context.readiness()
        return .ok(.init(body: .json(.init(status: .ready, database: .init(rawValue: readiness.kind.rawValue)!,
                                           schemaVersion: readiness.schemaVersion))))
    }

    func listDistricts(_ input: Operations.listDistricts.Input) async throws -> Operations.listDistricts.Output {
        let units = try await context.districts.list()
        return .ok(.init(body: .json(.init(items: units.map {
            Components.Schemas.District(code: $0.code, name: $0.name, isDistrict: $0.isDistrict)
        }))))
    }

    func listCompanies(_ input: Operations.listCompanies.Input) async throws -> Operations.listCompanies.Output {
        let page = try await context.companies.list(limit: input.query.limit ?? 100, offset: input.query.offset ?? 0)
        return .ok(.init(body: .json(.init(items: page.items.map(Self.wire), total: page.total,
                                           limit: page.limit, offset: page.offset))))
    }

    func createCompany(_ input: Operations.createCompany.Input) async throws -> Operations.createCompany.Output {
        guard case .json(let body) = input.body else { throw AppError.validation([]) }
        let company = try await context.companies.register(CompanyDraft(
            uscc: body.uscc, name: body.name, ownership: body.ownership.rawValue,
            districtGroup: body.districtGroup ?? false, registeredAddress: body.registeredAddress))
        return .created(.init(body: .json(Self.wire(company))))
    }

    func getCompany(_ input: Operations.getCompany.Input) async throws -> Operations.getCompany.Output {
        .ok(.init(body: .json(Self.wire(try await context.companies.show(uscc: input.path.uscc)))))
    }

    static func wire(_ c: Company) -> Components.Schemas.Company {
        .init(uscc: c.uscc.value, name: c.name, ownership: .init(rawValue: c.ownership.rawValue)!,
              districtGroup: c.districtGroup, registeredAddress: c.registeredAddress)
    }
}
