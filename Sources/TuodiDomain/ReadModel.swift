// The episode read model: what `EstateTimeline` says about one estate, in rows a database can
// group over (issue #14). The store keeps these rows in step with every fact and arrangement
// change; the coverage figures read them back as a `CoverageBasis`. The rules stay here: the
// store only writes what `EstateReadModel.init(timeline:)` computes.

/// A stretch of days in one state: from `start` up to, not including, `end` (`nil`: still so).
public struct StateSpan: Equatable, Sendable {
    public let start: LocalDate
    public var end: LocalDate?
    public let state: EstateState

    public init(start: LocalDate, end: LocalDate?, state: EstateState) {
        self.start = start; self.end = end; self.state = state
    }
}

extension EstateState {
    /// The state named by `description` (the code stored in the read model and in returns).
    public init?(code: String) {
        switch code {
        case "unknown": self = .unknown
        case "managed": self = .managed
        case "unmanaged": self = .unmanaged
        default:
            guard let kind = CoverageKind(rawValue: code) else { return nil }
            self = .covered(kind)
        }
    }
}

extension Episode {
    /// First day covered or managed again − start, once the episode has ended. A regular
    /// appointment ends an episode like an arrangement does (ruling of 2026-12-04).
    public var daysToCover: Int? {
        guard let end else { return nil }
        switch endedBy {
        case .covered, .managed: return start.days(until: end)
        case .unmanaged, .unknown, nil: return nil
        }
    }
}

extension EstateTimeline {
    /// The estate's states from its first known day on, neighbours in the same state merged;
    /// days with no fact yet (`unknown`) are left out. `state(on:)` can change on a fact's day and
    /// the day after (a regular contract's last day is still managed) and where a span starts or
    /// ends, so every such day is looked at: a span holds exactly `state(on:)` on each of its days.
    public func stateSpans() -> [StateSpan] {
        var days = Set(changeDays())
        for f in facts { days.insert(f.date); days.insert(f.date.adding(days: 1)) }
        var spans: [StateSpan] = []
        var open = false
        for day in days.sorted() {
            let s = state(on: day)
            if open, spans[spans.count - 1].state == s { continue }
            if open { spans[spans.count - 1].end = day; open = false }
            if s != .unknown { spans.append(StateSpan(start: day, end: nil, state: s)); open = true }
        }
        return spans
    }
}

/// One estate's rows in the read model: its episodes and its state spans.
public struct EstateReadModel: Equatable, Sendable {
    public let episodes: [Episode]
    public let states: [StateSpan]

    public init(episodes: [Episode], states: [StateSpan]) {
        self.episodes = episodes; self.states = states
    }

    /// The from-scratch computation: the only place the rows are worked out.
    public init(timeline: EstateTimeline) {
        self.init(episodes: timeline.episodes(), states: timeline.stateSpans())
    }
}

// MARK: what the coverage figures read

/// How many estates of one unit and category were in one state on a day (`unknown` when no fact
/// said anything yet), and whether they were registered by then.
public struct StateCount: Equatable, Sendable {
    public let unit: String, category: String, state: String, registered: Bool, count: Int
    public init(unit: String, category: String, state: String, registered: Bool, count: Int) {
        self.unit = unit; self.category = category; self.state = state; self.registered = registered; self.count = count
    }
}

/// An estate unmanaged on a day, with the first day of the episode running then.
public struct UnmanagedRow: Equatable, Sendable {
    public let unit: String, code: String, name: String, subDistrict: String, category: String
    public let episodeStart: LocalDate
    public init(unit: String, code: String, name: String, subDistrict: String, category: String, episodeStart: LocalDate) {
        self.unit = unit; self.code = code; self.name = name; self.subDistrict = subDistrict; self.category = category
        self.episodeStart = episodeStart
    }
}

