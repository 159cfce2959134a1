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
        var entries: [Key: (value: any Sendable, weight: Int)] = [:]
        /// Insertion order, so that the oldest entry goes first once `capacity` is reached.
        var order: [Key] = []
        var weight = 0
    }

    /// What a city roll-up weighs against `capacity`: a few megabytes where a unit's figures are
    /// kilobytes, so that an analyst paging through years keeps at most a handful in memory.
    static let rollupWeight = 16

    /// The total weight of the reports kept (each weighs 1 unless stored heavier); 0 turns caching off.
    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int = 64) { self.capacity = capacity }

    /// The report stored under `key` for exactly this head.
    func lookup<T: Sendable>(_ key: Key, head: AuditHead?, as type: T.Type = T.self) -> T? {
        guard capacity > 0, let head else { return nil }
        return state.withLock { s in s.head == head ? s.entries[key]?.value as? T : nil }
    }

    /// Keeps `value`, computed under `head`. A newer head (a higher sequence number, or another
    /// trail altogether after a restore) starts afresh; an older one is not kept.
    func store<T: Sendable>(_ key: Key, head: AuditHead?, _ value: T, weight: Int = 1) {
        guard capacity > 0, weight <= capacity, let head else { return }
        state.withLock { s in
            if s.head != head {
                if let current = s.head, current.seq > head.seq { return }
                s = State(head: head)
            }
            if let old = s.entries.removeValue(forKey: key) {
                s.weight -= old.weight
                s.order.removeAll { $0 == key }
            }
            while s.weight + weight > capacity, !s.order.isEmpty {
                s.weight -= s.entries.removeValue(forKey: s.order.removeFirst())?.weight ?? 0
            }
            s.order.append(key)
            s.entries[key] = (value, weight)
            s.weight += weight
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
