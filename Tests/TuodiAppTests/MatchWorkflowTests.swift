import Foundation
import Testing
import TuodiApp
import TuodiDomain
import TuodiStore
import TuodiTestSupport

/// Batch custody proposals on the live registry, on both backends, from the audit fixture
/// (clock 2026-11-28; members 4, 8, 9, 10 active with capacity 3, 5 suspended; company 8 holds
/// the custody proposal on HP-A1; HP-B1 under owner self-management; HP-C1 unmanaged).
@Suite("Batch custody proposals")
struct MatchWorkflowTests {
    static func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }
    static func u(_ n: Int) -> String { AuditCoverageTests.uscc(n) }

    /// Twelve more unmanaged estates (13 with HP-C1 against 11 places); HP-M01 was left by 企业9,
    /// HP-M02 lies in another sub-district.
    static func addEstates(_ context: AppContext) async throws {
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        for i in 1...12 {
            let code = String(format: "HP-M%02d", i)
            var draft = AuditCoverageTests.estateDraft(code)
            if i == 2 { draft.subDistrict = "外滩街道" }
            _ = try await context.estates.register(draft, by: clerk)
            if i == 1 {
                _ = try await context.estates.recordFact(code: code, FactDraft(kind: "regularBegan", date: "2020-01-01", company: "企业9"), by: clerk)
                _ = try await context.estates.recordFact(code: code, FactDraft(kind: "regularEnded", date: "2026-06-30", company: "企业9"), by: clerk)
            } else {
                _ = try await context.estates.recordFact(code: code, FactDraft(kind: "becameUnmanaged", date: "2026-08-01", reason: "contractEnded"), by: clerk)
            }
        }
    }

    static func rule(_ body: () async throws -> Void) async -> String? {
        do { try await body(); return nil } catch AppError.conflict(let r, _) { return r.rawValue } catch AppError.validation(let e) {
            return e.map(\.field).joined(separator: ",")
        } catch AppError.busy { return RefusalRule.retry.rawValue } catch { return "\(error)" }
    }

    @Test("propose, edit, four eyes, approve: the optimal batch becomes custody arrangements", arguments: StoreKind.allCases)
    func lifecycle(_ kind: StoreKind) async throws {
        let (context, _) = try await AuditCoverageTests.prepared(kind)
        try await Self.addEstates(context)
        let clerk = try await TestUsers.caller(context, "hp.clerk"), approver = try await TestUsers.caller(context, "hp.approver")
        let p = try await context.matching.propose(unit: "310101", asOf: nil, start: "2026-12-01", plannedEnd: nil, by: clerk)
        #expect(p.termStart == Self.d("2026-12-01") && p.termEnd == Self.d("2027-11-30"))   // the district's 12 months
        #expect(p.weights == .defaults)
        // HP-A1 and HP-B1 are held; the 13 others compete for 3 + 2 + 3 + 3 places.
        let codes = Set(p.pairs.map(\.estateCode) + p.unplaced.map(\.estateCode))
        #expect(codes == Set(["HP-C1"] + (1...12).map { String(format: "HP-M%02d", $0) }))
        #expect(p.pairs.count == 11)
        #expect(p.unplaced.map(\.reason) == ["insufficientCapacity", "insufficientCapacity"])
        let perCompany = Dictionary(grouping: p.pairs, by: \.uscc).mapValues(\.count)
        #expect(perCompany == [Self.u(4): 3, Self.u(8): 2, Self.u(9): 3, Self.u(10): 3])
        #expect(!p.pairs.contains { $0.estateCode == "HP-M01" && $0.uscc == Self.u(9) })
        #expect(p.pairs.allSatisfy { $0.cost.factors.count == 4 && $0.cost.total == $0.cost.factors.reduce(0) { $0 + $1.cost } })
        #expect(p.totalCost == p.pairs.reduce(0) { $0 + $1.cost.total })
        #expect(try await context.matching.show(id: p.id, by: clerk) == p)

        // Edits are re-checked: a suspended member, a company that left the estate, a full company.
        // (HP-M01 is avoided as the spare estate: the freed company might be 企业9, which left it.)
        let placed = p.pairs[0].estateCode, spare = try #require(p.unplaced.first { $0.estateCode != "HP-M01" }).estateCode
        #expect(await Self.rule { _ = try await context.matching.edit(id: p.id, estateCode: placed, uscc: Self.u(5), reason: "调整", by: clerk) } == "ineligible")
        #expect(await Self.rule { _ = try await context.matching.edit(id: p.id, estateCode: "HP-M01", uscc: Self.u(9), reason: "调整", by: clerk) } == "ineligible")
        #expect(await Self.rule { _ = try await context.matching.edit(id: p.id, estateCode: spare, uscc: Self.u(4), reason: "调整", by: clerk) } == "capacity")
        #expect(await Self.rule { _ = try await context.matching.edit(id: p.id, estateCode: placed, uscc: Self.u(4), reason: " ", by: clerk) } == "reason")
        // Free a place of the company on `placed`, and give it to the spare estate.
        let freed = p.pairs[0].uscc
        _ = try await context.matching.edit(id: p.id, estateCode: placed, uscc: nil, reason: "该小区拟业主自管", by: clerk)
        let edited = try await context.matching.edit(id: p.id, estateCode: spare, uscc: freed, reason: "就近安排", by: clerk)
        #expect(edited.pairs.first { $0.estateCode == spare }?.editedBy == "hp.clerk")
        #expect(edited.unplaced.first { $0.estateCode == placed }?.reason == "removedByClerk")

        // Four eyes: neither the proposer nor an editor approves, whatever their role.
        let editorAsApprover = Caller(userID: clerk.userID, username: clerk.username, role: .districtApprover, unit: "310101")
        #expect(await Self.rule { _ = try await context.matching.approve(id: p.id, by: editorAsApprover) } == "fourEyes")
        await #expect(throws: AppError.self) { _ = try await context.matching.approve(id: p.id, by: clerk) }
        let approved = try await context.matching.approve(id: p.id, reason: "同意", by: approver)
        #expect(approved.status == "approved" && approved.decidedBy == "hp.approver")
        #expect(approved.arrangementIDs.count == 11)
        for pair in approved.pairs {
            let state = try await context.estates.show(code: pair.estateCode, asOf: Self.d("2026-12-01"), by: clerk).state
            #expect(state == .covered(.custody), "\(pair.estateCode)")
        }
        let custody = try await context.arrangements.list(unit: "310101", by: clerk).filter { approved.arrangementIDs.contains($0.id) }
        #expect(custody.allSatisfy { $0.status == "active" && $0.kind == "custody" && $0.decidedBy == "hp.approver" && $0.proposedBy == "hp.clerk" })
        #expect(Set(custody.map { "\($0.estateCode)→\($0.uscc!)" }) == Set(approved.pairs.map { "\($0.estateCode)→\($0.uscc)" }))
        #expect(await Self.rule { _ = try await context.matching.approve(id: p.id, by: approver) } == "status")
        // A new batch finds only the estates still uncovered, and every place is taken: nothing is paired.
        let next = try await context.matching.propose(unit: "310101", asOf: nil, start: "2026-12-01", plannedEnd: "2027-02-28", by: clerk)
        #expect(Set(next.pairs.map(\.estateCode) + next.unplaced.map(\.estateCode)) == Set(approved.unplaced.map(\.estateCode)))
        #expect(next.pairs.isEmpty)
        try await context.store.close()
    }

    @Test("approval is all or nothing: one estate taken meanwhile refuses the whole batch", arguments: StoreKind.allCases)
    func allOrNothing(_ kind: StoreKind) async throws {
        let (context, f) = try await AuditCoverageTests.prepared(kind)
        let clerk = try await TestUsers.caller(context, "hp.clerk"), approver = try await TestUsers.caller(context, "hp.approver")
        try await Self.addEstates(context)
        let p = try await context.matching.propose(unit: "310101", asOf: nil, start: "2026-12-01", plannedEnd: "2027-05-31", by: clerk)
        #expect(p.pairs.count == 11)
        // Meanwhile a clerk proposes owner self-management on one estate of the batch.
        let taken = p.pairs[5].estateCode
        _ = try await context.arrangements.propose(ArrangementDraft(estateCode: taken, kind: "ownerSelf", body: "业委会", contact: "李 139",
                                                                    start: "2027-01-01", reviewDate: "2027-06-30"), by: clerk)
        let before = try await context.store.transaction { tx in
            (try await tx.arrangements(ArrangementFilter(unit: "310101")).count, try await tx.allAuditEntries().count)
        }
        #expect(await Self.rule { _ = try await context.matching.approve(id: p.id, by: approver) } == "overlap")
        let after = try await context.store.transaction { tx in
            (try await tx.arrangements(ArrangementFilter(unit: "310101")).count, try await tx.allAuditEntries().count)
        }
        #expect(after == before)
        #expect(try await context.matching.show(id: p.id, by: clerk).status == "proposed")
        // Taken out of the batch, the rest goes through.
        _ = try await context.matching.edit(id: p.id, estateCode: taken, uscc: nil, reason: "业主自管", by: clerk)
        #expect(try await context.matching.approve(id: p.id, by: approver).arrangementIDs.count == 10)
        // The custody proposal of the fixture is untouched.
        #expect(try await context.arrangements.show(id: f.proposedArrangementID, by: clerk).status == "proposed")
        try await context.store.close()
    }

    /// The reproducer of a PostgreSQL deadlock: the batch's approval locks estate 1, company X,
    /// estate 2 and so on, while a direct proposal on one of its estates locks that estate, then
    /// company X. Whatever the database aborts is retried or refused; nothing fails otherwise,
    /// and no estate ends up with two providers.
    @Test("a batch approval racing direct proposals on its own estates: each is done or refused, never an error",
          arguments: StoreKind.allCases)
    func batchVersusProposals(_ kind: StoreKind) async throws {
        let (context, _) = try await AuditCoverageTests.prepared(kind)
        let clerk = try await TestUsers.caller(context, "hp.clerk"), approver = try await TestUsers.caller(context, "hp.approver")
        try await Self.addEstates(context)
        let p = try await context.matching.propose(unit: "310101", asOf: nil, start: "2026-12-01", plannedEnd: "2027-05-31", by: clerk)
        // The same company on the same estate, as the batch has it, from the last pair backwards.
        let direct = p.pairs.reversed().prefix(6).map { pair in
            ArrangementDraft(estateCode: pair.estateCode, kind: "custody", uscc: pair.uscc, start: "2026-12-01",
                             plannedEnd: "2027-05-31", justification: "紧急托管")
        }
        let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
            group.addTask { await Self.rule { _ = try await context.matching.approve(id: p.id, by: approver) } ?? "done" }
            for draft in direct {
                group.addTask { await Self.rule { _ = try await context.arrangements.propose(draft, by: clerk) } ?? "done" }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let allowed: Set<String> = ["done", "overlap", "capacity", "retry"]
        #expect(outcomes.allSatisfy(allowed.contains), "\(outcomes)")
        // One provider per estate and day, whoever won.
        let arrangements = try await context.store.transaction { tx in try await tx.arrangements(ArrangementFilter(unit: "310101")) }
        for code in Set(direct.map(\.estateCode)) {
            #expect(arrangements.filter { $0.estateCode == code && $0.start == Self.d("2026-12-01") }.count == 1, "\(code)")
        }
        try await context.store.close()
    }

    @Test("the district's weights steer the batch; bad dates and another district are refused", arguments: StoreKind.allCases)
    func weightsAndScope(_ kind: StoreKind) async throws {
        let (context, f) = try await AuditCoverageTests.prepared(kind)
        let clerk = try await TestUsers.caller(context, "hp.clerk"), approver = try await TestUsers.caller(context, "hp.approver")
        // HP-C1 is a 直管公房 estate; the even-numbered companies (4, 8, 10) are district groups.
        var s = try await context.pool.settings(unit: "310101", by: clerk)
        s.matchWeights = MatchWeights(sameSubDistrict: 0, merit: 0, load: 0, districtGroup: 100)
        _ = try await context.pool.updateSettings(unit: "310101", s, by: approver)
        #expect(try await context.pool.settings(unit: "310101", by: clerk).matchWeights == s.matchWeights)
        let p = try await context.matching.propose(unit: "310101", asOf: nil, start: "2026-12-01", plannedEnd: "2027-02-28", by: clerk)
        let pair = try #require(p.pairs.first)
        #expect([Self.u(4), Self.u(8), Self.u(10)].contains(pair.uscc) && pair.cost.total == 0)
        // Rotation only: company 8 already holds HP-A1, so it is never the choice.
        s.matchWeights = MatchWeights(sameSubDistrict: 0, merit: 0, load: 100, districtGroup: 0)
        _ = try await context.pool.updateSettings(unit: "310101", s, by: approver)
        let q = try await context.matching.propose(unit: "310101", asOf: nil, start: "2026-12-01", plannedEnd: "2027-02-28", by: clerk)
        #expect(q.pairs.first.map { $0.uscc != Self.u(8) && $0.cost.total == 0 } == true)
        let factor = try #require(q.pairs.first?.cost.factors.first { $0.name == "load" })
        #expect(factor.weight == 100 && factor.value == 0)
        // A change that leaves the weights out keeps the stored ones.
        var partial = s
        partial.custodyMaxMonths = 10
        partial.matchWeights = .defaults
        let kept = try await context.pool.updateSettings(unit: "310101", partial, keepingMatchWeights: true, by: approver)
        #expect(kept.custodyMaxMonths == 10 && kept.matchWeights == MatchWeights(sameSubDistrict: 0, merit: 0, load: 100, districtGroup: 0))
        // Weights that do not sum to 100 are refused, field by field.
        s.matchWeights = MatchWeights(sameSubDistrict: 50, merit: 0, load: 0, districtGroup: 0)
        #expect(await Self.rule { _ = try await context.pool.updateSettings(unit: "310101", s, by: approver) } == "matchWeights")

        #expect(await Self.rule { _ = try await context.matching.propose(unit: "310101", asOf: "2026-13-01", start: nil, plannedEnd: nil, by: clerk) } == "asOf")
        #expect(await Self.rule {
            _ = try await context.matching.propose(unit: "310101", asOf: nil, start: "2026-12-01", plannedEnd: "2027-12-01", by: clerk)
        } == "plannedEnd")
        // Another district's clerk neither proposes for 黄浦 nor sees its proposals.
        let other = try await TestUsers.caller(context, "pt.clerk")
        await #expect(throws: AppError.notFound(entity: "unit", key: "310101")) {
            _ = try await context.matching.propose(unit: "310101", asOf: nil, start: nil, plannedEnd: nil, by: other)
        }
        await #expect(throws: AppError.notFound(entity: "matchProposal", key: String(p.id))) {
            _ = try await context.matching.show(id: p.id, by: other)
        }
        #expect(try await context.matching.list(unit: nil, by: other).isEmpty)
        #expect(try await context.matching.list(unit: nil, by: clerk).map(\.id) == [f.matchProposalID, p.id, q.id])
        try await context.store.close()
    }
}
