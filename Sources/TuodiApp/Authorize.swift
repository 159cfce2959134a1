import Foundation
import Logging
import TuodiDomain
import TuodiLabels
import TuodiStore

/// The app layer's one gate: every use case calls it before touching data, so HTTP and CLI
/// cannot differ.
enum Gate {
    /// Throws unless `actor` may perform `operation` on a record of `unit`. A record of another
    /// district is reported as not found (`entity`, `key`), never as forbidden.
    static func require(_ operation: Action, _ actor: Caller, unit: String? = nil,
                        entity: String = "", key: String = "") throws {
        switch Authorization.decide(operation, actor: actor, unit: unit) {
        case .allowed: return
        case .forbidden: throw AppError.forbidden("\(actor.role.label)无权\(Labels.actions[operation.rawValue])")
        case .hidden: throw AppError.notFound(entity: entity, key: key)
        }
    }
}

/// Writes the audit entry of a change, in the same transaction as the change. Every change
/// passes here, so this is also where a change is logged (under the request's id, see
/// `RequestScope`); the entry's content stays in the trail, not in the log.
struct AuditWriter {
    let tx: any StoreTransaction
    let now: Date
    let logger: Logger

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static func json(_ value: (some Encodable)?) -> String? {
        guard let value, let data = try? encoder.encode(value) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    func record<B: Encodable, A: Encodable>(_ action: String, by actor: String, entity: String, id: String, unit: String?,
                                            reason: String? = nil, before: B?, after: A?) async throws {
        try await tx.appendAudit(AuditDraft(recordedAt: now, actor: actor, action: action, entity: entity, entityID: id,
                                            unit: unit, reason: reason, before: Self.json(before), after: Self.json(after)))
        logger.info("change", metadata: ["action": .string(action), "entity": .string(entity), "entity.id": .string(id),
                                               "actor": .string(actor)])
    }
}

/// A placeholder type for "no snapshot" in audit entries.
struct Nothing: Encodable {}

/// A reason is required for corrections and other changes of record.
func requireReason(_ reason: String?, field: String = "reason") throws -> String {
    guard let r = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !r.isEmpty else {
        throw AppError.validation([FieldError(field: field, code: "required", message: "必须说明原因")])
    }
    return r
}
