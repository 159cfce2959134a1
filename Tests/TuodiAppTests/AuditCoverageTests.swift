import Foundation
import Testing
@testable import TuodiApp
import TuodiDomain
import TuodiStore
import TuodiTestSupport

/// Every mutating operation leaves exactly one audit entry, written by the app layer in the
/// same transaction; a refused one leaves none. The `switch` has no default: a new operation
/// does not compile until it has a scenario here.
@Suite("Audit: one entry per change")
struct AuditCoverageTests {
    static let mutating = Action.allCases.filter(\.isMutating)

    /// Performs `action` once as a user allowed to, on a store prepared with the test cast, an
    /// estate HP-A1 with one fact, and a token for hp.clerk.
    static func perform(_ action: Action, _ context: AppContext, _ f: Fixture) async throws {
        let (token, factID) = (f.token, f.factID)
        let admin = try await TestUsers.caller(context, "admin")
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        let approver = try await TestUsers.caller(context, "hp.approver")
        switch action {
        case .userCreate:
            _ = try await context.identity.create(UserDraft(username: "new.user", displayName: "新用户", role: "municipalAnalyst",
                                                            unit: nil, password: "a long password"), by: admin)
        case .userDeactivate:
            _ = try await context.identity.deactivate(username: "pt.clerk", reason: "离职", by: admin)
        case .userResetPassword:
            _ = try await context.identity.resetPassword(username: "pt.clerk", password: "another long password", by: admin)
        case .tokenRevokeOwn:
            try await context.identity.logout(token: token, by: clerk)
        case .companyRegister:
            _ = try await context.companies.register(CompanyDraft(uscc: "91350100M000100Y43", name: "上海示例", ownership: "private"), by: clerk)
        case .estateRegister:
            _ = try await context.estates.register(Self.estateDraft("HP-A2"), by: clerk)
        case .estateRecordFact:
            _ = try await context.estates.recordFact(code: "HP-A1", FactDraft(kind: "regularBegan", date: "2026-09-01", company: "丁物业"), by: clerk)
        case .estateCorrect:
            _ = try await context.estates.correctFact(code: "HP-A1", factID: factID, replacement: nil, reason: "录入错误", by: clerk)
        case .settingsUpdate:
            _ = try await context.pool.updateSettings(unit: "310101", DistrictSettings(membershipTermYears: 3), by: approver)
        case .estateImport:
            let report = try await context.imports.estates(ImportTests.estateTable(rows: 1, prefix: "IMP"), dryRun: false, by: clerk)
            #expect(report.imported == 1)
        case .companyImport:
            let report = try await context.imports.companies(ImportTests.companyTable(rows: 1, from: 500), dryRun: false, by: clerk)
            #expect(report.imported == 1)
        case .poolImport:
            let table = ImportTable(headers: ["统一社会信用代码", "可承接小区数", "服务能力", "信用"], rows: [(2, [f.freshUSCC, "4", "90", "80"])])
            let report = try await context.imports.applications(table, roundID: f.roundID, dryRun: false, by: clerk)
            #expect(report.imported == 1 && report.errors.isEmpty)
        case .factImport:
            let table = ImportTable(headers: ["小区编码", "事实类型", "生效日期", "企业名称"], rows: [(2, ["HP-A1", "regularBegan", "2026-09-01", "丁物业"])])
            let report = try await context.imports.facts(table, dryRun: false, by: clerk)
            #expect(report.imported == 1 && report.errors.isEmpty)
        case .poolRoundOpen:
            _ = try await context.pool.openRound(Self.roundDraft, by: clerk)
        case .poolApply:
            _ = try await context.pool.apply(roundID: f.roundID, uscc: f.freshUSCC, capacityEstates: 3, capacityHouseholds: nil, by: clerk)
        case .poolScore:
            _ = try await context.pool.score(applicationID: f.appliedID, scores: ["服务能力": 80, "信用": 90], by: clerk)
        case .poolPropose:
            _ = try await context.pool.propose(applicationID: f.scoredID, .admit, reason: nil, by: clerk)
        case .poolDecide:
            _ = try await context.pool.decide(applicationID: f.proposedID, approve: true, reason: nil, by: approver)
        case .poolRecordAdmission:
            _ = try await context.pool.recordAdmission(Self.recordedAdmission(f), by: clerk)
        case .membershipSuspend:
            _ = try await context.pool.suspend(membershipID: f.activeMembershipID, reason: "投诉调查", until: nil, by: clerk)
        case .membershipReinstate:
            _ = try await context.pool.reinstate(membershipID: f.suspendedMembershipID, reason: "调查结束", by: clerk)
        case .membershipRemove:
            _ = try await context.pool.remove(membershipID: f.activeMembershipID, reason: "严重违约", by: clerk)
        case .arrangementPropose:
            _ = try await context.arrangements.propose(ArrangementDraft(estateCode: "HP-B1", kind: "communityFallback", body: "豫园街道办事处",
                contact: "王主任 021-6000", start: "2028-01-01", reviewDate: "2028-06-30"), by: clerk)
        case .arrangementApprove:
            _ = try await context.arrangements.approve(id: f.proposedArrangementID, by: approver)
        case .arrangementReject:
            _ = try await context.arrangements.reject(id: f.proposedArrangementID, reason: "理由不充分", by: approver)
        case .arrangementExtend:
            _ = try await context.arrangements.extend(id: f.activeArrangementID, plannedEnd: "2027-12-31", reason: "业委会筹备延后", by: clerk)
        case .arrangementTerminate:
            _ = try await context.arrangements.terminate(id: f.activeArrangementID, lastDay: "2027-03-31", reason: "业主自管难以为继", by: clerk)
        case .arrangementRecord:
            _ = try await context.arrangements.record(Self.recordedArrangement, by: clerk)
        case .arrangementImport:
            let report = try await context.imports.arrangements(Self.recordedArrangementTable, dryRun: false, by: clerk)
            #expect(report.imported == 1 && report.errors.isEmpty, "\(report.errors)")
        case .selectionCreate:
            _ = try await context.selections.create(Self.selectionDraft, by: clerk)
        case .selectionInvite:
            _ = try await context.selections.invite(id: f.bareSelectionID, usccs: nil, by: clerk)
        case .selectionOpen:
            _ = try await context.selections.open(id: f.invitedSelectionID, by: clerk)
        case .selectionBid:
            _ = try await context.selections.bid(id: f.openSelectionID, BidDraft(uscc: uscc(9), price: 1.1, technicalScore: 80), by: clerk)
        case .selectionInvalidateBid:
            _ = try await context.selections.invalidateBid(id: f.openSelectionID, bidID: f.openBidID, reason: "资质文件缺失", by: clerk)
        case .selectionClose:
            _ = try await context.selections.close(id: f.openSelectionID, by: clerk)
        case .selectionCancel:
            _ = try await context.selections.cancel(id: f.bareSelectionID, reason: "小区已自行选聘", by: clerk)
        case .selectionProposeAward:
            _ = try await context.selections.proposeAward(id: f.evaluationSelectionID, by: clerk)
        case .selectionApproveAward:
            _ = try await context.selections.approveAward(id: f.awardProposedSelectionID, by: approver)
        case .matchPropose:
            let p = try await context.matching.propose(unit: "310101", asOf: nil, start: "2026-12-01", plannedEnd: "2027-02-28", by: clerk)
            #expect(p.pairs.map(\.estateCode) == ["HP-C1"])
        case .matchEdit:
            _ = try await context.matching.edit(id: f.matchProposalID, estateCode: "HP-C1", uscc: nil, reason: "改为业主自管", by: clerk)
        case .matchApprove:
            #expect(try await context.matching.approve(id: f.matchProposalID, by: approver).arrangementIDs.count == 1)
        case .matchReject:
            _ = try await context.matching.reject(id: f.matchProposalID, reason: "等待选聘结果", by: approver)
        case .returnDraft:
            _ = try await context.returns.draft(unit: "310101", year: 2026, quarter: 3, by: clerk)
        case .returnApprove:
            _ = try await context.returns.approve(unit: "310101", year: 2026, quarter: 3, by: approver)
        case .returnSubmit:
            _ = try await context.returns.submit(unit: "310101", year: 2026, quarter: 2, by: clerk)
        case .userList, .companyRead, .estateRead, .auditRead, .auditVerify, .poolRead, .arrangementRead, .selectionRead, .matchRead,
             .coverageRead, .returnRead, .returnRollup:
            Issue.record("\(action) is not mutating")
        }
    }

