import SQLKit
import VaporCSQLite

/// Write transactions that share one commit (group commit).
///
/// Why: SQLite has one writer, so write transactions run one after another, and each commit
/// writes the WAL and waits for the disk (`fsync`, about 0.3 ms here: a third of a custody
/// appointment's time on the write connection). When callers are waiting for the connection, a
/// finished transaction leaves the SQLite transaction open and passes the connection to the next
/// caller, whose transaction runs inside it; the last one commits for all of them.
///
/// What each caller still gets: after the first, each body runs in a savepoint, so a body that
/// throws leaves no change behind and the others go on (a deferred foreign-key violation is
/// checked at the end of each body, not left to the shared commit); a caller returns only once a
/// commit that includes its changes succeeded. If that commit fails, or SQLite ends the
/// transaction on its own (a full disk, an I/O error), every caller in the group gets the error.
///
/// What it costs: a caller waits for the transactions after it in its group, at most 15. Bulk
/// loads (`TransactionScheduling.alone`: imports, rebuilds, migrations) never join a group.
final class CommitGroup: @unchecked Sendable {
    // @unchecked: used only by the holder of the write connection's lease, which passes from
    // caller to caller through the gate's lock.
    /// Callers whose changes are in the open transaction, waiting for its commit.
    var waiting: [CheckedContinuation<Void, any Error>] = []

    /// How many transactions at most share a commit: a caller waits for the ones after it, so the
    /// group stays small (8 clients make groups of up to 8).
    static let limit = 16
}

extension SQLiteWriter {
    /// Runs `body` as one write transaction, in the open group or a new one.
    func groupTransaction<T: Sendable>(passOn: () -> Bool,
                                       _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if group != nil && !inTransaction { commitGroup() }   // SQLite ended its transaction: fail its callers
        // The group's first transaction runs without a savepoint (none to keep the others' pages
        // for): if it fails, the whole transaction rolls back, and the group ends with it.
        let group: CommitGroup, first: Bool
        if let open = self.group {
            (group, first) = (open, false)
        } else {
            try run("BEGIN IMMEDIATE", []) { _ in }
            (group, first) = (CommitGroup(), true)
            self.group = group
        }
        let result: T
        do {
            if !first { try run("SAVEPOINT tuodi_transaction", []) { _ in } }
            result = try await body(database)
            // Checked here, not at the shared commit, so that one caller's violation fails only its own transaction.
            if hasDeferredViolations { throw SQLiteWriterError(code: 787, message: "FOREIGN KEY constraint failed") }
            if !first { try run("RELEASE tuodi_transaction", []) { _ in } }
        } catch {
            if first {
                fail(group, error)
            } else {
                if inTransaction {
                    do {
                        try run("ROLLBACK TO tuodi_transaction", []) { _ in }
                        try run("RELEASE tuodi_transaction", []) { _ in }
                    } catch {
                        // Its changes may still be in the transaction: it cannot be committed.
                        fail(group, error)
                    }
                }
                if self.group === group { settle(group, passOn) }
            }
            throw error
        }
        try await withCheckedThrowingContinuation { (waiting: CheckedContinuation<Void, any Error>) in
            group.waiting.append(waiting)
            settle(group, passOn)
        }
        return result
    }

    /// Passes the open transaction on to the next caller waiting for the connection, or, when no
    /// one waits or the group is full, commits it.
    private func settle(_ group: CommitGroup, _ passOn: () -> Bool) {
        if group.waiting.count < CommitGroup.limit && inTransaction && passOn() { return }
        commitGroup()
    }

    /// Commits the open group's transaction and tells its callers how it went. Called also by
    /// every other use of the connection before it starts.
    func commitGroup() {
        guard let group else { return }
        do {
            guard inTransaction else { throw SQLiteWriterError(code: SQLITE_ABORT, message: "SQLite ended the transaction") }
            try run("COMMIT", []) { _ in }
            self.group = nil
            groupsCommitted += 1
            for waiting in group.waiting { waiting.resume() }
        } catch {
            fail(group, error)
        }
    }

    /// Ends the group's transaction unsaved: each of its callers gets `error`.
    private func fail(_ group: CommitGroup, _ error: any Error) {
        self.group = nil
        if inTransaction { try? run("ROLLBACK", []) { _ in } }
        for waiting in group.waiting { waiting.resume(throwing: error) }
    }
}
