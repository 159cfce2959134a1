import Foundation
import TuodiDomain
import TuodiLabels
import TuodiStore

/// `tuodi import arrangements`: the arrangements a district decided before adopting Tuodi, from
/// its spreadsheet (#12). Each row is one recorded arrangement, checked exactly as `arrangement
/// record` checks one, and proposed for a second person's approval.
extension ImportUseCases {
    static let arrangementHeaders: SheetColumns.Spec = [
        ("code", ["小区编码", "编码", "code"], true),
        ("kind", ["托底方式", "安排类型", "kind"], true),
        ("decidedOn", ["决定日期", "定标日期", "decidedon"], true),
        ("documentRef", ["文号", "决定文号", "documentref"], true),
        ("start", ["开始日期", "start"], true),
        ("plannedEnd", ["计划结束日期", "结束日期", "plannedend"], false),
        ("reviewDate", ["复核日期", "reviewdate"], false),
        ("uscc", ["统一社会信用代码", "企业信用代码", "uscc"], false),
        ("body", ["负责主体", "负责组织", "body"], false),
        ("contact", ["联系人及电话", "联系人", "contact"], false),
        ("justification", ["理由", "说明", "justification"], false),
        ("fee", ["收费标准", "收费标准（元/平方米·月）", "fee"], false),
        ("validBids", ["有效投标数", "validbids"], false),
        ("awardedPrice", ["中标价格", "中标价格（元/平方米·月）", "awardedprice"], false),
    ]

    /// The header row and a sample row of each kind.
    public static let arrangementTemplate: [[String]] = [
        arrangementHeaders.map(\.names[0]),
        ["HP-0001", "临时托管", "2026-03-02", "黄房物〔2026〕21号", "2026-03-01", "2026-08-31", "", "91310101MA1FT0001U", "", "", "原物业撤场，直接指定", "1.2", "", ""],
        ["HP-0002", "市场竞争选聘", "2026-04-10", "黄房物〔2026〕30号", "2026-05-01", "2029-04-30", "", "91310101MA1FT0002Y", "", "", "", "", "4", "1.85"],
        ["HP-0003", "业主自行管理", "2026-02-01", "豫园街道〔2026〕3号", "2026-02-01", "", "2026-12-31", "", "某小区业主委员会", "李主任 021-60000000", "", "", "", ""],
        ["HP-0004", "社区托底服务", "2026-06-15", "豫园街道〔2026〕9号", "2026-06-15", "", "2026-12-15", "", "豫园街道办事处", "王主任 021-60000001", "", "", "", ""],
    ]

