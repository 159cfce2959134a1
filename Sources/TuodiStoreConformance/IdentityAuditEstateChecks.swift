import Foundation
import SQLKit
import TuodiDomain
import TuodiStore

/// Users, tokens, the audit trail and estates: the same rules on every backend.
extension StoreConformance {
    static func user(_ name: String, _ role: Role = .districtClerk, unit: String? = "310101") -> NewUser {
        NewUser(username: name, displayName: name, role: role, unit: unit, passwordHash: "$2b$04$notarealhash")
    }

    static func estate(_ code: String, unit: String = "310101") -> Estate {
        Estate(code: code, name: "测试小区\(code)", address: "某路 1 号", unit: unit, legalDistrict: unit, subDistrict: "某街道",
               category: .directPublic, highDispute: code.hasSuffix("1"), households: 120, buildings: 3, floorArea: 6543.21,
               yearBuilt: 1980)
    }

    static func draft(_ n: Int, actor: String = "alice", unit: String? = "310101", entity: String = "company") -> AuditDraft {
        AuditDraft(recordedAt: recorded.addingTimeInterval(Double(n) + 0.123), actor: actor, action: "test.action\(n)", entity: entity,
                   entityID: "id\(n)", unit: unit, reason: n % 2 == 0 ? "原因 \(n)" : nil, before: nil, after: #"{"n":\#(n)}"#)
    }

    static let identityAuditEstateChecks: [ConformanceCheck] = [
        ConformanceCheck(name: "users: insert, find, duplicate refused, district roles need a unit") { env in
            try await withStore(env) { store in
                let id = try await store.transaction { try await $0.insertUser(user("alice"), createdAt: recorded) }
                let found = try await store.transaction { try await $0.user(username: "alice") }
                try expectEqual(found?.id, id, "id")
                try expectEqual(found?.role, .districtClerk, "role")
                try expectEqual(found?.unit, "310101", "unit")
                try expect(found?.active == true && found?.failedLogins == 0, "new user active, no failures")
                do {
                    _ = try await store.transaction { try await $0.insertUser(user("alice"), createdAt: recorded) }
                    try expect(false, "duplicate username accepted")
                } catch StoreError.duplicate(let entity, _) { try expectEqual(entity, "user", "entity") }
                do {
                    _ = try await store.transaction { try await $0.insertUser(user("bob", .districtClerk, unit: nil), createdAt: recorded) }
                    try expect(false, "a district clerk without a unit was stored")
                } catch is ConformanceFailure { throw ConformanceFailure(description: "a district clerk without a unit was stored") } catch {}
                func claim(at: Double) async throws -> Bool {
                    try await store.transaction { try await $0.claimLoginAttempt(userID: id, at: at, maxFailures: 3, lockSeconds: 900) }
                }
                let first = try await claim(at: 100), second = try await claim(at: 200)
                try expect(first && second, "attempts under the limit pass")
                let failed = try await store.transaction { try await $0.user(id: id) }
                try expect(failed?.failedLogins == 2 && failed?.lastFailedAt == 200, "failures counted")
                try expect(try await claim(at: 300), "the third attempt passes")
                try expect(!(try await claim(at: 301)), "the fourth is refused: locked")
                try expect(!(try await claim(at: 300 + 899)), "still locked just before the lock ends")
                try expectEqual(try await store.transaction { try await $0.user(id: id) }?.failedLogins, 3, "refused attempts not counted")
                try expect(try await claim(at: 300 + 900), "the lock has passed")
                try await store.transaction { try await $0.resetLoginFailures(userID: id) }
                try expectEqual(try await store.transaction { try await $0.user(id: id) }?.failedLogins, 0, "reset")
                try expectEqual(try await store.transaction { try await $0.userCount() }, 1, "count")
            }
        },
        ConformanceCheck(name: "tokens: valid until expiry, revocation or deactivation") { env in
            try await withStore(env) { store in
                let id = try await store.transaction { try await $0.insertUser(user("alice"), createdAt: recorded) }
                try await store.transaction { tx in
                    try await tx.insertToken(userID: id, tokenHash: "h1", createdAt: 1000, expiresAt: 2000)
                    try await tx.insertToken(userID: id, tokenHash: "h2", createdAt: 1000, expiresAt: 2000)
                }
                try expectEqual(try await store.transaction { try await $0.tokenOwner(tokenHash: "h1", now: 1500) }?.id, id, "valid")
                try expect(try await store.transaction { try await $0.tokenOwner(tokenHash: "h1", now: 2000) } == nil, "expired at 2000")
                try expect(try await store.transaction { try await $0.tokenOwner(tokenHash: "nope", now: 1500) } == nil, "unknown")
                try expect(try await store.transaction { try await $0.revokeToken(tokenHash: "h1", at: 1600) }, "revoked")
                try expect(!(try await store.transaction { try await $0.revokeToken(tokenHash: "h1", at: 1601) }), "revoked twice")
                try expect(try await store.transaction { try await $0.tokenOwner(tokenHash: "h1", now: 1700) } == nil, "revoked token")
                try await store.transaction { try await $0.setUserActive(id: id, active: false) }
                try expect(try await store.transaction { try await $0.tokenOwner(tokenHash: "h2", now: 1700) } == nil, "inactive user")
            }
        },
        ConformanceCheck(name: "audit: entries chain, filter, and the database refuses edits") { env in
            try await withStore(env) { store in
                try expect(try await store.read { try await $0.auditHead() } == nil, "an empty trail has no head")
                try await store.transaction { tx in
                    for n in 1...5 { try await tx.appendAudit(draft(n, actor: n <= 3 ? "alice" : "bob", unit: n == 5 ? "310107" : "310101")) }
                }
                let all = try await store.transaction { try await $0.allAuditEntries() }
                try expectEqual(try await store.read { try await $0.auditHead() }, Optional(AuditHead(seq: 5, hash: all[4].hash)), "the head is the newest entry")
                try expectEqual(all.map(\.seq), [1, 2, 3, 4, 5], "sequence")
                try expect(AuditChain.firstBreak(in: all) == nil, "chain intact: \(String(describing: AuditChain.firstBreak(in: all)))")
                try expectEqual(all[0].prevHash, AuditChain.genesis, "genesis")
                try expectEqual(all[1].prevHash, all[0].hash, "link")
                func seqs(_ change: (inout AuditFilter) -> Void) async throws -> [Int] {
                    var f = AuditFilter()
                    change(&f)
                    let filter = f
                    return try await store.transaction { try await $0.auditEntries(filter) }.map(\.seq)
                }
                try expectEqual(try await seqs { $0.actor = "bob" }, [4, 5], "by actor")
                try expectEqual(try await seqs { $0.unit = "310107" }, [5], "by unit")
                try expectEqual(try await seqs { $0.from = all[1].recordedAt; $0.to = all[2].recordedAt }, [2, 3], "by time")
                for statement in ["UPDATE audit_log SET actor = 'mallory' WHERE seq = 2", "DELETE FROM audit_log WHERE seq = 5"] {
                    do {
                        try await store.backend.withSession { db in try await db.execute(sql: SQLRaw(statement)) { _ in } }
                        try expect(false, "the database accepted: \(statement)")
                    } catch is ConformanceFailure { throw ConformanceFailure(description: "the database accepted: \(statement)") } catch {}
                }
                // Concurrent appenders still form one chain.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for n in 6...25 {
                        group.addTask { () async throws -> Void in
                            _ = try await store.transaction { try await $0.appendAudit(draft(n)) }
                        }
                    }
                    try await group.waitForAll()
                }
                let after = try await store.transaction { try await $0.allAuditEntries() }
                try expectEqual(after.count, 25, "entries")
                try expectEqual(try await store.read { try await $0.auditHead() }, Optional(AuditHead(seq: 25, hash: after[24].hash)), "the head after concurrent appends")
                try expect(AuditChain.firstBreak(in: after) == nil, "chain intact after concurrent appends")
            }
        },
        ConformanceCheck(name: "audit: a row altered behind the database's back is found") { env in
            try await withStore(env) { store in
                try await store.transaction { tx in for n in 1...4 { try await tx.appendAudit(draft(n)) } }
                // An intruder with database access switches the guard off and edits entry 3.
                let disable = store.kind == .sqlite ? "DROP TRIGGER audit_log_no_update"
                                                    : "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"
                try await store.backend.withSession { db in
                    try await db.execute(sql: SQLRaw(disable)) { _ in }
                    try await db.execute(sql: SQLRaw("UPDATE audit_log SET reason = 'nothing happened' WHERE seq = 3")) { _ in }
                }
                let broken = AuditChain.firstBreak(in: try await store.transaction { try await $0.allAuditEntries() })
                try expectEqual(broken?.seq, 3, "first broken entry")
            }
        },
        ConformanceCheck(name: "estates: insert, find, duplicate refused, list by unit") { env in
            try await withStore(env) { store in
                let codes = ["HP-3", "HP-1", "HP-2"]
                try await store.transaction { tx in
                    for c in codes { _ = try await tx.insertEstate(estate(c), createdAt: recorded) }
                    _ = try await tx.insertEstate(estate("PT-1", unit: "310107"), createdAt: recorded)
                }
                let found = try await store.transaction { try await $0.estate(code: "HP-1") }
                try expectEqual(found?.estate, estate("HP-1"), "round trip")
                do {
                    _ = try await store.transaction { try await $0.insertEstate(estate("HP-1"), createdAt: recorded) }
                    try expect(false, "duplicate code accepted")
                } catch StoreError.duplicate(let entity, _) { try expectEqual(entity, "estate", "entity") }
                let page = try await store.transaction { try await $0.estates(unit: "310101", limit: 2, offset: 1) }
                try expectEqual(page.map(\.estate.code), ["HP-2", "HP-3"], "page")
                try expectEqual(try await store.transaction { try await $0.estateCount(unit: "310101") }, 3, "unit count")
                try expectEqual(try await store.transaction { try await $0.estateCount(unit: nil) }, 4, "all")
            }
        },
        ConformanceCheck(name: "estate search: text, filters and the state on a day from the read model, a page at a time") { env in
            try await withStore(env) { store in
                let july = LocalDate(iso: "2026-07-01")!
                try await store.transaction { tx in
                    _ = try await tx.insertEstate(estate("HP-1"), createdAt: recorded)
                    let two = try await tx.insertEstate(estate("HP-2"), createdAt: recorded)
                    let e = estate("HP-3")
                    let three = try await tx.insertEstate(Estate(code: e.code, name: "福佑路Ａ区", address: e.address, unit: e.unit,
                        legalDistrict: e.legalDistrict, subDistrict: "豫园街道", category: .earlyCommodity, highDispute: false,
                        households: 80, buildings: 2, floorArea: 3000, yearBuilt: nil), createdAt: recorded)
                    _ = try await tx.insertEstate(estate("PT-1", unit: "310107"), createdAt: recorded)
                    _ = try await tx.insertFact(NewManagementFact(estateID: two, date: july, kind: .becameUnmanaged(reason: .contractEnded),
                                                                  recordedAt: recorded, recordedBy: "alice"))
                    _ = try await tx.insertFact(NewManagementFact(estateID: three, date: LocalDate(iso: "2026-01-01")!,
                                                                  kind: .regularBegan(company: "甲物业"), recordedAt: recorded, recordedBy: "alice"))
                }
                func search(_ f: EstateSearchFilter, on day: LocalDate = july, limit: Int = 10, offset: Int = 0) async throws -> [String] {
                    try await store.transaction { try await $0.searchEstates(f, on: day, limit: limit, offset: offset) }.items
                        .map { "\($0.estate.estate.code) \($0.state)" }
                }
                try expectEqual(try await search(EstateSearchFilter(unit: "310101")), ["HP-1 unknown", "HP-2 unmanaged", "HP-3 managed"], "states on 1 July")
                try expectEqual(try await search(EstateSearchFilter(unit: "310101"), on: july.adding(days: -1)),
                                ["HP-1 unknown", "HP-2 unknown", "HP-3 managed"], "the day before the fact")
                try expectEqual(try await search(EstateSearchFilter(unit: "310101", state: .unknown)), ["HP-1 unknown"], "unknown: no fact yet")
                try expectEqual(try await search(EstateSearchFilter(state: .unmanaged)), ["HP-2 unmanaged"], "a state across units")
                try expectEqual(try await search(EstateSearchFilter(text: "hp-")), ["HP-1 unknown", "HP-2 unmanaged", "HP-3 managed"], "ASCII in either case")
                try expectEqual(try await search(EstateSearchFilter(text: "福佑")), ["HP-3 managed"], "a part of the name")
                try expectEqual(try await search(EstateSearchFilter(text: "Ａ区")), ["HP-3 managed"], "full-width as it is")
                try expectEqual(try await search(EstateSearchFilter(text: "ａ区")), [], "only A–Z fold, alike on every backend")
                try expectEqual(try await search(EstateSearchFilter(text: "%")), [], "LIKE's wildcards are literal")
                try expectEqual(try await search(EstateSearchFilter(text: "_")), [], "LIKE's wildcards are literal")
                try expectEqual(try await search(EstateSearchFilter(highDisputeOnly: true)), ["HP-1 unknown", "PT-1 unknown"], "high dispute")
                try expectEqual(try await search(EstateSearchFilter(category: .earlyCommodity)), ["HP-3 managed"], "category")
                try expectEqual(try await search(EstateSearchFilter(subDistrict: "豫园街道")), ["HP-3 managed"], "sub-district")
                try expectEqual(try await search(EstateSearchFilter(unit: "310107", state: .managed)), [], "nothing matches")
                let page = try await store.transaction { try await $0.searchEstates(EstateSearchFilter(unit: "310101"), on: july, limit: 1, offset: 1) }
                try expectEqual(page.items.map(\.estate.estate.code), ["HP-2"], "a page")
                try expectEqual(page.total, 3, "the total counts every match, not the page")
                try expectEqual(page.subDistricts, ["某街道", "豫园街道"].sorted(), "the unit's sub-districts")
            }
        },
        ConformanceCheck(name: "management facts: recorded in order, superseded at most once") { env in
            try await withStore(env) { store in
                let id = try await store.transaction { try await $0.insertEstate(estate("HP-1"), createdAt: recorded) }
                let d = LocalDate(iso: "2026-06-30")!
                let first = try await store.transaction { tx in
                    try await tx.insertFact(NewManagementFact(estateID: id, date: d, kind: .regularEnded(company: "甲物业"),
                                                              recordedAt: recorded, recordedBy: "alice"))
                }
                let fix = try await store.transaction { tx in
                    try await tx.insertFact(NewManagementFact(estateID: id, date: d.adding(days: 1), kind: .becameUnmanaged(reason: .contractEnded),
                                                              supersedes: first, correctionReason: "日期记错", recordedAt: recorded, recordedBy: "alice"))
                }
                do {
                    _ = try await store.transaction { tx in
                        try await tx.insertFact(NewManagementFact(estateID: id, date: d, kind: nil, supersedes: first,
                                                                  correctionReason: "again", recordedAt: recorded, recordedBy: "alice"))
                    }
                    try expect(false, "a fact was superseded twice")
                } catch is StoreError {}
                let facts = try await store.transaction { try await $0.facts(estateID: id) }
                try expectEqual(facts.map(\.fact.id), [first, fix], "ids")
                try expectEqual(facts[0].fact.kind, .regularEnded(company: "甲物业"), "kind")
                try expectEqual(facts[1].fact.supersedes, first, "supersedes")
                try expectEqual(facts[1].correctionReason, "日期记错", "reason")
                try expectEqual(EstateTimeline(facts: facts.map(\.fact)).episodes().first?.start, d.adding(days: 1), "episode")
                // Read for a whole unit at once: the same facts, by estate; another unit's apart.
                let other = try await store.transaction { tx in
                    let other = try await tx.insertEstate(estate("PT-1", unit: "310107"), createdAt: recorded)
                    _ = try await tx.insertFact(NewManagementFact(estateID: other, date: d, kind: .becameUnmanaged(reason: .other),
                                                                  recordedAt: recorded, recordedBy: "bob"))
                    return other
                }
                let byUnit = try await store.transaction { try await $0.facts(unit: "310101") }
                try expectEqual(byUnit, [id: facts], "facts by unit")
                let all = try await store.transaction { try await $0.facts(unit: nil) }
                try expectEqual(all.keys.sorted(), [id, other].sorted(), "facts of all units")
            }
        },
    ]
}
