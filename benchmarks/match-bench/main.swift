// match-bench: parse each instance, solve it several times, compare with EXPECTED.json.
//
// Usage: match-bench [--runs R] [FILE_OR_DIR ...]
// Default directory: $TUODI_BENCH_ASSIGNMENT_DIR or ../shared/bench/assignment.
// Times: parse = file bytes -> AssignmentProblem (file read excluded);
//        solve = MinCostAssignment.solve (model build inside the solver + solve).

import Foundation
import TuodiDomain

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    #if canImport(Darwin)
    return Double(usage.ru_maxrss) / 1_048_576
    #else
    return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
    #endif
}

var runs = 7
var paths: [String] = []
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let a = args.removeFirst()
    if a == "--runs", let v = args.first.flatMap({ Int($0) }) {
        runs = max(1, v)
        args.removeFirst()
    } else if a == "-h" || a == "--help" {
        print("usage: match-bench [--runs R] [FILE_OR_DIR ...]")
        exit(0)
    } else {
        paths.append(a)
    }
}
if paths.isEmpty {
    paths = [ProcessInfo.processInfo.environment["TUODI_BENCH_ASSIGNMENT_DIR"] ?? "../shared/bench/assignment"]
}

let fm = FileManager.default
var files: [String] = []
for p in paths {
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: p, isDirectory: &isDir) else {
        FileHandle.standardError.write("match-bench: no such file or directory: \(p)\n".data(using: .utf8)!)
        exit(2)
    }
    if isDir.boolValue {
        let names = (try? fm.contentsOfDirectory(atPath: p)) ?? []
        files += names.filter { $0.hasPrefix("inst_") && $0.hasSuffix(".txt") }.sorted().map { p + "/" + $0 }
    } else {
        files.append(p)
    }
}

// Optimal costs from EXPECTED.json next to each file, if present.
func expectedCost(for file: String) -> Int? {
    let url = URL(fileURLWithPath: file)
    let json = url.deletingLastPathComponent().appendingPathComponent("EXPECTED.json")
    guard let data = try? Data(contentsOf: json),
          let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let entry = obj[url.lastPathComponent] as? [String: Any],
          let cost = entry["optimal_cost"] as? Int
    else { return nil }
    return cost
}

let clock = ContinuousClock()
func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
func lpad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
func ms(_ x: Double) -> String { String(format: "%.1f", x * 1000) }

print([pad("instance", 30), lpad("N", 6), lpad("M", 4), lpad("cost", 10), lpad("optimal", 10), lpad("match", 5),
       lpad("parse ms", 9), lpad("solve ms", 9), lpad("min ms", 8), lpad("overload", 9), lpad("warm", 6),
       lpad("dijkstra", 8), "  unplaced"].joined(separator: " "))
var failures = 0
for file in files {
    guard let data = fm.contents(atPath: file) else {
        print("\(file): cannot read")
        failures += 1
        continue
    }
    let bytes = [UInt8](data)
    var parseTimes: [Double] = []
    var instance: AssignmentInstance?
    for _ in 0..<min(runs, 3) {
        let t0 = clock.now
        do {
            instance = try AssignmentInstanceFormat.parse(bytes: bytes)
        } catch {
            print("\(file): \(error)")
            break
        }
        parseTimes.append(seconds(clock.now - t0))
    }
    guard let inst = instance else { failures += 1; continue }
    var solveTimes: [Double] = []
    var result: (solution: AssignmentSolution, statistics: SolveStatistics)?
    for _ in 0..<runs {
        let t0 = clock.now
        let r = try MinCostAssignment.solveReportingStatistics(inst.problem)
        solveTimes.append(seconds(clock.now - t0))
        if let prev = result, prev.solution != r.solution { print("\(file): NON-DETERMINISTIC result"); failures += 1 }
        result = r
    }
    let (sol, stats) = result!
    let optimal = expectedCost(for: file)
    let match = optimal.map { $0 == sol.totalCost ? "yes" : "NO" } ?? "-"
    if match == "NO" { failures += 1 }
    let name = URL(fileURLWithPath: file).lastPathComponent
    print([pad(name, 30), lpad("\(inst.problem.estateCount)", 6), lpad("\(inst.problem.companyCount)", 4),
           lpad("\(sol.totalCost)", 10), lpad(optimal.map { "\($0)" } ?? "-", 10), lpad(match, 5),
           lpad(ms(median(parseTimes)), 9), lpad(ms(median(solveTimes)), 9), lpad(ms(solveTimes.min()!), 8),
           lpad("\(stats.overloadAfterCheapest)", 9), lpad("\(stats.overloadAfterWarmStart)", 6),
           lpad("\(stats.shortestPathSearches)", 8), "  \(sol.unplaced.count)"].joined(separator: " "))
    if ProcessInfo.processInfo.environment["MATCH_BENCH_PHASES"] != nil {
        print("    phases (last run): setup \(ms(seconds(stats.setupTime))) ms, warm start \(ms(seconds(stats.warmStartTime))) ms, exact \(ms(seconds(stats.exactPhaseTime))) ms, moves \(stats.estateMoves)")
    }
}
print("runs per instance: \(runs) (median reported); peak RSS: \(String(format: "%.1f", peakRSSMegabytes())) MB")
exit(failures == 0 ? 0 : 1)
