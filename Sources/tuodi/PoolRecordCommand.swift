import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain
import TuodiStore

extension PoolCommand {
    /// `tuodi pool record-admission`: a past admission decision entered from its document (#12).
    struct RecordAdmission: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record-admission",
            abstract: "登记启用本系统之前已作出的入库决定（须由另一位审核人逐家 pool decide --approve）。",
            discussion: "入库资格自决定日期起算；决定写明期限的，以 --company 的第三段为准，否则按本区设置。")
        @Option(help: "报告单位代码。") var unit: String
        @Option(help: "决定日期 YYYY-MM-DD。") var decidedOn: String
        @Option(help: "决定文号。") var document: String
        @Option(name: .customLong("company"), help: "入库企业 统一社会信用代码:可承接小区数[:入库期限 YYYY-MM-DD]，可重复。")
        var companies: [String] = []
        @OptionGroup var output: CreatedOutput
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let members = try companies.map { item in
                    let parts = item.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                    guard (2...3).contains(parts.count), let capacity = Int(parts[1]) else {
                        throw AppError.validation([FieldError(field: "company", code: "format",
                                                              message: "应写成 统一社会信用代码:可承接小区数[:入库期限]，实为“\(item)”")])
                    }
                    return RecordedAdmissionDraft.Member(uscc: parts[0], capacityEstates: capacity, termEnd: parts.count == 3 ? parts[2] : nil)
                }
                let (round, applications) = try await context.pool.recordAdmission(
                    RecordedAdmissionDraft(unit: unit, decidedOn: decidedOn, documentRef: document, members: members),
                    by: try await caller.resolve(context))
                struct Recorded: Encodable { let round: RoundOutput, applications: [ApplicationOutput] }
                try output.print(Recorded(round: RoundOutput(round), applications: applications.map(ApplicationOutput.init)),
                                 "已登记入库决定 #\(round.id)（\(round.documentRef ?? "")，\(round.decidedOn?.description ?? "")）："
                                     + applications.map { "申请 #\($0.id) \($0.uscc)" }.joined(separator: "、") + "，待审核人逐家审批")
            }
        }
    }
}
