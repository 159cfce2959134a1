import Foundation
import Testing
import TuodiApp
import TuodiDomain
import TuodiStore
import TuodiTestSupport

@Suite("Pool workflow", .serialized)
struct PoolWorkflowTests {
    @Test("four eyes: the proposer cannot decide; another approver can; admission creates a membership for the district's term",
          arguments: StoreKind.allCases)
    func fourEyes(_ kind: StoreKind) async throws {
        let (context, f) = try await AuditCoverageTests.prepared(kind)
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        // The clerk who proposed, later made an approver, still may not decide their own proposal.
        let sameUserAsApprover = Caller(userID: clerk.userID, username: clerk.username, role: .districtApprover, unit: "310101")
        await #expect(throws: AppError.conflict(rule: .fourEyes, message: "提议人不能审核自己的提议，须由另一位审核人决定")) {
            _ = try await context.pool.decide(applicationID: f.proposedID, approve: true, reason: nil, by: sameUserAsApprover)
        }
        // A clerk may not decide at all; an approver may not propose.
        await #expect(throws: AppError.self) { _ = try await context.pool.decide(applicationID: f.proposedID, approve: true, reason: nil, by: clerk) }
        let approver = try await TestUsers.caller(context, "hp.approver")
        await #expect(throws: AppError.self) { _ = try await context.pool.propose(applicationID: f.scoredID, .admit, reason: nil, by: approver) }

        _ = try await context.pool.updateSettings(unit: "310101", DistrictSettings(membershipTermYears: 3), by: approver)
        let decided = try await context.pool.decide(applicationID: f.proposedID, approve: true, reason: nil, by: approver)
        #expect(decided.status == .admitted && decided.decidedBy == "hp.approver" && decided.proposedBy == "hp.clerk")
        let roster = try await context.pool.roster(unit: "310101", by: clerk)
        let member = try #require(roster.members.first { $0.uscc == AuditCoverageTests.uscc(3) })
        #expect(member.start.description == "2026-11-28" && member.end.description == "2029-11-27")
        #expect(member.score == studentTotal && member.capacityEstates == 3 && member.capacityHouseholds == 2000)
        try await context.store.close()
    }

    /// 85 × 0.6 + 70 × 0.4
    let studentTotal = 79.0

    @Test("one live application per company and round; the roster as of a day, with the district-group share")
    func rosterAndUniqueness() async throws {
        let (context, f) = try await AuditCoverageTests.prepared(.sqlite)
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        await #expect(throws: AppError.conflict(rule: .duplicate, message: "申请“\(AuditCoverageTests.uscc(1))”已存在")) {
            _ = try await context.pool.apply(roundID: f.roundID, uscc: AuditCoverageTests.uscc(1), capacityEstates: 2, capacityHouseholds: nil, by: clerk)
        }
        let today = try await context.pool.roster(unit: "310101", by: clerk)
        #expect(today.members.count == 5)
        #expect(today.active.count == 4)   // company 5 is suspended
        // Active: companies 4, 8, 9, 10; district-group companies have even numbers: 3 of 4.
        #expect(today.active.map(\.uscc) == [4, 8, 9, 10].map(AuditCoverageTests.uscc))
        #expect(today.districtGroupShare == 0.75)
        let before = try await context.pool.roster(unit: "310101", asOf: LocalDate(iso: "2026-11-27"), by: clerk)
        #expect(before.members.isEmpty && before.districtGroupShare == nil)
        // Another district's clerk sees nothing of it.
        let pt = try await TestUsers.caller(context, "pt.clerk")
        await #expect(throws: AppError.notFound(entity: "unit", key: "310101")) { _ = try await context.pool.roster(unit: "310101", by: pt) }
        try await context.store.close()
    }
}
