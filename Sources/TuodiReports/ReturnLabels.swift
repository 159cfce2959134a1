import TuodiDomain

// The return's own words; the code → label tables it shares with the web pages and the CLI
// live in TuodiLabels.
enum ReturnLabels {
    /// "黄浦区 2026 年第 4 季度老旧小区无人管理托底情况报表".
    static func title(_ r: QuarterlyReturn) -> String {
        "\(r.unitName) \(r.year) 年第 \(r.quarter) 季度老旧小区无人管理托底情况报表"
    }
}
