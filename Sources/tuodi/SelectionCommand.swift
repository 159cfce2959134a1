import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain

struct SelectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selection", abstract: "Competitive selection (市场竞争): rounds, invitations, bids, evaluation, award, OCDS export.",
        subcommands: [Create.self, List.self, Show.self, Invite.self, Open.self, Bid.self, Invalidate.self, Close.self,
                      ProposeAward.self, ApproveAward.self, Cancel.self, Export.self])

    /// Runs one step of a round as the acting user and prints the round after it.
    static func step(_ caller: CallerOption, _ body: @escaping (SelectionUseCases, Caller) async throws -> SelectionView) async throws {
        try await withContext { context, _ in
            print(summary(try await body(context.selections, try await caller.resolve(context))))
        }
    }

    static func summary(_ s: SelectionView) -> String {
        var text = "比选 #\(s.id)《\(s.title)》状态 \(s.status)；标段 \(s.estateCodes.joined(separator: "、"))；有效投标 \(s.validBids) 家"
        for b in s.bids {
            let score = b.total.map { "总分 \(String(format: "%.2f", $0))（价格分 \(String(format: "%.2f", b.priceScore ?? 0))）第 \(b.rank!) 名" }
                ?? "无效：\(b.invalidReason ?? "")"
            text += "\n  投标 #\(b.id) \(b.companyName) 报价 \(b.price) 技术分 \(b.technicalScore) \(score)"
        }
        if let r = s.outcomeReason { text += "\n  结果说明：\(r)" }
        return text
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Draft a round over one or more estates.")
        @Option var unit: String
        @Option var title: String
        @Option(name: .customLong("estate"), help: "Estate code, repeated for each lot.") var estates: [String] = []
        @Option var technicalPercent: Int
        @Option var pricePercent: Int
        @Option(help: "YYYY-MM-DD") var closes: String
        @Option(help: "YYYY-MM-DD") var termStart: String
        @Option(help: "YYYY-MM-DD") var termEnd: String
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let s = try await context.selections.create(SelectionRoundDraft(
                    unit: unit, title: title, estateCodes: estates, technicalPercent: technicalPercent, pricePercent: pricePercent,
                    closesOn: closes, termStart: termStart, termEnd: termEnd), by: try await caller.resolve(context))
                print(SelectionCommand.summary(s))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List rounds.")
        @Option var unit: String?
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                for s in try await context.selections.list(unit: unit, by: try await caller.resolve(context)) {
                    print("#\(s.id)  \(s.unit)  \(s.status)  \(s.title)  标段 \(s.estateCodes.count)  有效投标 \(s.validBids)")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One round with its ranking.")
        @Argument var id: Int
        @Option(help: "table or json") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let s = try await context.selections.show(id: id, by: try await caller.resolve(context))
                print(format == .json ? String(decoding: try jsonEncoder.encode(s), as: UTF8.self) : SelectionCommand.summary(s))
            }
        }
    }

    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Invite all active pool members, or those given with --uscc.")
        @Argument var id: Int
        @Option(name: .customLong("uscc")) var usccs: [String] = []
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let s = try await context.selections.invite(id: id, usccs: usccs.isEmpty ? nil : usccs, by: try await caller.resolve(context))
                print("已邀请 \(s.invited.count) 家：\(s.invited.joined(separator: "、"))")
            }
        }
    }

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open the round for bids.")
        @Argument var id: Int
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await SelectionCommand.step(caller) { try await $0.open(id: id, by: $1) }
        }
    }

    struct Bid: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record an invited company's bid.")
        @Argument var id: Int
        @Option var uscc: String
        @Option(help: "Yuan per m² per month.") var price: Double
        @Option var technicalScore: Double
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await withContext { context, _ in
                let s = try await context.selections.bid(id: id, BidDraft(uscc: uscc, price: price, technicalScore: technicalScore),
                                                         by: try await caller.resolve(context))
                print("已登记投标；共 \(s.bids.count) 份")
            }
        }
    }

    struct Invalidate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a bid invalid, with a reason.")
        @Argument var id: Int
        @Option var bid: Int
        @Option var reason: String
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await SelectionCommand.step(caller) { try await $0.invalidateBid(id: id, bidID: bid, reason: reason, by: $1) }
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close bidding: evaluation, or failed with fewer than 3 valid bids.")
        @Argument var id: Int
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await SelectionCommand.step(caller) { try await $0.close(id: id, by: $1) }
        }
    }

    struct ProposeAward: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "propose-award", abstract: "Propose the top-ranked bid for award.")
        @Argument var id: Int
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await SelectionCommand.step(caller) { try await $0.proposeAward(id: id, by: $1) }
        }
    }

    struct ApproveAward: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "approve-award", abstract: "Approve the award (a second person): creates the arrangements.")
        @Argument var id: Int
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await SelectionCommand.step(caller) { try await $0.approveAward(id: id, by: $1) }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel the round, with a reason.")
        @Argument var id: Int
        @Option var reason: String
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await SelectionCommand.step(caller) { try await $0.cancel(id: id, reason: reason, by: $1) }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the round as an OCDS 1.1 release (JSON).")
        @Argument var id: Int
        @Option(name: .shortAndLong, help: "Output file (default: standard output).") var output: String?
        @OptionGroup var caller: CallerOption
        func run() async throws {
            try await withContext { context, _ in
                let data = try await context.selections.ocdsRelease(id: id, by: try await caller.resolve(context))
                if let output { try data.write(to: URL(fileURLWithPath: output)) } else { print(String(decoding: data, as: UTF8.self)) }
            }
        }
    }
}
