import Foundation
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
        let hash = try await Passwords.hash(password, cost: context.security.bcryptCost)
        let loaded = try await context.store.transaction { tx in
            guard try await tx.companyCount() == 0, try await tx.userCount() == 0 else { return false }
            let audit = AuditWriter(tx: tx, now: now, logger: context.logger)
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
        if loaded {
            try await loadPools(context)
            try await loadYear(context)
        }
        return loaded
    }

    /// Each demo district admits its companies through the real workflow: a round, applications,
    /// scores, the clerk's proposals and the approver's decisions (so the trail shows them too).
    static func loadPools(_ context: AppContext) async throws {
        let today = context.clock.today
        for (unit, prefix) in [("310101", "hp"), ("310107", "pt")] {
            let clerk = try await context.identity.actor(username: "\(prefix).clerk")
            let approver = try await context.identity.actor(username: "\(prefix).approver")
            let round = try await context.pool.openRound(AdmissionRoundDraft(
                unit: unit, title: "\(today.year) 年临时物业服务企业预选库公开征集", opensOn: today.adding(days: -30).description,
                closesOn: today.adding(days: 30).description,
                criteria: [ScoringCriterion(name: "服务能力", weightPercent: 40), ScoringCriterion(name: "信用记录", weightPercent: 30),
                           ScoringCriterion(name: "老旧小区经验", weightPercent: 30)]), by: clerk)
            for (i, c) in companies.filter({ $0.area == unit }).enumerated() {
                let app = try await context.pool.apply(roundID: round.id, uscc: uscc(area: c.area, serial: c.serial).value,
                                                       capacityEstates: 3 + i, capacityHouseholds: 3_000, by: clerk)
                _ = try await context.pool.score(applicationID: app.id, scores: ["服务能力": 92 - Double(i) * 6, "信用记录": 88,
                                                                                "老旧小区经验": 85 - Double(i) * 4], by: clerk)
                // The third applicant is still awaiting the approver, so the workflow shows every step.
                _ = try await context.pool.propose(applicationID: app.id, .admit, reason: "综合得分达到入库标准", by: clerk)
                if i < 2 { _ = try await context.pool.decide(applicationID: app.id, approve: true, reason: nil, by: approver) }
            }
        }
    }
}
