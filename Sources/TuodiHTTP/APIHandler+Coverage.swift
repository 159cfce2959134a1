import Foundation
import OpenAPIRuntime
import TuodiAPI
import TuodiApp
import TuodiDomain

// Coverage and returns in the contract's typed schemas: app values mapped field by field, and
// the runtime encodes the response once. The long lists come a page at a time.
extension APIHandler {
    static func wire(_ r: Rate) -> Components.Schemas.Rate {
        .init(numerator: r.numerator, denominator: r.denominator, rate: r.rate)
    }

    static func wire(_ k: KeyCount) -> Components.Schemas.KeyCount { .init(key: k.key, count: k.count) }

    static func wire(_ u: QuarterlyReturn.UnmanagedEstate) throws -> Components.Schemas.UnmanagedEstate {
        .init(unit: u.unit, code: u.code, name: u.name, subDistrict: u.subDistrict, category: try wireCase(u.category),
              episodeStart: u.episodeStart.description, daysUnmanaged: u.daysUnmanaged, daysLeftInYear: u.daysLeftInYear)
    }

    static func wire(_ d: QuarterlyReturn.DaysToCover) -> Components.Schemas.DaysToCover {
        .init(episodes: d.episodes, median: d.median, maximum: d.maximum)
    }

    static func wire(_ n: QuarterlyReturn.NewlyUnmanagedEstate) throws -> Components.Schemas.NewlyUnmanagedEstate {
        .init(code: n.code, name: n.name, category: try wireCase(n.category), households: n.households, floorArea: n.floorArea,
              episodeStart: n.episodeStart.description, stateOnAsOf: try wireCase(n.stateOnAsOf), daysToCover: n.daysToCover)
    }

    static func wire(_ p: QuarterlyReturn.Pool) -> Components.Schemas.ReturnPool {
        .init(active: p.active, activeDistrictGroup: p.activeDistrictGroup, admittedInQuarter: p.admittedInQuarter,
              removedOrExpiredInQuarter: p.removedOrExpiredInQuarter,
              members: p.members.map { .init(uscc: $0.uscc, name: $0.name, districtGroup: $0.districtGroup, start: $0.start.description,
                                             end: $0.end.description, capacityEstates: $0.capacityEstates) })
    }

    static func wire(_ e: QuarterlyReturn.Estates) -> Components.Schemas.ReturnEstates {
        .init(registered: e.registered, byCategory: e.byCategory.map(wire), byState: e.byState.map(wire))
    }

    static func wire(_ y: QuarterlyReturn.YearToDateState) -> Components.Schemas.YearToDateState {
        .init(covered: y.covered, byKind: y.byKind.map(wire), stillUnmanaged: y.stillUnmanaged)
    }

    static func wire(_ c: QuarterlyReturn.Coverage) -> Components.Schemas.ReturnCoverage {
        .init(estates: wire(c.estates), households: wire(c.households), floorArea: wire(c.floorArea))
    }

    static func wire(_ a: QuarterlyReturn.EndingArrangement) throws -> Components.Schemas.EndingArrangement {
        .init(id: a.id, unit: a.unit, estateCode: a.estateCode, kind: try wireCase(a.kind), provider: a.provider,
              start: a.start.description, end: a.end.description)
    }

    static func wire(_ s: QuarterlyReturn.SelectionRounds) throws -> Components.Schemas.ReturnSelectionRounds {
        .init(finished: s.finished, failed: s.failed,
              rounds: try s.rounds.map { .init(id: $0.id, unit: $0.unit, title: $0.title, status: try wireCase($0.status),
                                               finishedOn: $0.finishedOn.description) })
    }

    static func wire(_ u: QuarterlyReturn.UnitRow) throws -> Components.Schemas.ReturnUnitRow {
        .init(unit: u.unit, unitName: u.unitName, activeMembers: u.activeMembers, registeredEstates: u.registeredEstates,
              newlyUnmanagedInQuarter: u.newlyUnmanagedInQuarter, newlyUnmanagedYearToDate: u.newlyUnmanagedYearToDate,
              coveredYearToDate: u.coveredYearToDate, coverageRate: u.coverageRate, stillUnmanaged: u.stillUnmanaged,
              returnStatus: try wireCase(u.returnStatus))
    }

