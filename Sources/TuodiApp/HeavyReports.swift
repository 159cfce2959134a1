import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TuodiStore

/// The bound on heavy reports (the city roll-up): a few at a time, each running on threads of
/// its own at a lowered priority, so that a burst of them neither runs the server out of memory
/// nor starves the cheap requests (an estate GET) of the few cores the server has.
///
/// Beyond `concurrent` running and `waiting` queued, a report is refused with `AppError.busy`
/// (503 with Retry-After) rather than queued without end.
public final class HeavyReports: Sendable {
    private let permits: AsyncPool<Void>
    private let waiting: Int

    public init(concurrent: Int = 2, waiting: Int = 6) {
        permits = AsyncPool(limit: concurrent) { () }
        self.waiting = waiting
    }

    /// Runs `body` (the report's reads and its computation) holding one of the permits, on the
    /// report threads: its row decoding and its arithmetic stay off Swift's cooperative pool,
    /// whose threads (one per core) serve every other request.
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        do {
            return try await permits.withLease(maxWaiting: waiting) { _ in
                try await withTaskExecutorPreference(ReportThreads.shared) { try await body() }
            }
        } catch is AsyncPool<Void>.Busy {
            throw AppError.busy("同时生成的汇总报表过多，请稍后重试")
        }
    }
}

/// Two threads for heavy reports, as a task executor. They run at nice 10 (on Linux the nice
/// value is per thread, and raising it needs no privilege), so the kernel gives the request
/// threads the cores first. Started once per process and kept for its lifetime.
final class ReportThreads: TaskExecutor, @unchecked Sendable {
    static let shared = ReportThreads(count: 2)

    // `jobs` is guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    private init(count: Int) {
        for i in 0..<count {
            let thread = Thread { [self] in work() }
            thread.name = "tuodi-reports-\(i)"
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        #if canImport(Glibc)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
