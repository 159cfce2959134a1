import Foundation
import TuodiDomain
import TuodiStore

public struct AuditUseCases: Sendable {
    let context: AppContext

    /// Entries matching `filter`; a district role sees only its own unit's entries.
    public func list(_ filter: AuditFilter, by actor: Caller) async throws -> [AuditEntry] {
        try await translatingErrors {
            try Gate.require(.auditRead, actor)
            var f = filter
            if let own = Authorization.visibleUnit(for: actor) {
                if let asked = filter.unit, asked != own { return [] }
                f.unit = own
            }
            if !(1...1000).contains(f.limit) {
                throw AppError.validation([FieldError(field: "limit", code: "range", message: "limit 应在 1 到 1000 之间")])
            }
            let scoped = f
            return try await context.store.read { try await $0.auditEntries(scoped) }
        }
    }

    /// Recomputes the whole chain; `nil` when intact, else the first broken entry.
    public func verify(by actor: Caller) async throws -> (checked: Int, firstBreak: AuditChain.Break?) {
        try await translatingErrors {
            try Gate.require(.auditVerify, actor)
            let entries = try await context.store.read { try await $0.allAuditEntries() }
            return (entries.count, AuditChain.firstBreak(in: entries))
        }
    }
}
