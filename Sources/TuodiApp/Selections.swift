import Foundation
import TuodiDomain
import TuodiStore

/// A competitive-selection round as a clerk types it.
public struct SelectionRoundDraft: Sendable {
    public var unit: String
    public var title: String
    public var estateCodes: [String]
    public var technicalPercent: Int
    public var pricePercent: Int
    public var closesOn: String
    public var termStart: String
    public var termEnd: String
    public init(unit: String, title: String, estateCodes: [String], technicalPercent: Int, pricePercent: Int,
                closesOn: String, termStart: String, termEnd: String) {
        self.unit = unit; self.title = title; self.estateCodes = estateCodes; self.technicalPercent = technicalPercent
        self.pricePercent = pricePercent; self.closesOn = closesOn; self.termStart = termStart; self.termEnd = termEnd
    }
}

/// A bid with its evaluation, as reported.
public struct BidView: Sendable, Encodable, Equatable {
    public let id: Int
    public let uscc: String
    public let companyName: String
    public let price: Double
    public let technicalScore: Double
    public let submittedAt: String
    public let invalidReason: String?
    public let priceScore: Double?
    public let total: Double?
    public let rank: Int?
}

/// A round as reported: its lots, invitations, bids with their ranking, and the award.
public struct SelectionView: Sendable, Encodable, Equatable {
    public let id: Int
    public let unit: String
    public let title: String
    public let status: String
    public let technicalPercent: Int
    public let pricePercent: Int
    public let closesOn: LocalDate
    public let termStart: LocalDate
    public let termEnd: LocalDate
    public let estateCodes: [String]
    public let invited: [String]
    public let bids: [BidView]
    public let validBids: Int
    public let finishedOn: LocalDate?
    public let outcomeReason: String?
    public let awardBidID: Int?
    public let awardProposedBy: String?
    public let awardDecidedBy: String?
    public let createdBy: String
    public let createdAt: String
}

public struct SelectionUseCases: Sendable {
    let context: AppContext

    public func create(_ draft: SelectionRoundDraft, by actor: Caller) async throws -> SelectionView {
        try await translatingErrors {
            var e = FieldErrors()
            if ReportingUnit.named(draft.unit) == nil { e.add("unit", "unknown", "报送单位代码“\(draft.unit)”不存在") }
            let title = draft.title.trimmingCharacters(in: .whitespacesAndNewlines)
            if title.isEmpty { e.add("title", "required", "比选项目名称不能为空") }
            let codes = draft.estateCodes.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if codes.isEmpty { e.add("estateCodes", "required", "至少包含一个小区（标段）") }
            if Set(codes).count != codes.count { e.add("estateCodes", "duplicate", "小区不能重复") }
            do { _ = try SelectionWeights(technicalPercent: draft.technicalPercent, pricePercent: draft.pricePercent).validated() } catch let error as ValidationFailure {
                e.add(contentsOf: error)
            }
            let closes = LocalDate(iso: draft.closesOn), start = LocalDate(iso: draft.termStart), end = LocalDate(iso: draft.termEnd)
            if closes == nil { e.add("closesOn", "format", "日期应为 YYYY-MM-DD") }
            if start == nil { e.add("termStart", "format", "日期应为 YYYY-MM-DD") }
            if end == nil { e.add("termEnd", "format", "日期应为 YYYY-MM-DD") }
            if let start, let end, end < start { e.add("termEnd", "order", "服务期结束日期不能早于开始日期") }
            if let closes, let start, start <= closes { e.add("termStart", "order", "服务期应在投标截止之后开始") }
            try e.throwIfAny()
            try Gate.require(.selectionCreate, actor, unit: draft.unit, entity: "unit", key: draft.unit)
            let now = context.clock.now
            return try await context.store.transaction { tx in
                var ids: [Int] = []
                for code in codes {
                    guard let stored = try await tx.estate(code: code), stored.estate.unit == draft.unit else {
                        throw AppError.validation([FieldError(field: "estateCodes", code: "unknown", message: "本区没有编码为“\(code)”的小区")])
                    }
                    try await ArrangementUseCases.requireUnmanaged(stored, on: start!, tx: tx)
                    ids.append(stored.id)
                }
                let id = try await tx.insertSelectionRound(NewSelectionRound(
                    unit: draft.unit, title: title, weights: SelectionWeights(technicalPercent: draft.technicalPercent, pricePercent: draft.pricePercent),
                    closesOn: closes!, termStart: start!, termEnd: end!, estateIDs: ids, createdBy: actor.username, createdAt: now))
                let view = try await Self.view(try await tx.selectionRound(id: id)!, tx: tx)
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(Action.selectionCreate.rawValue, by: actor.username, entity: "selectionRound",
                                                               id: String(id), unit: draft.unit, before: Nothing?.none, after: view)
                return view
            }
        }
    }

