import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain

// `tuodi demo generate`: a city-scale synthetic history for benchmarks and trials.

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Synthetic data for trials and benchmarks.",
                                                    subcommands: [Generate.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Estates in all 17 units with years of history: companies leaving, episodes, every route covering them (deterministic per seed).")
        @Option(help: "How many estates, spread over the 17 units.") var estates: Int = 20_000
        @Option(help: "Years of history, ending with --through.") var years: Int = 10
        @Option(help: "YYYY-MM-DD: the last day of the history (default: today).") var through: String?
        @Option(help: "The random seed.") var seed: UInt64 = 20_261_203

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
