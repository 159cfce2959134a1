import Foundation
import Testing
import TuodiDomain
import TuodiStore
import TuodiTestSupport

/// SQLite: a read-only transaction runs on a WAL read connection, so it neither waits for an
/// open write transaction nor sees its uncommitted rows; the write connection is for writers.
@Suite("Read-only transactions")
struct ReadConcurrencyTests {
    /// A one-shot signal between two tasks.
    actor Signal {
        private var raised = false
        private var waiting: [CheckedContinuation<Void, Never>] = []
        func raise() {
            raised = true
            waiting.forEach { $0.resume() }
            waiting = []
        }
        func wait() async {
            if raised { return }
            await withCheckedContinuation { waiting.append($0) }
        }
    }

    static func user(_ name: String) -> NewUser {
        NewUser(username: name, displayName: name, role: .admin, unit: nil, passwordHash: "x")
    }

    @Test("a read completes while a write transaction is open, and sees only what was committed")
    func readDuringWrite() async throws {
        let store = try await TestDatabases.freshStore(.sqlite)
        _ = try await store.transaction { try await $0.insertUser(Self.user("before"), createdAt: Date()) }
        let writing = Signal(), readDone = Signal()
        // The writer holds its transaction open (and the write lock with it) until the read has
        // finished. Were the read queued behind the writer, neither would ever finish; the
        // watchdog turns that into a failure instead of a hang.
        let writer = Task {
            try await store.transaction { tx in
                _ = try await tx.insertUser(Self.user("during"), createdAt: Date())
                await writing.raise()
                await readDone.wait()
            }
        }
        await writing.wait()
        let seen = try await withThrowingTaskGroup(of: [String]?.self) { group in
            group.addTask { try await store.read { try await $0.users() }.map(\.username) }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                await readDone.raise()   // let the writer finish, so a queued read can end the test
                return nil
            }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
        await readDone.raise()
        try await writer.value
        #expect(seen == ["before"], "the read finished while the writer was open, and saw only committed rows")
        #expect(try await store.read { try await $0.users() }.map(\.username).sorted() == ["before", "during"])
        try await store.close()
    }

    @Test("a write inside a read-only transaction fails", arguments: StoreKind.allCases)
    func readOnlyRefusesWrites(_ kind: StoreKind) async throws {
        let store = try await TestDatabases.freshStore(kind)
        await #expect(throws: (any Error).self) {
            try await store.read { try await $0.insertUser(Self.user("sneaky"), createdAt: Date()) }
        }
        #expect(try await store.read { try await $0.userCount() } == 0)
        try await store.close()
    }
}