    public func list(unit: String?, by actor: Caller) async throws -> [SelectionView] {
        try await translatingErrors {
            try Gate.require(.selectionRead, actor)
            if let own = Authorization.visibleUnit(for: actor), let unit, unit != own { return [] }
            let scope = Authorization.visibleUnit(for: actor) ?? unit
            return try await context.store.read { tx in
                var views: [SelectionView] = []
                for r in try await tx.selectionRounds(unit: scope) { views.append(try await Self.view(r, tx: tx)) }
                return views
            }
        }
    }

    public func show(id: Int, by actor: Caller) async throws -> SelectionView {
        try await translatingErrors {
            try await context.store.read { tx in
                try await Self.view(try await visible(id, tx: tx, op: .selectionRead, actor: actor), tx: tx)
            }
        }
    }

    /// The round and the names it needs, for the OCDS export.
    public func exportData(id: Int, by actor: Caller) async throws -> (round: SelectionRound, view: SelectionView, estates: [Estate], companies: [String: Company]) {
        try await translatingErrors {
            try await context.store.read { tx in
                let r = try await visible(id, tx: tx, op: .selectionRead, actor: actor)
                var estates: [Estate] = []
                for lot in r.lots { if let e = try await tx.estate(code: lot.estateCode) { estates.append(e.estate) } }
                var companies: [String: Company] = [:]
                for u in r.invited + r.bids.map(\.uscc) + [r.recorded?.winner].compactMap({ $0 }) where companies[u.value] == nil {
                    companies[u.value] = try await tx.company(uscc: u)
                }
                return (r, try await Self.view(r, tx: tx), estates, companies)
            }
        }
    }

    /// Invites pool members active today: all of the district's (`usccs` nil) or the chosen ones.
    public func invite(id: Int, usccs: [String]?, by actor: Caller) async throws -> SelectionView {
        try await step(id, .selectionInvite, actor: actor, allowed: [.draft]) { r, tx in
            let today = context.clock.today
            let members = try await tx.memberships(unit: r.unit, from: today, to: today).filter { $0.state(on: today) == .active }
            var chosen: [USCC]
            if let usccs {
                var e = FieldErrors()
                chosen = []
                for raw in usccs {
                    do { chosen.append(try USCC(validating: raw)) } catch let error as USCCError { e.add("usccs", error.code, error.description) }
                }
                try e.throwIfAny()
                if let outsider = chosen.first(where: { u in !members.contains { $0.uscc == u } }) {
                    throw AppError.conflict(rule: .ineligible, message: "企业 \(outsider.value) 今日不是本区预选库的有效成员，不能邀请")
                }
            } else {
                chosen = members.map(\.uscc)
            }
            let fresh = Array(Set(chosen.filter { !r.invited.contains($0) })).sorted { $0.value < $1.value }
            if fresh.isEmpty { throw AppError.conflict(rule: .noInvitees, message: "没有可新增邀请的有效入库企业") }
            try await tx.insertInvitations(roundID: r.id, usccs: fresh)
            return (r, nil)
        }
    }

    public func open(id: Int, by actor: Caller) async throws -> SelectionView {
        try await step(id, .selectionOpen, actor: actor, allowed: [.draft]) { r, _ in
            guard !r.invited.isEmpty else { throw AppError.conflict(rule: .noInvitees, message: "尚未邀请任何企业") }
            var r = r
            r.status = .open
            r.openedAt = AuditChain.timestamp(context.clock.now)
            return (r, nil)
        }
    }

    /// Records a bid received from an invited company while the round is open.
    public func bid(id: Int, _ draft: BidDraft, by actor: Caller) async throws -> SelectionView {
        try await step(id, .selectionBid, actor: actor, allowed: [.open]) { r, tx in
            let (uscc, price, technical) = try draft.validated()
            guard r.invited.contains(uscc) else {
                throw AppError.conflict(rule: .notInvited, message: "企业 \(uscc.value) 未受邀参加本轮比选")
            }
            let today = context.clock.today
            guard today <= r.closesOn else {
                throw AppError.conflict(rule: .biddingClosed, message: "本轮比选的投标截止日期为 \(r.closesOn)，今天（\(today)）已过截止日期，不能再接收投标")
            }
            _ = try await tx.insertBid(roundID: r.id, uscc: uscc, price: price, technicalScore: technical,
                                       submittedAt: context.clock.now, recordedBy: actor.username)
            return (r, nil)
        }
    }

