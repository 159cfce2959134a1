import Hummingbird
import TuodiApp
import TuodiDomain

extension WebApp {
    func registerCoverage(on web: RouterGroup<Context>) {
        page(web, "/coverage") { r in
            do {
                let day = try await context.coverage.asOf(unit: nil, date: r.query["asOf"], by: r.caller)
                var ends: [CoverageAsOf] = []
                for end in CoveragePage.quarterEnds(upTo: day.asOf) {
                    ends.append(try await context.coverage.asOf(unit: nil, date: end.description, by: r.caller))
                }
                let subDistricts = try await context.coverage.bySubDistrict(unit: nil, date: day.asOf.description, by: r.caller)
                return views.response(CoveragePage(session: r.session, day: day, quarterEnds: ends, subDistricts: subDistricts))
            } catch let error where FormErrors(error) != nil {
                // A date that does not read: today's figures, with the problem above them.
                let day = try await context.coverage.asOf(unit: nil, date: nil, by: r.caller)
                return views.response(CoveragePage(session: r.session, day: day, quarterEnds: [], errors: ErrorSummary.from(error)),
                                      status: .unprocessableContent)
            }
        }
    }
}
