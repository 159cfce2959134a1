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

    /// Loads the demo data when no company exists yet; returns whether it loaded anything.
    @discardableResult
    public static func loadIfEmpty(_ context: AppContext) async throws -> Bool {
        let now = context.clock.now
        return try await context.store.transaction { tx in
            guard try await tx.companyCount() == 0 else { return false }
            for c in companies {
                try await tx.insertCompany(
                    Company(uscc: uscc(area: c.area, serial: c.serial), name: c.name, ownership: c.ownership,
                            districtGroup: c.group, registeredAddress: c.address),
                    recordedAt: now)
            }
            return true
        }
    }
}