    static let selectionDraft = SelectionRoundDraft(unit: "310101", title: "HP-C1 临时物业服务比选", estateCodes: ["HP-C1"],
                                                    technicalPercent: 70, pricePercent: 30, closesOn: "2026-12-15",
                                                    termStart: "2027-01-01", termEnd: "2027-12-31")

    /// Community fallback on HP-C1 (unmanaged since 1 July, no arrangement), decided before Tuodi.
    static let recordedArrangement = RecordedArrangementDraft(
        arrangement: ArrangementDraft(estateCode: "HP-C1", kind: "communityFallback", body: "豫园街道办事处", contact: "王主任 021-6000",
                                      start: "2026-08-01", reviewDate: "2026-12-31"),
        decidedOn: "2026-07-25", documentRef: "豫园街道〔2026〕9号")

    /// The same, as one row of the arrangement import.
    static let recordedArrangementTable = ImportTable(
        headers: ["小区编码", "托底方式", "决定日期", "文号", "开始日期", "复核日期", "负责主体", "联系人及电话"],
        rows: [(2, ["HP-C1", "社区托底服务", "2026-07-25", "豫园街道〔2026〕9号", "2026-08-01", "2026-12-31", "豫园街道办事处", "王主任 021-6000"])])

    /// A past admission decision for the fixture's fresh company.
    static func recordedAdmission(_ f: Fixture) -> RecordedAdmissionDraft {
        RecordedAdmissionDraft(unit: "310101", decidedOn: "2026-05-20", documentRef: "黄房物〔2026〕12号",
                               members: [.init(uscc: f.freshUSCC, capacityEstates: 4)])
    }

