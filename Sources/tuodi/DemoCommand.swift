import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain

// `tuodi demo generate`: a city-scale synthetic history for benchmarks and trials.

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "用于试用和基准测试的合成数据。",
                                                    subcommands: [Generate.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "generate", 
            abstract: "在全部 17 个单位生成小区及多年历史：企业撤场、无人管理时段、各种托底方式（同一种子结果相同）。")
        @Option(help: "小区数量，分布于 17 个单位。") var estates: Int = 20_000
        @Option(help: "历史年数，截至 --through。") var years: Int = 10
        @Option(help: "历史的最后一天 YYYY-MM-DD（默认今天）。") var through: String?
        @Option(help: "随机种子。") var seed: UInt64 = 20_261_203

        func run() async throws {
            try await withContext { context, _ in
                let last = try through.map { raw -> LocalDate in
                    guard let d = LocalDate(iso: raw) else { throw AppError.validation([FieldError(field: "through", code: "format",
                                                                                                   message: "日期应为 YYYY-MM-DD，实为“\(raw)”")]) }
                    return d
                }
                let clock = ContinuousClock(), began = clock.now
                let r = try await DemoGenerator.generate(context, estates: estates, years: years, seed: seed, through: last)
                let took = clock.now - began
                print("已生成 \(r.from) 至 \(r.through)：小区 \(r.estates)，事实 \(r.facts)，托底安排 \(r.arrangements)，"
                      + "企业 \(r.companies)，入库 \(r.memberships)（用时 \(took.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))）")
            }
        }
    }
}