    static func wire(_ r: QuarterlyReturn.Restatement) -> Components.Schemas.Restatement {
        .init(year: r.year, quarter: r.quarter, figure: r.figure, submitted: r.submitted, now: r.now)
    }

    static func wire(_ r: QuarterlyReturn) throws -> Components.Schemas.QuarterlyReturn {
        .init(unit: r.unit, unitName: r.unitName, year: r.year, quarter: r.quarter, quarterStart: r.quarterStart.description,
              yearStart: r.yearStart.description, asOf: r.asOf.description, pool: wire(r.pool), estates: wire(r.estates),
              newlyUnmanaged: .init(inQuarter: r.newlyUnmanaged.inQuarter, yearToDate: r.newlyUnmanaged.yearToDate,
                                    estates: try r.newlyUnmanaged.estates.map(wire)),
              yearToDateState: wire(r.yearToDateState), coverage: wire(r.coverage), daysToCover: wire(r.daysToCover),
              stillUnmanaged: try r.stillUnmanaged.map(wire), endingSoon: try r.endingSoon.map(wire),
              selectionRounds: try wire(r.selectionRounds), byUnit: try r.byUnit.map(wire), restatements: r.restatements.map(wire))
    }

    static func wire(_ v: ReturnView) throws -> Components.Schemas.ReturnView {
        .init(status: try wireCase(v.status), unit: v.unit, year: v.year, quarter: v.quarter, deadline: v.deadline.description, late: v.late,
              draftedBy: v.draftedBy, draftedAt: v.draftedAt, approvedBy: v.approvedBy, approvedAt: v.approvedAt,
              submittedBy: v.submittedBy, submittedAt: v.submittedAt, snapshotSHA256: v.snapshotSHA256, report: try wire(v.report))
    }

    /// The roll-up's headline: every figure, the long lists only counted.
    static func wireHeadline(_ r: QuarterlyReturn) throws -> Components.Schemas.ReturnRollup {
        .init(unit: r.unit, unitName: r.unitName, year: r.year, quarter: r.quarter, quarterStart: r.quarterStart.description,
              yearStart: r.yearStart.description, asOf: r.asOf.description, pool: wire(r.pool), estates: wire(r.estates),
              newlyUnmanagedInQuarter: r.newlyUnmanaged.inQuarter, newlyUnmanagedYearToDate: r.newlyUnmanaged.yearToDate,
              yearToDateState: wire(r.yearToDateState), coverage: wire(r.coverage), daysToCover: wire(r.daysToCover),
              stillUnmanaged: r.stillUnmanaged.count, endingSoon: r.endingSoon.count, selectionRounds: try wire(r.selectionRounds),
              byUnit: try r.byUnit.map(wire), restatements: r.restatements.map(wire))
    }

    func getCoverage(_ input: Operations.getCoverage.Input) async throws -> Operations.getCoverage.Output {
        let q = input.query
        let c = try await context.coverage.asOf(unit: q.unit, date: q.asOf, by: try await caller())
        let page = try Page.of(c.uncovered, limit: q.limit, offset: q.offset)
        return .ok(.init(body: .json(.init(asOf: c.asOf.description, covered: c.covered, unmanaged: c.unmanaged, rate: Self.wire(c.rate),
                                           byKind: c.byKind.map(Self.wire), uncovered: try page.items.map(Self.wire),
                                           limit: page.limit, offset: page.offset))))
    }

    func getYearEndCoverage(_ input: Operations.getYearEndCoverage.Input) async throws -> Operations.getYearEndCoverage.Output {
        let q = input.query
        let y = try await context.coverage.yearEnd(unit: q.unit, year: q.year, by: try await caller())
        let page = try Page.of(y.atRisk, limit: q.limit, offset: q.offset)
        return .ok(.init(body: .json(.init(year: y.year, stateOn: y.stateOn.description, daysLeft: y.daysLeft, newlyUnmanaged: y.newlyUnmanaged,
                                           covered: y.covered, estates: Self.wire(y.estates), households: Self.wire(y.households),
                                           floorArea: Self.wire(y.floorArea), daysToCover: Self.wire(y.daysToCover),
                                           atRisk: try page.items.map(Self.wire), atRiskTotal: page.total, limit: page.limit, offset: page.offset))))
    }

