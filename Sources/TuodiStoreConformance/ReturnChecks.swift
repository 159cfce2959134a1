import Foundation
import TuodiDomain
import TuodiStore

/// Quarterly returns: one per unit and quarter, four eyes, and a submitted return frozen by the database itself.
extension StoreConformance {
    static let returnChecks: [ConformanceCheck] = [
        ConformanceCheck(name: "quarterly returns: one per quarter, four eyes, a submitted return cannot change") { env in
            try await withStore(env) { store in
                let draft = StoredReturn(id: 0, unit: "310101", year: 2026, quarter: 3, status: .draft, snapshotJSON: #"{"a":1}"#,
                                         snapshotSHA256: "00", draftedBy: "alice", draftedAt: "2026-10-05T02:00:00.000Z")
                let id = try await store.transaction { try await $0.insertReturn(draft) }
                var duplicate = false
                do { _ = try await store.transaction { try await $0.insertReturn(draft) } } catch StoreError.duplicate { duplicate = true }
                try expect(duplicate, "a second return for the same quarter was accepted")
                var r = try await store.transaction { try await $0.quarterlyReturn(unit: "310101", year: 2026, quarter: 3, lock: true) }!
                try expectEqual(r.id, id, "id")
                try expectEqual(r.snapshotJSON, #"{"a":1}"#, "snapshot")
                r.status = .approved
                r.approvedBy = "alice"
                r.approvedAt = "2026-10-06T02:00:00.000Z"
                let selfApproved = r
                var refused = false
                do { try await store.transaction { try await $0.updateReturn(selfApproved) } } catch { refused = true }
                try expect(refused, "the database let the drafter approve")
                r.approvedBy = "bob"
                let approved = r
                try await store.transaction { try await $0.updateReturn(approved) }
                r.status = .submitted
                r.submittedBy = "bob"
                r.submittedAt = "2026-10-07T02:00:00.000Z"
                let submitted = r
                try await store.transaction { try await $0.updateReturn(submitted) }
                try expectEqual(try await store.transaction { try await $0.quarterlyReturn(unit: "310101", year: 2026, quarter: 3, lock: false) },
                                Optional(submitted), "round trip")
                // Frozen: neither a new snapshot nor a step back is accepted.
                for change in [{ (x: inout StoredReturn) in x.snapshotJSON = #"{"a":2}"# }, { (x: inout StoredReturn) in x.status = .draft }] {
                    var altered = submitted
                    change(&altered)
                    let attempt = altered
                    var frozen = false
                    do { try await store.transaction { try await $0.updateReturn(attempt) } } catch { frozen = true }
                    try expect(frozen, "the database changed a submitted return")
                }
                try expectEqual(try await store.transaction { try await $0.quarterlyReturn(unit: "310101", year: 2026, quarter: 3, lock: false) },
                                Optional(submitted), "unchanged")
                try expectEqual(try await store.transaction { try await $0.quarterlyReturns(unit: nil) }.map(\.id), [id], "listing")
                // Stages by unit for one quarter only: another unit's draft of Q3 and a Q4 return.
                for (unit, quarter) in [("310104", 3), ("310101", 4)] {
                    let other = StoredReturn(id: 0, unit: unit, year: 2026, quarter: quarter, status: .draft, snapshotJSON: "{}",
                                             snapshotSHA256: "00", draftedBy: "carol", draftedAt: "2026-10-08T02:00:00.000Z")
                    _ = try await store.transaction { try await $0.insertReturn(other) }
                }
                try expectEqual(try await store.transaction { try await $0.returnStages(year: 2026, quarter: 3) },
                                ["310101": ReturnStage(status: .submitted, submittedAt: "2026-10-07T02:00:00.000Z"),
                                 "310104": ReturnStage(status: .draft, submittedAt: nil)], "stages of 2026Q3")
                try expectEqual(try await store.transaction { try await $0.returnStages(year: 2025, quarter: 3) }, [:], "no returns that year")
            }
        },
    ]
}
