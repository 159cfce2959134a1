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
    /// Estates in the caller's scope matching `query`, each with its state today (worked out from
    /// its facts and approved arrangements, as everywhere else).
    public func search(_ query: EstateQuery, by actor: Caller) async throws -> EstateSearchResult {
        try await translatingErrors {
            try Gate.require(.estateRead, actor)
            var e = FieldErrors()
            if let s = query.state, !EstateQuery.states.contains(s) { e.add("state", "invalid", "状态不在可选范围内") }
            if let c = query.category, EstateCategory(rawValue: c) == nil { e.add("category", "invalid", "类别不在可选范围内") }
            if let u = query.unit, ReportingUnit.named(u) == nil { e.add("unit", "invalid", "没有编码为“\(u)”的单位") }
            try e.throwIfAny()
            try Page<Estate>.check(limit: query.limit, offset: query.offset)
            let scope = Authorization.visibleUnit(for: actor) ?? query.unit
            let today = context.clock.today
            return try await context.store.read { tx in
                let estates = try await tx.estates(unit: scope, limit: Int(Int32.max), offset: 0).map(\.estate)
                let timelines = Dictionary(try await ReturnUseCases.estates(unit: scope, tx: tx).map { ($0.code, $0.timeline) },
                                           uniquingKeysWith: { first, _ in first })
                let needle = query.text?.lowercased()
                let rows = estates.compactMap { estate -> EstateRow? in
                    if let needle, !estate.code.lowercased().contains(needle), !estate.name.lowercased().contains(needle) { return nil }
                    if let c = query.category, estate.category.rawValue != c { return nil }
                    if let s = query.subDistrict, estate.subDistrict != s { return nil }
                    if query.highDisputeOnly, !estate.highDispute { return nil }
                    let state = timelines[estate.code]?.state(on: today) ?? .unknown
                    if let s = query.state, state.description != s { return nil }
                    return EstateRow(estate: estate, state: state)
                }
                let page = Array(rows.dropFirst(query.offset).prefix(query.limit))
                return EstateSearchResult(items: page, total: rows.count, limit: query.limit, offset: query.offset,
                                          subDistricts: Array(Set(estates.map(\.subDistrict))).sorted(), asOf: today)
            }
        }
    }
}
