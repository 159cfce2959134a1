import Testing
import TuodiStore

/// The pool behind SQLite's write gate, its read connections and the bound on heavy reports.
@Suite("AsyncPool")
struct AsyncPoolTests {
    /// What the callers saw.
    actor Ledger {
        var made = 0, inUse = Set<Int>(), clash = false
        func make() -> Int { made += 1; return made }
        func take(_ id: Int) { if !inUse.insert(id).inserted { clash = true } }
        func give(_ id: Int) { inUse.remove(id) }
    }

    @Test("resources are made on first need, reused, and never lent to two callers at once")
    func lendsEachToOne() async throws {
        let ledger = Ledger()
        let pool = AsyncPool<Int>(limit: 3) { await ledger.make() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    try await pool.withLease { id in
                        await ledger.take(id)
                        await Task.yield()
                        await ledger.give(id)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(await !ledger.clash)
        let made = await ledger.made
        #expect((1...3).contains(made))
        #expect(pool.takeIdle().count == made)
    }

    @Test("with no room to wait, a caller beyond the limit is refused; once released, served")
    func busyBeyondTheLimit() async throws {
        let pool = AsyncPool<Void>(limit: 1) { () }
        try await pool.withLease { _ in
            await #expect(throws: AsyncPool<Void>.Busy.self) {
                try await pool.withLease(maxWaiting: 0) { _ in }
            }
        }
        #expect(try await pool.withLease(maxWaiting: 0) { _ in 42 } == 42)
    }

    @Test("a resource that cannot be made frees its slot for the next caller")
    func failedMakeFreesTheSlot() async throws {
        struct Refused: Error {}
        let ledger = Ledger()
        let pool = AsyncPool<Int>(limit: 1) {
            let n = await ledger.make()
            if n == 1 { throw Refused() }
            return n
        }
        await #expect(throws: Refused.self) { try await pool.withLease { _ in } }
        #expect(try await pool.withLease { $0 } == 2)
    }
}
