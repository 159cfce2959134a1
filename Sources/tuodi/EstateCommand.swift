import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain
import TuodiLabels
import TuodiStore

struct EstateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estate", abstract: "老旧小区清单：登记、查询、记录管理事实。",
        subcommands: [Add.self, List.self, Show.self, Fact.self, Correct.self])

    static let headers = ["小区编码", "名称", "报告单位", "街镇", "房屋类型", "矛盾纠纷突出", "户数", "幢数", "建筑面积（㎡）", "建成年份"]
    static func row(_ e: Estate) -> [String] {
        [e.code, e.name, e.unit, e.subDistrict, e.category.label, Labels.yesNo(e.highDispute), String(e.households),
         String(e.buildings), String(format: "%.2f", e.floorArea), e.yearBuilt.map(String.init) ?? ""]
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "在本单位登记一个小区。")
        @Option(help: "小区编码（全市唯一）。") var code: String
        @Option(help: "小区名称。") var name: String
        @Option(help: "地址。") var address: String
        @Option(help: "报告单位代码，如 310101。") var unit: String
        @Option(help: "法定行政区（仅临港新片区的小区）。") var legalDistrict: String?
        @Option(help: "街镇。") var subDistrict: String
        @Option(help: "房屋类型：directPublic、workUnitPublic、earlyCommodity、otherOld，或中文名称。") var category: String
        @Flag(help: "矛盾纠纷突出小区。") var highDispute = false
        @Option(help: "户数。") var households: String
        @Option(help: "幢数。") var buildings: String
        @Option(help: "建筑面积（㎡）。") var floorArea: String
        @Option(help: "建成年份。") var yearBuilt: String?
        @Option(help: "现状：由该企业管理（与 --since 同用）。") var managedBy: String?
        @Option(help: "现状：--managed-by 的企业自该日期 YYYY-MM-DD 起管理。") var since: String?
        @Option(help: "现状：自该日期 YYYY-MM-DD 起无人管理。") var unmanagedSince: String?
        @Option(help: "无人管理的原因：previousCompanyLeft、contractEnded、newlyIdentified、other（默认 other）。") var unmanagedReason: String?
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        /// The estate's management today, when given: one dated fact recorded with the estate.
        func current() throws -> FactDraft? {
            switch (managedBy, unmanagedSince) {
            case (nil, nil): return nil
            case (let company?, nil): return FactDraft(kind: "regularBegan", date: since ?? "", company: company)
            case (nil, let date?): return FactDraft(kind: "becameUnmanaged", date: date, reason: unmanagedReason ?? "other")
            case (_?, _?):
                throw AppError.validation([FieldError(field: "unmanagedSince", code: "conflict", message: "--managed-by 与 --unmanaged-since 只能给一个")])
            }
        }

        func run() async throws {
            try await withContext { context, _ in
                let estate = try await context.estates.register(EstateDraft(
                    code: code, name: name, address: address, unit: unit, legalDistrict: legalDistrict, subDistrict: subDistrict,
                    category: category, highDispute: highDispute, households: households, buildings: buildings,
                    floorArea: floorArea, yearBuilt: yearBuilt), current: try current(), by: try await caller.resolve(context))
                try Listing(headers: EstateCommand.headers, rows: [EstateCommand.row(estate)]).print(format) { try jsonEncoder.encode(estate) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出小区（区级用户只见本单位）。")
        @Option(help: "报告单位代码。") var unit: String?
        @Option(help: "每页行数（1–500）。") var limit = 100
        @Option(help: "跳过的行数。") var offset = 0
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let page = try await context.estates.list(unit: unit, limit: limit, offset: offset, by: try await caller.resolve(context))
                try Listing(headers: EstateCommand.headers, rows: page.items.map(EstateCommand.row)).print(format) { try jsonEncoder.encode(page.items) }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "某日小区的状态、无人管理时段和管理事实。")
        @Argument(help: "小区编码。") var code: String
        @Option(help: "日期 YYYY-MM-DD（默认今天，北京时间）。") var asOf: String?
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let v = try await context.estates.show(code: code, asOf: try LocalDate.field(asOf, "asOf"), by: try await caller.resolve(context))
                if format != .table {
                    return try Listing(headers: EstateCommand.headers + ["截至", "状态"],
                                       rows: [EstateCommand.row(v.estate) + [v.asOf.description, v.state.label]])
                        .print(format) { try jsonEncoder.encode(EstateOutput(v)) }
                }
                print("\(v.estate.code)  \(v.estate.name)  （\(v.estate.unit) \(v.estate.subDistrict)，\(v.estate.category.label)）")
                print("截至 \(v.asOf)：\(v.state.label)")
                for e in v.episodes {
                    print("  无人管理：\(e.start) 起" + (e.end.map { "，\($0) 结束" } ?? "，第 \(e.daysUnmanaged(on: v.asOf) ?? 0) 天"))
                }
                let superseded = Set(v.facts.compactMap(\.fact.supersedes))
                for f in v.facts {
                    let mark = superseded.contains(f.fact.id) ? "（已更正）" : ""
                    print("  #\(f.fact.id) \(f.fact.date) \(f.fact.isRetraction ? "撤销" : f.fact.kind.label)\(mark)  \(f.recordedBy) \(Display.beijingTime(iso: f.recordedAt))"
                          + (f.correctionReason.map { "  原因：\($0)" } ?? ""))
                }
            }
        }
    }

    struct Fact: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "fact", abstract: "记录一条有生效日期的管理事实。")
        @Argument(help: "小区编码。") var code: String
        @Option(help: "事实类型：becameUnmanaged（成为无人管理）、regularBegan（选聘企业进驻）或 regularEnded（企业退出）。") var kind: String
        @Option(help: "生效日期 YYYY-MM-DD。") var date: String
        @Option(help: "becameUnmanaged 的原因：previousCompanyLeft、contractEnded、newlyIdentified、other。") var reason: String?
        @Option(help: "regularBegan/regularEnded 的企业名称。") var company: String?
        @OptionGroup var output: CreatedOutput
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let v = try await context.estates.recordFact(code: code, FactDraft(kind: kind, date: date, reason: reason, company: company),
                                                             by: try await caller.resolve(context))
                try output.print(EstateOutput.newestFact(v), "已记录。\(v.estate.code) 截至 \(v.asOf)：\(v.state.label)")
            }
        }
    }

    struct Correct: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "correct", abstract: "更正一条已记录的事实（或以 --retract 撤销），须说明原因。")
        @Argument(help: "小区编码。") var code: String
        @Option(help: "要更正的事实编号。") var fact: Int
        @Option(help: "更正原因（必填，记入审计）。") var reason: String
        @Flag(help: "撤销该事实，而不是替换。") var retract = false
        @Option(help: "新的事实类型。") var kind: String?
        @Option(help: "新的生效日期 YYYY-MM-DD。") var date: String?
        @Option(name: .customLong("unmanaged-reason"), help: "新的无人管理原因。") var unmanagedReason: String?
        @Option(help: "新的企业名称。") var company: String?
        @OptionGroup var output: CreatedOutput
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let replacement = retract ? nil : FactDraft(kind: kind ?? "", date: date ?? "", reason: unmanagedReason, company: company)
                let v = try await context.estates.correctFact(code: code, factID: fact, replacement: replacement, reason: reason,
                                                              by: try await caller.resolve(context))
                try output.print(EstateOutput.newestFact(v), "已更正。\(v.estate.code) 截至 \(v.asOf)：\(v.state.label)")
            }
        }
    }
}