    /// Imports recorded arrangements of the actor's unit, all or nothing. Every row gets the
    /// checks of `arrangement record`; two rows holding the same estate on a day are an error
    /// naming each other; then every row goes through the store's arrangement insert in one
    /// transaction (overlap and capacity against what is stored and the file's earlier rows),
    /// which is rolled back on any error or a dry run.
    public func arrangements(_ table: ImportTable, dryRun: Bool, by actor: Caller,
                             progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> ImportReport {
        try await translatingErrors {
            try Gate.require(.arrangementImport, actor, unit: actor.unit)
            let sheet = SheetColumns(table, Self.arrangementHeaders)
            if let missing = sheet.missingColumnsReport(kind: "arrangements", table: table, dryRun: dryRun) { return missing }
            let unit = actor.unit ?? ""
            let today = context.clock.today, now = context.clock.now
            let settings = try await context.store.read { try await $0.districtSettings(unit: unit) }
            var errors = ImportErrorLog()
            var valid: [(row: Int, code: String, value: RecordedArrangementDraft.Valid)] = []
            for row in table.rows {
                var rowErrors: [ImportReport.RowError] = []
                func number(_ field: String) -> Double? {
                    let text = sheet.cell(row.cells, field)
                    guard !text.isEmpty else { return nil }
                    guard let n = Double(text), n.isFinite else {
                        rowErrors.append(.init(row: row.number, column: sheet.label(field), message: "应为数字，实为“\(text)”"))
                        return nil
                    }
                    return n
                }
                let fee = number("fee"), price = number("awardedPrice")
                var bids: Int?
                if let n = number("validBids") {
                    if n == n.rounded() { bids = Int(n) } else {
                        rowErrors.append(.init(row: row.number, column: sheet.label("validBids"), message: "有效投标数应为整数"))
                    }
                }
                let code = sheet.cell(row.cells, "code"), kind = sheet.cell(row.cells, "kind")
                func optional(_ field: String) -> String? { let text = sheet.cell(row.cells, field); return text.isEmpty ? nil : text }
                let draft = RecordedArrangementDraft(
                    arrangement: ArrangementDraft(estateCode: code, kind: Labels.kinds.code(forLabel: kind) ?? kind, uscc: optional("uscc"),
                                                  body: optional("body"), contact: optional("contact"), start: sheet.cell(row.cells, "start"),
                                                  plannedEnd: optional("plannedEnd"), reviewDate: optional("reviewDate"), fee: fee,
                                                  justification: optional("justification")),
                    decidedOn: sheet.cell(row.cells, "decidedOn"), documentRef: sheet.cell(row.cells, "documentRef"),
                    validBids: bids, awardedPrice: price)
                if code.isEmpty { rowErrors.append(.init(row: row.number, column: sheet.label("code"), message: "小区编码不能为空")) }
                do {
                    let v = try draft.validated(today: today, custodyMaxMonths: settings.custodyMaxMonths)
                    if rowErrors.isEmpty, !code.isEmpty { valid.append((row.number, code, v)) }
                } catch let error as ValidationFailure {
                    for f in error.errors { rowErrors.append(.init(row: row.number, column: sheet.label(f.field), message: f.message)) }
                }
                errors.append(contentsOf: rowErrors)
            }
            // The file's own rows: one provider per estate and day.
            var clashing = Set<Int>()
            for (_, rows) in Dictionary(grouping: valid, by: \.code) {
                for (i, a) in rows.enumerated() {
                    for b in rows[(i + 1)...] where Self.overlap(a.value.arrangement, b.value.arrangement) {
                        let later = max(a.row, b.row), earlier = min(a.row, b.row)
                        let other = a.row == earlier ? a.value.arrangement : b.value.arrangement
                        errors.append(.init(row: later, column: sheet.label("start"), message:
                            "与第 \(earlier) 行（\(other.start) 至 \(other.plannedEnd?.description ?? "长期")）时间重叠：同一小区同一天只能有一个服务主体"))
                        clashing.insert(later)
                    }
                }
            }
            // Everything else against the store, row by row in one transaction; kept only when nothing failed.
            struct Discard: Error {}
            let checked = errors
            let toWrite = valid.filter { !clashing.contains($0.row) }
            do {
                let written = try await context.store.bulkTransaction { tx in
                    var errors = checked, audits: [AuditDraft] = []
                    var estates: [String: StoredEstate?] = [:]
                    for (index, r) in toWrite.enumerated() {
                        if estates[r.code] == nil { estates[r.code] = .some(try await tx.estate(code: r.code)) }
                        guard let stored = estates[r.code]!, stored.estate.unit == unit else {
                            errors.append(.init(row: r.row, column: sheet.label("code"), message: "小区编码“\(r.code)”未在本单位（\(unit)）登记"))
                            continue
                        }
                        do {
                            let id = try await ArrangementUseCases.insertRecorded(r.value, estate: stored, by: actor, now: now, tx: tx)
                            let view = try await ArrangementUseCases.views([try await tx.arrangement(id: id)!], tx: tx, today: today)[0]
                            audits.append(AuditDraft(recordedAt: now, actor: actor.username, action: Action.arrangementImport.rawValue,
                                                     entity: "arrangement", entityID: String(id), unit: unit, reason: "导入第 \(r.row) 行",
                                                     before: nil, after: AuditWriter.json(view)))
                        } catch AppError.conflict(let rule, let message) {
                            errors.append(.init(row: r.row, column: sheet.label(Self.column(forRule: rule)), message: message))
                        } catch StoreError.refused(let rule, let detail) {
                            errors.append(.init(row: r.row, column: sheet.label(Self.column(forRule: rule)), message: detail))
                        }
                        if index % 100 == 99 { progress(index + 1, toWrite.count) }
                    }
                    guard errors.isEmpty, !dryRun else {
                        throw ImportOutcome(report: ImportReport(kind: "arrangements", rowsRead: table.rows.count, imported: 0,
                                                                 dryRun: dryRun, errors: errors, aliasesApplied: []))
                    }
                    try await tx.appendAudits(audits)
                    return audits.count
                }
                progress(table.rows.count, table.rows.count)
                await refreshStatistics(after: written)
                return ImportReport(kind: "arrangements", rowsRead: table.rows.count, imported: written, dryRun: false, aliasesApplied: [])
            } catch let outcome as ImportOutcome {
                // Thrown to roll the transaction back: a dry run, or rows with errors.
                return outcome.report
            }
        }
    }

    /// Whether two arrangements of one estate share a day (dates inclusive; no end = open-ended).
    static func overlap(_ a: ArrangementDraft.Valid, _ b: ArrangementDraft.Valid) -> Bool {
        (a.plannedEnd.map { b.start <= $0 } ?? true) && (b.plannedEnd.map { a.start <= $0 } ?? true)
    }

    /// The column a store or eligibility refusal belongs to.
    static func column(forRule rule: RefusalRule) -> String {
        switch rule {
        case .capacity, .ineligible: "uscc"
        default: "start"
        }
    }
}

/// Carries an import's report out of a transaction that must be rolled back.
struct ImportOutcome: Error {
    let report: ImportReport
}