/// One episode starting in a period (as it ended, whenever that was), with its estate and the
/// estate's state on the period's last day.
public struct EpisodeRow: Equatable, Sendable {
    public let unit: String, code: String, name: String, subDistrict: String, category: String
    public let households: Int
    public let floorArea: Double
    public let episode: Episode
    /// `EstateState.description` on the period's last day.
    public let stateOnLastDay: String
    public init(unit: String, code: String, name: String, subDistrict: String, category: String, households: Int, floorArea: Double,
                episode: Episode, stateOnLastDay: String) {
        self.unit = unit; self.code = code; self.name = name; self.subDistrict = subDistrict; self.category = category
        self.households = households; self.floorArea = floorArea; self.episode = episode; self.stateOnLastDay = stateOnLastDay
    }
}

/// Everything the coverage figures of `day` (and of the period `periodStart...day`) are computed
/// from: the read model's grouped counts and the rows behind the lists.
public struct CoverageBasis: Sendable {
    public let periodStart: LocalDate
    public let day: LocalDate
    /// Every estate counted once, by unit, category, state on `day` and registration by `day`.
    public let counts: [StateCount]
    /// Every estate unmanaged on `day`.
    public let unmanaged: [UnmanagedRow]
    /// Every episode starting in `periodStart...day`; one estate's rows together, in start order,
    /// estates in the order their floor areas are summed (by code from the store).
    public let episodes: [EpisodeRow]

    public init(periodStart: LocalDate, day: LocalDate, counts: [StateCount], unmanaged: [UnmanagedRow], episodes: [EpisodeRow]) {
        self.periodStart = periodStart; self.day = day; self.counts = counts; self.unmanaged = unmanaged; self.episodes = episodes
    }

    /// The same worked out from estates' timelines (the domain's tests, and the oracle the read
    /// model is checked against).
    public init(estates: [CoverageEstate], from: LocalDate, to: LocalDate) {
        var counts: [String: StateCount] = [:]
        var unmanaged: [UnmanagedRow] = [], episodes: [EpisodeRow] = []
        for e in estates {
            let state = e.timeline.state(on: to)
            // Entered by `to`, or with a recorded fact by then (its state on `to` is known).
            let registered = e.registeredOn <= to || state != .unknown
            let key = "\(e.unit)|\(e.category.rawValue)|\(state)|\(registered)"
            counts[key] = StateCount(unit: e.unit, category: e.category.rawValue, state: state.description, registered: registered,
                                     count: (counts[key]?.count ?? 0) + 1)
            if state == .unmanaged, let running = e.episodes.last(where: { $0.daysUnmanaged(on: to) != nil }) {
                unmanaged.append(.init(unit: e.unit, code: e.code, name: e.name, subDistrict: e.subDistrict, category: e.category.rawValue,
                                       episodeStart: running.start))
            }
            for ep in e.episodes where from <= ep.start && ep.start <= to {
                episodes.append(.init(unit: e.unit, code: e.code, name: e.name, subDistrict: e.subDistrict, category: e.category.rawValue,
                                      households: e.households, floorArea: e.floorArea, episode: ep, stateOnLastDay: state.description))
            }
        }
        self.init(periodStart: from, day: to, counts: counts.values.sorted { ($0.unit, $0.category, $0.state) < ($1.unit, $1.category, $1.state) },
                  unmanaged: unmanaged, episodes: episodes)
    }

    /// Only `unit`'s part (a unit's figures out of the city's basis).
    public func only(unit: String) -> CoverageBasis {
        CoverageBasis(periodStart: periodStart, day: day, counts: counts.filter { $0.unit == unit },
                      unmanaged: unmanaged.filter { $0.unit == unit }, episodes: episodes.filter { $0.unit == unit })
    }

    /// The episode rows of each estate, in the order they come.
    var episodesByEstate: [[EpisodeRow]] {
        var groups: [[EpisodeRow]] = []
        for row in episodes {
            if let last = groups.last?.last, last.code == row.code { groups[groups.count - 1].append(row) } else { groups.append([row]) }
        }
        return groups
    }
}
