import Foundation
import Testing
import TuodiDomain
import TuodiLabels

@Suite("Labels: one Chinese word for every code")
struct LabelsTests {
    /// A code missing from its table would be shown to a person as the English code itself.
    @Test("every case of every labelled enum has a Chinese label")
    func everyCaseLabelled() {
        func chinese(_ s: String) -> Bool { s.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } }
        let labels: [String] = EstateCategory.allCases.map(\.label) + CoverageKind.allCases.map(\.label)
            + UnmanagedReason.allCases.map(\.label) + ArrangementStatus.allCases.map(\.label)
            + SelectionStatus.allCases.map(\.label) + Role.allCases.map(\.label) + Ownership.allCases.map(\.label)
            + ApplicationStatus.allCases.map(\.label)
            + [AdmissionProposal.admit.label, AdmissionProposal.reject.label]
            + [MembershipState.pending, .active, .suspended, .removed, .expired].map(\.label)
            + [MembershipEvent.Kind.suspended, .reinstated, .removed].map(\.label)
            + [UnplacedReason.noEligibleCompany, .insufficientCapacity].map(\.label)
            + [EstateState.unknown, .managed, .unmanaged, .covered(.custody)].map(\.label)
            + Action.allCases.map { Labels.actions[$0.rawValue] }
        for l in labels { #expect(chinese(l), "\(l) is not Chinese") }
        #expect(EstateState.covered(.ownerSelf).label == "业主自行管理")
        #expect(ManagementFactKind.regularBegan(company: "上海某物业").label == "选聘物业服务企业进驻：上海某物业")
        #expect(ManagementFactKind.becameUnmanaged(reason: .contractEnded).label == "成为无人管理（物业服务合同到期未续）")
    }

    @Test("every audited action has a label")
    func auditActions() {
        for action in Action.allCases { #expect(Labels.auditActions.contains(action.rawValue), "\(action.rawValue)") }
        #expect(Labels.auditActions["auth.login"] == "登录")
    }

    @Test("tables keep their order, find codes by label, and show an unknown code as itself")
    func keyedLabels() {
        #expect(Labels.kinds.codes == ["selection", "custody", "ownerSelf", "communityFallback"])
        #expect(Labels.coveredStates.codes.last == "managed")
        #expect(Labels.finishedRoundStatuses.codes == ["awarded", "failed"])
        #expect(Labels.categories.code(forLabel: "系统公房") == "workUnitPublic")
        #expect(Labels.states["somethingNew"] == "somethingNew")
        #expect(Labels.yesNo(true) == "是" && Labels.yesNo(false) == "否")
    }

    @Test("times are Beijing time, on both sides of midnight UTC")
    func beijingTime() {
        // 2026-12-31T16:30:00Z is already New Year's Day in Shanghai.
        let d = Date(timeIntervalSince1970: 1_798_734_600)
        #expect(Display.beijingTime(d) == "2027-01-01 00:30:00")
        #expect(Display.beijingTime(iso: "2026-12-04T01:02:03.456Z") == "2026-12-04 09:02:03")
        #expect(Display.beijingTime(iso: "2026-12-04T01:02:03Z") == "2026-12-04 09:02:03")
        #expect(Display.beijingTime(iso: "not a time") == "not a time")
    }

    @Test("figures carry their units")
    func units() {
        #expect(Display.households(120) == "120 户")
        #expect(Display.area(1234.5) == "1234.50 ㎡")
        #expect(Display.days(3) == "3 天")
        #expect(Display.percent(0.875) == "87.5%")
        #expect(Display.percent(nil) == "无")
    }
}
