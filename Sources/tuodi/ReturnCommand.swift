import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain
import TuodiHTTP
import TuodiLabels
import TuodiReports

// `tuodi return draft|approve|submit|show|export|status|rollup`: the quarterly return.

struct ReturnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "return", abstract: "季度报表：起草、审核（另一人）、报送（此后冻结）、查看、导出。",
        subcommands: [Draft.self, Approve.self, Submit.self, Show.self, Export.self, Status.self, Rollup.self])

    struct Period: ParsableArguments {
        @Option(help: "报告单位代码（310000 为全市）。") var unit: String
        @Option(help: "年份。") var year: Int
        @Option(help: "季度（1–4）。") var quarter: Int
    }

    static func summary(_ v: ReturnView) -> String {
        let r = v.report
        var lines = ["\(r.unitName) \(v.year) 年第 \(v.quarter) 季度报表：\(Labels.returnStages[v.status])（报送期限 \(v.deadline)\(v.late ? "，已逾期" : "")）",
                     "预选库有效成员 \(r.pool.active)（区属集团 \(r.pool.activeDistrictGroup)）；登记小区 \(r.estates.registered)",
                     "本季新增无人管理 \(r.newlyUnmanaged.inQuarter)，年内累计 \(r.newlyUnmanaged.yearToDate)，已覆盖 \(r.yearToDateState.covered)，"
                         + "覆盖率 \(CoverageOutput.percent(r.coverage.estates))（按户 \(CoverageOutput.percent(r.coverage.households))，"
                         + "按面积 \(CoverageOutput.percent(r.coverage.floorArea))）",
                     "仍无人管理 \(r.stillUnmanaged.count)；90 天内到期安排 \(r.endingSoon.count)；本季选聘结束 \(r.selectionRounds.finished)（流标 \(r.selectionRounds.failed)）"]
        for s in r.restatements {
            lines.append("更正：\(s.year) 年第 \(s.quarter) 季度 \(ReturnFigureLabel.label(of: s.figure, in: r)) 报送值 \(s.submitted.map { String(format: "%g", $0) } ?? "无")，现为 \(s.now.map { String(format: "%g", $0) } ?? "无")")
        }
        if let hash = v.snapshotSHA256 { lines.append("快照 SHA-256：\(hash)") }
        return lines.joined(separator: "\n")
    }

    /// Runs one workflow step as the acting user and prints the return after it.
    static func step(_ p: Period, _ c: CallerOption, output: CreatedOutput? = nil,
                     _ body: @escaping (ReturnUseCases, String, Int, Int, Caller) async throws -> ReturnView) async throws {
        try await withContext { context, _ in
            let v = try await body(context.returns, p.unit, p.year, p.quarter, try await c.resolve(context))
            if let output { try output.print(v, summary(v)) } else { print(summary(v)) }
        }
    }

    struct Draft: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "draft", abstract: "现在计算报表并保存为草稿（经办人）。")
        @OptionGroup var period: Period
        @OptionGroup var output: CreatedOutput
        @OptionGroup var caller: CallerOption
        func run() async throws { try await ReturnCommand.step(period, caller, output: output) { try await $0.draft(unit: $1, year: $2, quarter: $3, by: $4) } }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "approve", abstract: "审核草稿（须由起草人以外的审核人）。")
        @OptionGroup var period: Period
        @OptionGroup var caller: CallerOption
        func run() async throws { try await ReturnCommand.step(period, caller) { try await $0.approve(unit: $1, year: $2, quarter: $3, by: $4) } }
    }

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "submit", abstract: "报送已审核的报表；报送后冻结。")
        @OptionGroup var period: Period
        @OptionGroup var caller: CallerOption
        func run() async throws { try await ReturnCommand.step(period, caller) { try await $0.submit(unit: $1, year: $2, quarter: $3, by: $4) } }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "已保存的报表；尚未起草时显示实时预览。")
        @OptionGroup var period: Period
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await withContext { context, _ in
                let v = try await context.returns.show(unit: period.unit, year: period.year, quarter: period.quarter, by: try await caller.resolve(context))
                switch format {
                case .json: print(String(decoding: try jsonEncoder.encode(v), as: UTF8.self))
                case .csv: printBytes(try QuarterlyReturnRenderer.render(v.report, as: .csv))
                case .table: print(ReturnCommand.summary(v))
                }
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "将报表写出为 XLSX、CSV、JSON、XML 或可打印的 HTML（--unit 310000 为全市汇总）。")
        @OptionGroup var period: Period
        @Option(help: "格式：xlsx、csv、json、xml 或 html。") var format: String
        @Option(name: .shortAndLong, help: "输出文件。") var output: String
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await withContext { context, _ in
                let file = try await context.returns.export(unit: period.unit, year: period.year, quarter: period.quarter, format: format,
                                                            by: try await caller.resolve(context))
                try Data(file.bytes).write(to: URL(fileURLWithPath: output))
                print("已写出 \(output)（\(file.bytes.count) 字节，\(file.contentType)）")
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "某季度各单位报表情况：已报送、逾期报送、逾期未报送或未到期限（市级分析员）。")
        @Option(help: "年份。") var year: Int
        @Option(help: "季度（1–4）。") var quarter: Int
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await withContext { context, _ in
                let rows = try await context.returns.statuses(year: year, quarter: quarter, by: try await caller.resolve(context))
                let listing = Listing(headers: ["代码", "报告单位", "报送期限", "情况", "进度", "报送时间"],
                                      rows: rows.map { [$0.unit, $0.unitName, $0.deadline.description, Labels.returnStatuses[$0.status],
                                                        Labels.returnStages[$0.stage], $0.submittedAt.map { Display.beijingTime(iso: $0) } ?? ""] })
                try listing.print(format) { try jsonEncoder.encode(rows) }
            }
        }
    }

    struct Rollup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rollup",
            abstract: "17 个单位汇总的报表，附分单位表（市级分析员）。",
            discussion: "--format json 输出与 GET /api/v1/returns/{year}/{quarter}/rollup 相同的摘要（各清单只计数）；"
                + "含全部清单的完整文档请用 tuodi return export --unit 310000 --format json。")
        @Option(help: "年份。") var year: Int
        @Option(help: "季度（1–4）。") var quarter: Int
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await withContext { context, _ in
                let city = try await context.returns.rollup(year: year, quarter: quarter, by: try await caller.resolve(context))
                let listing = Listing(headers: ["代码", "报告单位", "在库企业", "登记小区", "本季新增无人管理",
                                                "年内新增无人管理", "年内已覆盖", "覆盖率", "仍无人管理", "报送情况"],
                                      rows: city.byUnit.map { [$0.unit, $0.unitName, String($0.activeMembers), String($0.registeredEstates),
                                                               String($0.newlyUnmanagedInQuarter), String($0.newlyUnmanagedYearToDate),
                                                               String($0.coveredYearToDate), $0.coverageRate.map { String(format: "%.4f", $0) } ?? "无",
                                                               String($0.stillUnmanaged), Labels.returnStatuses[$0.returnStatus]] })
                if format == .table {
                    print("全市 \(year) 年第 \(quarter) 季度：年内新增无人管理 \(city.newlyUnmanaged.yearToDate)，已覆盖 \(city.yearToDateState.covered)，"
                          + "覆盖率 \(CoverageOutput.percent(city.coverage.estates))")
                }
                // The headline, not the 2 MB document with every estate listed (that is the export).
                try listing.print(format) { try jsonEncoder.encode(WireDocuments.rollupHeadline(city)) }
            }
        }
    }
}
