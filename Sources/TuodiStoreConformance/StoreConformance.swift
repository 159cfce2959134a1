import Foundation
import TuodiDomain
import TuodiStore

/// What a conformance check gets from the backend under test.
public struct ConformanceEnvironment: Sendable {
    /// A store on a new, migrated database of its own.
    public let freshStore: @Sendable () async throws -> SQLStore
    /// A backend on a new, empty database (for migration checks).
    public let freshBackend: @Sendable () async throws -> any SQLBackend

    public init(freshStore: @escaping @Sendable () async throws -> SQLStore,
                freshBackend: @escaping @Sendable () async throws -> any SQLBackend) {
        self.freshStore = freshStore
        self.freshBackend = freshBackend
    }
}

/// One rule every backend must keep.
public struct ConformanceCheck: Sendable, CustomStringConvertible {
    public let name: String
    public let run: @Sendable (ConformanceEnvironment) async throws -> Void
    public var description: String { name }
}

/// A broken rule, with where and why.
public struct ConformanceFailure: Error, CustomStringConvertible {
    public let description: String
}

func expect(_ condition: Bool, _ message: @autoclosure () -> String, line: Int = #line) throws {
    if !condition { throw ConformanceFailure(description: "StoreConformance.swift:\(line): \(message())") }
}

func expectEqual<T: Equatable>(_ a: T, _ b: T, _ what: String, line: Int = #line) throws {
    try expect(a == b, "\(what): \(a) != \(b)", line: line)
}

/// Runs `body` with a fresh store and closes it afterwards, also when `body` throws.
func withStore(_ env: ConformanceEnvironment, _ body: (SQLStore) async throws -> Void) async throws {
    let store = try await env.freshStore()
    do { try await body(store) } catch { try? await store.close(); throw error }
    try await store.close()
}

/// The store contract, written once and run against every backend (see `TuodiStoreTests`).
public enum StoreConformance {
    static let recorded = Date(timeIntervalSince1970: 1_780_000_000)

    static func company(_ serial: Int, name: String = "上海测试物业管理有限公司", address: String? = "黄浦区 1 号") -> Company {
        let digits = String(serial)
        let uscc = USCC.withCheckCharacter(body: "91310101MA1FT" + String(repeating: "0", count: 4 - digits.count) + digits)!
        return Company(uscc: uscc, name: name, ownership: .stateControlled, districtGroup: serial % 2 == 0,
                       registeredAddress: address)
    }

    public static var checks: [ConformanceCheck] { foundationChecks + identityAuditEstateChecks + poolChecks + arrangementChecks + returnChecks }

