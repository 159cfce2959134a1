import Foundation
import SQLKit
import TuodiDomain
import TuodiStore

/// The pool's storage rules on every backend.
extension StoreConformance {
    static func round(_ unit: String = "310101") throws -> AdmissionRoundDraft.Valid {
        try AdmissionRoundDraft(unit: unit, title: "征集", opensOn: "2026-01-01", closesOn: "2026-12-31",
                                criteria: [ScoringCriterion(name: "能力", weightPercent: 70), ScoringCriterion(name: "信用", weightPercent: 30)])
            .validated()
    }

    static let poolChecks: [ConformanceCheck] = [
        ConformanceCheck(name: "district settings: defaults, then the district's own") { env in
            try await withStore(env) { store in
                try expectEqual(try await store.transaction { try await $0.districtSettings(unit: "310101") }, .defaults, "defaults")
                let own = DistrictSettings(membershipTermYears: 3, custodyMaxMonths: 6, returnDeadlineDays: 10,
                                           matchWeights: MatchWeights(sameSubDistrict: 10, merit: 50, load: 40, districtGroup: 0))
                try await store.transaction { try await $0.putDistrictSettings(unit: "310101", own, at: recorded) }
                try await store.transaction { try await $0.putDistrictSettings(unit: "310101", own, at: recorded) }
                try expectEqual(try await store.transaction { try await $0.districtSettings(unit: "310101") }, own, "own")
                try expectEqual(try await store.transaction { try await $0.districtSettings(unit: "310107") }, .defaults, "other unit")
                try expectEqual(try await store.transaction { try await $0.allDistrictSettings() }, ["310101": own], "all units' own")
            }
        },
        ConformanceCheck(name: "rounds and applications: rubric kept, one live application, four eyes in the database") { env in
            try await withStore(env) { store in
                let c = company(1)
                let roundID = try await store.transaction { tx in
                    try await tx.insertCompany(c, recordedAt: recorded)
                    return try await tx.insertRound(try round(), createdBy: "alice", at: recorded)
                }
                let stored = try await store.transaction { try await $0.round(id: roundID) }
                try expectEqual(stored?.criteria, try round().criteria, "rubric")
                try expectEqual(stored?.opensOn.description, "2026-01-01", "opens")
                let appID = try await store.transaction { tx in
                    try await tx.insertApplication(roundID: roundID, uscc: c.uscc, capacityEstates: 3, capacityHouseholds: nil,
                                                   recordedBy: "alice", at: recorded)
                }
                do {
                    _ = try await store.transaction { tx in
                        try await tx.insertApplication(roundID: roundID, uscc: c.uscc, capacityEstates: 2, capacityHouseholds: nil,
                                                       recordedBy: "alice", at: recorded)
                    }
                    try expect(false, "a second live application was stored")
                } catch StoreError.duplicate(let entity, _) { try expectEqual(entity, "application", "entity") }
                var app = try await store.transaction { try await $0.application(id: appID) }!
                app.scores = ["能力": 80, "信用": 90.5]
                app.total = 83.15
                app.status = .proposed
                app.proposal = .admit
                app.proposedBy = "alice"
                let proposed = app
                try await store.transaction { try await $0.updateApplication(proposed) }
                try expectEqual(try await store.transaction { try await $0.application(id: appID) }, Optional(app), "round trip")
                var selfApprovedDraft = app
                selfApprovedDraft.decidedBy = "alice"
                selfApprovedDraft.status = .admitted
                let selfApproved = selfApprovedDraft
                do {
                    try await store.transaction { try await $0.updateApplication(selfApproved) }
                    try expect(false, "the database accepted a decision by the proposer")
                } catch is ConformanceFailure { throw ConformanceFailure(description: "the database accepted a decision by the proposer") } catch {}
                // After a rejection the company may apply again.
                app.status = .rejected
                app.decidedBy = "bob"
                let rejected = app
                try await store.transaction { try await $0.updateApplication(rejected) }
                _ = try await store.transaction { tx in
                    try await tx.insertApplication(roundID: roundID, uscc: c.uscc, capacityEstates: 2, capacityHouseholds: nil,
                                                   recordedBy: "alice", at: recorded)
                }
                try expectEqual(try await store.transaction { try await $0.applications(roundID: roundID) }.count, 2, "applications")
            }
        },
        ConformanceCheck(name: "a recorded admission: its decision date and 文号 kept, applications proposed with their own term") { env in
            try await withStore(env) { store in
                let (a, b) = (company(1), company(2))
                let decided = LocalDate(iso: "2026-05-20")!
                let roundID = try await store.transaction { tx in
                    try await tx.insertCompany(a, recordedAt: recorded)
                    try await tx.insertCompany(b, recordedAt: recorded)
                    return try await tx.insertRecordedAdmission(RecordedAdmission(
                        unit: "310101", title: "入库决定", decidedOn: decided, documentRef: "黄房物〔2026〕12号",
                        members: [.init(uscc: a.uscc, capacityEstates: 3, capacityHouseholds: nil, termEnd: nil),
                                  .init(uscc: b.uscc, capacityEstates: 1, capacityHouseholds: 900, termEnd: LocalDate(iso: "2027-05-19"))]),
                        createdBy: "alice", at: recorded)
                }
                let stored = try await store.transaction { try await $0.round(id: roundID) }
                try expectEqual(stored?.decidedOn, decided, "decided on")
                try expectEqual(stored?.documentRef, "黄房物〔2026〕12号", "document")
                try expectEqual(stored.map { [$0.opensOn, $0.closesOn] }, [decided, decided], "period")
                let apps = try await store.transaction { try await $0.applications(roundID: roundID) }
                try expectEqual(apps.map(\.status), [.proposed, .proposed], "status")
                try expectEqual(apps.map(\.proposedBy), ["alice", "alice"], "proposer")
                try expectEqual(apps.map(\.termEnd), [nil, LocalDate(iso: "2027-05-19")], "term")
                let live = try await store.transaction { try await $0.round(id: try await $0.insertRound(try StoreConformance.round(), createdBy: "alice", at: recorded)) }
                try expectEqual(live?.decidedOn, nil, "a live round has no decision date")
            }
        },
        ConformanceCheck(name: "memberships: term overlap queries and dated events") { env in
            try await withStore(env) { store in
                let c = company(1)
                let d: @Sendable (String) -> LocalDate = { LocalDate(iso: $0)! }
                let id = try await store.transaction { tx in
                    try await tx.insertCompany(c, recordedAt: recorded)
                    let roundID = try await tx.insertRound(try round(), createdBy: "alice", at: recorded)
                    let appID = try await tx.insertApplication(roundID: roundID, uscc: c.uscc, capacityEstates: 3, capacityHouseholds: 900,
                                                               recordedBy: "alice", at: recorded)
                    return try await tx.insertMembership(NewMembership(unit: "310101", uscc: c.uscc, applicationID: appID,
                                                                       start: d("2026-03-01"), end: d("2028-02-29"), capacityEstates: 3,
                                                                       capacityHouseholds: 900, score: 83.15), at: recorded)
                }
                _ = try await store.transaction { tx in
                    try await tx.insertMembershipEvent(membershipID: id, kind: .suspended, date: d("2026-06-01"), until: d("2026-07-01"),
                                                       reason: "整改", recordedBy: "alice", at: recorded)
                }
                let m = try await store.transaction { try await $0.membership(id: id) }
                try expectEqual(m?.capacityHouseholds, 900, "households")
                try expectEqual(m?.score, 83.15, "score")
                try expectEqual(m?.events.map(\.kind), [.suspended], "events")
                try expectEqual(m?.state(on: d("2026-06-30")), .suspended, "suspended")
                try expectEqual(m?.state(on: d("2026-07-01")), .active, "lifted")
                func count(_ unit: String?, _ from: String, _ to: String) async throws -> Int {
                    try await store.transaction { try await $0.memberships(unit: unit, from: d(from), to: d(to)) }.count
                }
                try expectEqual(try await count("310101", "2026-03-01", "2026-03-01"), 1, "first day")
                try expectEqual(try await count("310101", "2028-02-29", "2028-02-29"), 1, "last day")
                try expectEqual(try await count("310101", "2028-03-01", "2028-12-31"), 0, "after")
                try expectEqual(try await count("310107", "2026-06-01", "2026-06-01"), 0, "other unit")
                try expectEqual(try await count(nil, "2026-01-01", "2026-03-01"), 1, "all units")
            }
        },
        ConformanceCheck(name: "memberships: each with its own events, in the order recorded; one without any") { env in
            try await withStore(env) { store in
                let d: @Sendable (String) -> LocalDate = { LocalDate(iso: $0)! }
                // Three companies' memberships in one unit; the events go to the first and the third.
                let ids = try await store.transaction { tx in
                    let roundID = try await tx.insertRound(try round(), createdBy: "alice", at: recorded)
                    var ids: [Int] = []
                    for serial in 1...3 {
                        let c = company(serial)
                        try await tx.insertCompany(c, recordedAt: recorded)
                        let appID = try await tx.insertApplication(roundID: roundID, uscc: c.uscc, capacityEstates: serial, capacityHouseholds: nil,
                                                                   recordedBy: "alice", at: recorded)
                        ids.append(try await tx.insertMembership(NewMembership(unit: "310101", uscc: c.uscc, applicationID: appID,
                                                                               start: d("2026-03-01"), end: d("2028-02-29"), capacityEstates: serial,
                                                                               capacityHouseholds: nil, score: Double(80 + serial)), at: recorded))
                    }
                    _ = try await tx.insertMembershipEvent(membershipID: ids[2], kind: .removed, date: d("2026-09-01"), until: nil,
                                                           reason: "退出", recordedBy: "alice", at: recorded)
                    _ = try await tx.insertMembershipEvent(membershipID: ids[0], kind: .suspended, date: d("2026-06-01"), until: d("2026-12-01"),
                                                           reason: "整改", recordedBy: "alice", at: recorded)
                    _ = try await tx.insertMembershipEvent(membershipID: ids[0], kind: .reinstated, date: d("2026-07-01"), until: nil,
                                                           reason: "整改完成", recordedBy: "alice", at: recorded)
                    return ids
                }
                let all = try await store.transaction { try await $0.memberships(unit: "310101", from: d("2026-01-01"), to: d("2026-12-31")) }
                try expectEqual(all.map(\.id), ids, "one each, by company")
                try expectEqual(all.map(\.capacityEstates), [1, 2, 3], "each its own columns")
                try expectEqual(all.map { $0.events.map(\.kind) }, [[.suspended, .reinstated], [], [.removed]], "each its own events, in order")
                try expectEqual(all[0].events.map(\.reason), ["整改", "整改完成"], "the events' own columns")
                let one = try await store.transaction { try await $0.membership(id: ids[1]) }
                try expectEqual(one?.events.count, 0, "a membership without events")
            }
        },
    ]
}
