import Foundation
import TuodiDomain
import TuodiStore

/// An arrangement of any of the four kinds that the district decided before adopting Tuodi, as
/// the clerk enters it from the decision (#12). It is proposed like a live one and a second person
/// approves it with `arrangement approve`; it stays recognisable by its decision date and 文号.
public struct RecordedArrangementDraft: Sendable {
    /// The arrangement itself; `kind` may be `selection` (an award made outside Tuodi).
    public var arrangement: ArrangementDraft
    public var decidedOn: String
    /// The decision's document reference (文号): the award notice for a selection.
    public var documentRef: String
    /// Selection only, when the award document states them.
    public var validBids: Int?
    /// Selection only: yuan per m² per month.
    public var awardedPrice: Double?

    public init(arrangement: ArrangementDraft, decidedOn: String, documentRef: String, validBids: Int? = nil, awardedPrice: Double? = nil) {
        self.arrangement = arrangement; self.decidedOn = decidedOn; self.documentRef = documentRef
        self.validBids = validBids; self.awardedPrice = awardedPrice
    }

    struct Valid: Sendable {
        let arrangement: ArrangementDraft.Valid
        let decision: RecordedDecision
        let validBids: Int?
        let awardedPrice: Double?
    }

    /// The single-entry field rules plus the decision's: dated today at the latest, with a 文号;
    /// a selection's award not after its term starts and with at least 3 valid bids if stated.
    func validated(today: LocalDate, custodyMaxMonths: Int) throws(ValidationFailure) -> Valid {
        var e = FieldErrors()
        let decided = LocalDate(iso: decidedOn.trimmingCharacters(in: .whitespaces))
        if decided == nil { e.add("decidedOn", "format", "决定日期应为 YYYY-MM-DD，实为“\(decidedOn)”") }
        if let decided, decided > today { e.add("decidedOn", "future", "决定日期 \(decided) 晚于今天（\(today)）：只能登记已经作出的决定") }
        let ref = documentRef.trimmingCharacters(in: .whitespacesAndNewlines)
        if ref.isEmpty { e.add("documentRef", "required", "须填写决定的文号") }
        var draft = arrangement
        let selection = draft.kind == CoverageKind.selection.rawValue
        // The recorded decision is the written reason for a custody appointment made then.
        if draft.kind == CoverageKind.custody.rawValue, (draft.justification ?? "").trimmingCharacters(in: .whitespaces).isEmpty, !ref.isEmpty {
            draft.justification = "依据 \(ref)"
        }
        // The awarded price is the fee the award fixed.
        if selection, draft.fee == nil { draft.fee = awardedPrice }
        var valid: ArrangementDraft.Valid?
        do { valid = try draft.validated(custodyMaxMonths: custodyMaxMonths, recordedSelection: true) } catch { e.add(contentsOf: error) }
        if !selection, validBids != nil { e.add("validBids", "selectionOnly", "有效投标数只适用于市场竞争选聘") }
        if !selection, awardedPrice != nil { e.add("awardedPrice", "selectionOnly", "中标价格只适用于市场竞争选聘") }
        if let n = validBids, n < 3 {
            e.add("validBids", "tooFewBids", "有效投标不足 3 家（\(n) 家）的比选为流标，不能登记为定标")
        }
        if let p = awardedPrice, !(p.isFinite && p > 0 && p < 100) { e.add("awardedPrice", "range", "中标价格应为 0–100 元/平方米·月") }
        if selection, let decided, let start = valid?.start, start < decided {
            e.add("start", "termBeforeAward", "服务期从 \(start) 开始，早于定标日期 \(decided)：定标须在服务期开始之前")
        }
        if draft.replaces != nil { e.add("replaces", "invalid", "以往安排不能更换正在运行的安排") }
        try e.throwIfAny()
        return Valid(arrangement: valid!, decision: RecordedDecision(decidedOn: decided!, documentRef: ref),
                     validBids: validBids, awardedPrice: awardedPrice)
    }
}

