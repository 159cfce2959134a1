import Foundation
import OpenAPIRuntime
import TuodiAPI
import TuodiApp
import TuodiDomain
import TuodiStore

/// The API operations of `openapi.yaml`. Handlers translate between wire types and the app
/// layer, nothing more: rules and authorisation live in TuodiApp, errors are mapped by
/// `ProblemMiddleware`.
struct APIHandler: APIProtocol {
    let context: AppContext

    /// The authenticated caller of this request.
    func caller() async throws -> Caller {
        guard let token = RequestCredentials.bearerToken, !token.isEmpty else {
            throw AppError.unauthenticated("需要登录：请在 Authorization 头中提供 Bearer 令牌")
        }
        return try await context.identity.authenticate(token: token)
    }

    // MARK: operations

    func getHealth(_ input: Operations.getHealth.Input) async throws -> Operations.getHealth.Output {
        .ok(.init(body: .json(.init(status: .ok))))
    }

    func getReady(_ input: Operations.getReady.Input) async throws -> Operations.getReady.Output {
        let readiness = try await context.readiness()
        return .ok(.init(body: .json(.init(status: .ready, database: try wireCase(readiness.kind.rawValue),
                                           schemaVersion: readiness.schemaVersion))))
    }

    func listDistricts(_ input: Operations.listDistricts.Input) async throws -> Operations.listDistricts.Output {
        let units = try await context.districts.list()
        return .ok(.init(body: .json(.init(items: units.map {
            Components.Schemas.District(code: $0.code, name: $0.name, isDistrict: $0.isDistrict)
        }))))
    }

    // MARK: identity

    func login(_ input: Operations.login.Input) async throws -> Operations.login.Output {
        guard case .json(let body) = input.body else { throw AppError.validation([]) }
        let issued = try await context.identity.login(username: body.username, password: body.password)
        return .ok(.init(body: .json(.init(token: issued.token, expiresAt: issued.expiresAt, user: try Self.wire(issued.user)))))
    }

    func logout(_ input: Operations.logout.Input) async throws -> Operations.logout.Output {
        try await context.identity.logout(token: RequestCredentials.bearerToken ?? "", by: try await caller())
        return .noContent(.init())
    }

    func listUsers(_ input: Operations.listUsers.Input) async throws -> Operations.listUsers.Output {
        .ok(.init(body: .json(.init(items: try await context.identity.list(by: try await caller()).map(Self.wire)))))
    }

