/// Terms that differ between districts: settings, not constants (domain.md).
public struct DistrictSettings: Equatable, Sendable, Codable {
    /// Pool membership validity, 1–3 years.
    public var membershipTermYears: Int
    /// The longest interim-custody term, in months.
    public var custodyMaxMonths: Int
    /// Days after a quarter's end by which its return is due.
    public var returnDeadlineDays: Int
    /// The weights of a batch custody proposal's cost.
    public var matchWeights: MatchWeights

    public init(membershipTermYears: Int = 2, custodyMaxMonths: Int = 12, returnDeadlineDays: Int = 15,
                matchWeights: MatchWeights = .defaults) {
        self.membershipTermYears = membershipTermYears
        self.custodyMaxMonths = custodyMaxMonths
        self.returnDeadlineDays = returnDeadlineDays
        self.matchWeights = matchWeights
    }

    public static let defaults = DistrictSettings()

    public func validated() throws(ValidationFailure) -> DistrictSettings {
        var e = FieldErrors()
        if !(1...3).contains(membershipTermYears) { e.add("membershipTermYears", "range", "入库有效期应为 1–3 年") }
        if !(1...36).contains(custodyMaxMonths) { e.add("custodyMaxMonths", "range", "临时托管最长期限应为 1–36 个月") }
        if !(1...60).contains(returnDeadlineDays) { e.add("returnDeadlineDays", "range", "季度报送期限应为季末后 1–60 天") }
        do { _ = try matchWeights.validated() } catch { e.add(contentsOf: error) }
        try e.throwIfAny()
        return self
    }
}

/// One named criterion of an admission round's scoring rubric, weighted in whole percent.
public struct ScoringCriterion: Equatable, Sendable, Codable {
    public let name: String
    public let weightPercent: Int
    public init(name: String, weightPercent: Int) {
        self.name = name
        self.weightPercent = weightPercent
    }
}

/// An open call for admission to a district's pool (公开、自愿、择优).
public struct AdmissionRoundDraft: Sendable {
    public var unit: String
    public var title: String
    public var opensOn: String
    public var closesOn: String
    public var criteria: [ScoringCriterion]

    public init(unit: String, title: String, opensOn: String, closesOn: String, criteria: [ScoringCriterion]) {
        self.unit = unit
        self.title = title
        self.opensOn = opensOn
        self.closesOn = closesOn
        self.criteria = criteria
    }

    public struct Valid: Equatable, Sendable {
        public let unit: String
        public let title: String
        public let opensOn: LocalDate
        public let closesOn: LocalDate
        public let criteria: [ScoringCriterion]
    }

    public func validated() throws(ValidationFailure) -> Valid {
        var e = FieldErrors()
        if ReportingUnit.named(unit) == nil { e.add("unit", "unknown", "报送单位代码“\(unit)”不存在") }
        let title = self.title.trimmingWhitespace
        if title.isEmpty { e.add("title", "required", "征集公告标题不能为空") }
        let opens = LocalDate(iso: opensOn), closes = LocalDate(iso: closesOn)
        if opens == nil { e.add("opensOn", "format", "日期应为 YYYY-MM-DD") }
        if closes == nil { e.add("closesOn", "format", "日期应为 YYYY-MM-DD") }
        if let opens, let closes, closes < opens { e.add("closesOn", "order", "截止日期不能早于开始日期") }
        let names = criteria.map { $0.name.trimmingWhitespace }
        if criteria.isEmpty { e.add("criteria", "required", "至少需要一项评分标准") }
        if names.contains(where: \.isEmpty) { e.add("criteria", "name", "评分标准必须有名称") }
        if Set(names).count != names.count { e.add("criteria", "duplicate", "评分标准名称不能重复") }
        if criteria.contains(where: { $0.weightPercent <= 0 }) { e.add("criteria", "weight", "权重必须为正整数（百分比）") }
        if !criteria.isEmpty, criteria.map(\.weightPercent).reduce(0, +) != 100 {
            e.add("criteria", "weightSum", "权重之和应为 100，实为 \(criteria.map(\.weightPercent).reduce(0, +))")
        }
        try e.throwIfAny()
        return Valid(unit: unit, title: title, opensOn: opens!, closesOn: closes!,
                     criteria: zip(names, criteria).map { ScoringCriterion(name: $0, weightPercent: $1.weightPercent) })
    }
}

