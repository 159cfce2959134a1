import Foundation
import Testing
@testable import TuodiDomain

/// Directory of the reference instances: $TUODI_BENCH_ASSIGNMENT_DIR, default
/// `../shared/bench/assignment` beside the repository (as on CI). Missing files are a test
/// FAILURE, not a skip.
private let benchDirectory = ProcessInfo.processInfo.environment["TUODI_BENCH_ASSIGNMENT_DIR"]
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/bench/assignment").path

private struct ExpectedEntry: Decodable {
    let N: Int
    let M: Int
    let optimal_cost: Int
}

@Suite("Reference instances")
struct ReferenceInstanceTests {
    @Test(arguments: ["inst_N2000_M50_K30_s42.txt", "inst_N2000_M300_K30_s42.txt"])
    func reachesTheOptimalCost(file: String) throws {
        let expectedData = try #require(FileManager.default.contents(atPath: benchDirectory + "/EXPECTED.json"),
                                        "missing \(benchDirectory)/EXPECTED.json (set TUODI_BENCH_ASSIGNMENT_DIR)")
        let expected = try JSONDecoder().decode([String: ExpectedEntry].self, from: expectedData)
        let entry = try #require(expected[file], "\(file) not listed in EXPECTED.json")
        let data = try #require(FileManager.default.contents(atPath: benchDirectory + "/" + file),
                                "missing instance \(benchDirectory)/\(file)")

        let instance = try AssignmentInstanceFormat.parse(bytes: [UInt8](data))
        #expect(instance.problem.estateCount == entry.N)
        #expect(instance.problem.companyCount == entry.M)
        let solution = try MinCostAssignment.solve(instance.problem)
        #expect(solution.isComplete)
        #expect(solution.totalCost == entry.optimal_cost)
        #expect(feasibilityProblem(instance.problem, solution) == nil)
    }
}