    /// Marks a bid invalid with a reason. In evaluation, fewer than three valid bids fail the round.
    public func invalidateBid(id: Int, bidID: Int, reason: String?, by actor: Caller) async throws -> SelectionView {
        let reason = try await translatingErrors { try requireReason(reason) }
        return try await step(id, .selectionInvalidateBid, actor: actor, allowed: [.open, .evaluation], reason: reason) { r, tx in
            guard let bid = r.bids.first(where: { $0.id == bidID }) else { throw AppError.notFound(entity: "bid", key: String(bidID)) }
            guard bid.isValid else { throw AppError.conflict(rule: .status, message: "该投标已被认定无效") }
            try await tx.markBidInvalid(bidID: bidID, reason: reason)
            var r = r
            // An award proposed on this bid no longer stands: the clerk proposes again on the new ranking.
            if r.awardBidID == bidID { r.awardBidID = nil; r.awardProposedBy = nil }
            if r.status == .evaluation, r.bids.filter(\.isValid).count - 1 < SelectionEvaluation.minimumValidBids {
                fail(&r)
            }
            return (r, reason)
        }
    }

    /// Closes bidding: evaluation, or failed with fewer than three valid bids.
    public func close(id: Int, by actor: Caller) async throws -> SelectionView {
        try await step(id, .selectionClose, actor: actor, allowed: [.open]) { r, _ in
            var r = r
            r.closedAt = AuditChain.timestamp(context.clock.now)
            if r.bids.filter(\.isValid).count < SelectionEvaluation.minimumValidBids { fail(&r) } else { r.status = .evaluation }
            return (r, nil)
        }
    }

    public func cancel(id: Int, reason: String?, by actor: Caller) async throws -> SelectionView {
        let reason = try await translatingErrors { try requireReason(reason) }
        return try await step(id, .selectionCancel, actor: actor, allowed: [.draft, .open, .evaluation], reason: reason) { r, _ in
            var r = r
            r.status = .cancelled
            r.finishedOn = context.clock.today
            r.finishedAt = AuditChain.timestamp(context.clock.now)
            r.outcomeReason = reason
            return (r, reason)
        }
    }

    /// The clerk proposes the top-ranked valid bid for award.
    public func proposeAward(id: Int, by actor: Caller) async throws -> SelectionView {
        try await step(id, .selectionProposeAward, actor: actor, allowed: [.evaluation, .failed]) { r, _ in
            let ranked = SelectionEvaluation.rank(r.bids, weights: r.weights)
            guard r.status == .evaluation, ranked.count >= SelectionEvaluation.minimumValidBids else {
                throw AppError.conflict(rule: .tooFewBids, message: "有效投标不足 \(SelectionEvaluation.minimumValidBids) 家，本轮比选失败，不能定标；请重新组织比选或指定临时托管")
            }
            var r = r
            r.awardBidID = ranked[0].bid.id
            r.awardProposedBy = actor.username
            return (r, nil)
        }
    }

    /// A second person approves the award: the winner's selection arrangements are created for
    /// every lot, all in this transaction or none.
    public func approveAward(id: Int, by actor: Caller) async throws -> SelectionView {
        try await step(id, .selectionApproveAward, actor: actor, allowed: [.evaluation, .failed]) { r, tx in
            guard r.status == .evaluation else {
                throw AppError.conflict(rule: .tooFewBids, message: "有效投标不足 \(SelectionEvaluation.minimumValidBids) 家，本轮比选失败，不能定标")
            }
            guard let bidID = r.awardBidID, let proposer = r.awardProposedBy, let bid = r.bids.first(where: { $0.id == bidID }) else {
                throw AppError.conflict(rule: .status, message: "尚未提出定标建议")
            }
            guard proposer != actor.username else { throw AppError.conflict(rule: .fourEyes, message: "提出定标建议的人不能审批") }
            // What is approved must still be the top-ranked valid bid.
            guard SelectionEvaluation.rank(r.bids, weights: r.weights).first?.bid.id == bidID else {
                throw AppError.conflict(rule: .status, message: "定标建议的投标已不是排名第一的有效投标，请重新提出定标建议")
            }
            try Self.requireTermAfterAward(termStart: r.termStart, awardedOn: context.clock.today)
            let membership = try await ArrangementUseCases.eligibleMembership(bid.uscc, unit: r.unit, on: r.termStart, tx: tx)
            let now = context.clock.now
            for lot in r.lots {
                let stored = try await tx.estate(code: lot.estateCode)!
                try await ArrangementUseCases.requireUnmanaged(stored, on: r.termStart, tx: tx)
                _ = try await tx.insertArrangement(NewArrangement(
                    estateID: lot.estateID, unit: r.unit, kind: .selection, provider: .company(bid.uscc), start: r.termStart,
                    plannedEnd: r.termEnd, reviewDate: nil, fee: bid.price, status: .active, justification: "比选第 \(r.id) 号中标",
                    replaces: nil, selectionRoundID: r.id, proposedBy: proposer, decidedBy: actor.username, createdAt: now),
                    capacity: membership.capacityEstates)
            }
            var r = r
            r.status = .awarded
            r.awardDecidedBy = actor.username
            r.finishedOn = context.clock.today
            r.finishedAt = AuditChain.timestamp(now)
            return (r, nil)
        }
    }

