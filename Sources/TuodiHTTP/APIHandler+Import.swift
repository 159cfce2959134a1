import Foundation
import OpenAPIRuntime
import TuodiAPI
import TuodiApp
import TuodiDomain


extension APIHandler {
    func importFile(_ input: Operations.importFile.Input) async throws -> Operations.importFile.Output {
        let actor = try await caller()
        guard case .binary(let body) = input.body else { throw AppError.validation([]) }
        // Bounded by RequestBodyLimitMiddleware, which stops the stream at the upload limit with a 413.
        let bytes = try await [UInt8](collecting: body, upTo: .max)
        let table = try ImportInput.table(bytes, fileName: input.query.fileName)
        let dryRun = input.query.dryRun ?? false
        let report: ImportReport
        switch input.path.kind {
        case .estates: report = try await context.imports.estates(table, dryRun: dryRun, by: actor)
        case .facts: report = try await context.imports.facts(table, dryRun: dryRun, by: actor)
        case .arrangements: report = try await context.imports.arrangements(table, dryRun: dryRun, by: actor)
        case .companies: report = try await context.imports.companies(table, dryRun: dryRun, by: actor)
        case .pool:
            guard let round = input.query.roundId else {
                throw AppError.validation([FieldError(field: "roundId", code: "required", message: "导入申请须指定征集轮次 roundId")])
            }
            report = try await context.imports.applications(table, roundID: round, dryRun: dryRun, by: actor)
        }
        return .ok(.init(body: .json(.init(
            kind: report.kind, rowsRead: report.rowsRead, imported: report.imported, dryRun: report.dryRun, succeeded: report.succeeded,
            errorCount: report.errorCount, errorRowCount: report.errorRowCount,
            errors: report.errors.map { .init(row: $0.row, column: $0.column, message: $0.message) },
            aliasesApplied: report.aliasesApplied.map { .init(row: $0.row, legacyCode: $0.legacyCode, currentCode: $0.currentCode, note: $0.note) }))))
    }
}
