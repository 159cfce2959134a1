import ArgumentParser
import TuodiApp
import TuodiDomain
import TuodiLabels
import TuodiStore

// `tuodi maintenance …`: operator commands on derived data, run with the server's DATABASE_URL
// (like migrate and backup, they need no user).

struct MaintenanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintenance", abstract: "维护派生数据（运维用）。",
        subcommands: [RebuildEpisodes.self])

    struct RebuildEpisodes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rebuild-episodes",
            abstract: "按全部事实和安排重新计算每个小区的无人管理时段（覆盖率和季度报表据此统计）。",
            discussion: "加 --verify 时只核对不改动：与从头计算的结果不一致的小区逐个列出，并以退出码 1 结束。")

        @Flag(help: "只核对，不重建。") var verify = false

        func run() async throws {
            try await withContext { context, _ in
                if verify {
                    let mismatches = try await context.readModel.verify()
                    for m in mismatches {
                        printError("小区 \(m.code) 的无人管理时段与从头计算不一致：已存 \(Self.describe(m.stored))；应为 \(Self.describe(m.computed))")
                    }
                    if !mismatches.isEmpty {
                        printError("共 \(mismatches.count) 个小区不一致，请运行 tuodi maintenance rebuild-episodes 重建。")
                        throw ExitCode.failure
                    }
                    print("无人管理时段与从头计算一致。")
                } else {
                    let count = try await context.readModel.rebuild()
                    print("已重新计算 \(count) 个小区的无人管理时段。")
                }
            }
        }

        /// An estate's rows in one line: its episodes (start to first covered day, what ended it),
        /// then how many state spans.
        static func describe(_ m: EstateReadModel) -> String {
            let episodes = m.episodes.map { e in
                "\(e.start)–\(e.end?.description ?? "至今")" + (e.endedBy.map { "（\(Labels.states[$0.description])）" } ?? "")
            }
            return (episodes.isEmpty ? "无时段" : episodes.joined(separator: "，")) + "，状态段 \(m.states.count) 个"
        }
    }
}