/// `estate show --format json`: the same field names as the HTTP API's estate view.
struct EstateOutput: Encodable {
    struct EpisodeOut: Encodable { let start: String, end: String?, endedBy: String? }
    struct FactOut: Encodable {
        let id: Int, date: String, kind: String, reason: String?, company: String?, supersedes: Int?, retraction: Bool
        let recordedBy: String, recordedAt: String, correctionReason: String?
    }
    let estate: Estate
    let asOf: String
    let state: String
    let episodes: [EpisodeOut]
    let facts: [FactOut]

    init(_ v: EstateView) {
        estate = v.estate
        asOf = v.asOf.description
        state = v.state.description
        episodes = v.episodes.map { EpisodeOut(start: $0.start.description, end: $0.end?.description, endedBy: $0.endedBy?.description) }
        facts = v.facts.map(FactOut.init)
    }

    /// The fact just recorded (or the correction just made): the newest of the estate's facts.
    static func newestFact(_ v: EstateView) -> FactOut? { v.facts.max { $0.fact.id < $1.fact.id }.map(FactOut.init) }
}

extension EstateOutput.FactOut {
    init(_ f: StoredFact) {
        let (kind, reason, company): (String, String?, String?) = switch f.fact.kind {
        case .becameUnmanaged(let r): ("becameUnmanaged", r.rawValue, nil)
        case .regularBegan(let c): ("regularBegan", nil, c)
        case .regularEnded(let c): ("regularEnded", nil, c)
        }
        self.init(id: f.fact.id, date: f.fact.date.description, kind: kind, reason: reason, company: company,
                  supersedes: f.fact.supersedes, retraction: f.fact.isRetraction, recordedBy: f.recordedBy,
                  recordedAt: f.recordedAt, correctionReason: f.correctionReason)
    }
}
