import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain
import TuodiLabels
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

    static let headers = ["编号", "小区", "方式", "承接方", "开始", "计划结束", "实际结束", "状态", "需更换"]
    static func row(_ a: ArrangementView) -> [String] {
        [String(a.id), a.estateCode, Labels.kinds[a.kind], a.uscc.map { "\(a.provider)（\($0)）" } ?? a.provider, a.start.description,
         a.plannedEnd?.description ?? "", a.endedOn?.description ?? "", Labels.arrangementStatuses[a.status], a.needsReplacement ? Labels.yes : ""]
    }
    static func print(_ list: [ArrangementView], _ format: OutputFormat) throws {
        try Listing(headers: headers, rows: list.map(row)).print(format) { try jsonEncoder.encode(list) }
    }
    static func line(_ a: ArrangementView) -> String {
        "安排 #\(a.id)：\(a.estateCode) \(Labels.kinds[a.kind]) \(a.provider) \(a.start) 至 \(a.plannedEnd?.description ?? "长期")，"
            + "状态 \(Labels.arrangementStatuses[a.status])"
    }
    /// `arrangement show`: the record, who proposed and decided it, and its dated changes.
    static func detail(_ a: ArrangementView) -> String {
        var lines = [line(a)]
        if let c = a.contact { lines.append("联系方式：\(c)") }
        if let r = a.reviewDate { lines.append("复核日期：\(r)") }
        if let f = a.fee { lines.append("收费：\(f) 元/㎡·月") }
        if let j = a.justification { lines.append("理由：\(j)") }
        if let r = a.replaces { lines.append("替换安排 #\(r)") }
        if let s = a.selectionRoundID { lines.append("来自比选 #\(s)") }
        if let ref = a.documentRef { lines.append("事后登记的以往决定：\(ref)（\(a.decidedOn?.description ?? "")）") }
        lines.append("提出人：\(a.proposedBy)" + (a.decidedBy.map { "；审批人：\($0)" } ?? "") + (a.decisionReason.map { "（\($0)）" } ?? ""))
        if a.needsReplacement { lines.append("提示：承接企业已不在库，应安排更换") }
        for c in a.changes {
            lines.append("  \(c.date) \(Labels.arrangementEvents[c.kind.rawValue])：\(c.reason)  \(c.recordedBy) \(Display.beijingTime(iso: c.recordedAt))")
        }
        return lines.joined(separator: "\n")
    }
}

struct CustodyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custody", abstract: "临时托管：按得分排列的候选企业，以及直接指定（提交审批）。",
        subcommands: [Candidates.self, Appoint.self])

    struct Candidates: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "candidates", abstract: "某小区在某期限内符合条件的在库企业，按得分排列，列明每项因素。")
        @Option(help: "小区编码。") var estate: String
        @Option(help: "托管开始日期 YYYY-MM-DD。") var start: String
        @Option(help: "计划结束日期 YYYY-MM-DD。") var plannedEnd: String
        @Option(help: "输出格式：table 或 json。") var format: OutputFormat = .table
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
        static let configuration = CommandConfiguration(commandName: "appoint", abstract: "提出直接指定临时托管企业，须书面说明理由。")
        @Option(help: "小区编码。") var estate: String
        @Option(help: "托管企业的统一社会信用代码。") var uscc: String
        @Option(help: "开始日期 YYYY-MM-DD。") var start: String
        @Option(help: "计划结束日期 YYYY-MM-DD。") var plannedEnd: String
        @Option(help: "收费（元/㎡·月）。") var fee: Double?
        @Option(help: "指定理由。") var justification: String
        @Option(help: "被本安排替换的在执行安排编号。") var replaces: Int?
        @OptionGroup var output: CreatedOutput
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let a = try await context.arrangements.propose(ArrangementDraft(
                    estateCode: estate, kind: "custody", uscc: uscc, start: start, plannedEnd: plannedEnd, fee: fee,
                    justification: justification, replaces: replaces), by: try await caller.resolve(context))
                try output.print(a, "已提出" + ArrangementOutput.line(a) + "，待审核人审批")
            }
        }
    }
}

