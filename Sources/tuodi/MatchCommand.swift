import ArgumentParser
import Foundation
import TuodiDomain
import TuodiLabels

struct MatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match", abstract: "匹配引擎：无人管理小区与在库企业的最优匹配，用于实例文件或批量临时托管方案。",
        subcommands: [Solve.self, Propose.self, List.self, Show.self, Edit.self, Approve.self, Reject.self])

    struct Solve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "solve", 
            abstract: "求解匹配实例文件（shared/bench/assignment 的 v1 格式），逐个报告。")
        @Argument(help: "实例文件。") var files: [String]
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table

        struct Report: Encodable {
            let file: String
            let estates: Int
            let companies: Int
            let cost: Int
            let placed: Int
            let allPlaced: Bool
            let unplaced: [Int]
            let solveSeconds: Double
        }

        func run() async throws {
            var reports: [Report] = []
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else {
                    printError("无法读取文件：\(file)")
                    throw ExitCode(ExitStatus.refused)
                }
                do {
                    let instance = try AssignmentInstanceFormat.parse(bytes: [UInt8](data))
                    let clock = ContinuousClock()
                    let start = clock.now
                    let solution = try MinCostAssignment.solve(instance.problem)
                    let elapsed = clock.now - start
                    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                    reports.append(Report(file: file, estates: instance.problem.estateCount, companies: instance.problem.companyCount,
                                          cost: solution.totalCost, placed: solution.placedCount, allPlaced: solution.isComplete,
                                          unplaced: solution.unplaced.map(\.estate), solveSeconds: seconds))
                } catch {
                    printError("\(file)：\(error)")
                    throw ExitCode(ExitStatus.refused)
                }
            }
            let listing = Listing(headers: ["文件", "小区", "企业", "总成本", "全部安排", "求解秒数"],
                                  rows: reports.map { [$0.file, String($0.estates), String($0.companies), String($0.cost),
                                                       $0.allPlaced ? Labels.yes : "否（\($0.estates - $0.placed) 个未安排）",
                                                       String(format: "%.3f", $0.solveSeconds)] })
            try listing.print(format) { try jsonEncoder.encode(reports) }
        }
    }
}
