import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain

// `tuodi match propose|list|show|edit|approve|reject`: batch custody proposals on the live registry.

enum MatchProposalOutput {
    static func points(_ hundredths: Int) -> String { String(format: "%.2f", Double(hundredths) / 100) }

    static func render(_ p: MatchProposalView, format: OutputFormat) throws -> String {
        if format == .json { return String(decoding: try jsonEncoder.encode(p), as: UTF8.self) }
        if format == .csv {
            let rows = p.pairs.map { [$0.estateCode, $0.uscc, $0.companyName, points($0.cost.total)]
                + $0.cost.factors.map { points($0.cost) } + [$0.editedBy ?? ""] }
                + p.unplaced.map { [$0.estateCode, "", "", "", "", "", "", "", $0.reason] }
            let headers = ["estateCode", "uscc", "companyName", "cost", "sameSubDistrict", "merit", "load", "districtGroup", "editedBy"]
            return Listing(headers: headers, rows: rows).render(.csv) { Data() }
        }
        var lines = ["匹配方案第 \(p.id) 号（\(p.unit)，\(p.status)）：托管期 \(p.termStart) 至 \(p.termEnd)，依据 \(p.asOf) 的登记数据",
                     "权重：同街镇 \(p.weights.sameSubDistrict)，评分 \(p.weights.merit)，在管数量 \(p.weights.load)，区属集团 \(p.weights.districtGroup)；"
                         + "总成本 \(points(p.totalCost))（\(p.pairs.count) 对，\(p.unplaced.count) 个未安排）"]
        for pair in p.pairs {
            lines.append("\(pair.estateCode) → \(pair.companyName)（\(pair.uscc)）成本 \(points(pair.cost.total))"
                         + (pair.editedBy.map { "（\($0) 手工调整）" } ?? ""))
            for f in pair.cost.factors {
                lines.append("     \(f.label)：\(f.value.formatted()) → 扣 \(points(f.cost)) / \(f.weight)")
            }
        }
        let reasons = ["noEligibleCompany": "无符合条件的企业", "insufficientCapacity": "承接能力不足", "removedByClerk": "经办人移出"]
        for u in p.unplaced { lines.append("未安排：\(u.estateCode)（\(reasons[u.reason] ?? u.reason)）") }
        if !p.arrangementIDs.isEmpty { lines.append("已生成临时托管安排：" + p.arrangementIDs.map { "#\($0)" }.joined(separator: " ")) }
        return lines.joined(separator: "\n")
    }
}

extension MatchCommand {
    struct Propose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Solve the unit's unmanaged estates against its pool members' spare capacity and store the optimal batch as a proposal.")
        @Option var unit: String
        @Option(help: "YYYY-MM-DD: the registry date (default: today).") var asOf: String?
        @Option(help: "YYYY-MM-DD: the custody term's first day (default: --as-of).") var start: String?
        @Option(help: "YYYY-MM-DD (default: the district's custody maximum).") var plannedEnd: String?
        @Option(help: "table, json or csv") var format: OutputFormat = .table
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
        static let configuration = CommandConfiguration(abstract: "A unit's batch proposals.")
        @Option var unit: String?
        @Option(help: "table, json or csv") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let items = try await context.matching.list(unit: unit, by: try await caller.resolve(context))
                let listing = Listing(headers: ["id", "unit", "status", "termStart", "termEnd", "pairs", "unplaced", "totalCost", "proposedBy"],
                                      rows: items.map { [String($0.id), $0.unit, $0.status, $0.termStart.description, $0.termEnd.description,
                                                         String($0.pairs.count), String($0.unplaced.count),
                                                         MatchProposalOutput.points($0.totalCost), $0.proposedBy] })
                print(try listing.render(format) { try jsonEncoder.encode(items) })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One proposal: every pair with its cost by factor.")
        @Argument var id: Int
        @Option(help: "table, json or csv") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                print(try MatchProposalOutput.render(try await context.matching.show(id: id, by: try await caller.resolve(context)), format: format))
            }
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give an estate to another pool member (or, with --remove, take it out of the batch); re-checked against eligibility and capacity.")
        @Argument var id: Int
        @Option var estate: String
        @Option var uscc: String?
        @Flag(help: "Take the estate out of the batch.") var remove = false
        @Option var reason: String
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
        static let configuration = CommandConfiguration(
            abstract: "Approve (a second person): every pair becomes a custody arrangement, all in one transaction or none.")
        @Argument var id: Int
        @Option var reason: String?
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                print(try MatchProposalOutput.render(try await context.matching.approve(id: id, reason: reason, by: try await caller.resolve(context)),
                                                     format: .table))
            }
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject the proposal, with a reason.")
        @Argument var id: Int
        @Option var reason: String
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                print(try MatchProposalOutput.render(try await context.matching.reject(id: id, reason: reason, by: try await caller.resolve(context)),
                                                     format: .table))
            }
        }
    }
}