    func getReturn(_ input: Operations.getReturn.Input) async throws -> Operations.getReturn.Output {
        let p = input.path
        return .ok(.init(body: .json(try Self.wire(try await context.returns.show(unit: p.unit, year: p.year, quarter: p.quarter,
                                                                                  by: try await caller())))))
    }

    func stepReturn(_ input: Operations.stepReturn.Input) async throws -> Operations.stepReturn.Output {
        let p = input.path, actor = try await caller()
        let view = switch p.step {
        case .draft: try await context.returns.draft(unit: p.unit, year: p.year, quarter: p.quarter, by: actor)
        case .approve: try await context.returns.approve(unit: p.unit, year: p.year, quarter: p.quarter, by: actor)
        case .submit: try await context.returns.submit(unit: p.unit, year: p.year, quarter: p.quarter, by: actor)
        }
        return .ok(.init(body: .json(try Self.wire(view))))
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
        return .ok(.init(body: .json(.init(items: try rows.map {
            .init(unit: $0.unit, unitName: $0.unitName, year: $0.year, quarter: $0.quarter, deadline: $0.deadline.description,
                  status: try wireCase($0.status), stage: try wireCase($0.stage), submittedAt: $0.submittedAt)
        }))))
    }

    func getReturnRollup(_ input: Operations.getReturnRollup.Input) async throws -> Operations.getReturnRollup.Output {
        let city = try await context.returns.rollup(year: input.path.year, quarter: input.path.quarter, by: try await caller())
        return .ok(.init(body: .json(try Self.wireHeadline(city))))
    }

    /// One page of one of the roll-up's long lists.
    private func rollupPage<Item>(_ year: Int, _ quarter: Int, _ limit: Int?, _ offset: Int?,
                                  _ list: (QuarterlyReturn) -> [Item]) async throws -> Page<Item> {
        let city = try await context.returns.rollup(year: year, quarter: quarter, by: try await caller())
        return try Page.of(list(city), limit: limit, offset: offset)
    }

    func getRollupStillUnmanaged(_ input: Operations.getRollupStillUnmanaged.Input) async throws -> Operations.getRollupStillUnmanaged.Output {
        let page = try await rollupPage(input.path.year, input.path.quarter, input.query.limit, input.query.offset) { $0.stillUnmanaged }
        return .ok(.init(body: .json(.init(items: try page.items.map(Self.wire), total: page.total, limit: page.limit, offset: page.offset))))
    }

    func getRollupEndingSoon(_ input: Operations.getRollupEndingSoon.Input) async throws -> Operations.getRollupEndingSoon.Output {
        let page = try await rollupPage(input.path.year, input.path.quarter, input.query.limit, input.query.offset) { $0.endingSoon }
        return .ok(.init(body: .json(.init(items: try page.items.map(Self.wire), total: page.total, limit: page.limit, offset: page.offset))))
    }

    func getRollupNewlyUnmanaged(_ input: Operations.getRollupNewlyUnmanaged.Input) async throws -> Operations.getRollupNewlyUnmanaged.Output {
        let page = try await rollupPage(input.path.year, input.path.quarter, input.query.limit, input.query.offset) { $0.newlyUnmanaged.estates }
        return .ok(.init(body: .json(.init(items: try page.items.map(Self.wire), total: page.total, limit: page.limit, offset: page.offset))))
    }
}

/// Documents as the API serves them, for the CLI to print the same JSON.
public enum WireDocuments {
    /// The roll-up's headline of `GET /api/v1/returns/{year}/{quarter}/rollup`.
    public static func rollupHeadline(_ r: QuarterlyReturn) throws -> some Encodable & Sendable { try APIHandler.wireHeadline(r) }
}
