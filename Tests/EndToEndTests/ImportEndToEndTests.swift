import Foundation
import Testing
import TuodiApp
import TuodiTestSupport

/// Spreadsheets written by openpyxl, imported by the built binary.
@Suite("Import end to end")
struct ImportEndToEndTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/make_import_files.py")

    /// Runs the fixture script into a new folder; fails (never skips) without openpyxl.
    static func files(estates: Int) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tuodi-import-\(UUID().uuidString)")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script.path, dir.path, "--estates", String(estates)]
        let err = Pipe()
        p.standardError = err
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw FixtureError(description: "make_import_files.py: \(message)") }
        return dir
    }

    struct FixtureError: Error, CustomStringConvertible { let description: String }

    @Test("XLSX from openpyxl imports; a bad USCC in row 17 imports nothing and names row 17", arguments: ["sqlite", "postgres"])
    func xlsx(_ backend: String) async throws {
        let dir = try Self.files(estates: 40)
        let env = try await EndToEndTests.migratedWithUsers(backend)

        let bad = try Tuodi.run(["import", "companies", dir.appendingPathComponent("companies-bad-row17.xlsx").path], environment: env)
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("第 17 行") && bad.stderr.contains("统一社会信用代码"), "stderr: \(bad.stderr)")
        #expect(EndToEndTests.count(try Tuodi.run(["company", "list", "--format", "json"], environment: env).stdout) == 0)

        let good = try Tuodi.run(["import", "companies", dir.appendingPathComponent("companies.xlsx").path], environment: env)
        #expect(good.status == 0, "stderr: \(good.stderr)")
        #expect(EndToEndTests.count(try Tuodi.run(["company", "list", "--format", "json"], environment: env).stdout) == 20)

        let dry = try Tuodi.run(["import", "estates", "--dry-run", dir.appendingPathComponent("estates.xlsx").path], environment: env)
        #expect(dry.status == 0 && dry.stdout.contains("未写入"), "\(dry.stdout)\(dry.stderr)")
        let estates = try Tuodi.run(["import", "estates", dir.appendingPathComponent("estates.xlsx").path], environment: env)
        #expect(estates.status == 0, "stderr: \(estates.stderr)")
        let list = try Tuodi.run(["estate", "list", "--format", "json", "--limit", "500"], environment: env)
        let items = (try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]) ?? []
        #expect(items.count == 40)
        // Row HP-00013: high-dispute (every 13th), 早期商品房 is index 13 % 4 == 1 → 系统公房, floor area 2500 + 13 × 3.75.
        let e13 = items.first { $0["code"] as? String == "HP-00013" }
        #expect(e13?["highDispute"] as? Bool == true && e13?["category"] as? String == "workUnitPublic")
        #expect(e13?["floorArea"] as? Double == 2548.75 && e13?["households"] as? Int == 93)

        // The same file again: every row is now a duplicate, nothing more is written.
        let again = try Tuodi.run(["import", "estates", dir.appendingPathComponent("estates.csv").path], environment: env)
        #expect(again.status == 65 && again.stderr.contains("已登记"))
        try? FileManager.default.removeItem(at: dir)
    }

    @Test("facts from openpyxl: a bad estate code in row 9 and an overlap between rows 20 and 31 import nothing and are both reported",
          arguments: ["sqlite", "postgres"])
    func facts(_ backend: String) async throws {
        let dir = try Self.files(estates: 40)
        let env = try await EndToEndTests.migratedWithUsers(backend)
        #expect(try Tuodi.run(["import", "estates", dir.appendingPathComponent("estates.xlsx").path], environment: env).status == 0)

        let bad = try Tuodi.run(["import", "facts", dir.appendingPathComponent("facts-bad.xlsx").path], environment: env)
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("第 9 行，“小区编码”：小区编码“HP-99999”未在本单位（310101）登记"), "stderr: \(bad.stderr)")
        #expect(bad.stderr.contains("第 31 行，“生效日期”：与第 20 行重叠：甲物业 自 2026-02-01 起管理该小区"), "stderr: \(bad.stderr)")
        #expect(bad.stderr.contains("共 2 行 2 处错误") && bad.stdout.isEmpty, "\(bad.stdout)\(bad.stderr)")
        let unmanaged = try Tuodi.run(["estate", "show", "HP-00001", "--format", "json"], environment: env)
        #expect(unmanaged.stdout.contains(#""state" : "unknown""#), "\(unmanaged.stdout)")

        let good = try Tuodi.run(["import", "facts", "--format", "json", dir.appendingPathComponent("facts.xlsx").path], environment: env)
        #expect(good.status == 0, "stderr: \(good.stderr)")
        let report = (try JSONSerialization.jsonObject(with: Data(good.stdout.utf8)) as? [String: Any]) ?? [:]
        #expect(report["imported"] as? Int == 40 && report["kind"] as? String == "facts")
        // HP-00001 became unmanaged on 2 January 2026 (a date cell).
        let shown = try Tuodi.run(["estate", "show", "HP-00001", "--as-of", "2026-01-02", "--format", "json"], environment: env)
        #expect(shown.stdout.contains(#""state" : "unmanaged""#) && shown.stdout.contains(#""date" : "2026-01-02""#), "\(shown.stdout)")
        // The published template: the header row the importer reads and a sample row.
        let template = try Tuodi.run(["import", "template", "facts"], environment: env)
        #expect(template.stdout.hasPrefix("\u{FEFF}小区编码,事实类型,生效日期,无人管理原因,物业服务企业\r\nHP-0001,成为无人管理,"), "\(template.stdout)")
        try? FileManager.default.removeItem(at: dir)
    }
}
