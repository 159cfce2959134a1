/// Where an arrangement stands. `active` covers approved arrangements whose start lies ahead
/// ("approved-future") as well as running ones; one whose end has passed reads as `ended`.
public enum ArrangementStatus: String, CaseIterable, Sendable, Codable {
    case proposed, active, ended, terminated, rejected
}

/// Who provides the service: a pool company (selection, custody) or a named body (owners'
/// committee, sub-district office) for owner self-management and community fallback.
public enum ArrangementProvider: Equatable, Sendable {
    case company(USCC)
    case body(name: String, contact: String)

    public var uscc: USCC? { if case .company(let u) = self { u } else { nil } }
}

/// One route by which an unmanaged estate is covered (domain.md: selection, custody, ownerSelf,
/// communityFallback). Dates are inclusive.
public struct Arrangement: Equatable, Sendable {
    public let id: Int
    public let estateID: Int
    public let estateCode: String
    public let unit: String
    public let kind: CoverageKind
    public let provider: ArrangementProvider
    public let start: LocalDate
    /// The planned last day; `nil` for open-ended owner self-management or community fallback.
    public let plannedEnd: LocalDate?
    /// When owner self-management or community fallback is next reviewed.
    public let reviewDate: LocalDate?
    /// The last day actually served when cut short (termination, replacement, regular appointment).
    public let endedOn: LocalDate?
    /// Yuan per m² per month.
    public let fee: Double?
    public let status: ArrangementStatus
    public let justification: String?
    public let replaces: Int?
    public let selectionRoundID: Int?
    public let proposedBy: String
    public let decidedBy: String?
    public let decisionReason: String?
    /// Set when the arrangement was decided before the district adopted Tuodi and entered after the fact.
    public let recorded: RecordedDecision?

    public init(id: Int, estateID: Int, estateCode: String, unit: String, kind: CoverageKind, provider: ArrangementProvider,
                start: LocalDate, plannedEnd: LocalDate?, reviewDate: LocalDate?, endedOn: LocalDate?, fee: Double?,
                status: ArrangementStatus, justification: String?, replaces: Int?, selectionRoundID: Int?,
                proposedBy: String, decidedBy: String?, decisionReason: String?, recorded: RecordedDecision? = nil) {
        self.id = id; self.estateID = estateID; self.estateCode = estateCode; self.unit = unit; self.kind = kind
        self.provider = provider; self.start = start; self.plannedEnd = plannedEnd; self.reviewDate = reviewDate
        self.endedOn = endedOn; self.fee = fee; self.status = status; self.justification = justification
        self.replaces = replaces; self.selectionRoundID = selectionRoundID; self.proposedBy = proposedBy
        self.decidedBy = decidedBy; self.decisionReason = decisionReason; self.recorded = recorded
    }

    /// Its days and status: all the overlap and capacity rules read.
    public var span: ArrangementSpan {
        ArrangementSpan(id: id, start: start, plannedEnd: plannedEnd, endedOn: endedOn, status: status)
    }

    /// The last day served or planned: the earlier of the planned end and the day it was cut.
    public var effectiveEnd: LocalDate? { span.effectiveEnd }

    /// Proposed or approved, and not cut before its first day (see `ArrangementSpan.holdsDays`).
    public var holdsDays: Bool { span.holdsDays }

    /// The days on which it covers the estate: approved arrangements only.
    public var coverage: CoverageSpan? {
        guard status != .proposed, holdsDays else { return nil }
        return CoverageSpan(kind: kind, start: start, end: effectiveEnd)
    }

    /// The status as the user reads it on `today`: an approved arrangement past its end is `ended`.
    public func status(on today: LocalDate) -> ArrangementStatus {
        if status == .active, let end = effectiveEnd, end < today { return .ended }
        return status
    }

    /// Whether it holds any of the days `start...end` (`nil` = open-ended).
    public func overlaps(start s: LocalDate, end e: LocalDate?) -> Bool { span.overlaps(start: s, end: e) }
}

/// An arrangement's days and status, without the rest of the record: what a write loads to check
/// the overlap and capacity invariants, so that it need not read whole arrangements.
public struct ArrangementSpan: Equatable, Sendable {
    public let id: Int
    public let start: LocalDate
    public let plannedEnd: LocalDate?
    public let endedOn: LocalDate?
    public let status: ArrangementStatus