    /// The service term follows the award: a term that would already have begun on the day of
    /// the award would cover days nobody had been awarded.
    static func requireTermAfterAward(termStart: LocalDate, awardedOn: LocalDate) throws {
        guard termStart >= awardedOn else {
            throw AppError.conflict(rule: .termBeforeAward, message: "服务期开始日期 \(termStart) 早于定标日期 \(awardedOn)，服务期不能在定标之前开始")
        }
    }

    private func fail(_ r: inout SelectionRound) {
        r.status = .failed
        r.finishedOn = context.clock.today
        r.finishedAt = AuditChain.timestamp(context.clock.now)
        r.outcomeReason = "有效投标不足 \(SelectionEvaluation.minimumValidBids) 家（招标投标法第二十八条）"
    }

    /// One step of the lifecycle: load, check the status, change, save, audit, in one transaction.
    private func step(_ id: Int, _ op: Action, actor: Caller, allowed: Set<SelectionStatus>, reason: String? = nil,
                      _ body: @escaping @Sendable (SelectionRound, any StoreTransaction) async throws -> (SelectionRound, String?)) async throws -> SelectionView {
        try await translatingErrors {
            let now = context.clock.now
            return try await context.store.transaction { tx in
                let r = try await visible(id, tx: tx, op: op, actor: actor)
                guard allowed.contains(r.status) else {
                    throw AppError.conflict(rule: .status, message: "比选第 \(id) 号当前状态为 \(r.status.rawValue)，不能执行此操作")
                }
                let before = try await Self.view(r, tx: tx)
                let (updated, auditReason) = try await body(r, tx)
                try await tx.updateSelectionRound(updated)
                let after = try await Self.view(try await tx.selectionRound(id: id)!, tx: tx)
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(op.rawValue, by: actor.username, entity: "selectionRound", id: String(id),
                                                               unit: r.unit, reason: auditReason, before: before, after: after)
                return after
            }
        }
    }

    private func visible(_ id: Int, tx: any StoreTransaction, op: Action, actor: Caller) async throws -> SelectionRound {
        // A step reads the round under its lock, so a concurrent step sees this one's result.
        if op.isMutating { try await tx.lock(.selectionRound, id: id) }
        guard let r = try await tx.selectionRound(id: id) else { throw AppError.notFound(entity: "selectionRound", key: String(id)) }
        try Gate.require(op, actor, unit: r.unit, entity: "selectionRound", key: String(id))
        return r
    }

    static func view(_ r: SelectionRound, tx: any StoreTransaction) async throws -> SelectionView {
        let ranked = Dictionary(uniqueKeysWithValues: SelectionEvaluation.rank(r.bids, weights: r.weights).map { ($0.bid.id, $0) })
        var bids: [BidView] = []
        for b in r.bids {
            let rb = ranked[b.id]
            bids.append(BidView(id: b.id, uscc: b.uscc.value, companyName: try await tx.company(uscc: b.uscc)?.name ?? b.uscc.value,
                                price: b.price, technicalScore: b.technicalScore, submittedAt: AuditChain.timestamp(b.submittedAt),
                                invalidReason: b.invalidReason, priceScore: rb?.priceScore, total: rb?.total, rank: rb?.rank))
        }
        bids.sort { ($0.rank ?? Int.max, $0.id) < ($1.rank ?? Int.max, $1.id) }
        return SelectionView(id: r.id, unit: r.unit, title: r.title, status: r.status.rawValue,
                             technicalPercent: r.weights.technicalPercent, pricePercent: r.weights.pricePercent,
                             closesOn: r.closesOn, termStart: r.termStart, termEnd: r.termEnd, estateCodes: r.lots.map(\.estateCode),
                             invited: r.invited.map(\.value), bids: bids, validBids: ranked.count, finishedOn: r.finishedOn,
                             outcomeReason: r.outcomeReason, awardBidID: r.awardBidID, awardProposedBy: r.awardProposedBy,
                             awardDecidedBy: r.awardDecidedBy, createdBy: r.createdBy, createdAt: r.createdAt)
    }
}
