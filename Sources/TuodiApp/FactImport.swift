import Foundation
import TuodiDomain
import TuodiLabels
import TuodiStore

/// `tuodi import facts`: a district's history of management facts from its spreadsheet (#12).
extension ImportUseCases {
    static let factHeaders: [(field: String, names: [String], required: Bool)] = [
        ("code", ["小区编码", "编码", "code"], true),
        ("kind", ["事实类型", "类型", "kind"], true),
        ("date", ["生效日期", "日期", "date"], true),
        ("reason", ["无人管理原因", "原因", "reason"], false),
        ("company", ["物业服务企业", "企业名称", "company"], false),
    ]

    /// The header row and a sample row of the template a district fills in.
    public static let factTemplate: [[String]] = [
        factHeaders.map(\.names[0]),
        ["HP-0001", "成为无人管理", "2026-03-01", "物业服务合同到期未续", ""],
    ]

    /// Imports facts of the actor's unit, all or nothing: each row is checked as a single fact is
    /// (date not after today, a reason or a company), its estate must be registered in the unit,
    /// and the facts of each estate must fit its history and the file's other rows (`FactSequence`).
    public func facts(_ table: ImportTable, dryRun: Bool, by actor: Caller,
                      progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> ImportReport {
        try await translatingErrors {
            try Gate.require(.factImport, actor, unit: actor.unit)
            let sheet = SheetColumns(table, Self.factHeaders)
            if let missing = sheet.missingColumnsReport(kind: "facts", table: table, dryRun: dryRun) { return missing }
            let unit = actor.unit ?? ""
            // Long: every estate of the unit and its history.
            let (estates, history) = try await context.store.bulkTransaction { tx in
                let all = try await tx.estates(unit: unit, limit: max(1, try await tx.estateCount(unit: unit)), offset: 0)
                return (Dictionary(uniqueKeysWithValues: all.map { ($0.estate.code, $0) }), try await tx.facts(unit: unit))
            }
            let today = context.clock.today
            var errors = ImportErrorLog()
            var byEstate: [String: [FactSequence.New]] = [:]
            for (index, row) in table.rows.enumerated() {
                let code = sheet.cell(row.cells, "code")
                // Chinese labels as the template shows them, or the codes.
                let kind = Labels.factKinds.code(forLabel: sheet.cell(row.cells, "kind")) ?? sheet.cell(row.cells, "kind")
                let reason = sheet.cell(row.cells, "reason")
                let draft = FactDraft(kind: kind, date: sheet.cell(row.cells, "date"),
                                      reason: Labels.unmanagedReasons.code(forLabel: reason) ?? reason, company: sheet.cell(row.cells, "company"))
                var rowErrors: [ImportReport.RowError] = []
                if estates[code] == nil {
                    rowErrors.append(.init(row: row.number, column: sheet.label("code"), message: code.isEmpty ? "小区编码不能为空" : "小区编码“\(code)”未在本单位（\(unit)）登记"))
                }
                do {
                    let (date, kind) = try draft.validated(today: today)
                    if rowErrors.isEmpty { byEstate[code, default: []].append(.init(row: row.number, date: date, kind: kind)) }
                } catch let error as ValidationFailure {
                    for f in error.errors { rowErrors.append(.init(row: row.number, column: sheet.label(f.field), message: f.message)) }
                }
                errors.append(contentsOf: rowErrors)
                if index % 1000 == 999 { progress(index + 1, table.rows.count) }
            }
            for (code, new) in byEstate.sorted(by: { $0.key < $1.key }) {
                let existing = EstateTimeline(facts: (history[estates[code]!.id] ?? []).map(\.fact)).facts
                for c in FactSequence.conflicts(existing: existing, new: new) {
                    errors.append(.init(row: c.row, column: sheet.label("date"), message: c.message))
                }
            }
            guard errors.isEmpty, !dryRun else {
                return ImportReport(kind: "facts", rowsRead: table.rows.count, imported: 0, dryRun: dryRun, errors: errors, aliasesApplied: [])
            }
            let now = context.clock.now
            let rows = byEstate.flatMap { code, new in new.map { (code: code, fact: $0) } }.sorted { $0.fact.row < $1.fact.row }
            try await context.store.bulkTransaction { tx in
                // One multi-row INSERT per chunk (20,000 rows one by one took about 31 s on PostgreSQL).
                let ids = try await tx.insertFacts(rows.map {
                    NewManagementFact(estateID: estates[$0.code]!.id, date: $0.fact.date, kind: $0.fact.kind, recordedAt: now, recordedBy: actor.username)
                })
                var audits: [AuditDraft] = []
                audits.reserveCapacity(rows.count)
                for (r, id) in zip(rows, ids) {
                    var ended: [Int] = []
                    // As for a single fact: a regular appointment ends the fallback running then.
                    if case .regularBegan = r.fact.kind {
                        ended = try await EstateUseCases.endArrangementsForRegularAppointment(estates[r.code]!, from: r.fact.date, tx: tx, actor: actor, now: now)
                    }
                    audits.append(AuditDraft(recordedAt: now, actor: actor.username, action: Action.factImport.rawValue, entity: "estate",
                                             entityID: r.code, unit: unit, reason: "导入第 \(r.fact.row) 行", before: nil,
                                             after: AuditWriter.json(RecordedFact(fact: FactSnapshot(id: id, date: r.fact.date, kind: r.fact.kind, supersedes: nil),
                                                                                  arrangementsEnded: ended.isEmpty ? nil : ended))))
                }
                try await tx.appendAudits(audits)
            }
            progress(table.rows.count, table.rows.count)
            await refreshStatistics(after: rows.count)
            return ImportReport(kind: "facts", rowsRead: table.rows.count, imported: rows.count, dryRun: false, aliasesApplied: [])
        }
    }
}