    public init(id: Int, start: LocalDate, plannedEnd: LocalDate?, endedOn: LocalDate?, status: ArrangementStatus) {
        self.id = id; self.start = start; self.plannedEnd = plannedEnd; self.endedOn = endedOn; self.status = status
    }

    /// The last day served or planned: the earlier of the planned end and the day it was cut.
    public var effectiveEnd: LocalDate? {
        switch (plannedEnd, endedOn) {
        case let (p?, e?): min(p, e)
        case let (p, e): p ?? e
        }
    }

    /// Proposed or approved, and not cut before its first day: it holds its days against overlap
    /// and its provider's capacity. A proposal reserves, so two clerks cannot both promise the
    /// same days or the same spare capacity.
    public var holdsDays: Bool {
        switch status {
        case .rejected: false
        case .proposed, .active, .ended, .terminated: effectiveEnd.map { $0 >= start } ?? true
        }
    }

    /// Whether it holds any of the days `start...end` (`nil` = open-ended).
    public func overlaps(start s: LocalDate, end e: LocalDate?) -> Bool {
        guard holdsDays else { return false }
        let myEnd = effectiveEnd
        return (e.map { start <= $0 } ?? true) && (myEnd.map { s <= $0 } ?? true)
    }
}

/// A decision taken before the district adopted Tuodi, entered after the fact (#12): the day it
/// was taken and its document reference (文号).
public struct RecordedDecision: Equatable, Sendable, Codable {
    public let decidedOn: LocalDate
    public let documentRef: String
    public init(decidedOn: LocalDate, documentRef: String) {
        self.decidedOn = decidedOn; self.documentRef = documentRef
    }
}

/// The two invariants (domain.md "One provider at a time"; capacity), as pure checks the store
/// runs inside its transaction after locking the estate and the company.
public enum ArrangementRules {
    /// The most arrangements among `held` running on any one day of `start...end`.
    public static func peakLoad(of held: [Arrangement], start: LocalDate, end: LocalDate?) -> Int {
        peakLoad(of: held.map(\.span), start: start, end: end)
    }

    /// Whether one more arrangement fits beside at most `candidates` held ones, whatever their
    /// dates: the peak load cannot exceed their number. Saves reading each one's dates when it
    /// holds; when it does not, only `fits(peak:capacity:)` on the exact peak decides.
    public static func fitsAnyway(candidates: Int, capacity: Int) -> Bool {
        fits(peak: candidates, capacity: capacity)
    }

    /// Whether one more arrangement fits where `peak` already run on one day.
    public static func fits(peak: Int, capacity: Int) -> Bool { peak <= mostHeldThatFit(capacity: capacity) }

    /// The most arrangements a company may already run on one day and still take one more (for a
    /// store that counts in SQL: `fitsAnyway` as a bound).
    public static func mostHeldThatFit(capacity: Int) -> Int { capacity - 1 }

    /// The same, over spans alone.
    public static func peakLoad(of held: [ArrangementSpan], start: LocalDate, end: LocalDate?) -> Int {
        let inWindow = held.filter { $0.overlaps(start: start, end: end) }
        // The peak is reached on some arrangement's first day (or the window's first day).
        let days = Set(inWindow.map { max($0.start, start) } + [start])
        return days.map { d in inWindow.filter { $0.start <= d && ($0.effectiveEnd.map { d <= $0 } ?? true) }.count }.max() ?? 0
    }
}

/// An arrangement as a clerk proposes it (custody, owner self-management, community fallback;
/// selection arrangements come only from an awarded round).
public struct ArrangementDraft: Sendable {
    public var estateCode: String
    public var kind: String
    /// USCC of the pool company (custody).
    public var uscc: String?
    /// The responsible body (ownerSelf, communityFallback) and its contact.
    public var body: String?
    public var contact: String?
    public var start: String
    public var plannedEnd: String?
    public var reviewDate: String?
    public var fee: Double?
    /// Why this company is appointed directly (custody); why the replacement (with `replaces`).
    public var justification: String?
    /// The running arrangement this one replaces from its start date.
    public var replaces: Int?

    public init(estateCode: String, kind: String, uscc: String? = nil, body: String? = nil, contact: String? = nil,
                start: String, plannedEnd: String? = nil, reviewDate: String? = nil, fee: Double? = nil,
                justification: String? = nil, replaces: Int? = nil) {
        self.estateCode = estateCode; self.kind = kind; self.uscc = uscc; self.body = body; self.contact = contact
        self.start = start; self.plannedEnd = plannedEnd; self.reviewDate = reviewDate; self.fee = fee
        self.justification = justification; self.replaces = replaces
    }

