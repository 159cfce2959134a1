import Foundation
import TuodiDomain
import TuodiReports

/// A rendered return, ready to save or send.
public struct ReturnFile: Sendable {
    public let bytes: [UInt8]
    public let contentType: String
    /// e.g. 310101-2026Q3.xlsx
    public let fileName: String
    public let format: QuarterlyReturnFormat
}

extension ReturnUseCases {
    /// The return as a file: what `show` gives (the frozen snapshot once submitted), or the
    /// municipal roll-up for unit 310000.
    public func export(unit: String, year: Int, quarter: Int, format: String, by actor: Caller) async throws -> ReturnFile {
        let chosen = try await translatingErrors { () throws -> QuarterlyReturnFormat in
            guard let f = QuarterlyReturnFormat(rawValue: format.lowercased()) else {
                throw AppError.validation([FieldError(field: "format", code: "invalid",
                    message: "格式应为 \(QuarterlyReturnFormat.allCases.map(\.rawValue).joined(separator: "、"))")])
            }
            return f
        }
        let report = unit == cityUnitCode
            ? try await rollup(year: year, quarter: quarter, by: actor)
            : try await show(unit: unit, year: year, quarter: quarter, by: actor).report
        return try await translatingErrors {
            ReturnFile(bytes: try QuarterlyReturnRenderer.render(report, as: chosen), contentType: QuarterlyReturnRenderer.contentType(chosen),
                       fileName: "\(unit)-\(year)Q\(quarter).\(QuarterlyReturnRenderer.fileExtension(chosen))", format: chosen)
        }
    }
}
