import TuodiDomain
import TuodiStore

/// Coverage of one sub-district's estates on the fallback list on a day.
public struct SubDistrictCoverage: Sendable, Equatable {
    public let unit: String
    public let subDistrict: String
    public let coverage: CoverageAsOf
}

extension CoverageUseCases {
    /// Coverage on a day (default today) for each sub-district of a unit, or of every unit for the
    /// city, the same computation as `asOf` over each sub-district's estates. Sub-districts with no
    /// estate on the fallback list that day are left out.
    public func bySubDistrict(unit: String?, date: String?, by actor: Caller) async throws -> [SubDistrictCoverage] {
        try await translatingErrors {
            let day = try LocalDate.field(date, "asOf") ?? context.clock.today
            let scope = try ReturnUseCases.scope(unit, .coverageRead, actor)
            let key = ReportCache.Key(report: "coverage.bySubDistrict", unit: scope, parameters: [], day: day)
            return try await context.reports.read(key, store: context.store) { tx in
                if let scope { _ = try await ReturnUseCases.unitName(scope, tx: tx) }
                let groups = Dictionary(grouping: try await ReturnUseCases.estates(unit: scope, tx: tx)) { SubDistrictKey(unit: $0.unit, subDistrict: $0.subDistrict) }
                return groups.map { key, estates in
                    SubDistrictCoverage(unit: key.unit, subDistrict: key.subDistrict, coverage: CoverageAsOf.compute(estates, on: day))
                }
                .filter { $0.coverage.covered + $0.coverage.unmanaged > 0 }
                .sorted { ($0.unit, $0.subDistrict) < ($1.unit, $1.subDistrict) }
            }
        }
    }
}

private struct SubDistrictKey: Hashable {
    let unit: String
    let subDistrict: String
}
