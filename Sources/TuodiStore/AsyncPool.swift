import Synchronization

/// Up to `limit` resources (connections, or permits with `Void`), each lent to one caller at a
/// time, first come first served across suspension points (an actor would not do: it lets other
/// callers in whenever the holder awaits). Resources are made on first need and then reused.
///
/// It serves as SQLite's single write gate (a pool of one connection), as its pool of read
/// connections, and as the app's limit on concurrent heavy reports.
public final class AsyncPool<Resource: Sendable>: Sendable {
    /// Thrown by `withLease(maxWaiting:)` when that many callers are already waiting.
    public struct Busy: Error {}

    /// What a caller is handed: a resource to reuse, or the right to make one.
    private enum Grant { case reuse(Resource), make }
    private enum Outcome { case granted(Grant), busy }

    private struct State {
        var idle: [Resource]
        var made: Int
        var waiters: [CheckedContinuation<Outcome, Never>] = []
    }

    private let state: Mutex<State>
    private let limit: Int
    private let make: @Sendable () async throws -> Resource

    /// A pool that starts with `resources` and makes more with `make`, up to `limit` in all.
    public init(resources: [Resource] = [], limit: Int, make: @escaping @Sendable () async throws -> Resource) {
        precondition(limit >= max(1, resources.count))
        state = Mutex(State(idle: resources, made: resources.count))
        self.limit = limit
        self.make = make
    }

    /// Runs `body` with a resource that no one else holds until it returns. With `maxWaiting`,
    /// throws `Busy` instead of queueing behind that many waiting callers.
    public func withLease<T: Sendable>(maxWaiting: Int? = nil, _ body: (Resource) async throws -> T) async throws -> T {
        let resource = try await acquire(maxWaiting: maxWaiting)
        do {
            let result = try await body(resource)
            release(resource)
            return result
        } catch {
            release(resource)
            throw error
        }
    }

    /// `withLease`, with a way to pass the resource on before `body` ends: `passOn()` hands it, as
    /// it is, to the caller that has waited longest and returns true, or returns false when no
    /// one waits (the body keeps it). After true, the body must not use the resource again.
    public func withPassableLease<T: Sendable>(_ body: (Resource, _ passOn: () -> Bool) async throws -> T) async throws -> T {
        let resource = try await acquire(maxWaiting: nil)
        var passed = false
        let passOn = { () -> Bool in
            if !passed { passed = self.handToWaiter(resource) }
            return passed
        }
        do {
            let result = try await body(resource, passOn)
            if !passed { release(resource) }
            return result
        } catch {
            if !passed { release(resource) }
            throw error
        }
    }

    /// How many callers wait for a resource now.
    public var waitingCount: Int { state.withLock { $0.waiters.count } }

    /// The resources not lent out now (for closing them).
    public func takeIdle() -> [Resource] {
        state.withLock { s in
            defer { s.made -= s.idle.count; s.idle = [] }
            return s.idle
        }
    }

    private func acquire(maxWaiting: Int?) async throws -> Resource {
        let outcome = await withCheckedContinuation { (c: CheckedContinuation<Outcome, Never>) in
            let now = state.withLock { s -> Outcome? in
                if let r = s.idle.popLast() { return .granted(.reuse(r)) }
                if s.made < limit { s.made += 1; return .granted(.make) }
                if let maxWaiting, s.waiters.count >= maxWaiting { return .busy }
                s.waiters.append(c)
                return nil
            }
            if let now { c.resume(returning: now) }
        }
        switch outcome {
        case .busy: throw Busy()
        case .granted(.reuse(let r)): return r
        case .granted(.make):
            do { return try await make() } catch {
                release(nil)
                throw error
            }
        }
    }

    /// Hands `resource` to the next waiter, if there is one.
    private func handToWaiter(_ resource: Resource) -> Bool {
        let next = state.withLock { s in s.waiters.isEmpty ? nil : s.waiters.removeFirst() }
        guard let next else { return false }
        next.resume(returning: .granted(.reuse(resource)))
        return true
    }

    /// Hands `resource` to the next waiter, or keeps it idle. `nil` frees the slot of a resource
    /// that could not be made, so the next waiter tries to make one itself.
    private func release(_ resource: Resource?) {
        let next = state.withLock { s -> (CheckedContinuation<Outcome, Never>, Grant)? in
            if !s.waiters.isEmpty { return (s.waiters.removeFirst(), resource.map(Grant.reuse) ?? .make) }
            if let resource { s.idle.append(resource) } else { s.made -= 1 }
            return nil
        }
        if let (waiter, grant) = next { waiter.resume(returning: .granted(grant)) }
    }
}
