import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain
import TuodiLabels
import TuodiStore

struct PoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool", abstract: "预选库：入库征集、申请、决定、入库资格。",
        subcommands: [Roster.self, Settings.self, RoundOpen.self, Rounds.self, Apply.self, Applications.self, Score.self,
                      Propose.self, Decide.self, Suspend.self, Reinstate.self, Remove.self, RecordAdmission.self])

    /// `name=value` pairs, as in `--criterion 服务能力=60`.
    static func pairs(_ items: [String], field: String) throws -> [(String, String)] {
        try items.map { item in
            guard let eq = item.lastIndex(of: "="), eq != item.startIndex else {
                throw AppError.validation([FieldError(field: field, code: "format", message: "应写成 名称=数值：\(item)")])
            }
            return (String(item[..<eq]), String(item[item.index(after: eq)...]))
        }
    }

    static let applicationHeaders = ["编号", "统一社会信用代码", "状态", "承接小区数", "总分", "经办意见", "提出人", "审批人"]
    static func row(_ a: PoolApplication) -> [String] {
        [String(a.id), a.uscc, a.status.label, String(a.capacityEstates), a.total.map { String(format: "%.2f", $0) } ?? "",
         a.proposal?.label ?? "", a.proposedBy ?? "", a.decidedBy ?? ""]
    }
    /// The JSON of an application keeps codes, for scripts.
    struct ApplicationOutput: Encodable {
        let id: Int, roundID: Int, uscc: String, status: String, capacityEstates: Int, capacityHouseholds: Int?
        let scores: [String: Double]?, total: Double?, proposal: String?, proposedBy: String?, decidedBy: String?, termEnd: String?
        init(_ a: PoolApplication) {
            id = a.id; roundID = a.roundID; uscc = a.uscc; status = a.status.rawValue; capacityEstates = a.capacityEstates
            capacityHouseholds = a.capacityHouseholds; scores = a.scores; total = a.total; proposal = a.proposal?.rawValue
            proposedBy = a.proposedBy; decidedBy = a.decidedBy; termEnd = a.termEnd?.description
        }
    }
    struct RoundOutput: Encodable {
        let id: Int, unit: String, title: String, opensOn: String, closesOn: String, criteria: [ScoringCriterion], createdBy: String
        let decidedOn: String?, documentRef: String?
        init(_ r: AdmissionRound) {
            id = r.id; unit = r.unit; title = r.title; opensOn = r.opensOn.description; closesOn = r.closesOn.description
            criteria = r.criteria; createdBy = r.createdBy; decidedOn = r.decidedOn?.description; documentRef = r.documentRef
        }
    }

    static func printApplications(_ apps: [PoolApplication], _ format: OutputFormat) throws {
        try Listing(headers: applicationHeaders, rows: apps.map(row)).print(format) { try jsonEncoder.encode(apps.map(ApplicationOutput.init)) }
    }

    struct Roster: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "roster", abstract: "某日某单位的预选库名册。")
@Option(help: "报告单位代码。") var unit: String
        @Option(help: "日期 YYYY-MM-DD（默认今天）。") var asOf: String?
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let roster = try await context.pool.roster(unit: unit, asOf: try LocalDate.field(asOf, "asOf"),
                                                           by: try await caller.resolve(context))
                let headers = ["入库资格", "统一社会信用代码", "企业名称", "区属房管集团", "开始", "结束", "状态", "承接小区数", "评分"]
                let rows = roster.members.map { [String($0.membershipID), $0.uscc, $0.companyName, Labels.yesNo($0.districtGroup),
                                                 $0.start.description, $0.end.description, $0.state.label, String($0.capacityEstates),
                                                 String(format: "%.2f", $0.score)] }
                try Listing(headers: headers, rows: rows).print(format) { try jsonEncoder.encode(roster.members) }
                if format == .table {
                    let share = roster.districtGroupShare.map { String(format: "%.1f%%", $0 * 100) } ?? "无（没有在库企业）"
                    print("截至 \(roster.asOf)：在库 \(roster.active.count) 家，区属房管集团企业占比 \(share)")
                }
            }
        }
    }

    struct Settings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "settings", abstract: "显示本单位的设置，或修改（本单位审核人）。")