extension ArrangementUseCases {
    /// The clerk records a past arrangement: checked as a live proposal is, against the estate's
    /// facts and the pool as they were on its first day, then proposed for a second person.
    public func record(_ draft: RecordedArrangementDraft, by actor: Caller) async throws -> ArrangementView {
        try await translatingErrors {
            let now = context.clock.now, today = context.clock.today
            return try await context.store.transaction { tx in
                let stored = try await visibleEstate(draft.arrangement.estateCode.trimmingCharacters(in: .whitespaces), tx: tx,
                                                     op: .arrangementRecord, actor: actor)
                let settings = try await tx.districtSettings(unit: stored.estate.unit)
                let valid = try draft.validated(today: today, custodyMaxMonths: settings.custodyMaxMonths)
                let id = try await Self.insertRecorded(valid, estate: stored, by: actor, now: now, tx: tx)
                let view = try await Self.views([try await tx.arrangement(id: id)!], tx: tx, today: today)[0]
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(Action.arrangementRecord.rawValue, by: actor.username,
                    entity: "arrangement", id: String(id), unit: stored.estate.unit, reason: valid.decision.documentRef,
                    before: Nothing?.none, after: view)
                return view
            }
        }
    }

    /// Writes one recorded arrangement through the store's arrangement insert (overlap and
    /// capacity checked there, against everything written so far in this transaction). Eligibility
    /// and capacity are the membership's on the arrangement's first day, not today's. A selection
    /// gets its round of one lot first, holding the known award and no bids. Shared by `record`
    /// and the arrangement import.
    static func insertRecorded(_ v: RecordedArrangementDraft.Valid, estate stored: StoredEstate, by actor: Caller, now: Date,
                               tx: any StoreTransaction) async throws -> Int {
        let a = v.arrangement
        try await requireUnmanaged(stored, on: a.start, tx: tx)
        var capacity: Int?
        if let uscc = a.provider.uscc {
            capacity = try await eligibleMembership(uscc, unit: stored.estate.unit, on: a.start, tx: tx).capacityEstates
        }
        var roundID: Int?
        if a.kind == .selection, let uscc = a.provider.uscc, let end = a.plannedEnd {
            roundID = try await tx.insertRecordedSelection(
                NewSelectionRound(unit: stored.estate.unit, title: "\(stored.estate.name)物业服务比选（事后登记，\(v.decision.documentRef)）",
                                  weights: SelectionWeights(technicalPercent: 90, pricePercent: 10), closesOn: v.decision.decidedOn,
                                  termStart: a.start, termEnd: end, estateIDs: [stored.id], createdBy: actor.username, createdAt: now),
                award: RecordedAward(decision: v.decision, winner: uscc, validBids: v.validBids, awardedPrice: v.awardedPrice))
        }
        return try await tx.insertArrangement(NewArrangement(
            estateID: stored.id, unit: stored.estate.unit, kind: a.kind, provider: a.provider, start: a.start, plannedEnd: a.plannedEnd,
            reviewDate: a.reviewDate, fee: a.fee, status: .proposed, justification: a.justification, replaces: nil,
            selectionRoundID: roundID, proposedBy: actor.username, decidedBy: nil, createdAt: now, recorded: v.decision), capacity: capacity)
    }

    /// The round of a recorded selection follows its arrangement's decision: awarded on the
    /// award document's date when approved (so the quarter of the award counts it), cancelled
    /// when rejected. Live rounds are left alone.
    static func settleRecordedRound(of a: Arrangement, approvedBy: String?, reason: String?, tx: any StoreTransaction, now: Date) async throws {
        guard let id = a.selectionRoundID, var round = try await tx.selectionRound(id: id), let award = round.recorded,
              round.status == .evaluation else { return }
        if let approvedBy {
            round.status = .awarded
            round.awardDecidedBy = approvedBy
            round.finishedOn = award.decision.decidedOn
        } else {
            round.status = .cancelled
            round.outcomeReason = reason
            round.finishedOn = LocalDate.inShanghai(now)
        }
        round.finishedAt = AuditChain.timestamp(now)
        try await tx.updateSelectionRound(round)
    }
}
