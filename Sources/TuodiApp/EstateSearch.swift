import TuodiDomain
import TuodiStore

/// What the estate list asks for: text in the code or name, and filters, one page at a time.
public struct EstateQuery: Sendable, Equatable {
    public var text: String?
    /// An `EstateState` code: managed, unmanaged, unknown, or a coverage kind.
    public var state: String?
    public var category: String?
    public var subDistrict: String?
    public var highDisputeOnly = false
    /// For city-wide roles; a district role always sees its own unit.
    public var unit: String?
    public var limit = 50
    public var offset = 0

    public init() {}

    /// Longer than any code or name (a search text goes into a LIKE pattern).
    static let maxTextLength = 100

    static let states = ["managed", "unmanaged", "unknown"] + CoverageKind.allCases.map(\.rawValue)
}

/// An estate with its state today.
public struct EstateRow: Sendable {
    public let estate: Estate
    public let state: EstateState
}

public struct EstateSearchResult: Sendable {
    public let items: [EstateRow]
    public let total: Int
    public let limit: Int
    public let offset: Int
    /// The sub-districts of the estates in scope, for the filter's choices.
    public let subDistricts: [String]
    public let asOf: LocalDate
}

extension EstateUseCases {
    /// Estates in the caller's scope matching `query`, each with its state today (from the read
    /// model, which holds what `EstateTimeline` works out from the facts and approved arrangements).
    public func search(_ query: EstateQuery, by actor: Caller) async throws -> EstateSearchResult {
        try await translatingErrors {
            try Gate.require(.estateRead, actor)
            var e = FieldErrors()
            if let s = query.state, !EstateQuery.states.contains(s) { e.add("state", "invalid", "状态不在可选范围内") }
            if let c = query.category, EstateCategory(rawValue: c) == nil { e.add("category", "invalid", "类别不在可选范围内") }
            if let u = query.unit, ReportingUnit.named(u) == nil { e.add("unit", "invalid", "没有编码为“\(u)”的单位") }
            if let t = query.text, let problem = TextRule.problem(in: t, field: "text", maxLength: EstateQuery.maxTextLength) {
                e.add(problem.field, problem.code, problem.message)
            }
            try e.throwIfAny()
            try Page<Estate>.check(limit: query.limit, offset: query.offset)
            let scope = Authorization.visibleUnit(for: actor) ?? query.unit
            let today = context.clock.today
            let filter = EstateSearchFilter(unit: scope, text: query.text, category: query.category.flatMap(EstateCategory.init(rawValue:)),
                                            subDistrict: query.subDistrict, highDisputeOnly: query.highDisputeOnly,
                                            state: query.state.flatMap(EstateState.init(code:)))
            let page = try await context.store.read { tx in
                try await tx.searchEstates(filter, on: today, limit: query.limit, offset: query.offset)
            }
            return EstateSearchResult(items: page.items.map { EstateRow(estate: $0.estate.estate, state: $0.state) }, total: page.total,
                                      limit: query.limit, offset: query.offset, subDistricts: page.subDistricts, asOf: today)
        }
    }
}
