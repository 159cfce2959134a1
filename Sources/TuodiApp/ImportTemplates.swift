import TuodiDomain

/// The templates a district fills in, one per kind of import: the header row (each column's
/// first accepted name) and one sample row. The CLI writes them as CSV, the web pages as XLSX.
extension ImportUseCases {
    /// The kinds of import the web page offers, in its order (pool applications need a round and
    /// are imported from the round's page or the CLI).
    public static let templateKinds = ["estates", "companies", "facts"]

    public static func template(kind: String) -> [[String]]? {
        switch kind {
        case "estates":
            [estateHeaders.map(\.names[0]),
             ["HP-0101", "示例小区", "豫园街道示例路 1 弄", "310101", "310101", "豫园街道", "直管公房", "否", "320", "6", "15800.5", "1985"]]
        case "companies":
            [companyHeaders.map(\.names[0]),
             ["91350100M000100Y43", "上海示例物业有限公司", "民营", "否", "黄浦区示例路 1 号", "张三", "021-12345678"]]
        case "facts": factTemplate
        default: nil
        }
    }
}
