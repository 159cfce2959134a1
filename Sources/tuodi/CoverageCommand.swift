import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain
import TuodiLabels

// `tuodi coverage [--as-of DATE] [--unit CODE]` and `tuodi coverage year-end --year Y`.

enum CoverageOutput {
    static func percent(_ r: Rate) -> String { Display.percent(r.rate) }

    static func uncoveredRows(_ list: [QuarterlyReturn.UnmanagedEstate]) -> Listing {
        Listing(headers: ["报告单位", "小区编码", "名称", "街镇", "无人管理起始", "已无人管理天数", "距年底天数"],
                rows: list.map { [$0.unit, $0.code, $0.name, $0.subDistrict, $0.episodeStart.description, String($0.daysUnmanaged), String($0.daysLeftInYear)] })
    }
}

struct CoverageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage", abstract: "某日托底覆盖情况，或年底覆盖情况。",
        subcommands: [AsOf.self, YearEnd.self], defaultSubcommand: AsOf.self)

    struct AsOf: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "as-of", abstract: "某日已覆盖与无人管理的小区，以及未覆盖清单。")
        @Option(help: "日期 YYYY-MM-DD（默认今天）。") var asOf: String?
        @Option(help: "报告单位（默认全市，区级用户为本单位）。") var unit: String?
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let c = try await context.coverage.asOf(unit: unit, date: asOf, by: try await caller.resolve(context))
                switch format {
                case .json: print(String(decoding: try jsonEncoder.encode(c), as: UTF8.self))
                case .csv: CoverageOutput.uncoveredRows(c.uncovered).print(.csv) { Data() }
                case .table:
                    let kinds = c.byKind.map { "\(Labels.kinds[$0.key]) \($0.count)" }.joined(separator: "，")
                    print("\(c.asOf) 覆盖 \(c.covered)，无人管理 \(c.unmanaged)，覆盖率 \(CoverageOutput.percent(c.rate))（\(kinds)）")
                    if !c.uncovered.isEmpty { print(CoverageOutput.uncoveredRows(c.uncovered).render(.table) { Data() }) }
                }
            }
        }
    }

    struct YearEnd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "year-end",
            abstract: "某年新增无人管理小区中，12 月 31 日已不再无人管理的比例；年内显示倒计时和风险清单。")
        @Option(help: "年份。") var year: Int
        @Option(help: "报告单位（默认全市，区级用户为本单位）。") var unit: String?
        @Option(help: "输出格式：table 或 json。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let y = try await context.coverage.yearEnd(unit: unit, year: year, by: try await caller.resolve(context))
                if format == .json { print(String(decoding: try jsonEncoder.encode(y), as: UTF8.self)); return }
                print("\(y.year) 年新增无人管理小区 \(y.newlyUnmanaged) 个，截至 \(y.stateOn) 已覆盖 \(y.covered) 个；覆盖率：按小区 "
                      + "\(CoverageOutput.percent(y.estates))，按户数 \(CoverageOutput.percent(y.households))，按面积 \(CoverageOutput.percent(y.floorArea))")
                let median = y.daysToCover.median.map { String(format: "%g", $0) } ?? "无"
                print("覆盖用时（天）：中位数 \(median)，最长 \(y.daysToCover.maximum.map(String.init) ?? "无")"
                      + (y.daysLeft > 0 ? "；距 12 月 31 日还有 \(y.daysLeft) 天" : ""))
                if !y.atRisk.isEmpty {
                    print("尚未覆盖（风险清单）：")
                    print(CoverageOutput.uncoveredRows(y.atRisk).render(.table) { Data() })
                }
            }
        }
    }
}