    static let roundDraft = AdmissionRoundDraft(unit: "310101", title: "2026 年黄浦区临时物业服务企业预选库征集", opensOn: "2026-11-01",
                                                closesOn: "2026-12-31", criteria: [ScoringCriterion(name: "服务能力", weightPercent: 60),
                                                                                   ScoringCriterion(name: "信用", weightPercent: 40)])

    static func uscc(_ n: Int) -> String {
        USCC.withCheckCharacter(body: "91310101MA1FT" + String(format: "%04d", n))!.value
    }

    /// What each scenario starts from.
    struct Fixture: Sendable {
        var token = "", factID = 0, roundID = 0, appliedID = 0, scoredID = 0, proposedID = 0
        var activeMembershipID = 0, suspendedMembershipID = 0, freshUSCC = ""
        var proposedArrangementID = 0, activeArrangementID = 0
        var bareSelectionID = 0, invitedSelectionID = 0, openSelectionID = 0, openBidID = 0
        var evaluationSelectionID = 0, awardProposedSelectionID = 0, matchProposalID = 0
    }

    static func estateDraft(_ code: String) -> EstateDraft {
        EstateDraft(code: code, name: "测试小区", address: "某路 1 号", unit: "310101", subDistrict: "豫园街道",
                    category: "直管公房", households: "120", buildings: "3", floorArea: "5,400.5", yearBuilt: "1965")
    }