struct ArrangementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arrangement", abstract: "四种托底方式的安排：列出、提出、审批或退回、延期、提前终止、即将到期。",
        subcommands: [List.self, Show.self, Propose.self, Record.self, Approve.self, Reject.self, Extend.self, Terminate.self, Expiring.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出托底安排。")
        @Option(help: "报告单位代码。") var unit: String?
        @Option(help: "小区编码。") var estate: String?
        @Option(help: "状态：proposed（待审批）、active（有效）、ended（已到期）、terminated（已终止）或 rejected（已驳回）。") var status: String?
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                try ArrangementOutput.print(try await context.arrangements.list(unit: unit, estateCode: estate, status: status,
                                                                                 by: try await caller.resolve(context)), format)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "显示一项安排及其变更。")
        @Argument(help: "安排编号。") var id: Int
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let a = try await context.arrangements.show(id: id, by: try await caller.resolve(context))
                if format == .table { return print(ArrangementOutput.detail(a)) }
                try Listing(headers: ArrangementOutput.headers, rows: [ArrangementOutput.row(a)]).print(format) { try jsonEncoder.encode(a) }
            }
        }
    }

    /// The arrangement's own fields, as `propose` and `record` both take them.
    struct ArrangementOptions: ParsableArguments {
        @Option(help: "小区编码。") var estate: String
        @Option(help: "方式：custody（临时托管）、ownerSelf（业主自行管理）、communityFallback（社区托底服务）；record 还可为 selection（市场竞争选聘）。") var kind: String
        @Option(help: "承接企业的统一社会信用代码（custody、selection）。") var uscc: String?
        @Option(help: "责任主体（业委会、街镇等）。") var body: String?
        @Option(help: "联系方式。") var contact: String?
        @Option(help: "开始日期 YYYY-MM-DD。") var start: String
        @Option(help: "计划结束日期 YYYY-MM-DD。") var plannedEnd: String?
        @Option(help: "复核日期 YYYY-MM-DD。") var reviewDate: String?
        @Option(help: "收费（元/㎡·月）。") var fee: Double?
        @Option(help: "理由（record 的临时托管不填时为“依据 文号”）。") var justification: String?

        func draft(replaces: Int? = nil) -> ArrangementDraft {
            ArrangementDraft(estateCode: estate, kind: kind, uscc: uscc, body: body, contact: contact, start: start, plannedEnd: plannedEnd,
                             reviewDate: reviewDate, fee: fee, justification: justification, replaces: replaces)
        }
    }

    struct Propose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "propose", abstract: "提出业主自行管理、社区托底服务或临时托管。")
        @OptionGroup var arrangement: ArrangementOptions
        @Option(help: "被本安排替换的在执行安排编号。") var replaces: Int?
        @OptionGroup var output: CreatedOutput
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let a = try await context.arrangements.propose(arrangement.draft(replaces: replaces), by: try await caller.resolve(context))
                try output.print(a, "已提出" + ArrangementOutput.line(a) + "，待审核人审批")
            }
        }
    }

    /// A past arrangement of any kind, decided before Tuodi (#12).
    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "record", 
            abstract: "登记启用本系统之前已决定的托底安排（四种方式均可，市场竞争选聘只登记定标结果），带决定日期和文号，提交审核人审批。")
        @OptionGroup var arrangement: ArrangementOptions
        @Option(help: "决定（定标）日期 YYYY-MM-DD。") var decidedOn: String
        @Option(help: "决定的文号（市场竞争选聘为中标通知或定标文件的文号）。") var document: String
        @Option(help: "有效投标数（仅 selection，文件载明时）。") var validBids: Int?
        @Option(help: "中标价格，元/㎡·月（仅 selection，文件载明时）。") var awardedPrice: Double?
        @OptionGroup var output: CreatedOutput
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let a = try await context.arrangements.record(RecordedArrangementDraft(
                    arrangement: arrangement.draft(), decidedOn: decidedOn, documentRef: document, validBids: validBids, awardedPrice: awardedPrice),
                    by: try await caller.resolve(context))
                try output.print(a, "已登记以往决定（\(document)）：" + ArrangementOutput.line(a) + "，待审核人审批")
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "approve", abstract: "批准一项提议（须由提出人以外的审核人）。")
        @Argument(help: "安排编号。") var id: Int
        @Option(help: "审批意见。") var reason: String?
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await ArrangementOutput.step("已批准", caller) { try await $0.approve(id: id, reason: reason, by: $1) }
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reject", abstract: "退回一项提议，须说明原因。")
        @Argument(help: "安排编号。") var id: Int
        @Option(help: "退回原因。") var reason: String
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await ArrangementOutput.step("已退回", caller) { try await $0.reject(id: id, reason: reason, by: $1) }
        }
    }

    struct Extend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "extend", abstract: "延期到更晚的计划结束日期，须说明原因。")
        @Argument(help: "安排编号。") var id: Int
        @Option(help: "新的计划结束日期 YYYY-MM-DD。") var plannedEnd: String
        @Option(help: "延期原因。") var reason: String
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await ArrangementOutput.step("已延期", caller) { try await $0.extend(id: id, plannedEnd: plannedEnd, reason: reason, by: $1) }
        }
    }

    struct Terminate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "terminate", abstract: "提前终止；--last-day 为最后服务日。")
        @Argument(help: "安排编号。") var id: Int
        @Option(help: "最后服务日 YYYY-MM-DD。") var lastDay: String
        @Option(help: "终止原因。") var reason: String
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await ArrangementOutput.step("已终止", caller) { try await $0.terminate(id: id, lastDay: lastDay, reason: reason, by: $1) }
        }
    }

    struct Expiring: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "expiring", abstract: "N 天内到期的托底安排和入库资格。")
        @Option(help: "报告单位代码。") var unit: String
        @Option(help: "天数。") var within: Int = 90
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
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
