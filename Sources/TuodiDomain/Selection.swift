import Foundation

/// A competitive-selection round's lifecycle: draft → open → evaluation → awarded | failed | cancelled.
public enum SelectionStatus: String, CaseIterable, Sendable, Codable {
    case draft, open, evaluation, awarded, failed, cancelled

    public var isFinal: Bool { self == .awarded || self == .failed || self == .cancelled }
}

/// The comprehensive-score weights of one round, in whole percent (domain.md: the price weight of
/// a service project is at least 10 %, 财政部令第87号 第五十五条).
public struct SelectionWeights: Equatable, Sendable, Codable {
    public let technicalPercent: Int
    public let pricePercent: Int

    public static let minimumPricePercent = 10

    public init(technicalPercent: Int, pricePercent: Int) {
        self.technicalPercent = technicalPercent
        self.pricePercent = pricePercent
    }

    public func validated() throws(ValidationFailure) -> SelectionWeights {
        var e = FieldErrors()
        if pricePercent < Self.minimumPricePercent || pricePercent > 100 {
            e.add("pricePercent", "range", "价格分权重不得低于 \(Self.minimumPricePercent)%")
        }
        if technicalPercent < 0 || technicalPercent + pricePercent != 100 {
            e.add("technicalPercent", "weightSum", "技术分与价格分权重之和应为 100，实为 \(technicalPercent + pricePercent)")
        }
        try e.throwIfAny()
        return self
    }
}

/// One bid in a round. Prices are yuan per m² per month.
public struct Bid: Equatable, Sendable {
    public let id: Int
    public let uscc: USCC
    public let price: Double
    /// 0–100, from the evaluation panel.
    public let technicalScore: Double
    /// When the bid was received; earlier wins the last tie.
    public let submittedAt: Date
    /// Why it was marked invalid; `nil` for a valid bid.
    public let invalidReason: String?

    public init(id: Int, uscc: USCC, price: Double, technicalScore: Double, submittedAt: Date, invalidReason: String?) {
        self.id = id; self.uscc = uscc; self.price = price; self.technicalScore = technicalScore
        self.submittedAt = submittedAt; self.invalidReason = invalidReason
    }

    public var isValid: Bool { invalidReason == nil }
}

/// A valid bid with its scores and place.
public struct RankedBid: Equatable, Sendable {
    public let bid: Bid
    /// (lowest valid price ÷ this price) × 100, to the cent.
    public let priceScore: Double
    /// technical × technical weight + price score × price weight, to the cent.
    public let total: Double
    /// 1 for the winner.
    public let rank: Int
}

/// The comprehensive-score method of domain.md.
public enum SelectionEvaluation {
    /// Fewer valid bids than this and the round fails (招标投标法 第二十八条).
    public static let minimumValidBids = 3

    /// Ranks the valid bids: higher total first; ties by higher technical score, then lower
    /// price, then earlier submission (and the bid id, so the order is total).
    public static func rank(_ bids: [Bid], weights: SelectionWeights) -> [RankedBid] {
        let valid = bids.filter(\.isValid)
        guard let lowest = valid.map(\.price).min() else { return [] }
        let scored = valid.map { b -> (Bid, Double, Double) in
            let priceScore = b.price > 0 ? lowest / b.price * 100 : 100
            let total = b.technicalScore * Double(weights.technicalPercent) / 100 + priceScore * Double(weights.pricePercent) / 100
            return (b, cents(priceScore), cents(total))
        }
        let ordered = scored.sorted { x, y in
            if x.2 != y.2 { return x.2 > y.2 }
            if x.0.technicalScore != y.0.technicalScore { return x.0.technicalScore > y.0.technicalScore }
            if x.0.price != y.0.price { return x.0.price < y.0.price }
            if x.0.submittedAt != y.0.submittedAt { return x.0.submittedAt < y.0.submittedAt }
            return x.0.id < y.0.id
        }
        return ordered.enumerated().map { RankedBid(bid: $1.0, priceScore: $1.1, total: $1.2, rank: $0 + 1) }
    }

    /// Rounds half away from zero to the hundredth. Decimal arithmetic, so 85.005 is 85.01.
    static func cents(_ x: Double) -> Double {
        var value = Decimal(string: String(format: "%.6f", x)) ?? Decimal(x), result = Decimal()
        NSDecimalRound(&result, &value, 2, .plain)
        return NSDecimalNumber(decimal: result).doubleValue
    }
}

/// A bid as typed.
public struct BidDraft: Sendable {
    public var uscc: String
    public var price: Double
    public var technicalScore: Double
    public init(uscc: String, price: Double, technicalScore: Double) {
        self.uscc = uscc; self.price = price; self.technicalScore = technicalScore
    }

    public func validated() throws(ValidationFailure) -> (USCC, Double, Double) {
        var e = FieldErrors()
        var u: USCC?
        do { u = try USCC(validating: uscc) } catch { e.add("uscc", error.code, error.description) }
        if !(price.isFinite && price > 0 && price < 100) { e.add("price", "range", "报价应为大于 0 的元/平方米·月") }
        if !(technicalScore.isFinite && (0...100).contains(technicalScore)) { e.add("technicalScore", "range", "技术分应在 0–100 之间") }
        try e.throwIfAny()
        return (u!, price, technicalScore)
    }
}
