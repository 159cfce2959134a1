import Foundation
import Testing
import TuodiDomain

@Suite("Arrangements, selection scoring and custody candidates")
struct ArrangementTests {
    static func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }
    static let u1 = USCC.withCheckCharacter(body: "91310101MA1FT0001")!
    static let u2 = USCC.withCheckCharacter(body: "91310101MA1FT0002")!
    static let u3 = USCC.withCheckCharacter(body: "91310101MA1FT0003")!
    static let u4 = USCC.withCheckCharacter(body: "91310101MA1FT0004")!

    static func arrangement(_ id: Int, _ start: String, _ end: String?, status: ArrangementStatus = .active, endedOn: String? = nil,
                            kind: CoverageKind = .custody) -> Arrangement {
        Arrangement(id: id, estateID: 1, estateCode: "E1", unit: "310101", kind: kind, provider: .company(u1), start: d(start),
                    plannedEnd: end.map(d), reviewDate: nil, endedOn: endedOn.map(d), fee: nil, status: status, justification: "x",
                    replaces: nil, selectionRoundID: nil, proposedBy: "clerk", decidedBy: nil, decisionReason: nil)
    }

    @Test("overlap: both ends inclusive; proposals hold their days, rejected and cut-before-start ones do not")
    func overlap() {
        let a = Self.arrangement(1, "2026-01-01", "2026-06-30")
        #expect(a.overlaps(start: Self.d("2026-06-30"), end: nil))
        #expect(!a.overlaps(start: Self.d("2026-07-01"), end: nil))
        #expect(a.overlaps(start: Self.d("2025-01-01"), end: Self.d("2026-01-01")))
        #expect(!a.overlaps(start: Self.d("2025-01-01"), end: Self.d("2025-12-31")))
        #expect(Self.arrangement(2, "2026-01-01", "2026-06-30", status: .proposed).overlaps(start: Self.d("2026-03-01"), end: nil))
        #expect(!Self.arrangement(3, "2026-01-01", "2026-06-30", status: .rejected).overlaps(start: Self.d("2026-03-01"), end: nil))
        let cancelled = Self.arrangement(4, "2026-01-01", "2026-06-30", status: .terminated, endedOn: "2025-12-31")
        #expect(!cancelled.holdsDays && cancelled.coverage == nil)
        let cut = Self.arrangement(5, "2026-01-01", "2026-06-30", status: .terminated, endedOn: "2026-03-31")
        #expect(cut.coverage == CoverageSpan(kind: .custody, start: Self.d("2026-01-01"), end: Self.d("2026-03-31")))
        #expect(Self.arrangement(6, "2026-01-01", "2026-06-30", status: .proposed).coverage == nil)
    }

    @Test("an approved arrangement past its end reads as ended")
    func endedOnRead() {
        let a = Self.arrangement(1, "2026-01-01", "2026-06-30")
        #expect(a.status(on: Self.d("2026-06-30")) == .active)
        #expect(a.status(on: Self.d("2026-07-01")) == .ended)
    }

    @Test("peak load counts the busiest day of the window, not every arrangement touching it")
    func peakLoad() {
        let held = [Self.arrangement(1, "2026-01-01", "2026-03-31"), Self.arrangement(2, "2026-02-01", "2026-04-30"),
                    Self.arrangement(3, "2026-05-01", "2026-06-30"), Self.arrangement(4, "2026-01-01", "2026-12-31", status: .rejected)]
        #expect(ArrangementRules.peakLoad(of: held, start: Self.d("2026-01-01"), end: Self.d("2026-06-30")) == 2)
        #expect(ArrangementRules.peakLoad(of: held, start: Self.d("2026-04-01"), end: Self.d("2026-06-30")) == 1)
        #expect(ArrangementRules.peakLoad(of: held, start: Self.d("2027-01-01"), end: nil) == 0)
    }

    @Test("room by count alone is room by the exact peak: for 500 random sets of terms and every capacity")
    func fitsAnyway() {
        var rng = SplitMix(seed: 14)
        let window = (start: Self.d("2026-03-01"), end: Self.d("2026-05-31"))
        for _ in 0..<500 {
            let held = (0..<Int(rng.next() % 8)).map { i -> Arrangement in
                let start = Self.d("2026-01-01").adding(days: Int(rng.next() % 200))
                return Self.arrangement(i, start.description, start.adding(days: Int(rng.next() % 120)).description)
            }
            let peak = ArrangementRules.peakLoad(of: held, start: window.start, end: window.end)
            for capacity in 0...9 where ArrangementRules.fitsAnyway(candidates: held.count, capacity: capacity) {
                #expect(ArrangementRules.fits(peak: peak, capacity: capacity), "\(held.map(\.span)) capacity \(capacity)")
            }
            #expect(ArrangementRules.fits(peak: peak, capacity: peak + 1) && !ArrangementRules.fits(peak: peak, capacity: peak))
        }
    }

    /// A small seeded generator, so a failure repeats.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test("an arrangement ending 30 June without a successor: unmanaged again, a new episode from 1 July")
    func gapAfterEnd() {
        let facts = [ManagementFact(id: 1, date: Self.d("2026-03-01"), kind: .becameUnmanaged(reason: .contractEnded))]
        let custody = Self.arrangement(1, "2026-04-01", "2026-06-30")
        let t = EstateTimeline(facts: facts, coverage: [custody.coverage!])
        #expect(t.state(on: Self.d("2026-06-30")) == .covered(.custody))
        #expect(t.state(on: Self.d("2026-07-01")) == .unmanaged)
        let episodes = t.episodes()
        #expect(episodes.map(\.start) == [Self.d("2026-03-01"), Self.d("2026-07-01")])
        #expect(episodes[0].end == Self.d("2026-04-01") && episodes[0].endedBy == .covered(.custody))
        #expect(episodes[1].end == nil && episodes[1].daysUnmanaged(on: Self.d("2026-07-01")) == 1)
    }

    @Test("custody drafts: justification, end date and the district's maximum term are required")
    func custodyDraft() throws {
        var draft = ArrangementDraft(estateCode: "E1", kind: "custody", uscc: Self.u1.value, start: "2026-01-31",
                                     plannedEnd: "2027-01-30", justification: "原物业撤场")
        let valid = try draft.validated(custodyMaxMonths: 12)
        #expect(valid.provider == .company(Self.u1))
        draft.plannedEnd = "2027-01-31"
        #expect(throws: ValidationFailure([FieldError(field: "plannedEnd", code: "custodyTerm",
                                                      message: "临时托管期限不得超过本区规定的 12 个月（最晚 2027-01-30）")])) {
            try draft.validated(custodyMaxMonths: 12)
        }
        draft.justification = " "
        draft.plannedEnd = nil
        let blank = draft
        #expect(Set(Self.fields { try blank.validated(custodyMaxMonths: 12) }) == ["plannedEnd", "justification"])
        let selection = ArrangementDraft(estateCode: "E1", kind: "selection", uscc: Self.u1.value, start: "2026-01-01")
        #expect(Self.fields { try selection.validated(custodyMaxMonths: 12) } == ["kind"])
        let owners = ArrangementDraft(estateCode: "E1", kind: "ownerSelf", start: "2026-01-01")
        #expect(Set(Self.fields { try owners.validated(custodyMaxMonths: 12) }) == ["body", "contact", "reviewDate"])
    }

    static func fields(_ body: () throws -> Any) -> [String] {
        do { _ = try body(); return [] } catch let f as ValidationFailure { return f.errors.map(\.field) } catch { return ["?"] }
    }

    // MARK: selection

    static func bid(_ id: Int, _ u: USCC, _ price: Double, _ tech: Double, at seconds: Double = 0, invalid: String? = nil) -> Bid {
        Bid(id: id, uscc: u, price: price, technicalScore: tech, submittedAt: Date(timeIntervalSince1970: 1_800_000_000 + seconds),
            invalidReason: invalid)
    }

    /// Worked by hand, weights technical 60 % / price 40 %; the invalid bid's low price does not set
    /// the benchmark. Lowest valid price 1.00.
    ///   B: price score 100.00; total 80 × 0.6 + 100 × 0.4 = 88.00
    ///   A: price score 1.00 / 1.20 × 100 = 83.33; total 52.80 + 33.333… = 86.13
    ///   D: price score 1.00 / 1.50 × 100 = 66.67; total 57.00 + 26.666… = 83.67
    @Test("the comprehensive-score method reproduces a hand-computed ranking to the cent")
    func handComputedRanking() throws {
        let bids = [Self.bid(1, Self.u1, 1.20, 88), Self.bid(2, Self.u2, 1.00, 80),
                    Self.bid(3, Self.u3, 0.90, 70, invalid: "资格不符"), Self.bid(4, Self.u4, 1.50, 95)]
        let ranked = SelectionEvaluation.rank(bids, weights: try SelectionWeights(technicalPercent: 60, pricePercent: 40).validated())
        #expect(ranked.map(\.bid.id) == [2, 1, 4])
        #expect(ranked.map(\.total) == [88.00, 86.13, 83.67])
        #expect(ranked.map(\.priceScore) == [100.00, 83.33, 66.67])
        #expect(ranked.map(\.rank) == [1, 2, 3])
    }

    @Test("ties: higher technical score, then lower price, then earlier submission")
    func ties() throws {
        let w = try SelectionWeights(technicalPercent: 50, pricePercent: 50).validated()
        // X: 80 × .5 + 100 × .5 = 90.00; Y: 100 × .5 + 80 × .5 = 90.00 → Y (technical 100).
        let byTechnical = SelectionEvaluation.rank([Self.bid(1, Self.u1, 1.00, 80), Self.bid(2, Self.u2, 1.25, 100)], weights: w)
        #expect(byTechnical.map(\.total) == [90, 90] && byTechnical.map(\.bid.id) == [2, 1])
        let bySubmission = SelectionEvaluation.rank([Self.bid(1, Self.u1, 1.00, 80, at: 60), Self.bid(2, Self.u2, 1.00, 80, at: 0)], weights: w)
        #expect(bySubmission.map(\.bid.id) == [2, 1])
    }

    @Test("the price weight is at least 10 % and the weights sum to 100")
    func weights() {
        #expect(Self.fields { try SelectionWeights(technicalPercent: 95, pricePercent: 5).validated() } == ["pricePercent"])
        #expect(Self.fields { try SelectionWeights(technicalPercent: 70, pricePercent: 20).validated() } == ["technicalPercent"])
        #expect(Self.fields { try SelectionWeights(technicalPercent: 90, pricePercent: 10).validated() } == [])
    }

    // MARK: custody candidates

    /// By hand, default weights (spare 25, merit 30, load 20, same sub-district 10, district group 15);
    /// eligible G (spare 3) and P (spare 5): largest spare 5, largest load 1.
    ///   G: 3/5 × 25 = 15; 0.90 × 30 = 27; (1 − 1/1) × 20 = 0; 10; 15 → 67.00
    ///   P: 25; 0.80 × 30 = 24; 20; 0; 0 → 69.00
    @Test("ranked candidates show every factor; the suspended and the full are excluded with a reason")
    func candidates() {
        let estate = Estate(code: "E1", name: "小区", address: "路", unit: "310101", legalDistrict: "310101", subDistrict: "豫园街道",
                            category: .directPublic, highDispute: false, households: 100, buildings: 2, floorArea: 3000, yearBuilt: nil)
        let g = CandidateFacts(uscc: Self.u1, companyName: "区房管集团物业", districtGroup: true, state: .active, capacity: 4, score: 90,
                               load: 1, sameSubDistrict: 1)
        let p = CandidateFacts(uscc: Self.u2, companyName: "民营物业", districtGroup: false, state: .active, capacity: 5, score: 80,
                               load: 0, sameSubDistrict: 0)
        let s = CandidateFacts(uscc: Self.u3, companyName: "暂停企业", districtGroup: false, state: .suspended, capacity: 5, score: 99,
                               load: 0, sameSubDistrict: 0)
        let full = CandidateFacts(uscc: Self.u4, companyName: "满额企业", districtGroup: false, state: .active, capacity: 2, score: 99,
                                  load: 2, sameSubDistrict: 0)
        let (eligible, ineligible) = CustodyCandidates.rank([g, p, s, full], estate: estate)
        #expect(eligible.map(\.facts.companyName) == ["民营物业", "区房管集团物业"])
        #expect(eligible.map(\.total) == [69, 67])
        let gFactors = Dictionary(uniqueKeysWithValues: eligible[1].factors.map { ($0.name, $0.points) })
        #expect(gFactors == ["spareCapacity": 15, "merit": 27, "load": 0, "sameSubDistrict": 10, "districtGroup": 15])
        let pFactors = Dictionary(uniqueKeysWithValues: eligible[0].factors.map { ($0.name, $0.points) })
        #expect(pFactors == ["spareCapacity": 25, "merit": 24, "load": 20, "sameSubDistrict": 0, "districtGroup": 0])
        #expect(Set(ineligible.map(\.facts.companyName)) == ["暂停企业", "满额企业"])
        // On an early-commodity estate the district-group preference does not apply.
        var commodity = estate
        commodity.category = .earlyCommodity
        let g2 = CustodyCandidates.rank([g, p], estate: commodity).eligible.first { $0.facts.uscc == Self.u1 }!
        #expect(g2.factors.first { $0.name == "districtGroup" }!.points == 0 && g2.total == 52)
    }
}
