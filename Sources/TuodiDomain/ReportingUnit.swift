/// One of the 17 units that report to the municipal bureau: the 16 districts (by GB/T 2260
/// code) and the Lingang Special Area, which has no GB/T 2260 code of its own.
public struct ReportingUnit: Hashable, Sendable, Codable {
    /// The GB/T 2260 code of a district, or `LG` for Lingang.
    public let code: String
    /// The Chinese name, e.g. 黄浦区.
    public let name: String
    /// Whether the unit is a legal district (Lingang is not: its estates keep their legal district).
    public let isDistrict: Bool

    public init(code: String, name: String, isDistrict: Bool) {
        self.code = code
        self.name = name
        self.isDistrict = isDistrict
    }

    /// The project code for the Lingang Special Area (临港新片区管委会).
    public static let lingangCode = "LG"

    /// The 17 reporting units, in the order of their codes (Lingang last). The migrations seed the
    /// same list; a conformance test keeps the two equal.
    public static let all: [ReportingUnit] = [
        .init(code: "310101", name: "黄浦区", isDistrict: true),
        .init(code: "310104", name: "徐汇区", isDistrict: true),
        .init(code: "310105", name: "长宁区", isDistrict: true),
        .init(code: "310106", name: "静安区", isDistrict: true),
        .init(code: "310107", name: "普陀区", isDistrict: true),
        .init(code: "310109", name: "虹口区", isDistrict: true),
        .init(code: "310110", name: "杨浦区", isDistrict: true),
        .init(code: "310112", name: "闵行区", isDistrict: true),
        .init(code: "310113", name: "宝山区", isDistrict: true),
        .init(code: "310114", name: "嘉定区", isDistrict: true),
        .init(code: "310115", name: "浦东新区", isDistrict: true),
        .init(code: "310116", name: "金山区", isDistrict: true),
        .init(code: "310117", name: "松江区", isDistrict: true),
        .init(code: "310118", name: "青浦区", isDistrict: true),
        .init(code: "310120", name: "奉贤区", isDistrict: true),
        .init(code: "310151", name: "崇明区", isDistrict: true),
        .init(code: lingangCode, name: "临港新片区", isDistrict: false),
    ]

    /// Looks up a current code (no aliases; see `DistrictCodeAlias` for legacy codes).
    public static func named(_ code: String) -> ReportingUnit? {
        all.first { $0.code == code }
    }
}

/// A legacy district code that still appears in old spreadsheets, and the current district it
/// became. Accepted on import only through this explicit table, and reported when applied.
public struct DistrictCodeAlias: Hashable, Sendable {
    public let legacyCode: String
    public let legacyName: String
    public let currentCode: String
    /// Why the code changed, for the import report.
    public let note: String

    /// The aliases we accept. Nothing else is guessed.
    public static let table: [DistrictCodeAlias] = [
        .init(legacyCode: "310103", legacyName: "卢湾区", currentCode: "310101", note: "2011 年卢湾区并入黄浦区"),
        .init(legacyCode: "310108", legacyName: "闸北区", currentCode: "310106", note: "2015 年闸北区与静安区合并为静安区"),
        .init(legacyCode: "310230", legacyName: "崇明县", currentCode: "310151", note: "2016 年崇明县撤县设区"),
    ]
}

/// The result of resolving a district code that may be a legacy one.
public enum DistrictCodeResolution: Equatable, Sendable {
    /// A current code, used as it is.
    case current(ReportingUnit)
    /// A legacy code, mapped through the alias table; the alias is kept for the report.
    case aliased(ReportingUnit, via: DistrictCodeAlias)
    /// Neither a current code nor a known alias.
    case unknown

    /// Resolves `code` against the current units first, then the alias table.
    public static func resolve(_ code: String) -> DistrictCodeResolution {
        if let unit = ReportingUnit.named(code) { return .current(unit) }
        if let alias = DistrictCodeAlias.table.first(where: { $0.legacyCode == code }),
           let unit = ReportingUnit.named(alias.currentCode) {
            return .aliased(unit, via: alias)
        }
        return .unknown
    }

    /// The unit the code resolves to, if any.
    public var unit: ReportingUnit? {
        switch self {
        case .current(let u), .aliased(let u, _): u
        case .unknown: nil
        }
    }
}
