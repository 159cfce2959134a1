import TuodiStore

/// What `/ready` reports.
public struct Readiness: Sendable {
    public let kind: StoreKind
    public let schemaVersion: Int
}

extension AppContext {
    /// Ready when the database answers and its schema is exactly what this binary expects.
    public func readiness() async throws -> Readiness {
        let status: MigrationStatus
        do {
            try await store.ping()
            status = try await store.migrationStatus()
        } catch {
            throw AppError.unavailable("数据库无法连接：\(error)")
        }
        guard status.isCurrent else {
            throw AppError.unavailable("数据库结构不是最新版本（待执行迁移 \(status.pending.map(\.version))，已改动 \(status.changed)）")
        }
        return Readiness(kind: store.kind, schemaVersion: status.applied.last?.version ?? 0)
    }
}