    public struct Valid: Equatable, Sendable {
        public let estateCode: String
        public let kind: CoverageKind
        public let provider: ArrangementProvider
        public let start: LocalDate
        public let plannedEnd: LocalDate?
        public let reviewDate: LocalDate?
        public let fee: Double?
        public let justification: String?
        public let replaces: Int?
    }

    /// Field rules; `custodyMaxMonths` is the district's setting for the custody term. A selection
    /// is accepted only as the record of an award made outside Tuodi (`recordedSelection`): a
    /// pool company and a term, and no custody limits.
    public func validated(custodyMaxMonths: Int, recordedSelection: Bool = false) throws(ValidationFailure) -> Valid {
        var e = FieldErrors()
        let kind = CoverageKind(rawValue: self.kind)
        if kind == nil {
            e.add("kind", "invalid", recordedSelection ? "托底方式应为 selection、custody、ownerSelf 或 communityFallback"
                                                     : "托底方式应为 custody、ownerSelf 或 communityFallback")
        } else if kind == .selection, !recordedSelection {
            e.add("kind", "selectionByRound", "市场竞争安排只能由比选定标产生")
        }
        let start = LocalDate(iso: self.start)
        if start == nil { e.add("start", "format", "日期应为 YYYY-MM-DD，实为“\(self.start)”") }
        var plannedEnd: LocalDate?, reviewDate: LocalDate?
        do { plannedEnd = try LocalDate.field(self.plannedEnd, "plannedEnd") } catch { e.add(contentsOf: error) }
        do { reviewDate = try LocalDate.field(self.reviewDate, "reviewDate") } catch { e.add(contentsOf: error) }
        if let s = start, let p = plannedEnd, p < s { e.add("plannedEnd", "order", "计划结束日期不能早于开始日期") }
        if let fee, !(fee.isFinite && fee >= 0 && fee < 100) { e.add("fee", "range", "收费标准应为 0–100 元/平方米·月") }
        let justification = self.justification?.trimmingWhitespace.nonEmpty
        var provider: ArrangementProvider?
        switch kind {
        case .custody?:
            do { provider = .company(try USCC(validating: uscc ?? "")) } catch { e.add("uscc", error.code, error.description) }
            if plannedEnd == nil { e.add("plannedEnd", "required", "临时托管须有计划结束日期") }
            if justification == nil { e.add("justification", "required", "直接指定临时托管企业须书面说明理由") }
            if let s = start, let p = plannedEnd, p > s.adding(months: custodyMaxMonths).adding(days: -1) {
                e.add("plannedEnd", "custodyTerm", "临时托管期限不得超过本区规定的 \(custodyMaxMonths) 个月（最晚 \(s.adding(months: custodyMaxMonths).adding(days: -1))）")
            }
        case .ownerSelf?, .communityFallback?:
            let body = self.body?.trimmingWhitespace.nonEmpty, contact = self.contact?.trimmingWhitespace.nonEmpty
            if body == nil { e.add("body", "required", kind == .ownerSelf ? "须填写负责的业主组织（如业委会）" : "须填写负责的街镇或居委会") }
            if contact == nil { e.add("contact", "required", "须填写联系人及电话") }
            if reviewDate == nil { e.add("reviewDate", "required", "须填写复核日期") }
            if let s = start, let r = reviewDate, r < s { e.add("reviewDate", "order", "复核日期不能早于开始日期") }
            if let body, let contact { provider = .body(name: body, contact: contact) }
        case .selection? where recordedSelection:
            do { provider = .company(try USCC(validating: uscc ?? "")) } catch { e.add("uscc", error.code, error.description) }
            if plannedEnd == nil { e.add("plannedEnd", "required", "市场竞争选聘须有服务期限的结束日期") }
        case .selection?, nil: break
        }
        if replaces != nil, justification == nil { e.add("justification", "required", "更换须说明理由") }
        try e.throwIfAny()
        return Valid(estateCode: estateCode.trimmingWhitespace, kind: kind!, provider: provider!, start: start!,
                     plannedEnd: plannedEnd, reviewDate: reviewDate, fee: fee, justification: justification, replaces: replaces)
    }
}

extension FieldErrors {
    public mutating func add(contentsOf failure: ValidationFailure) {
        for f in failure.errors { add(f.field, f.code, f.message) }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
