import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain

// `tuodi return draft|approve|submit|show|export|status|rollup`: the quarterly return.

struct ReturnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "return", abstract: "The quarterly return: draft, approve (a second person), submit (then frozen), show, export.",
        subcommands: [Draft.self, Approve.self, Submit.self, Show.self, Export.self, Status.self, Rollup.self])

    struct Period: ParsableArguments {
        @Option var unit: String
        @Option var year: Int
        @Option var quarter: Int
    }

    static func summary(_ v: ReturnView) -> String {
        let r = v.report
        let stages = ["notDrafted": "未起草（实时预览）", "draft": "草稿", "approved": "已审核", "submitted": "已报送"]
        var lines = ["\(r.unitName) \(v.year) 年第 \(v.quarter) 季度报表：\(stages[v.status] ?? v.status)（报送期限 \(v.deadline)\(v.late ? "，已逾期" : "")）",
                     "预选库有效成员 \(r.pool.active)（区属集团 \(r.pool.activeDistrictGroup)）；登记小区 \(r.estates.registered)",
                     "本季新增无人管理 \(r.newlyUnmanaged.inQuarter)，年内累计 \(r.newlyUnmanaged.yearToDate)，已覆盖 \(r.yearToDateState.covered)，"
                         + "覆盖率 \(CoverageOutput.percent(r.coverage.estates))（按户 \(CoverageOutput.percent(r.coverage.households))，"
                         + "按面积 \(CoverageOutput.percent(r.coverage.floorArea))）",
                     "仍无人管理 \(r.stillUnmanaged.count)；90 天内到期安排 \(r.endingSoon.count)；本季选聘结束 \(r.selectionRounds.finished)（流标 \(r.selectionRounds.failed)）"]
        for s in r.restatements {
            lines.append("更正：\(s.year) 年第 \(s.quarter) 季度 \(s.figure) 报送值 \(s.submitted.map { String(format: "%g", $0) } ?? "无")，现为 \(s.now.map { String(format: "%g", $0) } ?? "无")")
        }
        if let hash = v.snapshotSHA256 { lines.append("快照 SHA-256：\(hash)") }
        return lines.joined(separator: "\n")
    }

    /// Runs one workflow step as the acting user and prints the return after it.
    static func step(_ p: Period, _ c: CallerOption,
                     _ body: @escaping (ReturnUseCases, String, Int, Int, Caller) async throws -> ReturnView) async throws {
        try await withContext { context, _ in
            print(summary(try await body(context.returns, p.unit, p.year, p.quarter, try await c.resolve(context))))
        }
    }

    struct Draft: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Compute the return now and store it as a draft (a clerk).")
        @OptionGroup var period: Period
        @OptionGroup var caller: CallerOption
        func run() async throws { try await ReturnCommand.step(period, caller) { try await $0.draft(unit: $1, year: $2, quarter: $3, by: $4) } }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve the draft (an approver who did not draft it).")
        @OptionGroup var period: Period
        @OptionGroup var caller: CallerOption
        func run() async throws { try await ReturnCommand.step(period, caller) { try await $0.approve(unit: $1, year: $2, quarter: $3, by: $4) } }
    }

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Submit the approved return; it is frozen from then on.")
        @OptionGroup var period: Period
        @OptionGroup var caller: CallerOption
        func run() async throws { try await ReturnCommand.step(period, caller) { try await $0.submit(unit: $1, year: $2, quarter: $3, by: $4) } }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The stored return, or a live preview when none is drafted.")
        @OptionGroup var period: Period
        @Option(help: "table or json") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await withContext { context, _ in
                let v = try await context.returns.show(unit: period.unit, year: period.year, quarter: period.quarter, by: try await caller.resolve(context))
                print(format == .json ? String(decoding: try jsonEncoder.encode(v), as: UTF8.self) : ReturnCommand.summary(v))
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the return as XLSX, CSV, JSON, XML or printable HTML (--unit 310000: the municipal roll-up).")
        @OptionGroup var period: Period
        @Option(help: "xlsx, csv, json, xml or html") var format: String
        @Option(name: .shortAndLong, help: "Output file.") var output: String
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
        static let configuration = CommandConfiguration(abstract: "Every unit's return for a quarter: submitted, late, missing or pending (municipal analyst).")
        @Option var year: Int
        @Option var quarter: Int
        @Option(help: "table, json or csv") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await withContext { context, _ in
                let rows = try await context.returns.statuses(year: year, quarter: quarter, by: try await caller.resolve(context))
                let listing = Listing(headers: ["unit", "unitName", "deadline", "status", "stage", "submittedAt"],
                                      rows: rows.map { [$0.unit, $0.unitName, $0.deadline.description, $0.status, $0.stage, $0.submittedAt ?? ""] })
                print(try listing.render(format) { try jsonEncoder.encode(rows) })
            }
        }
    }

    struct Rollup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The return summed over all 17 units, with a table by unit (municipal analyst).")
        @Option var year: Int
        @Option var quarter: Int
        @Option(help: "table, json or csv") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await withContext { context, _ in
                let city = try await context.returns.rollup(year: year, quarter: quarter, by: try await caller.resolve(context))
                let listing = Listing(headers: ["unit", "unitName", "activeMembers", "registeredEstates", "newlyUnmanagedInQuarter",
                                                "newlyUnmanagedYearToDate", "coveredYearToDate", "coverageRate", "stillUnmanaged", "returnStatus"],
                                      rows: city.byUnit.map { [$0.unit, $0.unitName, String($0.activeMembers), String($0.registeredEstates),
                                                               String($0.newlyUnmanagedInQuarter), String($0.newlyUnmanagedYearToDate),
                                                               String($0.coveredYearToDate), $0.coverageRate.map { String(format: "%.4f", $0) } ?? "无",
                                                               String($0.stillUnmanaged), $0.returnStatus] })
                if format == .table {
                    print("全市 \(year) 年第 \(quarter) 季度：年内新增无人管理 \(city.newlyUnmanaged.yearToDate)，已覆盖 \(city.yearToDateState.covered)，"
                          + "覆盖率 \(CoverageOutput.percent(city.coverage.estates))")
                }
                print(try listing.render(format) { try jsonEncoder.encode(city) })
            }
        }
    }
}
