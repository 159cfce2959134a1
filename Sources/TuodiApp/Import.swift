import Foundation
import TuodiDomain
import TuodiStore

/// A table read from a district's spreadsheet: headers and numbered rows of cell text. (Reading
/// CSV/XLSX is the spreadsheet module's job; the importer sees only this.)
public struct ImportTable: Sendable {
    public let headers: [String]
    public let rows: [(number: Int, cells: [String])]
    public init(headers: [String], rows: [(number: Int, cells: [String])]) {
        self.headers = headers
        self.rows = rows
    }
}

/// What an import did, or would do: the errors of the first rows by row and column (see
/// `ImportErrorLog`) with the count of all of them, and every legacy district code it mapped
/// through the alias table.
public struct ImportReport: Sendable, Encodable {
    public struct RowError: Sendable, Encodable, Equatable {
        public let row: Int
        public let column: String
        public let message: String
    }
    public struct AliasApplied: Sendable, Encodable, Equatable {
        public let row: Int
        public let legacyCode: String
        public let currentCode: String
        public let note: String
    }
    public let kind: String
    public let rowsRead: Int
    /// Rows written; 0 when there was any error or on a dry run.
    public let imported: Int
    public let dryRun: Bool
    /// The errors of the first `ImportErrorLog.rowLimit` rows with errors.
    public let errors: [RowError]
    /// All errors, and all rows with errors, including those not listed in `errors`.
    public let errorCount: Int
    public let errorRowCount: Int
    public let aliasesApplied: [AliasApplied]
    public var succeeded: Bool { errorCount == 0 }

    init(kind: String, rowsRead: Int, imported: Int, dryRun: Bool, errors: ImportErrorLog = ImportErrorLog(),
         aliasesApplied: [AliasApplied]) {
        self.kind = kind
        self.rowsRead = rowsRead
        self.imported = imported
        self.dryRun = dryRun
        self.errors = errors.firstErrors
        self.errorCount = errors.count
        self.errorRowCount = errors.rowCount
        self.aliasesApplied = aliasesApplied
    }
}

public struct ImportUseCases: Sendable {
    let context: AppContext

    /// From this many rows written at once, an import refreshes the planner's statistics.
    static let bulkRows = 1000

    /// After a committed import of `rows` rows, the planner's statistics (`Store.refreshStatistics`):
    /// an onboarding's first reports are otherwise planned for the tables as they were before it,
    /// until autovacuum gets round to them. The import stands whatever happens here.
    func refreshStatistics(after rows: Int) async {
        guard rows >= Self.bulkRows else { return }
        do {
            try await context.store.refreshStatistics()
        } catch {
            context.logger.warning("planner statistics not refreshed after an import", metadata: ["error": "\(error)"])
        }
    }

    /// Accepted headers per field, Chinese and English (case-insensitive, spaces ignored).
    static let estateHeaders: [(field: String, names: [String], required: Bool)] = [
        ("code", ["小区编码", "编码", "code"], true),
        ("name", ["小区名称", "名称", "name"], true),
        ("address", ["地址", "小区地址", "address"], true),
        ("unit", ["报送单位", "区代码", "行政区划代码", "unit", "district"], true),
        ("legalDistrict", ["所属行政区", "legaldistrict"], false),
        ("subDistrict", ["所属街镇", "街镇", "subdistrict"], true),
        ("category", ["房屋类型", "类型", "category"], true),
        ("highDispute", ["矛盾纠纷突出", "矛盾纠纷突出小区", "highdispute"], false),
        ("households", ["户数", "households"], true),
        ("buildings", ["幢数", "楼栋数", "buildings"], true),
        ("floorArea", ["建筑面积", "建筑面积（平方米）", "floorarea"], true),
        ("yearBuilt", ["建成年份", "竣工年份", "yearbuilt"], false),
    ]