    static let foundationChecks: [ConformanceCheck] = [
        ConformanceCheck(name: "reporting units are the 17 of the domain, in order") { env in
            try await withStore(env) { store in
                let units = try await store.transaction { try await $0.reportingUnits() }
                try expectEqual(units.count, 17, "unit count")
                try expectEqual(units, ReportingUnit.all, "seeded units")
            }
        },
        ConformanceCheck(name: "a company round-trips with every field") { env in
            try await withStore(env) { store in
                let a = company(1), b = company(2, name: "上海“引号”, 逗号物业", address: nil)
                try await store.transaction { tx in
                    try await tx.insertCompany(a, recordedAt: recorded)
                    try await tx.insertCompany(b, recordedAt: recorded)
                }
                let (ra, rb) = try await store.transaction { tx in
                    (try await tx.company(uscc: a.uscc), try await tx.company(uscc: b.uscc))
                }
                try expectEqual(ra, a, "company a")
                try expectEqual(rb, b, "company b (no address, quotes and commas in the name)")
                let missing = try await store.transaction { try await $0.company(uscc: company(3).uscc) }
                try expect(missing == nil, "an unregistered USCC is found")
            }
        },
        ConformanceCheck(name: "a duplicate USCC is refused and changes nothing") { env in
            try await withStore(env) { store in
                try await store.transaction { try await $0.insertCompany(company(1), recordedAt: recorded) }
                do {
                    try await store.transaction { try await $0.insertCompany(company(1, name: "另一家"), recordedAt: recorded) }
                    try expect(false, "the duplicate was accepted")
                } catch let e as StoreError {
                    try expectEqual(e, .duplicate(entity: "company", key: company(1).uscc.value), "error")
                }
                let (count, stored) = try await store.transaction { tx in
                    (try await tx.companyCount(), try await tx.company(uscc: company(1).uscc))
                }
                try expectEqual(count, 1, "company count")
                try expectEqual(stored?.name, company(1).name, "the first company's name")
            }
        },
        ConformanceCheck(name: "a failed transaction leaves nothing behind") { env in
            struct Abort: Error {}
            try await withStore(env) { store in
                do {
                    try await store.transaction { tx in
                        try await tx.insertCompany(company(1), recordedAt: recorded)
                        try await tx.insertCompany(company(2), recordedAt: recorded)
                        throw Abort()
                    }
                } catch is Abort {}
                // The same for a constraint failure halfway through.
                do {
                    try await store.transaction { tx in
                        try await tx.insertCompany(company(3), recordedAt: recorded)
                        try await tx.insertCompany(company(3), recordedAt: recorded)
                    }
                    try expect(false, "the duplicate inside one transaction was accepted")
                } catch is StoreError {}
                try expectEqual(try await store.transaction { try await $0.companyCount() }, 0, "company count")
            }
        },
        ConformanceCheck(name: "companies list in USCC order, a page at a time") { env in
            try await withStore(env) { store in
                let all = (1...7).map { company($0) }
                try await store.transaction { tx in
                    for c in all.reversed() { try await tx.insertCompany(c, recordedAt: recorded) }
                }
                let sorted = all.sorted { $0.uscc < $1.uscc }
                let page = try await store.transaction { try await $0.companies(limit: 3, offset: 2) }
                try expectEqual(page, Array(sorted[2..<5]), "page 2..<5")
                let tail = try await store.transaction { try await $0.companies(limit: 10, offset: 5) }
                try expectEqual(tail, Array(sorted[5...]), "last page")
                try expectEqual(try await store.transaction { try await $0.companyCount() }, 7, "count")
                // By USCC: the registered ones among those asked for, in one call.
                let asked: Set<String> = [all[1].uscc.value, all[4].uscc.value, company(99).uscc.value]
                let some = try await store.transaction { try await $0.companies(usccs: asked) }
                try expectEqual(some.sorted { $0.uscc < $1.uscc }, [all[1], all[4]].sorted { $0.uscc < $1.uscc }, "by USCC")
                try expectEqual(try await store.transaction { try await $0.companies(usccs: []) }, [], "none asked")
            }
        },
        ConformanceCheck(name: "concurrent transactions do not interleave") { env in
            try await withStore(env) { store in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for i in 1...20 {
                        group.addTask {
                            try await store.transaction { tx in
                                let before = try await tx.companyCount()
                                try await tx.insertCompany(company(i), recordedAt: recorded)
                                let after = try await tx.companyCount()
                                try expect(after >= before + 1, "count went from \(before) to \(after) inside one transaction")
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                try expectEqual(try await store.transaction { try await $0.companyCount() }, 20, "count")
            }
        },
        ConformanceCheck(name: "migrations apply once, in order, and report their status") { env in
            let backend = try await env.freshBackend()
            let store = try SQLStore(backend: backend)
            do {
                let before = try await store.migrationStatus()
                try expect(before.applied.isEmpty && !before.pending.isEmpty, "a new database has pending migrations")
                let applied = try await store.migrate()
                try expectEqual(applied.map(\.version), Array(1...applied.count), "applied versions")
                let after = try await store.migrationStatus()
                try expect(after.isCurrent, "schema is current after migrate")
                try expectEqual(after.applied.map(\.checksum), applied.map(\.checksum), "recorded checksums")
                // Recorded to the second (ISO 8601 without fractions): read back within a minute of now.
                try expect(after.applied.allSatisfy { abs($0.appliedAt.timeIntervalSinceNow) < 60 }, "application times read back")
                try expectEqual(try await store.migrate().count, 0, "a second migrate applies nothing")
            } catch { try? await store.close(); throw error }
            try await store.close()
        },
        ConformanceCheck(name: "a changed applied migration is refused") { env in
            let backend = try await env.freshBackend()
            let original = [try Migration(name: "0001_one", sql: "CREATE TABLE probe (id INTEGER PRIMARY KEY);"),
                            try Migration(name: "0002_two", sql: "CREATE TABLE probe2 (id INTEGER PRIMARY KEY);")]
            do {
                _ = try await SQLStore(backend: backend, migrations: original).migrate()
                let edited = [original[0],
                              try Migration(name: "0002_two", sql: "CREATE TABLE probe2 (id INTEGER PRIMARY KEY, x INTEGER);"),
                              try Migration(name: "0003_three", sql: "CREATE TABLE probe3 (id INTEGER PRIMARY KEY);")]
                let store = try SQLStore(backend: backend, migrations: edited)
                let status = try await store.migrationStatus()
                try expectEqual(status.changed, [2], "changed versions")
                try expect(!status.isCurrent, "a changed migration counts as not current")
                do {
                    _ = try await store.migrate()
                    try expect(false, "migrate ran over a changed migration")
                } catch let e as MigrationError {
                    try expectEqual(e, .changedAfterApply(version: 2, name: "0002_two"), "error")
                }
                // Refused before anything ran: version 3 is still pending.
                try expectEqual(try await store.migrationStatus().pending.map(\.version), [3], "pending after refusal")
            } catch { try? await backend.close(); throw error }
            try await backend.close()
        },
        ConformanceCheck(name: "a failing migration rolls back whole") { env in
            let backend = try await env.freshBackend()
            let broken = [try Migration(name: "0001_broken", sql: """
                CREATE TABLE half (id INTEGER PRIMARY KEY);
                INSERT INTO no_such_table VALUES (1);
                """)]
            do {
                let store = try SQLStore(backend: backend, migrations: broken)
                do { _ = try await store.migrate(); try expect(false, "a broken migration succeeded") } catch is ConformanceFailure {
                    throw ConformanceFailure(description: "a broken migration succeeded")
                } catch {}
                let status = try await store.migrationStatus()
                try expectEqual(status.pending.map(\.version), [1], "still pending")
                // The table of the first statement must be gone with the rollback.
                _ = try await SQLStore(backend: backend, migrations: [
                    try Migration(name: "0001_broken", sql: "CREATE TABLE half (id INTEGER PRIMARY KEY);")]).migrate()
            } catch { try? await backend.close(); throw error }
            try await backend.close()
        },
    ]
}
