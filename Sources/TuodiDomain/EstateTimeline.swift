/// Why an estate became unmanaged.
public enum UnmanagedReason: String, CaseIterable, Sendable, Codable {
    case previousCompanyLeft, contractEnded, newlyIdentified, other
}

/// A dated fact about who manages an estate, as recorded by a clerk. Facts are never edited:
/// a correction is a new fact that supersedes an earlier one (or retracts it).
public enum ManagementFactKind: Equatable, Sendable {
    /// From `date` on nobody provides property service.
    case becameUnmanaged(reason: UnmanagedReason)
    /// From `date` on a company hired by the owners (选聘) manages the estate.
    case regularBegan(company: String)
    /// `date` is the last day the regular company manages it; unmanaged from the next day.
    case regularEnded(company: String)
}

public struct ManagementFact: Equatable, Sendable {
    public let id: Int
    public let date: LocalDate
    public let kind: ManagementFactKind
    /// The earlier fact this one corrects (that fact then no longer counts).
    public let supersedes: Int?
    /// A retraction only removes the superseded fact; it states nothing itself.
    public let isRetraction: Bool

    public init(id: Int, date: LocalDate, kind: ManagementFactKind, supersedes: Int? = nil, isRetraction: Bool = false) {
        self.id = id
        self.date = date
        self.kind = kind
        self.supersedes = supersedes
        self.isRetraction = isRetraction
    }
}

/// The four ways an unmanaged estate is covered.
public enum CoverageKind: String, CaseIterable, Sendable, Codable {
    case selection, custody, ownerSelf, communityFallback
}

/// A span of days (both ends inclusive) during which an arrangement covers the estate.
public struct CoverageSpan: Equatable, Sendable {
    public let kind: CoverageKind
    public let start: LocalDate
    /// Inclusive; `nil` for open-ended.
    public let end: LocalDate?
    public init(kind: CoverageKind, start: LocalDate, end: LocalDate?) {
        self.kind = kind
        self.start = start
        self.end = end
    }
    func covers(_ d: LocalDate) -> Bool { start <= d && (end.map { d <= $0 } ?? true) }
}

/// An estate's state on one day (domain.md, "Rules for time and coverage").
public enum EstateState: Equatable, Sendable, CustomStringConvertible {
    /// No fact yet says anything about the estate on that day.
    case unknown
    case managed
    case unmanaged
    case covered(CoverageKind)

    public var description: String {
        switch self {
        case .unknown: "unknown"
        case .managed: "managed"
        case .unmanaged: "unmanaged"
        case .covered(let k): k.rawValue
        }
    }
}

/// An unmanaged episode: from the first unmanaged day to the first day covered or managed again.
public struct Episode: Equatable, Sendable {
    public let start: LocalDate
    /// The first day no longer unmanaged (exclusive end); `nil` while the episode runs.
    public let end: LocalDate?
    /// What ended it.
    public let endedBy: EstateState?

    public init(start: LocalDate, end: LocalDate?, endedBy: EstateState?) {
        self.start = start; self.end = end; self.endedBy = endedBy
    }

    /// Days unmanaged on `d` (the start day is day 1), or `nil` if the episode does not run on `d`.
    public func daysUnmanaged(on d: LocalDate) -> Int? {
        guard start <= d, end.map({ d < $0 }) ?? true else { return nil }
        return start.days(until: d) + 1
    }
}

/// The management history of one estate, computed from its facts and coverage spans.
public struct EstateTimeline: Sendable {
    /// Facts that count: superseded and retraction records removed, in date order (recording
    /// order breaks ties, so the later-recorded fact of the same day wins).
    public let facts: [ManagementFact]
    public let coverage: [CoverageSpan]

    public init(facts: [ManagementFact], coverage: [CoverageSpan] = []) {
        let superseded = Set(facts.compactMap(\.supersedes))
        self.facts = facts.filter { !superseded.contains($0.id) && !$0.isRetraction }
            .sorted { ($0.date, $0.id) < ($1.date, $1.id) }
        self.coverage = coverage
    }

    /// The management state set by facts alone on `d` (ignoring arrangements).
    public func managementState(on d: LocalDate) -> EstateState { baseState(on: d) }

    /// The management state set by facts alone on `d`.
    func baseState(on d: LocalDate) -> EstateState {
        var state = EstateState.unknown
        for f in facts {
            switch f.kind {
            case .becameUnmanaged:
                if f.date <= d { state = .unmanaged }
            case .regularBegan:
                if f.date <= d { state = .managed }
            case .regularEnded:
                if f.date < d { state = .unmanaged } else if f.date == d { state = .managed }
            }
            if f.date > d { break }
        }
        return state
    }

    /// The estate's state on `d`: an unmanaged day covered by an arrangement is `covered`.
    public func state(on d: LocalDate) -> EstateState {
        let base = baseState(on: d)
        if base == .unmanaged, let span = coverage.first(where: { $0.covers(d) }) { return .covered(span.kind) }
        return base
    }

    /// The days on which the state may change, in order.
    func changeDays() -> [LocalDate] {
        var days = Set<LocalDate>()
        for f in facts {
            if case .regularEnded = f.kind { days.insert(f.date.adding(days: 1)) } else { days.insert(f.date) }
        }
        for s in coverage {
            days.insert(s.start)
            if let e = s.end { days.insert(e.adding(days: 1)) }
        }
        return days.sorted()
    }

    /// Every unmanaged episode, in order. Consecutive unmanaged stretches are one episode. An
    /// estate that becomes unmanaged on a day an arrangement already covers has an episode of
    /// no days (covered the same day: 0 days to cover, domain.md).
    public func episodes() -> [Episode] {
        var result: [Episode] = []
        var openStart: LocalDate?
        var previousBase = EstateState.unknown
        for day in changeDays() {
            let s = state(on: day), base = baseState(on: day)
            if s == .unmanaged {
                if openStart == nil { openStart = day }
            } else if let start = openStart {
                result.append(Episode(start: start, end: day, endedBy: s))
                openStart = nil
            } else if base == .unmanaged, previousBase != .unmanaged {
                result.append(Episode(start: day, end: day, endedBy: s))
            }
            previousBase = base
        }
        if let start = openStart { result.append(Episode(start: start, end: nil, endedBy: nil)) }
        return result
    }

    /// The episodes known on `d`: those started by then, with an end after `d` hidden.
    public func episodes(asOf d: LocalDate) -> [Episode] { Self.known(episodes(), asOf: d) }

    /// Of `episodes`, those started by `d`, with an end after `d` hidden (for callers that keep
    /// the episodes worked out once).
    public static func known(_ episodes: [Episode], asOf d: LocalDate) -> [Episode] {
        episodes.filter { $0.start <= d }.map { e in
            if let end = e.end, end > d { return Episode(start: e.start, end: nil, endedBy: nil) }
            return e
        }
    }
}
