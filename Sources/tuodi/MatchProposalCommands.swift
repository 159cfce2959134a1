import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain
import TuodiLabels

// `tuodi match propose|list|show|edit|approve|reject`: batch custody proposals on the live registry.

enum MatchProposalOutput {
    static func points(_ hundredths: Int) -> String { String(format: "%.2f", Double(hundredths) / 100) }

    static let reasons = Dictionary(uniqueKeysWithValues: Labels.unplacedReasons.pairs.map { ($0.code, $0.label) } + [("removedByClerk", "经办人移出")])

    static func render(_ p: MatchProposalView, format: OutputFormat) throws -> String {
        if format == .json { return String(decoding: try jsonEncoder.encode(p), as: UTF8.self) }
        if format == .csv {
            let rows = p.pairs.map { [$0.estateCode, $0.uscc, $0.companyName, points($0.cost.total)]
                + $0.cost.factors.map { points($0.cost) } + [$0.editedBy ?? ""] }
                + p.unplaced.map { [$0.estateCode, "", "", "", "", "", "", "", reasons[$0.reason] ?? $0.reason] }
            let headers = ["小区编码", "统一社会信用代码", "企业名称", "成本", "同街镇", "评分", "在管数量", "区属集团", "手工调整人"]
            return Listing(headers: headers, rows: rows).render(.csv) { Data() }
        }
        var lines = ["匹配方案第 \(p.id) 号（\(p.unit)，\(Labels.proposalStatuses[p.status])）：托管期 \(p.termStart) 至 \(p.termEnd)，依据 \(p.asOf) 的登记数据",
                     "权重：同街镇 \(p.weights.sameSubDistrict)，评分 \(p.weights.merit)，在管数量 \(p.weights.load)，区属集团 \(p.weights.districtGroup)；"
                         + "总成本 \(points(p.totalCost))（\(p.pairs.count) 对，\(p.unplaced.count) 个未安排）"]
        for pair in p.pairs {
            lines.append("\(pair.estateCode) → \(pair.companyName)（\(pair.uscc)）成本 \(points(pair.cost.total))"
                         + (pair.editedBy.map { "（\($0) 手工调整）" } ?? ""))
            for f in pair.cost.factors {
                lines.append("     \(f.label)：\(f.value.formatted()) → 扣 \(points(f.cost)) / \(f.weight)")
            }
        }
        for u in p.unplaced { lines.append("未安排：\(u.estateCode)（\(reasons[u.reason] ?? u.reason)）") }
        if !p.arrangementIDs.isEmpty { lines.append("已生成临时托管安排：" + p.arrangementIDs.map { "#\($0)" }.joined(separator: " ")) }
        return lines.joined(separator: "\n")
    }
}

extension MatchCommand {
    struct Propose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "propose", 
            abstract: "以本单位在库企业的剩余承接能力为无人管理小区求最优匹配，并保存为匹配方案。")
        @Option(help: "报告单位代码。") var unit: String
        @Option(help: "登记数据的日期 YYYY-MM-DD（默认今天）。") var asOf: String?
        @Option(help: "托管开始日期 YYYY-MM-DD（默认同 --as-of）。") var start: String?
        @Option(help: "计划结束日期 YYYY-MM-DD（默认按本单位临时托管最长期限）。") var plannedEnd: String?
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let p = try await context.matching.propose(unit: unit, asOf: asOf, start: start, plannedEnd: plannedEnd,
                                                           by: try await caller.resolve(context))
                print(try MatchProposalOutput.render(p, format: format))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "本单位的批量匹配方案。")
        @Option(help: "报告单位代码。") var unit: String?
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let items = try await context.matching.list(unit: unit, by: try await caller.resolve(context))
                let listing = Listing(headers: ["编号", "报告单位", "状态", "托管开始", "托管结束", "配对数", "未安排", "总成本", "提出人"],
                                      rows: items.map { [String($0.id), $0.unit, Labels.proposalStatuses[$0.status], $0.termStart.description, $0.termEnd.description,
                                                         String($0.pairs.count), String($0.unplaced.count),
                                                         MatchProposalOutput.points($0.totalCost), $0.proposedBy] })
                try listing.print(format) { try jsonEncoder.encode(items) }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "显示一个匹配方案：每一对及其各因素成本。")
        @Argument(help: "匹配方案编号。") var id: Int
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                print(try MatchProposalOutput.render(try await context.matching.show(id: id, by: try await caller.resolve(context)), format: format))
            }
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", 
            abstract: "将小区改配给另一家在库企业（或以 --remove 移出本批）；重新检查资格和承接能力。")
        @Argument(help: "匹配方案编号。") var id: Int
        @Option(help: "小区编码。") var estate: String
        @Option(help: "改配企业的统一社会信用代码。") var uscc: String?
        @Flag(help: "将小区移出本批。") var remove = false
        @Option(help: "调整原因。") var reason: String
        @OptionGroup var caller: CallerOption

        func validate() throws {
            guard (uscc == nil) == remove else { throw ValidationError("给出 --uscc 或 --remove 之一") }
        }

        func run() async throws {
            try await withContext { context, _ in
                let p = try await context.matching.edit(id: id, estateCode: estate, uscc: uscc, reason: reason, by: try await caller.resolve(context))
                print(try MatchProposalOutput.render(p, format: .table))
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "approve", 
            abstract: "批准（另一人）：每一对都成为临时托管安排，要么全部生成，要么一个也不生成。")
        @Argument(help: "匹配方案编号。") var id: Int
        @Option(help: "审批意见。") var reason: String?
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                print(try MatchProposalOutput.render(try await context.matching.approve(id: id, reason: reason, by: try await caller.resolve(context)),
                                                     format: .table))
            }
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reject", abstract: "退回匹配方案，须说明原因。")
        @Argument(help: "匹配方案编号。") var id: Int
        @Option(help: "退回原因。") var reason: String
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                print(try MatchProposalOutput.render(try await context.matching.reject(id: id, reason: reason, by: try await caller.resolve(context)),
                                                     format: .table))
            }
        }
    }
}
