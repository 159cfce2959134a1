import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain
import TuodiLabels

struct SelectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selection", abstract: "市场竞争比选：组织比选、邀请、投标、评审、定标、OCDS 导出。",
        subcommands: [Create.self, List.self, Show.self, Invite.self, Open.self, Bid.self, Invalidate.self, Close.self,
                      ProposeAward.self, ApproveAward.self, Cancel.self, Export.self])

    /// Runs one step of a round as the acting user and prints the round after it.
    static func step(_ caller: CallerOption, _ body: @escaping (SelectionUseCases, Caller) async throws -> SelectionView) async throws {
        try await withContext { context, _ in
            print(summary(try await body(context.selections, try await caller.resolve(context))))
        }
    }

    static func summary(_ s: SelectionView) -> String {
        var text = "比选 #\(s.id)《\(s.title)》状态 \(Labels.selectionStatuses[s.status])；标段 \(s.estateCodes.joined(separator: "、"))；有效投标 \(s.validBids) 家"
        for b in s.bids {
            let score = b.total.map { "总分 \(String(format: "%.2f", $0))（价格分 \(String(format: "%.2f", b.priceScore ?? 0))）第 \(b.rank!) 名" }
                ?? "无效：\(b.invalidReason ?? "")"
            text += "\n  投标 #\(b.id) \(b.companyName) 报价 \(b.price) 技术分 \(b.technicalScore) \(score)"
        }
        if let r = s.outcomeReason { text += "\n  结果说明：\(r)" }
        return text
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "为一个或多个小区草拟一轮比选。")
        @Option(help: "报告单位代码。") var unit: String
        @Option(help: "比选名称。") var title: String
        @Option(name: .customLong("estate"), help: "小区编码，每个标段给一次。") var estates: [String] = []
        @Option(help: "技术分权重（%）。") var technicalPercent: Int
        @Option(help: "价格分权重（%，不低于 10）。") var pricePercent: Int
        @Option(help: "投标截止日期 YYYY-MM-DD。") var closes: String
        @Option(help: "服务期开始 YYYY-MM-DD。") var termStart: String
        @Option(help: "服务期结束 YYYY-MM-DD。") var termEnd: String
        @OptionGroup var output: CreatedOutput
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let s = try await context.selections.create(SelectionRoundDraft(
                    unit: unit, title: title, estateCodes: estates, technicalPercent: technicalPercent, pricePercent: pricePercent,
                    closesOn: closes, termStart: termStart, termEnd: termEnd), by: try await caller.resolve(context))
                try output.print(s, SelectionCommand.summary(s))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出比选。")
        @Option(help: "报告单位代码。") var unit: String?
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let rounds = try await context.selections.list(unit: unit, by: try await caller.resolve(context))
                try Listing(headers: ["编号", "报告单位", "状态", "名称", "标段数", "有效投标", "投标截止"],
                            rows: rounds.map { [String($0.id), $0.unit, Labels.selectionStatuses[$0.status], $0.title,
                                                String($0.estateCodes.count), String($0.validBids), $0.closesOn.description] })
                    .print(format) { try jsonEncoder.encode(rounds) }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "显示一轮比选及其排名。")
@Argument(help: "比选编号。") var id: Int
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let s = try await context.selections.show(id: id, by: try await caller.resolve(context))
                if format == .table { return print(SelectionCommand.summary(s)) }
                try Listing(headers: ["投标", "企业", "报价（元/㎡·月）", "技术分", "价格分", "总分", "名次", "无效原因"],
                            rows: s.bids.map { b in [String(b.id), b.companyName, String(b.price), String(b.technicalScore),
                                                     b.priceScore.map { String(format: "%.2f", $0) } ?? "", b.total.map { String(format: "%.2f", $0) } ?? "",
                                                     b.rank.map(String.init) ?? "", b.invalidReason ?? ""] })
                    .print(format) { try jsonEncoder.encode(s) }
            }
        }
    }

    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "invite", abstract: "邀请全部在库企业，或以 --uscc 指定的企业。")
@Argument(help: "比选编号。") var id: Int
        @Option(name: .customLong("uscc"), help: "受邀企业的统一社会信用代码，可重复。") var usccs: [String] = []
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let s = try await context.selections.invite(id: id, usccs: usccs.isEmpty ? nil : usccs, by: try await caller.resolve(context))
                print("已邀请 \(s.invited.count) 家：\(s.invited.joined(separator: "、"))")
            }
        }
    }

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "open", abstract: "开始接受投标。")
        @Argument(help: "比选编号。") var id: Int
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await SelectionCommand.step(caller) { try await $0.open(id: id, by: $1) }
        }
    }

    struct Bid: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "bid", abstract: "登记受邀企业的投标。")
@Argument(help: "比选编号。") var id: Int
        @Option(help: "投标企业的统一社会信用代码。") var uscc: String
        @Option(help: "报价（元/㎡·月）。") var price: Double
        @Option(help: "技术分（0–100）。") var technicalScore: Double
        @OptionGroup var output: CreatedOutput
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await withContext { context, _ in
                let s = try await context.selections.bid(id: id, BidDraft(uscc: uscc, price: price, technicalScore: technicalScore),
                                                         by: try await caller.resolve(context))
                // The bid just recorded is the round's newest.
                try output.print(s.bids.max { $0.id < $1.id }, "已登记投标；共 \(s.bids.count) 份")
            }
        }
    }

    struct Invalidate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "invalidate", abstract: "认定一份投标无效，须说明原因。")
@Argument(help: "比选编号。") var id: Int
        @Option(help: "投标编号。") var bid: Int
        @Option(help: "无效原因。") var reason: String
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await SelectionCommand.step(caller) { try await $0.invalidateBid(id: id, bidID: bid, reason: reason, by: $1) }
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "close", abstract: "截止投标：进入评审；有效投标不足 3 家则流标。")
        @Argument(help: "比选编号。") var id: Int
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await SelectionCommand.step(caller) { try await $0.close(id: id, by: $1) }
        }
    }

    struct ProposeAward: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "propose-award", abstract: "提出排名第一的投标为拟成交。")
        @Argument(help: "比选编号。") var id: Int
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await SelectionCommand.step(caller) { try await $0.proposeAward(id: id, by: $1) }
        }
    }

    struct ApproveAward: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "approve-award", abstract: "批准定标（另一人）：生成托底安排。")
        @Argument(help: "比选编号。") var id: Int
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await SelectionCommand.step(caller) { try await $0.approveAward(id: id, by: $1) }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cancel", abstract: "取消本轮比选，须说明原因。")
@Argument(help: "比选编号。") var id: Int
        @Option(help: "取消原因。") var reason: String
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await SelectionCommand.step(caller) { try await $0.cancel(id: id, reason: reason, by: $1) }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "将本轮比选写出为 OCDS 1.1 发布（JSON）。")
        @Argument(help: "比选编号。") var id: Int
        @Option(name: .shortAndLong, help: "输出文件（默认标准输出）。") var output: String?
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await withContext { context, _ in
                let data = try await context.selections.ocdsRelease(id: id, by: try await caller.resolve(context))
                if let output { try data.write(to: URL(fileURLWithPath: output)) } else { print(String(decoding: data, as: UTF8.self)) }
            }
        }
    }
}
