import Foundation
import OpenAPIRuntime
import TuodiAPI
import TuodiApp
import TuodiDomain

extension APIHandler {
    /// An app value as the free-form JSON object the contract declares for it.
    static func freeForm(_ value: some Encodable) throws -> Components.Schemas.FreeForm {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try JSONDecoder().decode(Components.Schemas.FreeForm.self, from: try encoder.encode(value))
    }

    func getCoverage(_ input: Operations.getCoverage.Input) async throws -> Operations.getCoverage.Output {
        let c = try await context.coverage.asOf(unit: input.query.unit, date: input.query.asOf, by: try await caller())
        return .ok(.init(body: .json(try Self.freeForm(c))))
    }

    func getYearEndCoverage(_ input: Operations.getYearEndCoverage.Input) async throws -> Operations.getYearEndCoverage.Output {
        let y = try await context.coverage.yearEnd(unit: input.query.unit, year: input.query.year, by: try await caller())
        return .ok(.init(body: .json(try Self.freeForm(y))))
    }

    func getReturn(_ input: Operations.getReturn.Input) async throws -> Operations.getReturn.Output {
        let p = input.path
        return .ok(.init(body: .json(try Self.freeForm(try await context.returns.show(unit: p.unit, year: p.year, quarter: p.quarter,
                                                                                       by: try await caller())))))
    }

    func stepReturn(_ input: Operations.stepReturn.Input) async throws -> Operations.stepReturn.Output {
        let p = input.path, actor = try await caller()
        let view = switch p.step {
        case .draft: try await context.returns.draft(unit: p.unit, year: p.year, quarter: p.quarter, by: actor)
        case .approve: try await context.returns.approve(unit: p.unit, year: p.year, quarter: p.quarter, by: actor)
        case .submit: try await context.returns.submit(unit: p.unit, year: p.year, quarter: p.quarter, by: actor)
        }
        return .ok(.init(body: .json(try Self.freeForm(view))))
    }

    func exportReturn(_ input: Operations.exportReturn.Input) async throws -> Operations.exportReturn.Output {
        let p = input.path
        let file = try await context.returns.export(unit: p.unit, year: p.year, quarter: p.quarter, format: input.query.format.rawValue,
                                                    by: try await caller())
        let body = HTTPBody(file.bytes)
        let content: Operations.exportReturn.Output.Ok.Body = switch file.format {
        case .xlsx: .application_vnd_period_openxmlformats_hyphen_officedocument_period_spreadsheetml_period_sheet(body)
        case .csv: .csv(body)
        case .xml: .xml(body)
        case .html: .html(body)
        case .json: .binary(body)
        }
        DownloadDescription.describe(fileName: file.fileName, contentType: file.contentType)
        return .ok(.init(headers: .init(Content_hyphen_Disposition: DownloadDescription.contentDisposition(fileName: file.fileName)),
                         body: content))
    }

    func getReturnStatuses(_ input: Operations.getReturnStatuses.Input) async throws -> Operations.getReturnStatuses.Output {
        let rows = try await context.returns.statuses(year: input.path.year, quarter: input.path.quarter, by: try await caller())
        return .ok(.init(body: .json(try Self.freeForm(["items": rows]))))
    }

    func getReturnRollup(_ input: Operations.getReturnRollup.Input) async throws -> Operations.getReturnRollup.Output {
        let city = try await context.returns.rollup(year: input.path.year, quarter: input.path.quarter, by: try await caller())
        return .ok(.init(body: .json(try Self.freeForm(city))))
    }
}
