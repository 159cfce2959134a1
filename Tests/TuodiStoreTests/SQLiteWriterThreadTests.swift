import Foundation
import NIOCore
import NIOPosix
import SQLKit
import Synchronization
import Testing
import TuodiSQLite
import TuodiTestSupport

/// SQLiteNIO runs every SQLite call on a thread pool. The read connections use the process's
/// shared one, where a report's long statements can occupy every thread; the write connection has
/// a thread of its own, so a write never queues behind them.
@Suite("SQLite's writer has a thread of its own")
struct SQLiteWriterThreadTests {
    @Test("a write completes while every thread of the shared pool is taken")
    func writeBesideTakenPool() async throws {
        let backend = try await TestDatabases.freshSQLite()
        try await backend.withSession { db in try await db.execute(sql: SQLRaw("CREATE TABLE probe (n INTEGER)")) { _ in } }
        // Take every thread of the shared pool until released, as long report statements would.
        let threads = NIOSingletons.blockingPoolThreadCountSuggestion
        let taken = Mutex(0), release = DispatchSemaphore(value: 0)
        for _ in 0..<threads {
            NIOThreadPool.singleton.submit { _ in
                taken.withLock { $0 += 1 }
                release.wait()
            }
        }
        while taken.withLock({ $0 }) < threads { try await Task.sleep(for: .milliseconds(5)) }
        let wrote = Mutex(false)
        let write = Task {
            try await backend.withSession { db in try await db.execute(sql: SQLRaw("INSERT INTO probe VALUES (1)")) { _ in } }
            wrote.withLock { $0 = true }
        }
        // Ten seconds for the write; on the shared pool it would wait until the threads are released.
        for _ in 0..<1000 where !wrote.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
        let done = wrote.withLock { $0 }
        for _ in 0..<threads { release.signal() }
        try await write.value
        #expect(done, "the write waited for the shared pool's threads")
        try await backend.close()
    }
}
