import ArgumentParser
import Foundation
import TuodiDomain

struct MatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match", abstract: "The matching engine: optimal assignment of unmanaged estates to pool companies, on instance files or as batch custody proposals.",
        subcommands: [Solve.self, Propose.self, List.self, Show.self, Edit.self, Approve.self, Reject.self])

    struct Solve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Solve assignment instance files (format v1 of shared/bench/assignment) and report each.")
        @Argument(help: "Instance files.") var files: [String]
        @Option(help: "table or json") var format: OutputFormat = .table

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
            let listing = Listing(headers: ["file", "estates", "companies", "cost", "allPlaced", "solveSeconds"],
                                  rows: reports.map { [$0.file, String($0.estates), String($0.companies), String($0.cost),
                                                       $0.allPlaced ? "yes" : "no (\($0.estates - $0.placed) unplaced)",
                                                       String(format: "%.3f", $0.solveSeconds)] })
            print(try listing.render(format == .csv ? .csv : format) { try jsonEncoder.encode(reports) })
        }
    }
}
