import Hummingbird
import TuodiApp
import TuodiDomain

extension WebApp {
    func registerDashboard(on web: RouterGroup<Context>) {
        page(web, "/") { r in
            var inputs = try await dashboardInputs(r.caller)
            inputs.atRiskPage = r.query["atRisk"]; inputs.expiringPage = r.query["expiring"]
            return views.response(DashboardPage(session: r.session, inputs))
        }
    }

    /// Asks each use case the page needs, as far as the caller's role may read it.
    func dashboardInputs(_ caller: Caller) async throws -> DashboardPage.Inputs {
        let today = context.clock.today
        var inputs = DashboardPage.Inputs(today: today)
        func may(_ op: Action) -> Bool { Authorization.decide(op, actor: caller, unit: caller.unit) == .allowed }
        if may(.coverageRead) {
            inputs.yearEnd = try await context.coverage.yearEnd(unit: caller.unit, year: today.year, by: caller)
        }
        if let unit = caller.unit {
            if may(.arrangementRead) { inputs.expiring = try await context.arrangements.expiring(unit: unit, withinDays: 90, by: caller) }
            if may(.returnRead) {
                inputs.currentReturn = try await context.returns.show(unit: unit, year: today.year, quarter: (today.month - 1) / 3 + 1, by: caller)
            }
        }
        let pending = try await context.approvals.pending(by: caller)
        if may(.arrangementApprove) || may(.poolDecide) || may(.returnApprove) || !pending.isEmpty { inputs.pending = pending }
        if may(.returnRollup) {
            let (year, quarter) = ReturnPaths.lastClosed(before: today)
            inputs.statuses = try await context.returns.statuses(year: year, quarter: quarter, by: caller)
            var byUnit: [(unit: ReportingUnit, coverage: YearEndCoverage)] = []
            for unit in ReportingUnit.all {
                byUnit.append((unit, try await context.coverage.yearEnd(unit: unit.code, year: today.year, by: caller)))
            }
            inputs.byUnit = byUnit
        }
        return inputs
    }
}