@Option(help: "报告单位代码。") var unit: String
        @Option(help: "入库有效期（年）。") var termYears: Int?
        @Option(help: "临时托管最长期限（月）。") var custodyMaxMonths: Int?
        @Option(help: "季度报表报送期限（季末后天数）。") var returnDeadlineDays: Int?
        @Option(help: "批量匹配权重：同街镇,评分,在管数量,区属集团（分值，合计 100），如 30,30,25,15。")
        var matchWeights: String?
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let actor = try await caller.resolve(context)
                var s = try await context.pool.settings(unit: unit, by: actor)
                if termYears != nil || custodyMaxMonths != nil || returnDeadlineDays != nil || matchWeights != nil {
                    if let matchWeights {
                        let parts = matchWeights.split(separator: ",", omittingEmptySubsequences: false)
                        let w = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                        guard parts.count == 4, w.count == 4 else {
                            printError("--match-weights：应为四个以逗号分隔的整数，如 30,30,25,15")
                            throw ExitCode(ExitStatus.refused)
                        }
                        s.matchWeights = MatchWeights(sameSubDistrict: w[0], merit: w[1], load: w[2], districtGroup: w[3])
                    }
                    s.membershipTermYears = termYears ?? s.membershipTermYears
                    s.custodyMaxMonths = custodyMaxMonths ?? s.custodyMaxMonths
                    s.returnDeadlineDays = returnDeadlineDays ?? s.returnDeadlineDays
                    s = try await context.pool.updateSettings(unit: unit, s, by: actor)
                }
                let w = s.matchWeights
                print("入库有效期 \(s.membershipTermYears) 年；临时托管最长 \(s.custodyMaxMonths) 个月；季度报送期限季末后 \(s.returnDeadlineDays) 天；"
                      + "批量匹配权重：同街镇 \(w.sameSubDistrict)，评分 \(w.merit)，在管数量 \(w.load)，区属集团 \(w.districtGroup)")
            }
        }
    }

    struct RoundOpen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "round-open", abstract: "开启一轮入库征集。")
@Option(help: "报告单位代码。") var unit: String
        @Option(help: "征集名称。") var title: String
        @Option(help: "开始日期 YYYY-MM-DD。") var opens: String
        @Option(help: "截止日期 YYYY-MM-DD。") var closes: String
        @Option(name: .customLong("criterion"), help: "评分标准 名称=权重百分比，可重复；权重合计 100。") var criteria: [String] = []
        @OptionGroup var output: CreatedOutput
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let rubric = try PoolCommand.pairs(criteria, field: "criteria").map { name, weight in
                    guard let w = Int(weight) else {
                        throw AppError.validation([FieldError(field: "criteria", code: "weight", message: "权重应为整数：\(weight)")])
                    }
                    return ScoringCriterion(name: name, weightPercent: w)
                }
                let round = try await context.pool.openRound(AdmissionRoundDraft(unit: unit, title: title, opensOn: opens, closesOn: closes,
                                                                                 criteria: rubric), by: try await caller.resolve(context))
                try output.print(RoundOutput(round), "已开启征集 #\(round.id)：\(round.title)（\(round.opensOn) 至 \(round.closesOn)）")
            }
        }
    }

    struct Rounds: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rounds", abstract: "列出本单位的入库征集。")