    static let companyHeaders: [(field: String, names: [String], required: Bool)] = [
        ("uscc", ["统一社会信用代码", "信用代码", "uscc"], true),
        ("name", ["企业名称", "名称", "name"], true),
        ("ownership", ["企业性质", "ownership"], true),
        ("districtGroup", ["区属房管集团", "区属房管集团企业", "districtgroup"], false),
        ("registeredAddress", ["注册地址", "registeredaddress"], false),
        ("contactPerson", ["联系人", "contactperson"], false),
        ("contactPhone", ["联系电话", "contactphone"], false),
    ]

    static let ownershipNames = ["国有独资": "stateWhollyOwned", "国有控股": "stateControlled", "民营": "private", "私营": "private", "其他": "other"]

    static func normalise(_ header: String) -> String {
        header.lowercased().filter { !$0.isWhitespace && $0 != "*" }
    }

    static func flag(_ raw: String) -> Bool? {
        switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
        case "", "否", "false", "0", "no", "n": false
        case "是", "true", "1", "yes", "y", "√": true
        default: nil
        }
    }

    /// Imports estates: every row is checked first; one bad row and nothing is written.
    /// `progress` is called with (rows done, rows in all) while rows are checked and written.
    public func estates(_ table: ImportTable, dryRun: Bool, by actor: Caller,
                        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> ImportReport {
        try await translatingErrors {
            try Gate.require(.estateImport, actor, unit: actor.unit)
            let sheet = SheetColumns(table, Self.estateHeaders)
            if let missing = sheet.missingColumnsReport(kind: "estates", table: table, dryRun: dryRun) { return missing }
            let today = context.clock.today
            var errors = ImportErrorLog()
            var aliases: [ImportReport.AliasApplied] = []
            var valid: [(row: Int, estate: Estate)] = []
            var seen: [String: Int] = [:]
            for (index, row) in table.rows.enumerated() {
                var unit = sheet.cell(row.cells, "unit")
                var legal = sheet.cell(row.cells, "legalDistrict")
                for (field, value) in [("unit", unit), ("legalDistrict", legal)] where !value.isEmpty {
                    if case .aliased(let current, let alias) = DistrictCodeResolution.resolve(value) {
                        aliases.append(.init(row: row.number, legacyCode: alias.legacyCode, currentCode: current.code, note: alias.note))
                        if field == "unit" { unit = current.code } else { legal = current.code }
                    }
                }
                let dispute = Self.flag(sheet.cell(row.cells, "highDispute"))
                if dispute == nil {
                    errors.append(.init(row: row.number, column: sheet.label("highDispute"), message: "应为 是/否"))
                }
                let draft = EstateDraft(code: sheet.cell(row.cells, "code"), name: sheet.cell(row.cells, "name"), address: sheet.cell(row.cells, "address"),
                                        unit: unit, legalDistrict: legal.isEmpty ? nil : legal, subDistrict: sheet.cell(row.cells, "subDistrict"),
                                        category: sheet.cell(row.cells, "category"), highDispute: dispute ?? false,
                                        households: sheet.cell(row.cells, "households"), buildings: sheet.cell(row.cells, "buildings"),
                                        floorArea: sheet.cell(row.cells, "floorArea"), yearBuilt: sheet.cell(row.cells, "yearBuilt"))
                do {
                    let estate = try draft.validated(today: today)
                    if estate.unit != actor.unit {
                        errors.append(.init(row: row.number, column: sheet.label("unit"), message: "不属于本单位（\(actor.unit ?? "")），不能导入"))
                    } else if let first = seen[estate.code] {
                        errors.append(.init(row: row.number, column: sheet.label("code"), message: "小区编码与第 \(first) 行重复"))
                    } else {
                        seen[estate.code] = row.number
                        valid.append((row.number, estate))
                    }
                } catch let error as ValidationFailure {
                    for f in error.errors { errors.append(.init(row: row.number, column: sheet.label(f.field), message: f.message)) }
                }
                if index % 1000 == 999 { progress(index + 1, table.rows.count) }
            }
            // Codes already registered.
            let codes = valid.map(\.estate.code)
            let existing = try await context.store.read { try await $0.existingEstateCodes(codes) }
            for v in valid where existing.contains(v.estate.code) {
                errors.append(.init(row: v.row, column: sheet.label("code"), message: "小区编码“\(v.estate.code)”已登记"))
            }
            guard errors.isEmpty, !dryRun else {
                return ImportReport(kind: "estates", rowsRead: table.rows.count, imported: 0, dryRun: dryRun, errors: errors, aliasesApplied: aliases)
            }
            let now = context.clock.now
            let estates = valid.map(\.estate)
            try await context.store.bulkTransaction { tx in
                try await tx.insertEstates(estates, createdAt: now)
                try await tx.appendAudits(estates.map {
                    AuditDraft(recordedAt: now, actor: actor.username, action: Action.estateImport.rawValue, entity: "estate", entityID: $0.code,
                               unit: $0.unit, reason: nil, before: nil, after: AuditWriter.json($0))
                })
            }
            progress(table.rows.count, table.rows.count)
            await refreshStatistics(after: estates.count)
            return ImportReport(kind: "estates", rowsRead: table.rows.count, imported: estates.count, dryRun: false, aliasesApplied: aliases)
        }
    }

    /// Imports companies, all or nothing.
    public func companies(_ table: ImportTable, dryRun: Bool, by actor: Caller,
                          progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> ImportReport {
        try await translatingErrors {
            try Gate.require(.companyImport, actor)
            let sheet = SheetColumns(table, Self.companyHeaders)
            if let missing = sheet.missingColumnsReport(kind: "companies", table: table, dryRun: dryRun) { return missing }
            var errors = ImportErrorLog()
            var valid: [(row: Int, company: Company)] = []
            var seen: [String: Int] = [:]
            for (index, row) in table.rows.enumerated() {
                let rawOwnership = sheet.cell(row.cells, "ownership")
                let group = Self.flag(sheet.cell(row.cells, "districtGroup"))
                if group == nil { errors.append(.init(row: row.number, column: sheet.label("districtGroup"), message: "应为 是/否")) }
                let draft = CompanyDraft(uscc: sheet.cell(row.cells, "uscc"), name: sheet.cell(row.cells, "name"),
                                         ownership: Self.ownershipNames[rawOwnership] ?? rawOwnership, districtGroup: group ?? false,
                                         registeredAddress: sheet.cell(row.cells, "registeredAddress"),
                                         contactPerson: sheet.cell(row.cells, "contactPerson"), contactPhone: sheet.cell(row.cells, "contactPhone"))
                do {
                    let company = try draft.validated()
                    if let first = seen[company.uscc.value] {
                        errors.append(.init(row: row.number, column: sheet.label("uscc"), message: "统一社会信用代码与第 \(first) 行重复"))
                    } else {
                        seen[company.uscc.value] = row.number
                        valid.append((row.number, company))
                    }
                } catch let error as ValidationFailure {
                    for f in error.errors { errors.append(.init(row: row.number, column: sheet.label(f.field), message: f.message)) }
                }
                if index % 1000 == 999 { progress(index + 1, table.rows.count) }
            }
            let companies = valid
            let existing = try await context.store.read { tx in
                var found: [Int] = []
                for v in companies where try await tx.company(uscc: v.company.uscc) != nil { found.append(v.row) }
                return found
            }
            for row in existing { errors.append(.init(row: row, column: sheet.label("uscc"), message: "该统一社会信用代码已登记")) }
            guard errors.isEmpty, !dryRun else {
                return ImportReport(kind: "companies", rowsRead: table.rows.count, imported: 0, dryRun: dryRun, errors: errors, aliasesApplied: [])
            }
            let now = context.clock.now
            try await context.store.bulkTransaction { tx in
                for v in companies { try await tx.insertCompany(v.company, recordedAt: now) }
                try await tx.appendAudits(companies.map {
                    AuditDraft(recordedAt: now, actor: actor.username, action: Action.companyImport.rawValue, entity: "company",
                               entityID: $0.company.uscc.value, unit: nil, reason: nil, before: nil, after: AuditWriter.json($0.company))
                })
            }
            progress(table.rows.count, table.rows.count)
            await refreshStatistics(after: companies.count)
            return ImportReport(kind: "companies", rowsRead: table.rows.count, imported: companies.count, dryRun: false, aliasesApplied: [])
        }
    }

    /// Imports a round's applications from the district's spreadsheet: one row per company
    /// (USCC, capacity) and, when every criterion of the round has a column, its scores (the
    /// weighted total is computed as for a single application). All rows or none. Decisions still
    /// go through propose → approve, so an import never admits anyone by itself.
    public func applications(_ table: ImportTable, roundID: Int, dryRun: Bool, by actor: Caller) async throws -> ImportReport {
        try await translatingErrors {
            guard let round = try await context.store.read({ try await $0.round(id: roundID) }) else {
                throw AppError.notFound(entity: "admissionRound", key: String(roundID))
            }
            try Gate.require(.poolImport, actor, unit: round.unit, entity: "admissionRound", key: String(roundID))
            let spec: [(field: String, names: [String], required: Bool)] = [
                ("uscc", ["统一社会信用代码", "信用代码", "uscc"], true),
                ("capacityEstates", ["可承接小区数", "承接能力", "capacityestates"], true),
                ("capacityHouseholds", ["可承接户数", "capacityhouseholds"], false),
            ] + round.criteria.map { ($0.name, [$0.name], false) }
            let sheet = SheetColumns(table, spec)
            if let missing = sheet.missingColumnsReport(kind: "applications", table: table, dryRun: dryRun) { return missing }
            let scored = round.criteria.allSatisfy { sheet.index[$0.name] != nil }
            var errors = ImportErrorLog()
            var valid: [(row: Int, uscc: USCC, estates: Int, households: Int?, scores: [String: Double]?, total: Double?)] = []
            var seen: [String: Int] = [:]
            for row in table.rows {
                var rowErrors: [ImportReport.RowError] = []
                var uscc: USCC?
                do { uscc = try USCC(validating: sheet.cell(row.cells, "uscc")) } catch let e as USCCError {
                    rowErrors.append(.init(row: row.number, column: sheet.label("uscc"), message: e.description))
                } catch {}
                let estates = Int(sheet.cell(row.cells, "capacityEstates")).flatMap { (1...500).contains($0) ? $0 : nil }
                if estates == nil {
                    rowErrors.append(.init(row: row.number, column: sheet.label("capacityEstates"), message: "可承接小区数应为 1–500 的整数"))
                }
                let householdsText = sheet.cell(row.cells, "capacityHouseholds")
                let households = householdsText.isEmpty ? nil : Int(householdsText)
                if !householdsText.isEmpty, households == nil || households! < 1 {
                    rowErrors.append(.init(row: row.number, column: sheet.label("capacityHouseholds"), message: "可承接户数应为正整数"))
                }
                var scores: [String: Double]?
                var total: Double?
                if scored {
                    var values: [String: Double] = [:]
                    for c in round.criteria {
                        if let v = Double(sheet.cell(row.cells, c.name)) { values[c.name] = v }
                    }
                    do { total = try Scoring.total(values, rubric: round.criteria); scores = values } catch let e as ValidationFailure {
                        for f in e.errors { rowErrors.append(.init(row: row.number, column: String(f.field.dropFirst("scores.".count)), message: f.message)) }
                    }
                }
                if let u = uscc, let first = seen[u.value] {
                    rowErrors.append(.init(row: row.number, column: sheet.label("uscc"), message: "与第 \(first) 行重复"))
                }
                if rowErrors.isEmpty, let u = uscc, let estates {
                    seen[u.value] = row.number
                    valid.append((row.number, u, estates, households, scores, total))
                }
                errors.append(contentsOf: rowErrors)
            }
            let candidates = valid
            let known = try await context.store.read { tx in
                var missing: [Int] = []
                for v in candidates where try await tx.company(uscc: v.uscc) == nil { missing.append(v.row) }
                return missing
            }
            for row in known { errors.append(.init(row: row, column: sheet.label("uscc"), message: "该企业尚未登记，请先导入或登记企业")) }
            guard errors.isEmpty, !dryRun else {
                return ImportReport(kind: "applications", rowsRead: table.rows.count, imported: 0, dryRun: dryRun, errors: errors, aliasesApplied: [])
            }
            let now = context.clock.now
            try await context.store.bulkTransaction { tx in
                var drafts: [AuditDraft] = []
                for v in candidates {
                    let id = try await tx.insertApplication(roundID: roundID, uscc: v.uscc, capacityEstates: v.estates,
                                                            capacityHouseholds: v.households, recordedBy: actor.username, at: now)
                    var app = try await tx.application(id: id)!
                    if let scores = v.scores {
                        app.scores = scores
                        app.total = v.total
                        app.status = .scored
                        try await tx.updateApplication(app)
                    }
                    drafts.append(AuditDraft(recordedAt: now, actor: actor.username, action: Action.poolImport.rawValue, entity: "application",
                                             entityID: String(id), unit: round.unit, reason: nil, before: nil,
                                             after: AuditWriter.json(ApplicationSnapshot(app))))
                }
                try await tx.appendAudits(drafts)
            }
            return ImportReport(kind: "applications", rowsRead: table.rows.count, imported: candidates.count, dryRun: false, aliasesApplied: [])
        }
    }
}

/// Where each field of an import stands in an uploaded sheet: found by any of its accepted
/// header names (case and spaces ignored), named in row errors as the sheet itself names it.
/// Every import reads its sheet through this, so they find columns and read cells alike.
struct SheetColumns {
    typealias Spec = [(field: String, names: [String], required: Bool)]

    let index: [String: Int]
    /// Each field's column header as the sheet spells it, or the first accepted name.
    private let labels: [String: String]
    /// One error per required column the sheet lacks (reported on row 1, the header row).
    let missing: [ImportReport.RowError]

    init(_ table: ImportTable, _ spec: Spec) {
        let normalised = table.headers.map(ImportUseCases.normalise)
        var index: [String: Int] = [:], labels: [String: String] = [:]
        var missing: [ImportReport.RowError] = []
        for s in spec {
            if let i = normalised.firstIndex(where: { h in s.names.contains { ImportUseCases.normalise($0) == h } }) {
                index[s.field] = i
                labels[s.field] = table.headers[i]
            } else {
                labels[s.field] = s.names[0]
                if s.required {
                    missing.append(.init(row: 1, column: s.names[0], message: "缺少必需的列“\(s.names[0])”（或 \(s.field)）"))
                }
            }
        }
        self.index = index
        self.labels = labels
        self.missing = missing
    }

    /// The report that refuses the whole file when a required column is missing; `nil` otherwise.
    func missingColumnsReport(kind: String, table: ImportTable, dryRun: Bool) -> ImportReport? {
        missing.isEmpty ? nil : ImportReport(kind: kind, rowsRead: table.rows.count, imported: 0, dryRun: dryRun,
                                             errors: ImportErrorLog(missing), aliasesApplied: [])
    }

    /// A field's cell without surrounding spaces; empty when the sheet has no such column or the row is short.
    func cell(_ cells: [String], _ field: String) -> String {
        guard let i = index[field], i < cells.count else { return "" }
        return cells[i].trimmingCharacters(in: .whitespaces)
    }

    /// The column a row error names; a field of no column (a rule over several) is named as itself.
    func label(_ field: String) -> String { labels[field] ?? field }
}
