import Foundation
import HummingbirdBcrypt
import TuodiDomain
import TuodiStore

/// A believable starting point for `make run`: loaded only into an empty database.
public enum DemoData {
    /// Companies of two districts, with valid USCCs (check characters computed, not invented).
    static let companies: [(area: String, serial: Int, name: String, ownership: Ownership, group: Bool, address: String)] = [
        ("310101", 1, "上海黄浦置业物业管理有限公司", .stateWhollyOwned, true, "黄浦区河南南路 1 号"),
        ("310101", 2, "上海外滩城市物业服务有限公司", .stateControlled, true, "黄浦区中山东二路 88 号"),
        ("310101", 3, "上海申江物业管理有限公司", .private, false, "黄浦区西藏中路 268 号"),
        ("310107", 4, "上海普陀房屋物业管理有限公司", .stateWhollyOwned, true, "普陀区曹杨路 500 号"),
        ("310107", 5, "上海长风宜居物业服务有限公司", .private, false, "普陀区大渡河路 168 号"),
        ("310107", 6, "上海真如社区物业有限公司", .other, false, "普陀区真北路 1 号"),
    ]

    /// The USCC of a demo company: `91` (enterprise), the area code, `MA1FP`, a serial, check.
    static func uscc(area: String, serial: Int) -> USCC {
        let digits = String(serial)
        let body = "91" + area + "MA1FP" + String(repeating: "0", count: 4 - digits.count) + digits
        return USCC.withCheckCharacter(body: body)!
    }

    /// The demo password of every demo account. Demo only: `make run` prints it.
    public static let password = "tuodi-demo-2026"

    /// Demo accounts: an admin, a clerk and an approver in 黄浦 and 普陀, a municipal analyst.
    public static let users: [(username: String, name: String, role: Role, unit: String?)] = [
        ("admin", "系统管理员", .admin, nil),
        ("hp.clerk", "黄浦经办 张敏", .districtClerk, "310101"),
        ("hp.approver", "黄浦审核 李强", .districtApprover, "310101"),
        ("pt.clerk", "普陀经办 王芳", .districtClerk, "310107"),
        ("pt.approver", "普陀审核 陈伟", .districtApprover, "310107"),
        ("city.analyst", "市房管局 周洁", .municipalAnalyst, nil),
    ]

    /// Estates of every category; some unmanaged this year, one managed again.
    static let estates: [(code: String, name: String, unit: String, sub: String, category: EstateCategory, dispute: Bool,
                          households: Int, buildings: Int, area: Double, year: Int, unmanagedSince: String?, reason: UnmanagedReason)] = [
        ("HP-0001", "福佑路小区", "310101", "豫园街道", .directPublic, false, 412, 8, 21_350.5, 1958, "2026-03-01", .previousCompanyLeft),
        ("HP-0002", "方浜中路 301 弄", "310101", "豫园街道", .directPublic, true, 186, 4, 8_420.0, 1949, "2026-07-15", .contractEnded),
        ("HP-0003", "瑞金二路小区", "310101", "瑞金二路街道", .workUnitPublic, false, 305, 6, 16_800.0, 1978, nil, .other),
        ("HP-0004", "打浦桥早期商品房", "310101", "打浦桥街道", .earlyCommodity, false, 520, 10, 38_200.0, 1993, "2026-10-08", .newlyIdentified),
        ("PT-0001", "曹杨一村", "310107", "曹杨新村街道", .workUnitPublic, false, 1_020, 24, 52_300.0, 1952, "2026-02-10", .previousCompanyLeft),
        ("PT-0002", "真如西村", "310107", "真如镇街道", .earlyCommodity, true, 640, 12, 41_000.0, 1996, nil, .other),
        ("PT-0003", "长风二村", "310107", "长风新村街道", .otherOld, false, 380, 9, 22_150.0, 1985, "2026-09-20", .contractEnded),
    ]

    /// Loads the demo data when no company and no user exist yet; returns whether it loaded anything.
    /// Everything it writes goes through the audit trail like any other change.
    @discardableResult
    public static func loadIfEmpty(_ context: AppContext) async throws -> Bool {
        let now = context.clock.now
        let hash = Bcrypt.hash(password, cost: context.security.bcryptCost)
        return try await context.store.transaction { tx in
            guard try await tx.companyCount() == 0, try await tx.userCount() == 0 else { return false }
            let audit = AuditWriter(tx: tx, now: now)
            for u in users {
                _ = try await tx.insertUser(NewUser(username: u.username, displayName: u.name, role: u.role, unit: u.unit,
                                                    passwordHash: hash), createdAt: now)
                try await audit.record(Action.userCreate.rawValue, by: "demo", entity: "user", id: u.username, unit: u.unit,
                                       before: Nothing?.none, after: UserView(try await tx.user(username: u.username)!))
            }
            for c in companies {
                let company = Company(uscc: uscc(area: c.area, serial: c.serial), name: c.name, ownership: c.ownership,
                                      districtGroup: c.group, registeredAddress: c.address)
                try await tx.insertCompany(company, recordedAt: now)
                try await audit.record(Action.companyRegister.rawValue, by: "demo", entity: "company", id: company.uscc.value,
                                       unit: nil, before: Nothing?.none, after: company)
            }
            for e in estates {
                let estate = Estate(code: e.code, name: e.name, address: "\(e.sub)\(e.name)", unit: e.unit, legalDistrict: e.unit,
                                    subDistrict: e.sub, category: e.category, highDispute: e.dispute, households: e.households,
                                    buildings: e.buildings, floorArea: e.area, yearBuilt: e.year)
                let id = try await tx.insertEstate(estate, createdAt: now)
                try await audit.record(Action.estateRegister.rawValue, by: "demo", entity: "estate", id: e.code, unit: e.unit,
                                       before: Nothing?.none, after: estate)
                let clerk = e.unit == "310101" ? "hp.clerk" : "pt.clerk"
                var facts: [(LocalDate, ManagementFactKind)] = [(LocalDate(iso: "2015-01-01")!, .regularBegan(company: "原物业服务企业"))]
                if let since = e.unmanagedSince.flatMap(LocalDate.init(iso:)) {
                    facts.append((since.adding(days: -1), .regularEnded(company: "原物业服务企业")))
                }
                for (date, kind) in facts {
                    let factID = try await tx.insertFact(NewManagementFact(estateID: id, date: date, kind: kind, recordedAt: now, recordedBy: clerk))
                    try await audit.record(Action.estateRecordFact.rawValue, by: "demo", entity: "estate", id: e.code, unit: e.unit,
                                           before: Nothing?.none, after: FactSnapshot(id: factID, date: date, kind: kind, supersedes: nil))
                }
            }
            return true
        }
    }
}
