import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain
import TuodiReports

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "导入区里的表格（CSV 或 XLSX）：全部导入，或一行也不导入。",
        subcommands: [Estates.self, Companies.self, Pool.self, Facts.self, Arrangements.self, Template.self])

    enum Kind { case estates, companies, pool(round: Int), facts, arrangements }

    static func run(_ kind: Kind, _ options: ImportFileOptions) async throws {
        let (file, dryRun, format, caller) = (options.file, options.dryRun, options.format, options.caller)
        try await withContext { context, _ in
            let actor = try await caller.resolve(context)
            guard let data = FileManager.default.contents(atPath: file) else {
                throw AppError.validation([FieldError(field: "file", code: "unreadable", message: "无法读取文件：\(file)")])
            }
            let started = ContinuousClock.now
            let table = try ImportInput.table([UInt8](data), fileName: file)
            // Long imports show progress on standard error, so standard output stays the report.
            let progress: @Sendable (Int, Int) -> Void = { done, total in
                printError("… \(done)/\(total) 行")
            }
            let report = switch kind {
            case .estates: try await context.imports.estates(table, dryRun: dryRun, by: actor, progress: progress)
            case .companies: try await context.imports.companies(table, dryRun: dryRun, by: actor, progress: progress)
            case .pool(let round): try await context.imports.applications(table, roundID: round, dryRun: dryRun, by: actor)
            case .facts: try await context.imports.facts(table, dryRun: dryRun, by: actor, progress: progress)
            case .arrangements: try await context.imports.arrangements(table, dryRun: dryRun, by: actor, progress: progress)
            }
            let elapsed = ContinuousClock.now - started
            if format == .json {
                print(String(decoding: try jsonEncoder.encode(report), as: UTF8.self))
            } else {
                for a in report.aliasesApplied { print("第 \(a.row) 行：旧区划代码 \(a.legacyCode) 按对照表改为 \(a.currentCode)（\(a.note)）") }
                for e in report.errors { printError("第 \(e.row) 行，“\(e.column)”：\(e.message)") }
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                if report.succeeded {
                    print(dryRun ? "试导入：\(report.rowsRead) 行全部通过检查，未写入。"
                                 : "已导入 \(report.imported) 行（\(String(format: "%.2f", seconds)) 秒）。")
                } else {
                    let shown = report.errorCount > report.errors.count ? "（以上列出前 \(ImportErrorLog.rowLimit) 行的错误）" : ""
                    printError("共 \(report.errorRowCount) 行 \(report.errorCount) 处错误\(shown)，未导入任何数据。")
                }
            }
            if !report.succeeded { throw ExitCode(ExitStatus.refused) }
        }
    }

    /// What every import takes: the file, a dry run, the report's format and the acting user.
    struct ImportFileOptions: ParsableArguments {
        @Argument(help: "CSV 或 XLSX 文件。") var file: String
        @Flag(help: "只检查每一行，不写入。") var dryRun = false
        @Option(help: "输出格式：table 或 json。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption
    }

    struct Estates: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "estates", abstract: "导入本单位的小区。")
        @OptionGroup var options: ImportFileOptions
        func run() async throws { try await ImportCommand.run(.estates, options) }
    }

    struct Companies: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "companies", abstract: "导入企业。")
        @OptionGroup var options: ImportFileOptions
        func run() async throws { try await ImportCommand.run(.companies, options) }
    }

    struct Pool: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pool", 
            abstract: "导入一轮征集的入库申请（统一社会信用代码、承接能力；每项评分标准都有一列时连同评分）。")
        @OptionGroup var options: ImportFileOptions
        @Option(help: "入库征集编号。") var round: Int
        func run() async throws { try await ImportCommand.run(.pool(round: round), options) }
    }

    struct Facts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "facts", 
            abstract: "导入本单位小区的管理事实（成为无人管理、选聘企业进驻、企业退出），与逐条登记同样检查，并核对同一小区各行之间是否重叠。")
        @OptionGroup var options: ImportFileOptions
        func run() async throws { try await ImportCommand.run(.facts, options) }
    }

    struct Arrangements: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "arrangements", 
            abstract: "导入本单位启用本系统之前决定的托底安排（四种方式，带决定日期和文号），与逐条登记同样检查（含重叠和承接上限），并核对文件各行之间是否重叠；导入后逐项待审核人审批。")
        @OptionGroup var options: ImportFileOptions
        func run() async throws { try await ImportCommand.run(.arrangements, options) }
    }

    /// The templates a district fills in: the header row and sample rows, as CSV Excel opens.
    struct Template: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "template", abstract: "输出导入模板（表头和示例行，CSV）。")
        @Argument(help: "模板名称：'facts'（管理事实）或 'arrangements'（以往托底安排）。") var kind: String
        @Option(name: .shortAndLong, help: "写入文件（默认标准输出）。") var output: String?
        func run() async throws {
            let templates = ["facts": ImportUseCases.factTemplate, "arrangements": ImportUseCases.arrangementTemplate]
            guard let template = templates[kind] else {
                printError("错误（kind）：模板名称应为 'facts'（管理事实）或 'arrangements'（以往托底安排）")
                throw ExitCode(ExitStatus.usage)
            }
            let bytes = CSVWriter.file(template)
            if let output { try Data(bytes).write(to: URL(fileURLWithPath: output)) } else { printBytes(bytes) }
        }
    }
}
