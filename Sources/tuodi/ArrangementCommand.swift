import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain
import TuodiStore

/// Shared printing of arrangements.
enum ArrangementOutput {
    /// Runs one change as the acting user and prints the arrangement after it, after `label`.
    static func step(_ label: String, _ caller: CallerOption,
                     _ body: @escaping (ArrangementUseCases, Caller) async throws -> ArrangementView) async throws {
        try await withContext { context, _ in
            Swift.print(label + line(try await body(context.arrangements, try await caller.resolve(context))))
        }
    }

    static let headers = ["id", "estate", "kind", "provider", "start", "plannedEnd", "endedOn", "status", "needsReplacement"]
    static func row(_ a: ArrangementView) -> [String] {
        [String(a.id), a.estateCode, a.kind, a.uscc.map { "\(a.provider)（\($0)）" } ?? a.provider, a.start.description,
         a.plannedEnd?.description ?? "", a.endedOn?.description ?? "", a.status, a.needsReplacement ? "yes" : ""]
    }
    static func print(_ list: [ArrangementView], _ format: OutputFormat) throws {
        Swift.print(try Listing(headers: headers, rows: list.map(row)).render(format) { try jsonEncoder.encode(list) })
    }
    static func line(_ a: ArrangementView) -> String {
        "安排 #\(a.id)：\(a.estateCode) \(a.kind) \(a.provider) \(a.start) 至 \(a.plannedEnd?.description ?? "长期")，状态 \(a.status)"
    }
}

struct CustodyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custody", abstract: "Interim custody (临时托管): ranked candidates, and direct appointment (a proposal for approval).",
        subcommands: [Candidates.self, Appoint.self])

    struct Candidates: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Eligible pool members for an estate and term, ranked, with every factor.")
        @Option var estate: String
        @Option(help: "YYYY-MM-DD") var start: String
        @Option(help: "YYYY-MM-DD") var plannedEnd: String
        @Option(help: "table or json") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let list = try await context.arrangements.candidates(estateCode: estate, start: start, plannedEnd: plannedEnd,
                                                                      by: try await caller.resolve(context))
                if format == .json {
                    struct Out: Encodable { let rank: Int?, uscc: String, companyName: String, total: Double?, factors: [CandidateFactor]?, reason: String? }
                    let out = list.eligible.map { Out(rank: $0.rank, uscc: $0.facts.uscc.value, companyName: $0.facts.companyName,
                                                      total: $0.total, factors: $0.factors, reason: nil) }
                        + list.ineligible.map { Out(rank: nil, uscc: $0.facts.uscc.value, companyName: $0.facts.companyName,
                                                    total: nil, factors: nil, reason: $0.reason) }
                    print(String(decoding: try jsonEncoder.encode(out), as: UTF8.self))
                    return
                }
                print("小区 \(list.estateCode) 临时托管候选（\(list.start) 至 \(list.plannedEnd)）")
                for c in list.eligible {
                    print("\(c.rank). \(c.facts.companyName)（\(c.facts.uscc.value)）总分 \(String(format: "%.2f", c.total))")
                    for f in c.factors {
                        print("     \(f.label)：\(f.value.formatted()) → \(String(format: "%.2f", f.points)) / \(f.weight)")
                    }
                }
                for i in list.ineligible { print("不符合：\(i.facts.companyName)（\(i.facts.uscc.value)）：\(i.reason)") }
            }
        }
    }

    struct Appoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Propose a direct custody appointment with a written justification.")
        @Option var estate: String
        @Option var uscc: String
        @Option(help: "YYYY-MM-DD") var start: String
        @Option(help: "YYYY-MM-DD") var plannedEnd: String
        @Option(help: "Yuan per m² per month.") var fee: Double?
        @Option var justification: String
        @Option(help: "The running arrangement this one replaces.") var replaces: Int?
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let a = try await context.arrangements.propose(ArrangementDraft(
                    estateCode: estate, kind: "custody", uscc: uscc, start: start, plannedEnd: plannedEnd, fee: fee,
                    justification: justification, replaces: replaces), by: try await caller.resolve(context))
                print("已提出" + ArrangementOutput.line(a) + "，待审核人审批")
            }
        }
    }
}

