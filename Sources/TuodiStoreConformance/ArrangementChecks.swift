import Foundation
import TuodiDomain
import TuodiStore

/// The two invariants (one provider per day; capacity) and the selection records, on every backend.
extension StoreConformance {
    static func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }

    static func custody(_ estateID: Int, _ uscc: USCC, _ start: String, _ end: String?, status: ArrangementStatus = .active,
                        replaces: Int? = nil) -> NewArrangement {
        NewArrangement(estateID: estateID, unit: "310101", kind: .custody, provider: .company(uscc), start: d(start),
                       plannedEnd: end.map(d), reviewDate: nil, fee: 0.85, status: status, justification: "原物业撤场",
                       replaces: replaces, selectionRoundID: nil, proposedBy: "alice", decidedBy: status == .proposed ? nil : "bob",
                       createdAt: recorded)
    }

    /// Estates E1…En and company 1, in one transaction; returns the estate ids.
    static func arrangementSetup(_ store: SQLStore, estates n: Int) async throws -> [Int] {
        try await store.transaction { tx in
            try await tx.insertCompany(company(1), recordedAt: recorded)
            try await tx.insertCompany(company(2), recordedAt: recorded)
            var ids: [Int] = []
            for i in 1...n { ids.append(try await tx.insertEstate(estate("E\(i)"), createdAt: recorded)) }
            return ids
        }
    }

    static func expectRefused(_ rule: RefusalRule, _ body: () async throws -> Void, line: Int = #line) async throws {
        do {
            try await body()
            try expect(false, "expected refusal \(rule)", line: line)
        } catch StoreError.refused(let r, _) {
            try expectEqual(r, rule, "rule", line: line)
        }
    }

    static let arrangementChecks: [ConformanceCheck] = [
        ConformanceCheck(name: "one provider per day: an overlapping arrangement is refused, the day after the end is free") { env in
            try await withStore(env) { store in
                let ids = try await arrangementSetup(store, estates: 1)
                let u1 = company(1).uscc, u2 = company(2).uscc
                let first = try await store.transaction { try await $0.insertArrangement(custody(ids[0], u1, "2026-01-01", "2026-06-30"), capacity: 5) }
                // The last day is inclusive: starting on 30 June overlaps; proposals count too.
                try await expectRefused(.overlap) {
                    _ = try await store.transaction { try await $0.insertArrangement(custody(ids[0], u2, "2026-06-30", "2026-12-31", status: .proposed), capacity: 5) }
                }
                let owners = NewArrangement(estateID: ids[0], unit: "310101", kind: .ownerSelf, provider: .body(name: "业委会", contact: "李 138"),
                                            start: d("2026-03-01"), plannedEnd: nil, reviewDate: d("2026-09-01"), fee: nil, status: .active,
                                            justification: nil, replaces: nil, selectionRoundID: nil, proposedBy: "alice", decidedBy: "bob",
                                            createdAt: recorded)
                try await expectRefused(.overlap) { _ = try await store.transaction { try await $0.insertArrangement(owners, capacity: nil) } }
                let second = try await store.transaction { try await $0.insertArrangement(custody(ids[0], u2, "2026-07-01", "2026-12-31", status: .proposed), capacity: 5) }
                // A replacement may start inside the arrangement it replaces.
                _ = try await store.transaction { tx in
                    var r = try await tx.arrangement(id: second)!
                    r = Arrangement(id: r.id, estateID: r.estateID, estateCode: r.estateCode, unit: r.unit, kind: r.kind, provider: r.provider,
                                    start: r.start, plannedEnd: r.plannedEnd, reviewDate: nil, endedOn: nil, fee: r.fee, status: .rejected,
                                    justification: r.justification, replaces: nil, selectionRoundID: nil, proposedBy: r.proposedBy,
                                    decidedBy: "bob", decisionReason: "退回")
                    try await tx.updateArrangement(r, capacity: 5)
                }
                _ = try await store.transaction { try await $0.insertArrangement(custody(ids[0], u2, "2026-05-01", "2026-12-31", status: .proposed, replaces: first), capacity: 5) }
                let all = try await store.transaction { try await $0.arrangements(ArrangementFilter(estateID: ids[0])) }
                try expectEqual(all.map(\.status), [.active, .proposed, .rejected], "statuses in start order")
                try expectEqual(all[0].estateCode, "E1", "estate code")
                try expectEqual(all[0].fee, 0.85, "fee")
            }
        },
        ConformanceCheck(name: "arrangements ending after a day: open-ended ones and those ended by then are left out") { env in
            try await withStore(env) { store in
                let ids = try await arrangementSetup(store, estates: 3)
                let u1 = company(1).uscc
                let (june, _, cut) = try await store.transaction { tx in
                    (try await tx.insertArrangement(custody(ids[0], u1, "2026-01-01", "2026-06-30"), capacity: 5),
                     try await tx.insertArrangement(NewArrangement(estateID: ids[1], unit: "310101", kind: .ownerSelf,
                         provider: .body(name: "业委会", contact: "李 138"), start: d("2026-01-01"), plannedEnd: nil,
                         reviewDate: d("2026-09-01"), fee: nil, status: .active, justification: nil, replaces: nil,
                         selectionRoundID: nil, proposedBy: "alice", decidedBy: "bob", createdAt: recorded), capacity: nil),
                     try await tx.insertArrangement(custody(ids[2], u1, "2026-01-01", "2026-12-31"), capacity: 5))
                }
                _ = try await store.transaction { tx in
                    let a = try await tx.arrangement(id: cut)!
                    try await tx.updateArrangement(Arrangement(id: a.id, estateID: a.estateID, estateCode: a.estateCode, unit: a.unit,
                        kind: a.kind, provider: a.provider, start: a.start, plannedEnd: a.plannedEnd, reviewDate: nil,
                        endedOn: d("2026-03-31"), fee: a.fee, status: .terminated, justification: "x", replaces: nil,
                        selectionRoundID: nil, proposedBy: "alice", decidedBy: "bob", decisionReason: nil), capacity: nil)
                }
                func ending(after day: String) async throws -> [Int] {
                    try await store.transaction { try await $0.arrangements(ArrangementFilter(unit: "310101", endingAfter: d(day))) }.map(\.id)
                }
                try expectEqual(try await ending(after: "2026-06-29"), [june, cut], "the last day 30 June is after 29 June; open-ended left out")
                try expectEqual(try await ending(after: "2026-06-30"), [cut], "a superset: planned to 31 December though cut in March")
                try expectEqual(try await ending(after: "2026-12-31"), [], "nothing ends after 31 December")
                func ending(by day: String, after: String? = nil) async throws -> [Int] {
                    try await store.transaction {
                        try await $0.arrangements(ArrangementFilter(unit: "310101", endingAfter: after.map(d), endingBy: d(day)))
                    }.map(\.id)
                }
                try expectEqual(try await ending(by: "2026-03-30"), [], "nothing has ended by 30 March")
                try expectEqual(try await ending(by: "2026-03-31"), [cut], "cut on 31 March though planned to December: its end is 31 March")
                try expectEqual(try await ending(by: "2026-06-30"), [june, cut], "30 June is on or before 30 June; open-ended left out")
                try expectEqual(try await ending(by: "2026-12-31", after: "2026-03-31"), [june, cut],
                                "a window, a superset again: the cut one's planned end is in it (the caller applies effectiveEnd)")
                try expectEqual(try await ending(by: "2026-12-31", after: "2026-06-30"), [cut], "after 30 June, by 31 December")
            }
        },
        ConformanceCheck(name: "capacity: when the count of the company's terms leaves no room, their exact peak decides") { env in
            try await withStore(env) { store in
                let ids = try await arrangementSetup(store, estates: 4)
                let u1 = company(1).uscc
                _ = try await store.transaction { try await $0.insertArrangement(custody(ids[0], u1, "2026-01-01", "2026-03-31"), capacity: 2) }
                _ = try await store.transaction { try await $0.insertArrangement(custody(ids[1], u1, "2026-04-01", "2026-06-30"), capacity: 2) }
                // Two terms touch January–June, but never on the same day: the peak is 1, room for one more.
                let third = try await store.transaction { try await $0.insertArrangement(custody(ids[2], u1, "2026-01-01", "2026-06-30"), capacity: 2) }
                try await expectRefused(.capacity) {
                    _ = try await store.transaction { try await $0.insertArrangement(custody(ids[3], u1, "2026-02-01", "2026-02-28"), capacity: 2) }
                }
                let held = try await store.transaction { try await $0.arrangements(ArrangementFilter(unit: "310101")) }
                try expectEqual(held.map(\.estateID).sorted(), [ids[0], ids[1], ids[2]], "the third booked, the refused fourth left no row")
                try expectEqual(held.first { $0.id == third }?.start, d("2026-01-01"), "the third as booked")
            }
        },
        ConformanceCheck(name: "overlap: a term cut before its first day holds none: the domain's rule decides where the dates alone would refuse") { env in
            try await withStore(env) { store in
                let ids = try await arrangementSetup(store, estates: 1)
                let u1 = company(1).uscc
                let cut = try await store.transaction { try await $0.insertArrangement(custody(ids[0], u1, "2026-03-01", "2026-12-31"), capacity: 5) }
                _ = try await store.transaction { tx in
                    let a = try await tx.arrangement(id: cut)!
                    try await tx.updateArrangement(Arrangement(id: a.id, estateID: a.estateID, estateCode: a.estateCode, unit: a.unit, kind: a.kind,
                        provider: a.provider, start: a.start, plannedEnd: a.plannedEnd, reviewDate: nil, endedOn: d("2026-02-15"), fee: a.fee,
                        status: .terminated, justification: a.justification, replaces: nil, selectionRoundID: nil, proposedBy: a.proposedBy,
                        decidedBy: a.decidedBy, decisionReason: nil), capacity: nil)
                }
                // Its dates still reach into January–June (it was to start on 1 March and was cut on 15 February).
                let next = try await store.transaction { try await $0.insertArrangement(custody(ids[0], u1, "2026-01-01", "2026-06-30"), capacity: 5) }
                try await expectRefused(.overlap) {
                    _ = try await store.transaction { try await $0.insertArrangement(custody(ids[0], u1, "2026-06-30", "2026-07-31"), capacity: 5) }
                }
                let held = try await store.transaction { try await $0.arrangements(ArrangementFilter(estateID: ids[0])) }
                try expectEqual(held.map(\.id).sorted(), [cut, next], "the cut term and the new one, not the refused third")
            }
        },
        ConformanceCheck(name: "audit: appointments that read the trail's head with their insert and plain appenders, all at once, form one chain") { env in
            try await withStore(env) { store in
                let ids = try await arrangementSetup(store, estates: 12)
                let u1 = company(1).uscc
                try await store.transaction { try await $0.appendAudit(draft(0)) }
                // Each appointment appends twice on the head its insert read; the plain appenders
                // take the trail's lock at their append, between and beside them.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (n, id) in ids.enumerated() {
                        group.addTask { () async throws -> Void in
                            try await store.transaction { tx in
                                let made = try await tx.insertArrangement(custody(id, u1, "2026-01-01", "2026-06-30", status: .proposed),
                                                                          capacity: 20, appendsAuditNext: true)
                                try await tx.appendAudit(draft(100 + n, entity: "arrangement \(made)"))
                                try await tx.appendAudit(draft(200 + n))
                            }
                        }
                        group.addTask { () async throws -> Void in _ = try await store.transaction { try await $0.appendAudit(draft(300 + n)) } }
                    }
                    try await group.waitForAll()
                }
                let after = try await store.read { try await $0.allAuditEntries() }
                try expectEqual(after.count, 1 + 3 * ids.count, "entries")
                try expect(AuditChain.firstBreak(in: after) == nil, "chain intact: \(String(describing: AuditChain.firstBreak(in: after)))")
                try expectEqual(try await store.read { try await $0.auditHead() }, after.last.map { AuditHead(seq: $0.seq, hash: $0.hash) }, "the head")
                // Two terms of company 2 one after the other: a third over both is refused by the
                // insert's guard (two candidates, capacity 2) and fits by the exact peak (one a day);
                // its entry chains on the trail's head.
                let u2 = company(2).uscc
                _ = try await store.transaction { try await $0.insertArrangement(custody(ids[0], u2, "2026-07-01", "2026-09-30"), capacity: 2) }
                _ = try await store.transaction { try await $0.insertArrangement(custody(ids[1], u2, "2026-10-01", "2026-12-31"), capacity: 2) }
                let second = try await store.transaction { tx in
                    let made = try await tx.insertArrangement(custody(ids[2], u2, "2026-07-01", "2026-12-31", status: .proposed),
                                                              capacity: 2, appendsAuditNext: true)
                    return try await tx.appendAudit(draft(400, entity: "arrangement \(made)"))
                }
                // (That the insert read the head, rather than the append, shows in the statements a
                // proposal sends: TuodiAppTests' ProposalStatementsTests.)
                try expectEqual(second.prevHash, after.last?.hash, "the entry after an insert that followed the exact checks chains on")
                try expectEqual(second.seq, after.count + 1, "its sequence number")
            }
        },
        ConformanceCheck(name: "capacity: a company's concurrent arrangements in the unit stay within its capacity") { env in
            try await withStore(env) { store in
                let ids = try await arrangementSetup(store, estates: 4)
                let u1 = company(1).uscc
                for i in 0..<2 {
                    _ = try await store.transaction { try await $0.insertArrangement(custody(ids[i], u1, "2026-01-01", "2026-06-30"), capacity: 2) }
                }
                try await expectRefused(.capacity) {
                    _ = try await store.transaction { try await $0.insertArrangement(custody(ids[2], u1, "2026-06-30", "2026-12-31", status: .proposed), capacity: 2) }
                }
                // From 1 July both have ended: room again.
                let third = try await store.transaction { try await $0.insertArrangement(custody(ids[2], u1, "2026-07-01", "2026-12-31"), capacity: 2) }
                // Extending the third is fine; extending the first into it would make three on 1 July.
                let first = try await store.transaction { try await $0.arrangements(ArrangementFilter(estateID: ids[0])) }[0]
                _ = try await store.transaction { tx in
                    let a = try await tx.arrangement(id: third)!
                    try await tx.updateArrangement(Arrangement(id: a.id, estateID: a.estateID, estateCode: a.estateCode, unit: a.unit, kind: a.kind,
                        provider: a.provider, start: a.start, plannedEnd: d("2027-03-31"), reviewDate: nil, endedOn: nil, fee: a.fee,
                        status: a.status, justification: a.justification, replaces: nil, selectionRoundID: nil, proposedBy: a.proposedBy,
                        decidedBy: a.decidedBy, decisionReason: nil), capacity: 2)
                }
                let second = try await store.transaction { try await $0.arrangements(ArrangementFilter(estateID: ids[1])) }[0]
                _ = try await store.transaction { tx in
                    try await tx.updateArrangement(Arrangement(id: second.id, estateID: second.estateID, estateCode: second.estateCode, unit: "310101",
                        kind: .custody, provider: second.provider, start: second.start, plannedEnd: second.plannedEnd, reviewDate: nil,
                        endedOn: d("2026-03-31"), fee: nil, status: .terminated, justification: "x", replaces: nil, selectionRoundID: nil,
                        proposedBy: "alice", decidedBy: "bob", decisionReason: nil), capacity: nil)
                }
                try await expectRefused(.capacity) {
                    _ = try await store.transaction { tx in
                        try await tx.updateArrangement(Arrangement(id: first.id, estateID: first.estateID, estateCode: "E1", unit: "310101",
                            kind: .custody, provider: first.provider, start: first.start, plannedEnd: d("2026-09-30"), reviewDate: nil,
                            endedOn: nil, fee: nil, status: .active, justification: "x", replaces: nil, selectionRoundID: nil,
                            proposedBy: "alice", decidedBy: "bob", decisionReason: nil), capacity: 1)
                    }
                }
                let stored = try await store.transaction { try await $0.arrangement(id: first.id) }
                try expectEqual(stored?.plannedEnd, d("2026-06-30"), "a refused extension changes nothing")
                try expectEqual(try await store.transaction { try await $0.arrangement(id: second.id) }?.effectiveEnd, d("2026-03-31"), "termination kept")
                let changes = try await store.transaction { tx in
                    try await tx.insertArrangementChange(arrangementID: second.id, kind: .terminated, date: d("2026-03-31"),
                                                         previousEnd: d("2026-06-30"), reason: "服务不达标", recordedBy: "alice", at: recorded)
                    return try await tx.arrangementChanges(arrangementID: second.id)
                }
                try expectEqual(changes.map(\.reason), ["服务不达标"], "change recorded")
                try expectEqual(changes.first?.previousEnd, d("2026-06-30"), "previous end")
                // Several arrangements' changes in one query, each under its own arrangement, oldest first.
                let batch = try await store.transaction { tx in
                    try await tx.insertArrangementChange(arrangementID: third, kind: .extended, date: d("2026-10-01"),
                                                         previousEnd: d("2026-12-31"), reason: "延期一", recordedBy: "alice", at: recorded)
                    try await tx.insertArrangementChange(arrangementID: third, kind: .extended, date: d("2026-11-01"),
                                                         previousEnd: d("2027-03-31"), reason: "延期二", recordedBy: "alice", at: recorded)
                    // Past the first thousand ids, so the real ones come in a second statement.
                    return try await tx.arrangementChanges(arrangementIDs: Array(-1100 ... -1) + [third, second.id, first.id, third])
                }
                try expectEqual(batch[third]?.map(\.reason), ["延期一", "延期二"], "the third's changes, oldest first")
                try expectEqual(batch[second.id]?.map(\.reason), ["服务不达标"], "the second's change under its own id")
                try expectEqual(batch[first.id], nil, "an arrangement without changes is absent")
                try expectEqual(try await store.transaction { try await $0.arrangementChanges(arrangementIDs: []) }.count, 0, "none asked")
            }
        },
        ConformanceCheck(name: "selection rounds: lots, invitations, one bid per company, four eyes on the award") { env in
            try await withStore(env) { store in
                let ids = try await arrangementSetup(store, estates: 2)
                let u1 = company(1).uscc, u2 = company(2).uscc
                let id = try await store.transaction { tx in
                    try await tx.insertSelectionRound(NewSelectionRound(unit: "310101", title: "比选", weights: SelectionWeights(technicalPercent: 70, pricePercent: 30),
                        closesOn: d("2026-12-15"), termStart: d("2027-01-01"), termEnd: d("2027-12-31"), estateIDs: ids,
                        createdBy: "alice", createdAt: recorded))
                }
                try await store.transaction { try await $0.insertInvitations(roundID: id, usccs: [u1, u2]) }
                let bid = try await store.transaction { try await $0.insertBid(roundID: id, uscc: u1, price: 1.25, technicalScore: 88.5,
                                                                              submittedAt: recorded, recordedBy: "alice") }
                do {
                    _ = try await store.transaction { try await $0.insertBid(roundID: id, uscc: u1, price: 1, technicalScore: 1,
                                                                            submittedAt: recorded, recordedBy: "alice") }
                    try expect(false, "a second bid from one company was stored")
                } catch StoreError.duplicate(let entity, _) { try expectEqual(entity, "bid", "entity") }
                try await store.transaction { try await $0.markBidInvalid(bidID: bid, reason: "资质不符") }
                var round = try await store.transaction { try await $0.selectionRound(id: id) }!
                try expectEqual(round.lots.map(\.estateCode), ["E1", "E2"], "lots")
                try expectEqual(round.invited, [u1, u2].sorted { $0.value < $1.value }, "invited")
                try expectEqual(round.bids.first?.invalidReason, "资质不符", "invalid reason")
                try expectEqual(round.bids.first?.submittedAt, recorded, "submitted at round-trips")
                try expectEqual(round.weights, SelectionWeights(technicalPercent: 70, pricePercent: 30), "weights")
                round.status = .evaluation
                round.awardBidID = bid
                round.awardProposedBy = "alice"
                round.awardDecidedBy = "alice"
                let selfApproved = round
                var refused = false
                do { try await store.transaction { try await $0.updateSelectionRound(selfApproved) } } catch { refused = true }
                try expect(refused, "the database let the proposer approve the award")
                round.awardDecidedBy = "bob"
                round.status = .awarded
                round.finishedOn = d("2026-12-20")
                let approved = round
                try await store.transaction { try await $0.updateSelectionRound(approved) }
                try expectEqual(try await store.transaction { try await $0.selectionRound(id: id) }, Optional(approved), "round trip")
            }
        },
            ConformanceCheck(name: "match proposals: the plan round-trips with its costs, four eyes in the database, newest last") { env in
            try await withStore(env) { store in
                let factors = [MatchCostFactor(name: "merit", label: "入库评分", value: 85.5, weight: 30, cost: 435)]
                let plan = MatchPlan(pairs: [MatchPair(estateCode: "E1", uscc: company(1).uscc.value, companyName: "企业",
                                                       cost: PairCost(total: 435, factors: factors), editedBy: "carol")],
                                     unplaced: [MatchUnplaced(estateCode: "E2", reason: "insufficientCapacity")])
                let draft = MatchProposal(id: 0, unit: "310101", asOf: d("2026-11-28"), termStart: d("2026-12-01"), termEnd: d("2027-11-30"),
                                          status: .proposed, weights: .defaults, plan: plan, proposedBy: "alice",
                                          createdAt: "2026-11-28T02:00:00.000Z")
                let id = try await store.transaction { try await $0.insertMatchProposal(draft) }
                let second = try await store.transaction { try await $0.insertMatchProposal(draft) }
                var stored = try await store.transaction { try await $0.matchProposal(id: id, lock: true) }
                try expectEqual(stored?.plan, plan, "plan")
                try expectEqual(stored?.weights, .defaults, "weights")
                try expectEqual(stored?.termEnd, d("2027-11-30"), "term end")
                try expectEqual(stored?.arrangementIDs, [], "no arrangements yet")
                stored?.status = .approved
                stored?.decidedBy = "alice"
                let selfApproved = stored!
                var refused = false
                do { try await store.transaction { try await $0.updateMatchProposal(selfApproved) } } catch { refused = true }
                try expect(refused, "the database let the proposer approve the batch")
                stored?.decidedBy = "bob"
                stored?.decidedAt = "2026-11-29T01:00:00.000Z"
                stored?.arrangementIDs = [7, 8]
                let approved = stored!
                try await store.transaction { try await $0.updateMatchProposal(approved) }
                try expectEqual(try await store.transaction { try await $0.matchProposal(id: id, lock: false) }, Optional(approved), "round trip")
                try expectEqual(try await store.transaction { try await $0.matchProposals(unit: "310101") }.map(\.id), [id, second], "order")
                try expectEqual(try await store.transaction { try await $0.matchProposals(unit: "310107") }.count, 0, "other unit")
            }
        },
    ]
}
