import TuodiDomain

// The Chinese words of the quarterly return, in one place so the spreadsheet, CSV and HTML
// say the same thing. The keys of each table are exactly the codes the XML schema enumerates
// (reports/quarterly-return.xsd), so the XML writer checks codes against these tables too.
enum ReturnLabels {
    /// Estate categories (`EstateCategory` raw values), in the domain's order.
    static let categories: KeyedLabels = [
        ("directPublic", "直管公房"),
        ("workUnitPublic", "系统公房"),
        ("earlyCommodity", "早期商品房"),
        ("otherOld", "其他老旧小区"),
    ]

    /// An estate's state on a day: managed, unmanaged, unknown, or covered by a kind.
    static let states: KeyedLabels = [
        ("managed", "有物业管理"),
        ("unmanaged", "无人管理"),
        ("selection", "市场竞争选聘"),
        ("custody", "临时托管"),
        ("ownerSelf", "业主自行管理"),
        ("communityFallback", "社区托底服务"),
        ("unknown", "未知"),
    ]

    /// The four coverage kinds (`CoverageKind`), the kinds an arrangement can have.
    static let kinds: KeyedLabels = states.filtered(["selection", "custody", "ownerSelf", "communityFallback"])

    /// What a year-to-date newly unmanaged estate can be on E besides unmanaged: a kind or managed again.
    static let coveredStates: KeyedLabels = states.filtered(["selection", "custody", "ownerSelf", "communityFallback", "managed"])

    /// The two ends of a finished selection round.
    static let roundStatuses: KeyedLabels = [
        ("awarded", "已成交"),
        ("failed", "流标"),
    ]

    /// Where a unit's own return stands, in the municipal roll-up.
    static let returnStatuses: KeyedLabels = [
        ("submitted", "已报送"),
        ("late", "逾期报送"),
        ("missing", "逾期未报送"),
        ("pending", "未到报送期限"),
        ("draft", "草稿（未报送）"),
        ("approved", "已审核（未报送）"),
    ]

    /// What a `nil` rate or figure reads as.
    static let none = "无"
    static let yes = "是"
    static let no = "否"

    /// "黄浦区 2026 年第 4 季度老旧小区无人管理托底情况报表".
    static func title(_ r: QuarterlyReturn) -> String {
        "\(r.unitName) \(r.year) 年第 \(r.quarter) 季度老旧小区无人管理托底情况报表"
    }
}

/// An ordered code → label table that reads like a dictionary but keeps its order.
struct KeyedLabels: ExpressibleByArrayLiteral, Sendable {
    let pairs: [(code: String, label: String)]

    init(arrayLiteral elements: (String, String)...) { pairs = elements.map { (code: $0.0, label: $0.1) } }
    private init(pairs: [(code: String, label: String)]) { self.pairs = pairs }

    var codes: [String] { pairs.map(\.code) }

    func contains(_ code: String) -> Bool { pairs.contains { $0.code == code } }

    /// The label of `code`; an unknown code is shown as itself rather than hidden.
    subscript(_ code: String) -> String { pairs.first { $0.code == code }?.label ?? code }

    func filtered(_ codes: [String]) -> KeyedLabels {
        KeyedLabels(pairs: codes.map { code in (code: code, label: self[code]) })
    }
}
