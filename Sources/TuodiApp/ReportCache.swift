import Synchronization
import TuodiDomain
import TuodiStore

/// Reports computed a moment ago (coverage, year-end figures, return previews, the roll-up),
/// kept for as long as the audit trail's head stays where it was.
///
/// Every change appends an audit entry in its own transaction, so the head moves exactly when
/// any figure can change, whichever process made the change (the CLI beside a running server
/// too). A use case reads the head first in its read transaction and computes from what that
/// transaction reads after it, which is never older than the head. An entry therefore serves
/// only requests that read the same head; a newer head empties the cache.
///
/// Keys carry the scope the caller was authorised for, so the cache never widens what anyone
/// may read: authorisation runs before the lookup, on every request.
public final class ReportCache: Sendable {
    struct Key: Hashable, Sendable {
        /// Which report, e.g. `coverage.yearEnd`.
        let report: String
        /// The unit it covers, or nil for the city.
        let unit: String?
        /// The report's own parameters (year, quarter, …).
        let parameters: [Int]
        /// The business day, for reports that depend on today (a countdown, lateness).
        let day: LocalDate?
    }

    private struct State {
        var head: AuditHead?
        var entries: [Key: any Sendable] = [:]
        /// Insertion order, so that the oldest entry goes first once `capacity` is reached.
        var order: [Key] = []
    }

    /// At most this many reports are kept (a city roll-up is a few megabytes); 0 turns caching off.
    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int = 64) { self.capacity = capacity }

    /// The report stored under `key` for exactly this head.
    func lookup<T: Sendable>(_ key: Key, head: AuditHead?, as type: T.Type = T.self) -> T? {
        guard capacity > 0, let head else { return nil }
        return state.withLock { s in s.head == head ? s.entries[key] as? T : nil }
    }

    /// Keeps `value`, computed under `head`. A newer head (a higher sequence number, or another
    /// trail altogether after a restore) starts afresh; an older one is not kept.
    func store<T: Sendable>(_ key: Key, head: AuditHead?, _ value: T) {
        guard capacity > 0, let head else { return }
        state.withLock { s in
            if s.head != head {
                if let current = s.head, current.seq > head.seq { return }
                s = State(head: head)
            }
            if s.entries[key] == nil {
                if s.order.count >= capacity { s.entries[s.order.removeFirst()] = nil }
                s.order.append(key)
            }
            s.entries[key] = value
        }
    }

    /// How many reports are kept now (for tests).
    var count: Int { state.withLock { $0.entries.count } }
}

extension ReportCache {
    /// `compute` inside a read transaction, or what it gave under the same head. `compute` runs in
    /// the same transaction, after the head was read.
    func read<T: Sendable>(_ key: Key, store: any Store,
                           compute: @escaping @Sendable (any StoreTransaction) async throws -> T) async throws -> T {
        try await store.read { tx in
            let head = try await tx.auditHead()
            if let hit = self.lookup(key, head: head, as: T.self) { return hit }
            let value = try await compute(tx)
            self.store(key, head: head, value)
            return value
        }
    }
}