struct ArrangementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arrangement", abstract: "Arrangements of all four routes: list, propose, approve or reject, extend, terminate, expiring.",
        subcommands: [List.self, Show.self, Propose.self, Approve.self, Reject.self, Extend.self, Terminate.self, Expiring.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List arrangements.")
        @Option var unit: String?
        @Option var estate: String?
        @Option(help: "proposed, active, ended, terminated or rejected") var status: String?
        @Option(help: "table, json or csv") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                try ArrangementOutput.print(try await context.arrangements.list(unit: unit, estateCode: estate, status: status,
                                                                                 by: try await caller.resolve(context)), format)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One arrangement with its changes.")
        @Argument var id: Int
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let a = try await context.arrangements.show(id: id, by: try await caller.resolve(context))
                print(String(decoding: try jsonEncoder.encode(a), as: UTF8.self))
            }
        }
    }

    struct Propose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Propose owner self-management, community fallback or custody.")
        @Option var estate: String
        @Option(help: "custody, ownerSelf or communityFallback") var kind: String
        @Option var uscc: String?
        @Option(help: "The responsible body (owners' committee, sub-district office).") var body: String?
        @Option var contact: String?
        @Option(help: "YYYY-MM-DD") var start: String
        @Option(help: "YYYY-MM-DD") var plannedEnd: String?
        @Option(help: "YYYY-MM-DD") var reviewDate: String?
        @Option var fee: Double?
        @Option var justification: String?
        @Option var replaces: Int?
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let a = try await context.arrangements.propose(ArrangementDraft(
                    estateCode: estate, kind: kind, uscc: uscc, body: body, contact: contact, start: start, plannedEnd: plannedEnd,
                    reviewDate: reviewDate, fee: fee, justification: justification, replaces: replaces), by: try await caller.resolve(context))
                print("已提出" + ArrangementOutput.line(a) + "，待审核人审批")
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a proposal (an approver who did not propose it).")
        @Argument var id: Int
        @Option var reason: String?
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await ArrangementOutput.step("已批准", caller) { try await $0.approve(id: id, reason: reason, by: $1) }
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a proposal, with a reason.")
        @Argument var id: Int
        @Option var reason: String
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await ArrangementOutput.step("已退回", caller) { try await $0.reject(id: id, reason: reason, by: $1) }
        }
    }

    struct Extend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Extend to a later planned end, with a reason.")
        @Argument var id: Int
        @Option(help: "YYYY-MM-DD") var plannedEnd: String
        @Option var reason: String
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await ArrangementOutput.step("已延期", caller) { try await $0.extend(id: id, plannedEnd: plannedEnd, reason: reason, by: $1) }
        }
    }

    struct Terminate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End early; --last-day is the last day served.")
        @Argument var id: Int
        @Option(help: "YYYY-MM-DD") var lastDay: String
        @Option var reason: String
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await ArrangementOutput.step("已终止", caller) { try await $0.terminate(id: id, lastDay: lastDay, reason: reason, by: $1) }
        }
    }

    struct Expiring: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Arrangements ending and memberships expiring within N days.")
        @Option var unit: String
        @Option var within: Int = 90
        @Option(help: "table, json or csv") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let list = try await context.arrangements.expiring(unit: unit, withinDays: within, by: try await caller.resolve(context))
                if format == .table { print("截至 \(list.asOf)，\(list.withinDays) 天内到期的托底安排：") }
                try ArrangementOutput.print(list.arrangements, format)
                if format == .table {
                    print("\(list.withinDays) 天内到期的入库资格：")
                    for m in list.memberships { print("\(m.companyName)（\(m.uscc)）有效期至 \(m.end)") }
                }
            }
        }
    }
}
