import TuodiDomain
import TuodiStore

/// The operator's tools for the episode read model (`tuodi maintenance rebuild-episodes`): the
/// rows are derived from facts and arrangements, so they can always be rebuilt, and checked
/// against a from-scratch computation. Run with the server's DATABASE_URL; no user needed.
public struct ReadModelMaintenance: Sendable {
    let context: AppContext

    /// Rewrites every estate's rows in one transaction; returns how many estates there are. The
    /// audit entry also tells a running server that its cached figures may be out of date.
    public func rebuild() async throws -> Int {
        let now = context.clock.now
        return try await translatingErrors {
            try await context.store.bulkTransaction { tx in
                let estates = try await tx.rebuildReadModel()
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record("maintenance.rebuildEpisodes", by: "maintenance",
                    entity: "readModel", id: "episodes", unit: nil, before: Nothing?.none, after: ["estates": estates])
                return estates
            }
        }
    }

    /// The estates whose stored rows differ from what `EstateTimeline` computes now.
    public func verify() async throws -> [ReadModelMismatch] {
        try await translatingErrors { try await context.store.read { try await $0.readModelMismatches() } }
    }
}

extension AppContext {
    public var readModel: ReadModelMaintenance { ReadModelMaintenance(context: self) }
}
