import Synchronization
import TuodiDomain

/// Bearer tokens checked a moment ago, so that a burst of requests with one token does not pay a
/// database transaction each just to look the token up again.
///
/// An entry serves for `seconds`, counted on the monotonic clock and on the business clock
/// alike (a test clock moved past a token's expiry misses the cache). Revoking a token or
/// deactivating a user through this context drops its entries at once, and a lookup that raced
/// with such a drop is not remembered; a revocation made by another process (the CLI while the
/// server runs) takes effect within `seconds`. A token whose 12-hour life ends within `seconds`
/// of its last check may serve for the rest of that interval.
public final class TokenCache: Sendable {
    struct Entry {
        let caller: Caller
        let checked: ContinuousClock.Instant
        let checkedAt: Double
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Counts drops, so that a lookup begun before a drop is not remembered after it.
        var generation = 0
    }

    /// The longest an entry serves; 0 turns the cache off.
    public let seconds: Double
    /// Beyond this many entries the cache starts afresh (tokens are per login, so this only
    /// bounds memory).
    static let capacity = 10_000
    private let state = Mutex(State())

    public init(seconds: Double = 2) { self.seconds = seconds }

    /// The caller behind `tokenHash`, if it was checked less than `seconds` ago.
    func caller(tokenHash: String, now: Double) -> Caller? {
        guard seconds > 0 else { return nil }
        return state.withLock { s -> Caller? in
            guard let e = s.entries[tokenHash] else { return nil }
            guard now >= e.checkedAt, now - e.checkedAt < seconds,
                  ContinuousClock.now - e.checked < .milliseconds(Int64(seconds * 1000)) else {
                s.entries[tokenHash] = nil
                return nil
            }
            return e.caller
        }
    }

    /// The generation to pass to `remember` for a lookup starting now.
    var generation: Int { state.withLock { $0.generation } }

    /// Remembers a token found valid at `now`, unless something was dropped since `generation`.
    func remember(tokenHash: String, caller: Caller, now: Double, generation: Int) {
        guard seconds > 0 else { return }
        state.withLock { s in
            guard s.generation == generation else { return }
            if s.entries.count >= Self.capacity { s.entries = [:] }
            s.entries[tokenHash] = Entry(caller: caller, checked: .now, checkedAt: now)
        }
    }

    /// Drops a revoked token.
    func forget(tokenHash: String) {
        state.withLock { s in
            s.generation += 1
            s.entries[tokenHash] = nil
        }
    }

    /// Drops every token of a deactivated user.
    func forget(userID: Int) {
        state.withLock { s in
            s.generation += 1
            s.entries = s.entries.filter { $0.value.caller.userID != userID }
        }
    }
}
