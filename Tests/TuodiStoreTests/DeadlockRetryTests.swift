import Foundation
import Testing
import TuodiDomain
import TuodiStore
import TuodiTestSupport

/// Two transactions that lock the same two rows in opposite orders: PostgreSQL's deadlock
/// detector aborts one (40P01). The store runs the victim again, so both changes land and the
/// caller never sees the deadlock.
@Suite("Deadlocks are retried")
struct DeadlockRetryTests {
    /// Both transactions hold their first lock before either asks for its second.
    actor Barrier {
        private var waiting: [CheckedContinuation<Void, Never>] = []
        func arrive() async {
            if waiting.count == 1 {
                waiting.removeFirst().resume()
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }
    }

    actor Counter {
        private(set) var value = 0
        func next() -> Int { value += 1; return value }
    }

    @Test("a deadlock between two writers: both succeed, one of them on a second attempt")
    func oppositeOrders() async throws {
        let store = try await TestDatabases.freshStore(.postgres)
        let ids = try await store.transaction { tx in
            [try await tx.insertUser(NewUser(username: "a", displayName: "a", role: .admin, unit: nil, passwordHash: "x"), createdAt: Date()),
             try await tx.insertUser(NewUser(username: "b", displayName: "b", role: .admin, unit: nil, passwordHash: "x"), createdAt: Date())]
        }
        let barrier = Barrier()
        let attempts = Counter()
        @Sendable func write(_ first: Int, then second: Int) async throws {
            try await store.transaction { tx in
                let attempt = await attempts.next()
                try await tx.setUserActive(id: first, active: false)
                if attempt <= 2 { await barrier.arrive() }   // only the first round meets; a retry runs straight through
                try await tx.setUserActive(id: second, active: false)
            }
        }
        let (a, b) = (ids[0], ids[1])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await write(a, then: b) }
            group.addTask { try await write(b, then: a) }
            try await group.waitForAll()
        }
        #expect(await attempts.value == 3, "one transaction ran twice")
        let users = try await store.transaction { try await $0.users() }
        #expect(users.allSatisfy { !$0.active })
        try await store.close()
    }
}
