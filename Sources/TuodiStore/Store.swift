import Foundation
import TuodiDomain

/// Which database a store runs on.
public enum StoreKind: String, Sendable, CaseIterable {
    case sqlite, postgres
}

/// The persistence contract. Every backend implements it, and one conformance suite
/// (`TuodiStoreConformance`) holds each of them to it.
///
/// All reads and writes happen inside `transaction`, so a use case sees one consistent state and
/// either all of its changes land or none do.
public protocol Store: Sendable {
    /// The backend, for logs and readiness reports.
    var kind: StoreKind { get }

    /// Runs `body` in one database transaction: committed when it returns, rolled back when it
    /// throws. Constraint violations surface as `StoreError`.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) async throws -> T) async throws -> T

    /// Applies pending migrations, each in its own transaction; returns the versions applied.
    /// Refuses (throws `MigrationError`) when an applied file was changed.
    func migrate() async throws -> [Migration]

    /// Applied, pending and changed migrations, without changing anything.
    func migrationStatus() async throws -> MigrationStatus

    /// Answers a trivial query: the database is reachable.
    func ping() async throws

    /// Closes connections. The store is unusable afterwards.
    func close() async throws
}

/// The operations available inside a transaction.
public protocol StoreTransaction: Sendable {
    /// The reporting units, in their fixed order.
    func reportingUnits() async throws -> [ReportingUnit]

    /// Inserts a company. Throws `StoreError.duplicate` when the USCC is already registered.
    func insertCompany(_ company: Company, recordedAt: Date) async throws

    /// The company with this USCC, if registered.
    func company(uscc: USCC) async throws -> Company?

    /// Companies ordered by USCC, a page at a time.
    func companies(limit: Int, offset: Int) async throws -> [Company]

    /// How many companies are registered.
    func companyCount() async throws -> Int
}

/// Failures the store reports in domain terms rather than as driver errors.
public enum StoreError: Error, Equatable, Sendable {
    /// A uniqueness rule refused the write (`entity`, the key that collided).
    case duplicate(entity: String, key: String)
    /// A stored value could not be read back as a domain value (a corrupted row).
    case corruptRow(entity: String, detail: String)
    /// The schema is not at the version this binary expects.
    case schemaNotCurrent(pending: [Int])
}
