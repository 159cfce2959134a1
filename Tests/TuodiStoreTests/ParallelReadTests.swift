import Foundation
import Synchronization
import Testing
import TuodiStore
import TuodiTestSupport

/// A report may read on two sessions at once (`Store.readInParallel`); what it gets must still
/// be one committed state, as from a single read.
@Suite("Parallel reads")
struct ParallelReadTests {
    static func entry(_ n: Int) -> AuditDraft {
        AuditDraft(recordedAt: Date(), actor: "probe", action: "probe.write", entity: "probe", entityID: String(n), unit: nil,
                   reason: nil, before: nil, after: nil)
    }

    @Test("a change committed between the two reads' starts runs both again, and they agree", arguments: StoreKind.allCases)
    func changeBetweenStarts(_ kind: StoreKind) async throws {
        let store = try await TestDatabases.freshStore(kind)
        _ = try await store.transaction { try await $0.appendAudit(Self.entry(1)) }
        let attempts = Mutex(0), committed = Signal()
        let (first, second) = try await store.readInParallel({ tx in
            let attempt = attempts.withLock { n in n += 1; return n }
            let seen = try await tx.auditEntries(AuditFilter()).count   // this read's state is fixed here
            if attempt == 1 {
                // Another session commits a change before the second read has begun.
                _ = try await store.transaction { try await $0.appendAudit(Self.entry(2)) }
                await committed.raise()
            }
            return seen
        }, { tx in
            await committed.wait()
            return try await tx.auditEntries(AuditFilter()).count
        })
        #expect(attempts.withLock { $0 } == 2, "the first try saw two states and had to run again")
        #expect(first == 2 && second == 2, "both parts saw the state after the change")
        try await store.close()
    }

    @Test("changes between the starts every time: after three tries, the two parts in one read", arguments: StoreKind.allCases)
    func busyTrail(_ kind: StoreKind) async throws {
        let store = try await TestDatabases.freshStore(kind)
        _ = try await store.transaction { try await $0.appendAudit(Self.entry(0)) }
        let calls = Mutex(0), commits = Mutex(0), secondCalls = Mutex(0)
        let (first, second) = try await store.readInParallel({ tx in
            let call = calls.withLock { n in n += 1; return n }
            let seen = try await tx.auditEntries(AuditFilter()).count
            // Another session commits after this part's state was fixed, on every call.
            _ = try await store.transaction { try await $0.appendAudit(Self.entry(call)) }
            commits.withLock { $0 += 1 }
            return seen
        }, { tx in
            // Starts once the first part's change of the same try has committed.
            let call = secondCalls.withLock { n in n += 1; return n }
            while commits.withLock({ $0 }) < call { try await Task.sleep(for: .milliseconds(5)) }
            return try await tx.auditEntries(AuditFilter()).count
        })
        #expect(calls.withLock { $0 } == 4, "three parallel tries, then one read")
        #expect(first == second, "the single read's two parts agree")
        try await store.close()
    }

    @Test("without changes, one try: both parts in parallel, each on a session of its own", arguments: StoreKind.allCases)
    func quiet(_ kind: StoreKind) async throws {
        let store = try await TestDatabases.freshStore(kind)
        _ = try await store.transaction { try await $0.appendAudit(Self.entry(1)) }
        // Each part waits for the other to have started: were they run one after the other, or on
        // one session, this would never finish (the watchdog below turns that into a failure).
        let firstStarted = Signal(), secondStarted = Signal()
        let outcome = try await withThrowingTaskGroup(of: (Int, Int)?.self) { group in
            group.addTask {
                try await store.readInParallel({ tx in
                    await firstStarted.raise(); await secondStarted.wait()
                    return try await tx.auditEntries(AuditFilter()).count
                }, { tx in
                    await secondStarted.raise(); await firstStarted.wait()
                    return try await tx.userCount()
                })
            }
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                await firstStarted.raise(); await secondStarted.raise()   // let a serialised run end the test
                return nil
            }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
        #expect(outcome.map { [$0.0, $0.1] } == [1, 0], "the two parts ran side by side")
        try await store.close()
    }
}
