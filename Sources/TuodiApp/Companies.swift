import TuodiDomain
import TuodiStore

/// One page of a listing, with the total for paging.
public struct Page<Item: Sendable>: Sendable {
    public let items: [Item]
    public let total: Int
    public let limit: Int
    public let offset: Int

    /// The largest page a listing returns.
    public static var maxSize: Int { 500 }

    /// Refuses a page size outside 1…maxSize or a negative offset, naming each field.
    static func check(limit: Int, offset: Int) throws(ValidationFailure) {
        var errors = FieldErrors()
        if !(1...maxSize).contains(limit) { errors.add("limit", "range", "limit 应在 1 到 \(maxSize) 之间") }
        if offset < 0 { errors.add("offset", "range", "offset 不能为负数") }
        try errors.throwIfAny()
    }

    /// One page of a list already computed (a report's detail list); `nil` asks for the defaults.
    public static func of(_ all: [Item], limit: Int?, offset: Int?) throws -> Page<Item> {
        let limit = limit ?? 100, offset = offset ?? 0
        do { try check(limit: limit, offset: offset) } catch { throw AppError.translating(error) }
        return Page(items: Array(all.dropFirst(offset).prefix(limit)), total: all.count, limit: limit, offset: offset)
    }
}

public struct DistrictUseCases: Sendable {
    let context: AppContext

    /// The 17 reporting units.
    public func list() async throws -> [ReportingUnit] {
        try await context.store.read { try await $0.reportingUnits() }
    }
}

public struct CompanyUseCases: Sendable {
    let context: AppContext

    /// Registers a company after validating every field; a USCC already registered is a conflict.
    public func register(_ draft: CompanyDraft, by actor: Caller) async throws -> Company {
        try await translatingErrors {
            try Gate.require(.companyRegister, actor)
            let company = try draft.validated()
            let now = context.clock.now
            try await context.store.transaction { tx in
                try await tx.insertCompany(company, recordedAt: now)
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(Action.companyRegister.rawValue, by: actor.username,
                    entity: "company", id: company.uscc.value, unit: nil, before: Nothing?.none, after: company)
            }
            context.logger.info("company registered", metadata: ["uscc": "\(company.uscc)"])
            return company
        }
    }

    /// The company with this USCC. A malformed code is a validation error, not "not found".
    public func show(uscc raw: String, by actor: Caller) async throws -> Company {
        try await translatingErrors {
            try Gate.require(.companyRead, actor)
            let uscc: USCC
            do { uscc = try USCC(validating: raw) } catch let error as USCCError {
                throw ValidationFailure([FieldError(field: "uscc", code: error.code, message: error.description)])
            } catch {
                throw error
            }
            guard let company = try await context.store.briefRead({ try await $0.company(uscc: uscc) }) else {
                throw AppError.notFound(entity: "company", key: uscc.value)
            }
            return company
        }
    }

    /// A page of companies ordered by USCC.
    public func list(limit: Int = 100, offset: Int = 0, by actor: Caller) async throws -> Page<Company> {
        try await translatingErrors {
            try Gate.require(.companyRead, actor)
            try Page<Company>.check(limit: limit, offset: offset)
            let (items, total) = try await context.store.read { tx in
                (try await tx.companies(limit: limit, offset: offset), try await tx.companyCount())
            }
            return Page(items: items, total: total, limit: limit, offset: offset)
        }
    }
}
