import Foundation
import Testing
import TuodiApp
import TuodiDomain
import TuodiStore
import TuodiTestSupport

/// Past decisions entered by a district adopting Tuodi (#12), on both backends, from the audit
/// fixture (clock 2026-11-28; HP-A1 unmanaged since 1 July 2026).
@Suite("Recorded past decisions")
struct RecordedDecisionTests {
    static func refusal(_ body: () async throws -> Void) async -> String {
        do { try await body(); return "accepted" } catch AppError.conflict(let rule, let message) { return "\(rule.rawValue)：\(message)" } catch { return "\(error)" }
    }

    @Test("a past admission: proposed by a clerk, four eyes, membership from the decision date; backdated custody inside it is accepted, before it refused naming the start",
          arguments: StoreKind.allCases)
    func pastAdmission(_ kind: StoreKind) async throws {
        let (context, _) = try await AuditCoverageTests.prepared(kind)
        let clerk = try await TestUsers.caller(context, "hp.clerk"), approver = try await TestUsers.caller(context, "hp.approver")
        let seven = AuditCoverageTests.uscc(7), six = AuditCoverageTests.uscc(6)
        let roundsBefore = try await context.pool.rounds(unit: "310101", by: clerk).count

        // A decision dated after today is refused on its field, naming both dates; nothing is recorded.
        await #expect(throws: AppError.validation([FieldError(field: "decidedOn", code: "future",
                                                              message: "决定日期 2026-11-29 晚于今天（2026-11-28）：只能登记已经作出的决定")])) {
            _ = try await context.pool.recordAdmission(RecordedAdmissionDraft(unit: "310101", decidedOn: "2026-11-29", documentRef: "x",
                                                                              members: [.init(uscc: seven, capacityEstates: 2)]), by: clerk)
        }
        #expect(try await context.pool.rounds(unit: "310101", by: clerk).count == roundsBefore)

        let (round, applications) = try await context.pool.recordAdmission(RecordedAdmissionDraft(
            unit: "310101", decidedOn: "2026-05-20", documentRef: "黄房物〔2026〕12号",
            members: [.init(uscc: seven, capacityEstates: 2), .init(uscc: six, capacityEstates: 1, termEnd: "2027-05-19")]), by: clerk)
        #expect(round.decidedOn == LocalDate(iso: "2026-05-20") && round.documentRef == "黄房物〔2026〕12号")
        #expect(applications.map(\.status) == [.proposed, .proposed] && applications.allSatisfy { $0.proposedBy == "hp.clerk" && $0.proposal == .admit })

        // Not a member yet: backdated custody is refused.
        let custody = ArrangementDraft(estateCode: "HP-A1", kind: "custody", uscc: seven, start: "2026-07-15", plannedEnd: "2026-11-30",
                                       justification: "原物业撤场，区里当时直接指定")
        #expect(await Self.refusal { _ = try await context.arrangements.propose(custody, by: clerk) }
                == "ineligible：企业 \(seven) 在 2026-07-15 的入库状态为 不在本区预选库，不能承接新项目")

        // Four eyes: the clerk who recorded it may not approve it, even as an approver.
        let sameUser = Caller(userID: clerk.userID, username: clerk.username, role: .districtApprover, unit: "310101")
        #expect(await Self.refusal { _ = try await context.pool.decide(applicationID: applications[0].id, approve: true, reason: nil, by: sameUser) }
                == "fourEyes：提议人不能审核自己的提议，须由另一位审核人决定")
        for a in applications { _ = try await context.pool.decide(applicationID: a.id, approve: true, reason: nil, by: approver) }

        let roster = try await context.pool.roster(unit: "310101", asOf: LocalDate(iso: "2026-06-01"), by: clerk)
        let members = Dictionary(uniqueKeysWithValues: roster.members.map { ($0.uscc, "\($0.start)…\($0.end)") })
        // The district's default term is 2 years; the second decision stated its own.
        #expect(members[seven] == "2026-05-20…2028-05-19" && members[six] == "2026-05-20…2027-05-19")

        // Inside the membership, custody that started before today is accepted and covers those days.
        let proposed = try await context.arrangements.propose(custody, by: clerk)
        #expect(try await context.arrangements.approve(id: proposed.id, by: approver).status == "active")
        #expect(try await context.estates.show(code: "HP-A1", asOf: LocalDate(iso: "2026-08-01"), by: clerk).state == .covered(.custody))

        // Before the decision date: refused, naming the day the membership starts.
        _ = try await context.estates.register(AuditCoverageTests.estateDraft("HP-D1"), by: clerk)
        _ = try await context.estates.recordFact(code: "HP-D1", FactDraft(kind: "becameUnmanaged", date: "2026-03-01", reason: "contractEnded"), by: clerk)
        let early = ArrangementDraft(estateCode: "HP-D1", kind: "custody", uscc: six, start: "2026-04-01", plannedEnd: "2026-06-30", justification: "j")
        #expect(await Self.refusal { _ = try await context.arrangements.propose(early, by: clerk) }
                == "ineligible：企业 \(six) 在 2026-04-01 的入库状态为 不在本区预选库（其入库资格自 2026-05-20 起），不能承接新项目")
        try await context.store.close()
    }

    @Test("an estate registered with its management today: managed by X since D, or unmanaged since D, instead of unknown",
          arguments: StoreKind.allCases)
    func registeredWithManagement(_ kind: StoreKind) async throws {
        let (context, _) = try await AuditCoverageTests.prepared(kind)
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        _ = try await context.estates.register(AuditCoverageTests.estateDraft("HP-E1"),
                                               current: FactDraft(kind: "regularBegan", date: "2015-01-01", company: "甲物业"), by: clerk)
        _ = try await context.estates.register(AuditCoverageTests.estateDraft("HP-E2"),
                                               current: FactDraft(kind: "becameUnmanaged", date: "2026-10-01", reason: "contractEnded"), by: clerk)
        _ = try await context.estates.register(AuditCoverageTests.estateDraft("HP-E3"), by: clerk)
        let managed = try await context.estates.show(code: "HP-E1", asOf: LocalDate(iso: "2020-06-30"), by: clerk)
        #expect(managed.state == .managed && managed.facts.count == 1 && managed.facts[0].recordedBy == "hp.clerk")
        let unmanaged = try await context.estates.show(code: "HP-E2", by: clerk)
        #expect(unmanaged.state == .unmanaged && unmanaged.episodes.map(\.start) == [LocalDate(iso: "2026-10-01")!])
        #expect(try await context.estates.show(code: "HP-E3", by: clerk).state == .unknown)
        // One audit entry per registration, the fact inside it.
        let entries = try await context.store.transaction { try await $0.allAuditEntries() }.filter { $0.entityID == "HP-E1" }
        #expect(entries.map(\.action) == [Action.estateRegister.rawValue])
        // A current state dated after today, or one that is an ending, is refused and nothing is registered.
        await #expect(throws: AppError.validation([FieldError(field: "date", code: "future", message: "事实的日期 2026-12-01 晚于今天（2026-11-28）：只能记录已经发生的事实")])) {
            _ = try await context.estates.register(AuditCoverageTests.estateDraft("HP-E4"),
                                                   current: FactDraft(kind: "regularBegan", date: "2026-12-01", company: "甲物业"), by: clerk)
        }
        await #expect(throws: AppError.self) {
            _ = try await context.estates.register(AuditCoverageTests.estateDraft("HP-E4"),
                                                   current: FactDraft(kind: "regularEnded", date: "2026-10-01", company: "甲物业"), by: clerk)
        }
        await #expect(throws: AppError.notFound(entity: "estate", key: "HP-E4")) { _ = try await context.estates.show(code: "HP-E4", by: clerk) }
        try await context.store.close()
    }
}
