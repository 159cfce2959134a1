import TuodiDomain
import TuodiStore

/// One pool application with its round and the company's name, for a page that shows it whole.
public struct ApplicationView: Sendable {
    public let round: AdmissionRound
    public let application: PoolApplication
    public let companyName: String
}

extension PoolUseCases {
    /// An application the caller may see (another unit's is not found).
    public func application(id: Int, by actor: Caller) async throws -> ApplicationView {
        try await translatingErrors {
            try await context.store.read { tx in
                guard let app = try await tx.application(id: id), let round = try await tx.round(id: app.roundID) else {
                    throw AppError.notFound(entity: "application", key: String(id))
                }
                try Gate.require(.poolRead, actor, unit: round.unit, entity: "application", key: String(id))
                var name = app.uscc
                if let uscc = try? USCC(validating: app.uscc), let company = try await tx.company(uscc: uscc) { name = company.name }
                return ApplicationView(round: round, application: app, companyName: name)
            }
        }
    }
}

extension PoolUseCases {
    /// An admission round the caller may see (another unit's is not found).
    public func round(id: Int, by actor: Caller) async throws -> AdmissionRound {
        try await translatingErrors {
            try await context.store.read { tx in
                guard let round = try await tx.round(id: id) else { throw AppError.notFound(entity: "admissionRound", key: String(id)) }
                try Gate.require(.poolRead, actor, unit: round.unit, entity: "admissionRound", key: String(id))
                return round
            }
        }
    }
}
