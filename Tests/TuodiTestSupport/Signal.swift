/// A one-shot signal between tasks: `wait` returns once `raise` has been called, at once after.
public actor Signal {
    private var raised = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init() {}

    public func raise() {
        raised = true
        waiting.forEach { $0.resume() }
        waiting = []
    }

    public func wait() async {
        if raised { return }
        await withCheckedContinuation { waiting.append($0) }
    }
}