    func createUser(_ input: Operations.createUser.Input) async throws -> Operations.createUser.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        let user = try await context.identity.create(
            UserDraft(username: b.username, displayName: b.displayName, role: b.role.rawValue, unit: b.unit, password: b.password),
            by: actor)
        return .created(.init(body: .json(try Self.wire(user))))
    }

    func deactivateUser(_ input: Operations.deactivateUser.Input) async throws -> Operations.deactivateUser.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        let user = try await context.identity.deactivate(username: input.path.username, reason: b.reason, by: actor)
        return .ok(.init(body: .json(try Self.wire(user))))
    }

    static func wire(_ u: UserView) throws -> Components.Schemas.User {
        try .init(username: u.username, displayName: u.displayName, role: try wireCase(u.role.rawValue), unit: u.unit, active: u.active)
    }

    // MARK: companies

    func listCompanies(_ input: Operations.listCompanies.Input) async throws -> Operations.listCompanies.Output {
        let page = try await context.companies.list(limit: input.query.limit ?? 100, offset: input.query.offset ?? 0,
                                                    by: try await caller())
        return .ok(.init(body: .json(.init(items: try page.items.map(Self.wire), total: page.total,
                                           limit: page.limit, offset: page.offset))))
    }

    func createCompany(_ input: Operations.createCompany.Input) async throws -> Operations.createCompany.Output {
        let actor = try await caller()
        guard case .json(let body) = input.body else { throw AppError.validation([]) }
        let company = try await context.companies.register(CompanyDraft(
            uscc: body.uscc, name: body.name, ownership: body.ownership.rawValue,
            districtGroup: body.districtGroup ?? false, registeredAddress: body.registeredAddress,
            contactPerson: body.contactPerson, contactPhone: body.contactPhone), by: actor)
        return .created(.init(body: .json(try Self.wire(company))))
    }

    func getCompany(_ input: Operations.getCompany.Input) async throws -> Operations.getCompany.Output {
        .ok(.init(body: .json(try Self.wire(try await context.companies.show(uscc: input.path.uscc, by: try await caller())))))
    }

    static func wire(_ c: Company) throws -> Components.Schemas.Company {
        try .init(uscc: c.uscc.value, name: c.name, ownership: try wireCase(c.ownership.rawValue),
              districtGroup: c.districtGroup, registeredAddress: c.registeredAddress,
              contactPerson: c.contactPerson, contactPhone: c.contactPhone)
    }

    // MARK: estates

    func listEstates(_ input: Operations.listEstates.Input) async throws -> Operations.listEstates.Output {
        let page = try await context.estates.list(unit: input.query.unit, limit: input.query.limit ?? 100,
                                                  offset: input.query.offset ?? 0, by: try await caller())
        return .ok(.init(body: .json(.init(items: try page.items.map(Self.wire), total: page.total,
                                           limit: page.limit, offset: page.offset))))
    }

    func createEstate(_ input: Operations.createEstate.Input) async throws -> Operations.createEstate.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        let estate = try await context.estates.register(EstateDraft(
            code: b.code, name: b.name, address: b.address, unit: b.unit, legalDistrict: b.legalDistrict,
            subDistrict: b.subDistrict, category: b.category.rawValue, highDispute: b.highDispute ?? false,
            households: String(b.households), buildings: String(b.buildings), floorArea: String(b.floorArea),
            yearBuilt: b.yearBuilt.map(String.init)), by: actor)
        return .created(.init(body: .json(try Self.wire(estate))))
    }

    func getEstate(_ input: Operations.getEstate.Input) async throws -> Operations.getEstate.Output {
        let actor = try await caller()
        let asOf = try LocalDate.field(input.query.asOf, "asOf")
        return .ok(.init(body: .json(try Self.wire(try await context.estates.show(code: input.path.code, asOf: asOf, by: actor)))))
    }

    func recordFact(_ input: Operations.recordFact.Input) async throws -> Operations.recordFact.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        let view = try await context.estates.recordFact(code: input.path.code, Self.draft(b), by: actor)
        return .created(.init(body: .json(try Self.wire(view))))
    }

    func correctFact(_ input: Operations.correctFact.Input) async throws -> Operations.correctFact.Output {
        let actor = try await caller()
        guard case .json(let b) = input.body else { throw AppError.validation([]) }
        let view = try await context.estates.correctFact(code: input.path.code, factID: input.path.factId,
                                                         replacement: b.replacement.map(Self.draft), reason: b.reason, by: actor)
        return .created(.init(body: .json(try Self.wire(view))))
    }

    static func draft(_ f: Components.Schemas.FactInput) -> FactDraft {
        FactDraft(kind: f.kind.rawValue, date: f.date, reason: f.reason?.rawValue, company: f.company)
    }

    static func wire(_ e: Estate) throws -> Components.Schemas.Estate {
        try .init(code: e.code, name: e.name, address: e.address, unit: e.unit, legalDistrict: e.legalDistrict,
              subDistrict: e.subDistrict, category: try wireCase(e.category.rawValue), highDispute: e.highDispute,
              households: e.households, buildings: e.buildings, floorArea: e.floorArea, yearBuilt: e.yearBuilt)
    }

    static func wire(_ v: EstateView) throws -> Components.Schemas.EstateDetail {
        let superseded = Set(v.facts.compactMap(\.fact.supersedes))
        return try .init(
            estate: wire(v.estate), asOf: v.asOf.description,
            state: try wireCase(v.state.description),
            episodes: v.episodes.map { .init(start: $0.start.description, end: $0.end?.description,
                                             daysUnmanaged: $0.end == nil ? $0.daysUnmanaged(on: v.asOf) : nil) },
            facts: v.facts.map { f in
                var kind = "retraction", reason: String?, company: String?
                if !f.fact.isRetraction {
                    switch f.fact.kind {
                    case .becameUnmanaged(let r): kind = "becameUnmanaged"; reason = r.rawValue
                    case .regularBegan(let c): kind = "regularBegan"; company = c
                    case .regularEnded(let c): kind = "regularEnded"; company = c
                    }
                }
                return try .init(id: f.fact.id, date: f.fact.date.description, kind: try wireCase(kind), reason: reason,
                             company: company, supersedes: f.fact.supersedes, correctionReason: f.correctionReason,
                             superseded: superseded.contains(f.fact.id), recordedAt: f.recordedAt, recordedBy: f.recordedBy)
            })
    }

    // MARK: audit

    func listAudit(_ input: Operations.listAudit.Input) async throws -> Operations.listAudit.Output {
        let actor = try await caller()
        var f = AuditFilter()
        f.entity = input.query.entity
        f.entityID = input.query.entityId
        f.actor = input.query.actor
        f.from = input.query.from
        f.to = input.query.to
        f.afterSeq = input.query.afterSeq ?? 0
        f.limit = input.query.limit ?? 200
        let entries = try await context.audit.list(f, by: actor)
        return .ok(.init(body: .json(.init(items: entries.map {
            .init(seq: $0.seq, recordedAt: $0.recordedAt, actor: $0.actor, action: $0.action, entity: $0.entity,
                  entityId: $0.entityID, unit: $0.unit, reason: $0.reason, before: $0.before, after: $0.after,
                  prevHash: $0.prevHash, hash: $0.hash)
        }))))
    }

    func verifyAudit(_ input: Operations.verifyAudit.Input) async throws -> Operations.verifyAudit.Output {
        let result = try await context.audit.verify(by: try await caller())
        return .ok(.init(body: .json(.init(checked: result.checked, intact: result.firstBreak == nil,
                                           firstBrokenSeq: result.firstBreak?.seq, problem: result.firstBreak?.problem))))
    }
}

/// The contract's enum case for a value the app layer hands over as a string. The two are kept
/// in step (the HTTP tests walk every state); should they ever drift, the request fails with a
/// logged 500 naming the value, instead of a force-unwrap taking the whole server down.
func wireCase<E: RawRepresentable>(_ raw: String) throws -> E where E.RawValue == String {
    guard let value = E(rawValue: raw) else { throw WireMismatch(type: String(describing: E.self), value: raw) }
    return value
}

struct WireMismatch: Error, CustomStringConvertible {
    let type: String
    let value: String
    var description: String { "the contract's \(type) has no case \"\(value)\"" }
}