    static func prepared(_ kind: StoreKind = .sqlite) async throws -> (AppContext, Fixture) {
        let store = try await TestDatabases.freshStore(kind)
        let context = AppContext(store: store, clock: FixedClock(LocalDate(year: 2026, month: 11, day: 28)!),
                                 logger: TestDatabases.logger, security: SecuritySettings(bcryptCost: 4))
        try await TestUsers.create(context)
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        _ = try await context.estates.register(estateDraft("HP-A1"), by: clerk)
        let view = try await context.estates.recordFact(code: "HP-A1", FactDraft(kind: "becameUnmanaged", date: "2026-07-01",
                                                                                  reason: "previousCompanyLeft"), by: clerk)
        var f = Fixture()
        f.token = try await context.identity.login(username: "hp.clerk", password: TestUsers.password).token
        f.factID = view.facts[0].fact.id
        // A round with applications in every state, and two memberships (one then suspended).
        let approver = try await TestUsers.caller(context, "hp.approver")
        for n in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] {
            _ = try await context.companies.register(CompanyDraft(uscc: uscc(n), name: "企业\(n)", ownership: "private", districtGroup: n % 2 == 0), by: clerk)
        }
        f.freshUSCC = uscc(7)
        f.roundID = try await context.pool.openRound(roundDraft, by: clerk).id
        func applied(_ n: Int) async throws -> Int {
            try await context.pool.apply(roundID: f.roundID, uscc: uscc(n), capacityEstates: 3, capacityHouseholds: 2000, by: clerk).id
        }
        let scores: [String: Double] = ["服务能力": 85, "信用": 70]
        f.appliedID = try await applied(1)
        f.scoredID = try await applied(2)
        _ = try await context.pool.score(applicationID: f.scoredID, scores: scores, by: clerk)
        f.proposedID = try await applied(3)
        _ = try await context.pool.score(applicationID: f.proposedID, scores: scores, by: clerk)
        _ = try await context.pool.propose(applicationID: f.proposedID, .admit, reason: nil, by: clerk)
        var memberships: [Int] = []
        for n in [4, 5, 8, 9, 10] {
            let id = try await applied(n)
            _ = try await context.pool.score(applicationID: id, scores: scores, by: clerk)
            _ = try await context.pool.propose(applicationID: id, .admit, reason: "综合得分高", by: clerk)
            _ = try await context.pool.decide(applicationID: id, approve: true, reason: nil, by: approver)
        }
        memberships = try await context.pool.roster(unit: "310101", by: clerk).members.map(\.membershipID)
        f.activeMembershipID = memberships[0]
        f.suspendedMembershipID = memberships[1]
        _ = try await context.pool.suspend(membershipID: f.suspendedMembershipID, reason: "整改", until: nil, by: clerk)
        // Arrangements: a custody proposal on HP-A1, an approved owner self-management on HP-B1.
        for code in ["HP-B1", "HP-C1"] {
            _ = try await context.estates.register(estateDraft(code), by: clerk)
            _ = try await context.estates.recordFact(code: code, FactDraft(kind: "becameUnmanaged", date: "2026-07-01", reason: "contractEnded"), by: clerk)
        }
        f.proposedArrangementID = try await context.arrangements.propose(ArrangementDraft(
            estateCode: "HP-A1", kind: "custody", uscc: uscc(8), start: "2026-12-01", plannedEnd: "2027-05-31", fee: 0.8,
            justification: "原物业撤场，需立即接管"), by: clerk).id
        let ownerSelf = try await context.arrangements.propose(ArrangementDraft(
            estateCode: "HP-B1", kind: "ownerSelf", body: "HP-B1 业主委员会", contact: "李主任 13800000000", start: "2026-12-01",
            plannedEnd: "2027-06-30", reviewDate: "2027-03-01"), by: clerk)
        f.activeArrangementID = try await context.arrangements.approve(id: ownerSelf.id, by: approver).id
        // Selection rounds on HP-C1 in each state a step starts from.
        let s = context.selections
        f.bareSelectionID = try await s.create(selectionDraft, by: clerk).id
        f.invitedSelectionID = try await s.create(selectionDraft, by: clerk).id
        _ = try await s.invite(id: f.invitedSelectionID, usccs: nil, by: clerk)
        func opened(bidders: [Int]) async throws -> Int {
            let id = try await s.create(selectionDraft, by: clerk).id
            _ = try await s.invite(id: id, usccs: nil, by: clerk)
            _ = try await s.open(id: id, by: clerk)
            for (i, n) in bidders.enumerated() {
                _ = try await s.bid(id: id, BidDraft(uscc: uscc(n), price: 1.0 + Double(i) / 10, technicalScore: 80 - Double(i)), by: clerk)
            }
            return id
        }
        f.openSelectionID = try await opened(bidders: [8])
        f.openBidID = try await s.show(id: f.openSelectionID, by: clerk).bids[0].id
        f.evaluationSelectionID = try await opened(bidders: [4, 8, 10])
        _ = try await s.close(id: f.evaluationSelectionID, by: clerk)
        f.awardProposedSelectionID = try await opened(bidders: [4, 8, 10])
        _ = try await s.close(id: f.awardProposedSelectionID, by: clerk)
        _ = try await s.proposeAward(id: f.awardProposedSelectionID, by: clerk)
        // A batch custody proposal: HP-C1 is the one estate no arrangement holds.
        f.matchProposalID = try await context.matching.propose(unit: "310101", asOf: nil, start: "2026-12-01", plannedEnd: nil, by: clerk).id
        // Quarterly returns: Q2 2026 approved, Q3 2026 drafted.
        _ = try await context.returns.draft(unit: "310101", year: 2026, quarter: 2, by: clerk)
        _ = try await context.returns.approve(unit: "310101", year: 2026, quarter: 2, by: approver)
        _ = try await context.returns.draft(unit: "310101", year: 2026, quarter: 3, by: clerk)
        return (context, f)
    }

    static func count(_ context: AppContext) async throws -> Int {
        try await context.store.transaction { try await $0.allAuditEntries().count }
    }

    @Test("exactly one entry, with the acting user and the action", arguments: mutating, StoreKind.allCases)
    func oneEntry(_ action: Action, _ kind: StoreKind) async throws {
        let (context, fixture) = try await Self.prepared(kind)
        let before = try await Self.count(context)
        try await Self.perform(action, context, fixture)
        let entries = try await context.store.transaction { try await $0.allAuditEntries() }
        #expect(entries.count == before + 1)
        #expect(entries.last?.action == action.rawValue)
        let expectedActor = action.rawValue.hasPrefix("user.") ? "admin"
            : [.poolDecide, .settingsUpdate, .arrangementApprove, .arrangementReject, .selectionApproveAward, .matchApprove, .matchReject,
               .returnApprove].contains(action) ? "hp.approver" : "hp.clerk"
        #expect(entries.last?.actor == expectedActor)
        #expect(AuditChain.firstBreak(in: entries) == nil)
        try await context.store.close()
    }

    @Test("a refused change leaves no entry and no change", arguments: mutating, StoreKind.allCases)
    func refusedLeavesNothing(_ action: Action, _ kind: StoreKind) async throws {
        let (context, f) = try await Self.prepared(kind)
        let (token, factID) = (f.token, f.factID)
        let before = try await Self.count(context)
        let analyst = try await TestUsers.caller(context, "city.analyst")
        let refused: Bool
        do {
            switch action {
            case .userCreate:
                _ = try await context.identity.create(UserDraft(username: "x.user", displayName: "x", role: "admin", unit: nil,
                                                                password: "a long password"), by: analyst)
            case .userDeactivate: _ = try await context.identity.deactivate(username: "pt.clerk", reason: "x", by: analyst)
            case .userResetPassword:
                _ = try await context.identity.resetPassword(username: "pt.clerk", password: "another long password", by: analyst)
            case .tokenRevokeOwn: try await context.identity.logout(token: token + "x", by: analyst)
            case .companyRegister:
                _ = try await context.companies.register(CompanyDraft(uscc: "91350100M000100Y43", name: "x", ownership: "private"), by: analyst)
            case .estateRegister: _ = try await context.estates.register(Self.estateDraft("HP-A3"), by: analyst)
            case .estateRecordFact:
                _ = try await context.estates.recordFact(code: "HP-A1", FactDraft(kind: "regularBegan", date: "2026-09-01", company: "x"), by: analyst)
            case .estateCorrect:
                _ = try await context.estates.correctFact(code: "HP-A1", factID: factID, replacement: nil, reason: "x", by: analyst)
            case .settingsUpdate: _ = try await context.pool.updateSettings(unit: "310101", DistrictSettings(), by: analyst)
            case .estateImport: _ = try await context.imports.estates(ImportTests.estateTable(rows: 1, prefix: "IMP"), dryRun: false, by: analyst)
            case .companyImport: _ = try await context.imports.companies(ImportTests.companyTable(rows: 1, from: 500), dryRun: false, by: analyst)
            case .poolImport:
                _ = try await context.imports.applications(ImportTable(headers: ["统一社会信用代码", "可承接小区数"], rows: [(2, [f.freshUSCC, "4"])]),
                                                           roundID: f.roundID, dryRun: false, by: analyst)
            case .factImport:
                _ = try await context.imports.facts(ImportTable(headers: ["小区编码", "事实类型", "生效日期", "企业名称"],
                                                                rows: [(2, ["HP-A1", "regularBegan", "2026-09-01", "x"])]), dryRun: false, by: analyst)
            case .poolRoundOpen: _ = try await context.pool.openRound(Self.roundDraft, by: analyst)
            case .poolApply:
                _ = try await context.pool.apply(roundID: f.roundID, uscc: f.freshUSCC, capacityEstates: 3, capacityHouseholds: nil, by: analyst)
            case .poolScore: _ = try await context.pool.score(applicationID: f.appliedID, scores: ["服务能力": 1, "信用": 1], by: analyst)
            case .poolPropose: _ = try await context.pool.propose(applicationID: f.scoredID, .admit, reason: nil, by: analyst)
            case .poolDecide: _ = try await context.pool.decide(applicationID: f.proposedID, approve: true, reason: nil, by: analyst)
            case .poolRecordAdmission: _ = try await context.pool.recordAdmission(Self.recordedAdmission(f), by: analyst)
            case .membershipSuspend: _ = try await context.pool.suspend(membershipID: f.activeMembershipID, reason: "x", until: nil, by: analyst)
            case .membershipReinstate: _ = try await context.pool.reinstate(membershipID: f.suspendedMembershipID, reason: "x", by: analyst)
            case .membershipRemove: _ = try await context.pool.remove(membershipID: f.activeMembershipID, reason: "x", by: analyst)
            case .arrangementPropose:
                _ = try await context.arrangements.propose(ArrangementDraft(estateCode: "HP-B1", kind: "communityFallback", body: "x",
                    contact: "x", start: "2028-01-01", reviewDate: "2028-06-30"), by: analyst)
            case .arrangementApprove: _ = try await context.arrangements.approve(id: f.proposedArrangementID, by: analyst)
            case .arrangementReject: _ = try await context.arrangements.reject(id: f.proposedArrangementID, reason: "x", by: analyst)
            case .arrangementExtend:
                _ = try await context.arrangements.extend(id: f.activeArrangementID, plannedEnd: "2027-12-31", reason: "x", by: analyst)
            case .arrangementTerminate:
                _ = try await context.arrangements.terminate(id: f.activeArrangementID, lastDay: "2027-03-31", reason: "x", by: analyst)
            case .arrangementRecord: _ = try await context.arrangements.record(Self.recordedArrangement, by: analyst)
            case .arrangementImport: _ = try await context.imports.arrangements(Self.recordedArrangementTable, dryRun: false, by: analyst)
            case .selectionCreate: _ = try await context.selections.create(Self.selectionDraft, by: analyst)
            case .selectionInvite: _ = try await context.selections.invite(id: f.bareSelectionID, usccs: nil, by: analyst)
            case .selectionOpen: _ = try await context.selections.open(id: f.invitedSelectionID, by: analyst)
            case .selectionBid:
                _ = try await context.selections.bid(id: f.openSelectionID, BidDraft(uscc: Self.uscc(9), price: 1, technicalScore: 1), by: analyst)
            case .selectionInvalidateBid:
                _ = try await context.selections.invalidateBid(id: f.openSelectionID, bidID: f.openBidID, reason: "x", by: analyst)
            case .selectionClose: _ = try await context.selections.close(id: f.openSelectionID, by: analyst)
            case .selectionCancel: _ = try await context.selections.cancel(id: f.bareSelectionID, reason: "x", by: analyst)
            case .selectionProposeAward: _ = try await context.selections.proposeAward(id: f.evaluationSelectionID, by: analyst)
            case .selectionApproveAward: _ = try await context.selections.approveAward(id: f.awardProposedSelectionID, by: analyst)
            case .matchPropose:
                _ = try await context.matching.propose(unit: "310101", asOf: nil, start: "2026-12-01", plannedEnd: nil, by: analyst)
            case .matchEdit:
                _ = try await context.matching.edit(id: f.matchProposalID, estateCode: "HP-C1", uscc: nil, reason: "x", by: analyst)
            case .matchApprove: _ = try await context.matching.approve(id: f.matchProposalID, by: analyst)
            case .matchReject: _ = try await context.matching.reject(id: f.matchProposalID, reason: "x", by: analyst)
            case .returnDraft: _ = try await context.returns.draft(unit: "310101", year: 2026, quarter: 3, by: analyst)
            case .returnApprove: _ = try await context.returns.approve(unit: "310101", year: 2026, quarter: 3, by: analyst)
            case .returnSubmit: _ = try await context.returns.submit(unit: "310101", year: 2026, quarter: 2, by: analyst)
            case .userList, .companyRead, .estateRead, .auditRead, .auditVerify, .poolRead, .arrangementRead, .selectionRead, .matchRead,
                 .coverageRead, .returnRead, .returnRollup:
                Issue.record("\(action) is not mutating")
            }
            refused = false
        } catch let e as AppError {
            switch e {
            case .forbidden, .unauthenticated, .notFound: refused = true
            default: refused = false
            }
        }
        #expect(refused)
        #expect(try await Self.count(context) == before)
        try await context.store.close()
    }

    @Test("login is throttled after repeated failures, then allowed once the lock has passed", arguments: StoreKind.allCases)
    func throttling(_ kind: StoreKind) async throws {
        let store = try await TestDatabases.freshStore(kind)
        var now = Date(timeIntervalSince1970: 1_790_000_000)
        let clock = MutableClock(start: now)
        let context = AppContext(store: store, clock: clock, logger: TestDatabases.logger, security: SecuritySettings(bcryptCost: 4))
        try await TestUsers.create(context)
        for _ in 0..<5 {
            await #expect(throws: AppError.self) { _ = try await context.identity.login(username: "hp.clerk", password: "wrong") }
        }
        // Locked: even the right password is refused.
        await #expect(throws: AppError.unauthenticated("登录失败次数过多，账号已暂时锁定 15 分钟")) {
            _ = try await context.identity.login(username: "hp.clerk", password: TestUsers.password)
        }
        now.addTimeInterval(15 * 60 + 1)
        clock.set(now)
        _ = try await context.identity.login(username: "hp.clerk", password: TestUsers.password)
        // A success clears the count: four more failures do not lock.
        for _ in 0..<4 {
            await #expect(throws: AppError.self) { _ = try await context.identity.login(username: "hp.clerk", password: "wrong") }
        }
        _ = try await context.identity.login(username: "hp.clerk", password: TestUsers.password)
        try await store.close()
    }

    @Test("100 parallel wrong passwords: at most 5 are checked before the lock holds", arguments: StoreKind.allCases)
    func parallelGuesses(_ kind: StoreKind) async throws {
        let store = try await TestDatabases.freshStore(kind)
        let context = AppContext(store: store, clock: MutableClock(start: Date(timeIntervalSince1970: 1_790_000_000)),
                                 logger: TestDatabases.logger, security: SecuritySettings(bcryptCost: 4))
        try await TestUsers.create(context)
        let refusals = try await withThrowingTaskGroup(of: String.self) { group in
            for n in 0..<100 {
                group.addTask {
                    do { _ = try await context.identity.login(username: "hp.approver", password: "guess \(n)"); return "accepted" } catch AppError.unauthenticated(let message) {
                        return message
                    }
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        // Each password that was checked and found wrong left exactly one audit entry.
        let checked = try await store.transaction { try await $0.allAuditEntries() }.filter { $0.action == "auth.loginFailed" }.count
        print("parallel guesses on \(kind): \(checked) of 100 checked")
        #expect(checked <= 5 && checked >= 1, "\(checked) checked")
        #expect(refusals.filter { $0.contains("锁定") }.count == 100 - checked)
        #expect(!refusals.contains("accepted"))
        await #expect(throws: AppError.self) { _ = try await context.identity.login(username: "hp.approver", password: TestUsers.password) }
        try await store.close()
    }

    @Test("an unknown user name costs a bcrypt check too, and gets the same answer")
    func unknownUserSameWork() async throws {
        let store = try await TestDatabases.freshStore(.sqlite)
        let context = AppContext(store: store, clock: MutableClock(start: Date(timeIntervalSince1970: 1_790_000_000)),
                                 logger: TestDatabases.logger, security: SecuritySettings(bcryptCost: 10))
        try await TestUsers.create(context)
        let clock = ContinuousClock()
        func timed(_ name: String) async -> (Duration, String) {
            let start = clock.now
            var message = ""
            do { _ = try await context.identity.login(username: name, password: "wrong") } catch AppError.unauthenticated(let m) {
                message = m
            } catch { message = "\(error)" }
            return (clock.now - start, message)
        }
        _ = await timed("nobody")   // the dummy hash is made on first use
        // The same bcrypt check on its own, against the known user's stored hash: the work a
        // wrong password costs. (Compared with the known user's whole login instead, a loaded
        // machine's slow database writes would decide the outcome, not the hashing.)
        let storedHash = try #require(try await store.transaction { tx in try await tx.user(username: "hp.clerk") }).passwordHash
        func bareCheck() async throws -> Duration {
            let start = clock.now
            _ = try await Passwords.verify("wrong", hash: storedHash)
            return clock.now - start
        }
        // The fastest of a few tries each: a busy machine can only slow a try down, never speed it up.
        var unknown = Duration.seconds(60), bare = Duration.seconds(60)
        var unknownMessage = "", knownMessage = ""
        for _ in 0..<3 {
            let u = await timed("no.such.user"), k = await timed("hp.clerk")
            unknown = min(unknown, u.0)
            bare = min(bare, try await bareCheck())
            unknownMessage = u.1; knownMessage = k.1
        }
        #expect(unknownMessage == knownMessage)
        // Cost 10 is tens of milliseconds per check; without the dummy check an unknown name
        // answers after one indexed read, far under half of one.
        #expect(unknown > bare / 2, "unknown \(unknown), one bcrypt check \(bare)")
        try await store.close()
    }
}

/// A clock a test moves by hand.
final class MutableClock: BusinessClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(start: Date) { current = start }
    var now: Date { lock.withLock { current } }
    func set(_ d: Date) { lock.withLock { current = d } }
}