/// Scoring against a rubric.
public enum Scoring {
    /// Checks that every criterion, and nothing else, has a score in 0–100; returns the weighted
    /// total Σ score × weight / 100, rounded to the hundredth.
    public static func total(_ scores: [String: Double], rubric: [ScoringCriterion]) throws(ValidationFailure) -> Double {
        var e = FieldErrors()
        for c in rubric {
            guard let s = scores[c.name] else { e.add("scores.\(c.name)", "required", "缺少“\(c.name)”的得分"); continue }
            if !(0...100).contains(s) || !s.isFinite { e.add("scores.\(c.name)", "range", "“\(c.name)”的得分应在 0–100 之间") }
        }
        for name in scores.keys where !rubric.contains(where: { $0.name == name }) {
            e.add("scores.\(name)", "unknown", "“\(name)”不是本轮的评分标准")
        }
        try e.throwIfAny()
        let sum = rubric.reduce(0.0) { $0 + scores[$1.name]! * Double($1.weightPercent) }
        return (sum / 100 * 100).rounded() / 100
    }
}

/// Where an application stands.
public enum ApplicationStatus: String, Sendable, Codable, CaseIterable {
    case applied, scored, proposed, admitted, rejected, withdrawn
}

/// What the clerk proposes.
public enum AdmissionProposal: String, Sendable, Codable {
    case admit, reject
}

/// A membership's state on a day.
public enum MembershipState: String, Sendable, Codable {
    /// The term has not begun.
    case pending
    case active, suspended, removed, expired
}

/// A dated change to a membership (the history the issue asks for). Suspensions may carry an
/// end date that lifts them on that day, by date logic alone.
public struct MembershipEvent: Equatable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable { case suspended, reinstated, removed }
    public let id: Int
    public let kind: Kind
    public let date: LocalDate
    /// For a suspension: the day it is lifted (the member is active again that day).
    public let until: LocalDate?
    public let reason: String

    public init(id: Int, kind: Kind, date: LocalDate, until: LocalDate?, reason: String) {
        self.id = id
        self.kind = kind
        self.date = date
        self.until = until
        self.reason = reason
    }
}

/// A company's admission to one district's pool for a term.
public struct Membership: Equatable, Sendable {
    public let id: Int
    public let unit: String
    public let uscc: USCC
    public let start: LocalDate
    /// The last day of the term (inclusive).
    public let end: LocalDate
    /// Maximum concurrent estates; optionally households.
    public let capacityEstates: Int
    public let capacityHouseholds: Int?
    public let score: Double
    public let events: [MembershipEvent]

    public init(id: Int, unit: String, uscc: USCC, start: LocalDate, end: LocalDate, capacityEstates: Int,
                capacityHouseholds: Int?, score: Double, events: [MembershipEvent]) {
        self.id = id; self.unit = unit; self.uscc = uscc; self.start = start; self.end = end
        self.capacityEstates = capacityEstates; self.capacityHouseholds = capacityHouseholds; self.score = score
        self.events = events
    }

    /// The term for an admission decided on `start`: `years` years, ending the day before the
    /// anniversary (a 29 February start ends on 28 February).
    public static func termEnd(start: LocalDate, years: Int) -> LocalDate {
        let y = start.year + years
        let day = min(start.day, LocalDate.daysIn(month: start.month, year: y))
        return LocalDate(year: y, month: start.month, day: day)!.adding(days: -1)
    }

    /// The state on `d`, from the term and the events recorded up to `d`.
    public func state(on d: LocalDate) -> MembershipState {
        if d < start { return .pending }
        let past = events.filter { $0.date <= d }.sorted { ($0.date, $0.id) < ($1.date, $1.id) }
        if past.contains(where: { $0.kind == .removed }) { return .removed }
        if d > end { return .expired }
        var suspended = false
        for e in past {
            switch e.kind {
            case .suspended: suspended = e.until.map { d < $0 } ?? true
            case .reinstated: suspended = false
            case .removed: break
            }
        }
        return suspended ? .suspended : .active
    }
}
