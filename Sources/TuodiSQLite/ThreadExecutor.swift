import NIOPosix

/// A task executor that runs every job on one thread of its own.
///
/// A task that prefers it (`withTaskExecutorPreference`) runs its nonisolated async code there.
/// The write connection's transactions do: their statements then run one after another on this
/// thread, and the caller hops here once per transaction instead of twice per statement.
final class ThreadExecutor: TaskExecutor {
    private let thread = NIOThreadPool(numberOfThreads: 1)

    init() { thread.start() }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        // After shutdown the pool calls this at once on the caller's thread, marked cancelled; the
        // job still runs, so no task is left suspended for good.
        thread.submit { _ in job.runSynchronously(on: executor) }
    }

    func shutdown() async throws { try await thread.shutdownGracefully() }
}
