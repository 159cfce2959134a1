import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain

struct EstateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estate", abstract: "The list of old and unmanaged estates.",
        subcommands: [Add.self, List.self, Show.self, Fact.self, Correct.self])

    static let headers = ["code", "name", "unit", "subDistrict", "category", "highDispute", "households", "buildings", "floorArea", "yearBuilt"]
    static func row(_ e: Estate) -> [String] {
        [e.code, e.name, e.unit, e.subDistrict, e.category.rawValue, String(e.highDispute), String(e.households),
         String(e.buildings), String(format: "%.2f", e.floorArea), e.yearBuilt.map(String.init) ?? ""]
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register an estate in your unit.")
        @Option var code: String
        @Option var name: String
        @Option var address: String
        @Option(help: "Reporting unit code.") var unit: String
        @Option(help: "Legal district (Lingang estates only).") var legalDistrict: String?
        @Option(help: "Sub-district (街镇).") var subDistrict: String
        @Option(help: "directPublic, workUnitPublic, earlyCommodity, otherOld (or the Chinese name).") var category: String
        @Flag var highDispute = false
        @Option var households: String
        @Option var buildings: String
        @Option(help: "Floor area in m².") var floorArea: String
        @Option var yearBuilt: String?
        @Option(help: "table, json or csv") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let estate = try await context.estates.register(EstateDraft(
                    code: code, name: name, address: address, unit: unit, legalDistrict: legalDistrict, subDistrict: subDistrict,
                    category: category, highDispute: highDispute, households: households, buildings: buildings,
                    floorArea: floorArea, yearBuilt: yearBuilt), by: try await caller.resolve(context))
                print(try Listing(headers: EstateCommand.headers, rows: [EstateCommand.row(estate)]).render(format) { try jsonEncoder.encode(estate) })
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List estates (district users: their own unit).")
        @Option var unit: String?
        @Option var limit = 100
        @Option var offset = 0
        @Option(help: "table, json or csv") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let page = try await context.estates.list(unit: unit, limit: limit, offset: offset, by: try await caller.resolve(context))
                print(try Listing(headers: EstateCommand.headers, rows: page.items.map(EstateCommand.row)).render(format) { try jsonEncoder.encode(page.items) })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An estate's state, episodes and facts as of a date.")
        @Argument var code: String
        @Option(help: "YYYY-MM-DD (default today, Asia/Shanghai).") var asOf: String?
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let v = try await context.estates.show(code: code, asOf: try LocalDate.field(asOf, "asOf"), by: try await caller.resolve(context))
                print("\(v.estate.code)  \(v.estate.name)  （\(v.estate.unit) \(v.estate.subDistrict)，\(v.estate.category.chineseName)）")
                print("截至 \(v.asOf)：\(v.state)")
                for e in v.episodes {
                    print("  无人管理：\(e.start) 起" + (e.end.map { "，\($0) 结束" } ?? "，第 \(e.daysUnmanaged(on: v.asOf) ?? 0) 天"))
                }
                let superseded = Set(v.facts.compactMap(\.fact.supersedes))
                for f in v.facts {
                    let mark = superseded.contains(f.fact.id) ? "（已更正）" : ""
                    print("  #\(f.fact.id) \(f.fact.date) \(f.fact.isRetraction ? "撤销" : "\(f.fact.kind)")\(mark)  \(f.recordedBy) \(f.recordedAt)"
                          + (f.correctionReason.map { "  原因：\($0)" } ?? ""))
                }
            }
        }
    }

    struct Fact: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a dated management fact.")
        @Argument var code: String
        @Option(help: "becameUnmanaged, regularBegan or regularEnded.") var kind: String
        @Option(help: "Effective date, YYYY-MM-DD.") var date: String
        @Option(help: "For becameUnmanaged: previousCompanyLeft, contractEnded, newlyIdentified, other.") var reason: String?
        @Option(help: "For regularBegan/regularEnded: the company's name.") var company: String?
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let v = try await context.estates.recordFact(code: code, FactDraft(kind: kind, date: date, reason: reason, company: company),
                                                             by: try await caller.resolve(context))
                print("已记录。\(v.estate.code) 截至 \(v.asOf)：\(v.state)")
            }
        }
    }

    struct Correct: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Correct (or with --retract, withdraw) a recorded fact, with a reason.")
        @Argument var code: String
        @Option(help: "The id of the fact to correct.") var fact: Int
        @Option(help: "Why (required; kept in the trail).") var reason: String
        @Flag(help: "Withdraw the fact instead of replacing it.") var retract = false
        @Option var kind: String?
        @Option var date: String?
        @Option(name: .customLong("unmanaged-reason")) var unmanagedReason: String?
        @Option var company: String?
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let replacement = retract ? nil : FactDraft(kind: kind ?? "", date: date ?? "", reason: unmanagedReason, company: company)
                let v = try await context.estates.correctFact(code: code, factID: fact, replacement: replacement, reason: reason,
                                                              by: try await caller.resolve(context))
                print("已更正。\(v.estate.code) 截至 \(v.asOf)：\(v.state)")
            }
        }
    }
}
