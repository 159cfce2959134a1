import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain
import TuodiStore

struct PoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool", abstract: "The pre-selection pool: admission rounds, applications, decisions, memberships.",
        subcommands: [Roster.self, Settings.self, RoundOpen.self, Rounds.self, Apply.self, Applications.self, Score.self,
                      Propose.self, Decide.self, Suspend.self, Reinstate.self, Remove.self])

    /// `name=value` pairs, as in `--criterion 服务能力=60`.
    static func pairs(_ items: [String], field: String) throws -> [(String, String)] {
        try items.map { item in
            guard let eq = item.lastIndex(of: "="), eq != item.startIndex else {
                throw AppError.validation([FieldError(field: field, code: "format", message: "应写成 名称=数值：\(item)")])
            }
            return (String(item[..<eq]), String(item[item.index(after: eq)...]))
        }
    }

    static let applicationHeaders = ["id", "uscc", "status", "capacityEstates", "total", "proposal", "proposedBy", "decidedBy"]
    static func row(_ a: PoolApplication) -> [String] {
        [String(a.id), a.uscc, a.status.rawValue, String(a.capacityEstates), a.total.map { String(format: "%.2f", $0) } ?? "",
         a.proposal?.rawValue ?? "", a.proposedBy ?? "", a.decidedBy ?? ""]
    }
    static func printApplications(_ apps: [PoolApplication], _ format: OutputFormat) throws {
        let listing = Listing(headers: applicationHeaders, rows: apps.map(row))
        print(try listing.render(format) { try jsonEncoder.encode(apps.map(row).map { Dictionary(uniqueKeysWithValues: zip(applicationHeaders, $0)) }) })
    }

    struct Roster: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The pool of a unit as of a date.")
        @Option var unit: String
        @Option(help: "YYYY-MM-DD (default today).") var asOf: String?
        @Option(help: "table, json or csv") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let roster = try await context.pool.roster(unit: unit, asOf: try LocalDate.field(asOf, "asOf"),
                                                           by: try await caller.resolve(context))
                let headers = ["membership", "uscc", "companyName", "districtGroup", "start", "end", "state", "capacityEstates", "score"]
                let rows = roster.members.map { [String($0.membershipID), $0.uscc, $0.companyName, $0.districtGroup ? "yes" : "no",
                                                 $0.start.description, $0.end.description, $0.state.rawValue, String($0.capacityEstates),
                                                 String(format: "%.2f", $0.score)] }
                print(try Listing(headers: headers, rows: rows).render(format) { try jsonEncoder.encode(roster.members) })
                if format == .table {
                    let share = roster.districtGroupShare.map { String(format: "%.1f%%", $0 * 100) } ?? "无（没有在库企业）"
                    print("截至 \(roster.asOf)：在库 \(roster.active.count) 家，区属房管集团企业占比 \(share)")
                }
            }
        }
    }

    struct Settings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a unit's settings, or change them (the unit's approver).")
        @Option var unit: String
        @Option var termYears: Int?
        @Option var custodyMaxMonths: Int?
        @Option var returnDeadlineDays: Int?
        @Option(help: "Batch-matching weights SUB_DISTRICT,MERIT,LOAD,DISTRICT_GROUP (points, summing to 100), e.g. 30,30,25,15.")
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
        static let configuration = CommandConfiguration(commandName: "round-open", abstract: "Open an admission round.")
        @Option var unit: String
        @Option var title: String
        @Option(help: "YYYY-MM-DD") var opens: String
        @Option(help: "YYYY-MM-DD") var closes: String
        @Option(name: .customLong("criterion"), help: "NAME=WEIGHT_PERCENT, repeated; weights sum to 100.") var criteria: [String] = []
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
                print("已开启征集 #\(round.id)：\(round.title)（\(round.opensOn) 至 \(round.closesOn)）")
            }
        }
    }

    struct Rounds: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a unit's admission rounds.")
        @Option var unit: String
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
        static let configuration = CommandConfiguration(abstract: "Record a company's application.")
        @Option var round: Int
        @Option var uscc: String
        @Option var capacityEstates: Int
        @Option var capacityHouseholds: Int?
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let app = try await context.pool.apply(roundID: round, uscc: uscc, capacityEstates: capacityEstates,
                                                       capacityHouseholds: capacityHouseholds, by: try await caller.resolve(context))
                try PoolCommand.printApplications([app], .table)
            }
        }
    }

    struct Applications: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a round's applications.")
        @Option var round: Int
        @Option(help: "table, json or csv") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                try PoolCommand.printApplications(try await context.pool.applications(roundID: round, by: try await caller.resolve(context)), format)
            }
        }
    }

    struct Score: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Score an application on every criterion (0–100).")
        @Option var application: Int
        @Option(name: .customLong("score"), help: "CRITERION=SCORE, repeated.") var scores: [String] = []
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
        static let configuration = CommandConfiguration(abstract: "Propose to admit (--admit) or reject (--reject).")
        @Option var application: Int
        @Flag(exclusivity: .exclusive) var proposal: AdmissionProposalFlag
        @Option var reason: String?
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                try PoolCommand.printApplications([try await context.pool.propose(
                    applicationID: application, proposal == .admit ? .admit : .reject, reason: reason,
                    by: try await caller.resolve(context))], .table)
            }
        }
    }

    enum AdmissionProposalFlag: String, EnumerableFlag { case admit, reject }
    enum DecisionFlag: String, EnumerableFlag { case approve, sendBack }

    struct Decide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a proposal (--approve) or send it back (--send-back); never your own proposal.")
        @Option var application: Int
        @Flag(exclusivity: .exclusive) var decision: DecisionFlag
        @Option var reason: String?
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
        static let configuration = CommandConfiguration(abstract: "Suspend a member, optionally until a date that lifts it.")
        @Option var membership: Int
        @Option var reason: String
        @Option(help: "YYYY-MM-DD: the member is active again on this day.") var until: String?
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let m = try await context.pool.suspend(membershipID: membership, reason: reason,
                                                       until: try LocalDate.field(until, "until"), by: try await caller.resolve(context))
                print("\(m.companyName)：\(m.state.rawValue)")
            }
        }
    }

    struct Reinstate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lift a suspension.")
        @Option var membership: Int
        @Option var reason: String
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let m = try await context.pool.reinstate(membershipID: membership, reason: reason, by: try await caller.resolve(context))
                print("\(m.companyName)：\(m.state.rawValue)")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a member from the pool.")
        @Option var membership: Int
        @Option var reason: String
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let m = try await context.pool.remove(membershipID: membership, reason: reason, by: try await caller.resolve(context))
                print("\(m.companyName)：\(m.state.rawValue)")
            }
        }
    }
}
