import ArgumentParser
import Foundation
import TuodiApp
import TuodiLabels
import TuodiStore

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", 
        abstract: "执行待执行的数据库迁移（每个迁移一个事务）。")

    @Flag(help: "只列出已执行和待执行的版本，不做改动。")
    var status = false

    @Option(help: "--status 的输出格式：table、json 或 csv。")
    var format: OutputFormat = .table

    func run() async throws {
        try await withContext(requireCurrentSchema: false) { context, _ in
            if status {
                let s = try await context.store.migrationStatus()
                // Codes for scripts (JSON), Chinese words and Beijing time for people.
                var rows = s.applied.map { a in
                    [String(a.version), a.name, s.changed.contains(a.version) ? "changed" : (s.unknown.contains(a.version) ? "unknown" : "applied"),
                     ISO8601DateFormatter().string(from: a.appliedAt)]
                }
                rows += s.pending.map { [String($0.version), $0.name, "pending", ""] }
                let states = ["applied": "已执行", "pending": "待执行", "changed": "执行后被改动", "unknown": "本程序不认识"]
                let listing = Listing(headers: ["版本", "名称", "状态", "执行时间（北京时间）"],
                                      rows: rows.map { [$0[0], $0[1], states[$0[2]] ?? $0[2], $0[3].isEmpty ? "" : Display.beijingTime(iso: $0[3])] })
                try listing.print(format) {
                    try jsonEncoder.encode(rows.map { Dictionary(uniqueKeysWithValues: zip(["version", "name", "state", "appliedAt"], $0)) })
                }
                if !s.isCurrent, !s.changed.isEmpty || !s.unknown.isEmpty {
                    throw MigrationError.changedAfterApply(version: s.changed.first ?? s.unknown[0], name: "见上表")
                }
            } else {
                let applied = try await context.store.migrate()
                print(applied.isEmpty ? "数据库结构已是最新，无需迁移。"
                                      : "已执行迁移：" + applied.map(\.name).joined(separator: "、"))
            }
        }
    }
}
