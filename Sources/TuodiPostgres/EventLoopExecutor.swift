import NIOCore

/// A task executor that runs every job on one NIO event loop.
///
/// A task that prefers it (`withTaskExecutorPreference`) runs its nonisolated async code on the
/// loop's thread, the thread on which PostgresNIO completes that loop's queries. NIO's event loop
/// is a serial executor only (for actors), so this is the task executor over it.
final class EventLoopExecutor: TaskExecutor {
    private let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }
}
