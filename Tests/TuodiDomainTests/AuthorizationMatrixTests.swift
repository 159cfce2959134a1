import Testing
import TuodiDomain

/// Every operation × every role × own/other district. The expected table is written out here,
/// independently of `Authorization`; an operation missing from it fails the test.
@Suite("Authorisation matrix")
struct AuthorizationMatrixTests {
    static let all = Set(Role.allCases)
    static let expected: [Action: Set<Role>] = [
        .userCreate: [.admin], .userList: [.admin], .userDeactivate: [.admin], .userResetPassword: [.admin],
        .tokenRevokeOwn: all,
        .companyRegister: [.districtClerk, .admin], .companyRead: all,
        .estateRegister: [.districtClerk], .estateRecordFact: [.districtClerk], .estateCorrect: [.districtClerk],
        .estateRead: all,
        .estateImport: [.districtClerk], .companyImport: [.districtClerk, .admin], .poolImport: [.districtClerk],
        .factImport: [.districtClerk], .arrangementRecord: [.districtClerk], .arrangementImport: [.districtClerk],
        .settingsUpdate: [.districtApprover], .poolRead: all,
        .poolRoundOpen: [.districtClerk], .poolApply: [.districtClerk], .poolScore: [.districtClerk], .poolPropose: [.districtClerk],
        .poolDecide: [.districtApprover], .poolRecordAdmission: [.districtClerk],
        .membershipSuspend: [.districtClerk], .membershipReinstate: [.districtClerk], .membershipRemove: [.districtClerk],
        .arrangementRead: all, .arrangementPropose: [.districtClerk], .arrangementApprove: [.districtApprover],
        .arrangementReject: [.districtApprover], .arrangementExtend: [.districtClerk], .arrangementTerminate: [.districtClerk],
        .selectionRead: all, .selectionCreate: [.districtClerk], .selectionInvite: [.districtClerk], .selectionOpen: [.districtClerk],
        .selectionBid: [.districtClerk], .selectionInvalidateBid: [.districtClerk], .selectionClose: [.districtClerk],
        .selectionCancel: [.districtClerk], .selectionProposeAward: [.districtClerk], .selectionApproveAward: [.districtApprover],
        .matchRead: all, .matchPropose: [.districtClerk], .matchEdit: [.districtClerk], .matchApprove: [.districtApprover],
        .matchReject: [.districtApprover],
        .coverageRead: all, .returnRead: all, .returnDraft: [.districtClerk], .returnApprove: [.districtApprover],
        .returnSubmit: [.districtClerk, .districtApprover], .returnRollup: [.municipalAnalyst],
        .auditRead: all, .auditVerify: [.admin, .municipalAnalyst],
    ]

    static func caller(_ role: Role) -> Caller {
        Caller(userID: 1, username: role.rawValue, role: role, unit: role.isDistrictScoped ? "310101" : nil)
    }

    @Test("every operation has a row", arguments: Action.allCases)
    func everyOperationIsInTheMatrix(_ action: Action) throws {
        _ = try #require(Self.expected[action], "add \(action.rawValue) to the authorisation matrix")
    }

    @Test("role × own/other district", arguments: Action.allCases, Role.allCases)
    func decision(_ action: Action, _ role: Role) throws {
        let allowed = try #require(Self.expected[action]).contains(role)
        let own = Authorization.decide(action, actor: Self.caller(role), unit: "310101")
        let other = Authorization.decide(action, actor: Self.caller(role), unit: "310107")
        let cityWide = Authorization.decide(action, actor: Self.caller(role), unit: nil)
        // Another district's record is hidden from district roles, never merely forbidden, and
        // whether or not the role could act on it in its own district.
        let hiddenElsewhere = action.isUnitScoped && role.isDistrictScoped
        if !allowed {
            #expect(own == .forbidden && cityWide == .forbidden)
            #expect(other == (hiddenElsewhere ? .hidden : .forbidden))
        } else {
            #expect(own == .allowed && cityWide == .allowed)
            #expect(other == (hiddenElsewhere ? .hidden : .allowed))
        }
    }

    @Test("the municipal analyst changes nothing; the admin changes no district data")
    func readOnlyRoles() {
        for action in Action.allCases where action.isMutating && action != .tokenRevokeOwn {
            #expect(Authorization.decide(action, actor: Self.caller(.municipalAnalyst), unit: nil) == .forbidden, "\(action)")
            if action.isUnitScoped {
                #expect(Authorization.decide(action, actor: Self.caller(.admin), unit: "310101") == .forbidden, "\(action)")
            }
        }
    }
}