@Option(help: "报告单位代码。") var unit: String
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                for r in try await context.pool.rounds(unit: unit, by: try await caller.resolve(context)) {
                    print("#\(r.id)  \(r.title)  \(r.opensOn)–\(r.closesOn)  " + r.criteria.map { "\($0.name) \($0.weightPercent)%" }.joined(separator: "，"))
                }
            }
        }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "apply", abstract: "登记一家企业的入库申请。")
        @Option(help: "入库征集编号。") var round: Int
        @Option(help: "统一社会信用代码。") var uscc: String
        @Option(help: "可承接小区数。") var capacityEstates: Int
        @Option(help: "可承接户数。") var capacityHouseholds: Int?
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let app = try await context.pool.apply(roundID: round, uscc: uscc, capacityEstates: capacityEstates,
                                                       capacityHouseholds: capacityHouseholds, by: try await caller.resolve(context))
                // One record, not a list of one: as `company add` and `estate add` print theirs.
                try Listing(headers: PoolCommand.applicationHeaders, rows: [PoolCommand.row(app)]).print(format) {
                    try jsonEncoder.encode(ApplicationOutput(app))
                }
            }
        }
    }

    struct Applications: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "applications", abstract: "列出一轮征集的申请。")
        @Option(help: "入库征集编号。") var round: Int
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                try PoolCommand.printApplications(try await context.pool.applications(roundID: round, by: try await caller.resolve(context)), format)
            }
        }
    }

    struct Score: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "score", abstract: "按每项评分标准为申请打分（0–100）。")
        @Option(help: "申请编号。") var application: Int
        @Option(name: .customLong("score"), help: "标准=得分，可重复。") var scores: [String] = []
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                var values: [String: Double] = [:]
                for (name, value) in try PoolCommand.pairs(scores, field: "scores") {
                    guard let v = Double(value) else {
                        throw AppError.validation([FieldError(field: "scores.\(name)", code: "format", message: "得分应为数字：\(value)")])
                    }
                    values[name] = v
                }
                try PoolCommand.printApplications([try await context.pool.score(applicationID: application, scores: values,
                                                                                  by: try await caller.resolve(context))], .table)
            }
        }
    }

    struct Propose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "propose", abstract: "提出拟入库（--admit）或拟不入库（--reject）。")
        @Option(help: "申请编号。") var application: Int
        @Flag(exclusivity: .exclusive, help: "拟入库或拟不入库。") var proposal: AdmissionProposalFlag
        @Option(help: "理由。") var reason: String?
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                try PoolCommand.printApplications([try await context.pool.propose(
                    applicationID: application, proposal == .admit ? .admit : .reject, reason: reason,
                    by: try await caller.resolve(context))], .table)
            }
        }
    }

    enum AdmissionProposalFlag: String, EnumerableFlag {
        case admit, reject
        static func help(for value: Self) -> ArgumentHelp? { value == .admit ? "拟入库。" : "拟不入库。" }
    }
    enum DecisionFlag: String, EnumerableFlag {
        case approve, sendBack
        static func help(for value: Self) -> ArgumentHelp? { value == .approve ? "批准。" : "退回经办人。" }
    }

    struct Decide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "decide", 
            abstract: "批准（--approve）或退回（--send-back）经办意见；不能审批自己提出的意见。")
        @Option(help: "申请编号。") var application: Int
        @Flag(exclusivity: .exclusive, help: "批准或退回。") var decision: DecisionFlag
        @Option(help: "理由。") var reason: String?
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                try PoolCommand.printApplications([try await context.pool.decide(
                    applicationID: application, approve: decision == .approve, reason: reason,
                    by: try await caller.resolve(context))], .table)
            }
        }
    }

    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "suspend", abstract: "暂停一家在库企业，可指定恢复日期。")
        @Option(help: "入库资格编号。") var membership: Int
        @Option(help: "原因。") var reason: String
        @Option(help: "恢复日期 YYYY-MM-DD：当日起恢复在库。") var until: String?
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let m = try await context.pool.suspend(membershipID: membership, reason: reason,
                                                       until: try LocalDate.field(until, "until"), by: try await caller.resolve(context))
                print("\(m.companyName)：\(m.state.label)")
            }
        }
    }

    struct Reinstate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reinstate", abstract: "解除暂停。")
        @Option(help: "入库资格编号。") var membership: Int
        @Option(help: "原因。") var reason: String
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let m = try await context.pool.reinstate(membershipID: membership, reason: reason, by: try await caller.resolve(context))
                print("\(m.companyName)：\(m.state.label)")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "将企业清退出预选库。")
        @Option(help: "入库资格编号。") var membership: Int
        @Option(help: "原因。") var reason: String
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let m = try await context.pool.remove(membershipID: membership, reason: reason, by: try await caller.resolve(context))
                print("\(m.companyName)：\(m.state.label)")
            }
        }
    }
}
