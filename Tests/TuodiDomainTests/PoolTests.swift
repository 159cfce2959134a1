import Testing
import TuodiDomain

@Suite("Pool rules: rubric, term, membership states")
struct PoolRuleTests {
    static func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }
    static let uscc = try! USCC(validating: "91350100M000100Y43")

    @Test("weighted total to the hundredth; every criterion scored, nothing else")
    func scoring() throws {
        let rubric = [ScoringCriterion(name: "服务能力", weightPercent: 45), ScoringCriterion(name: "信用", weightPercent: 35),
                      ScoringCriterion(name: "本地经验", weightPercent: 20)]
        // 88.5×0.45 + 92×0.35 + 70×0.20 = 39.825 + 32.2 + 14 = 86.025 → 86.03
        #expect(try Scoring.total(["服务能力": 88.5, "信用": 92, "本地经验": 70], rubric: rubric) == 86.03)
        #expect(throws: ValidationFailure.self) { try Scoring.total(["服务能力": 88.5, "信用": 92], rubric: rubric) }
        #expect(throws: ValidationFailure.self) { try Scoring.total(["服务能力": 88.5, "信用": 92, "本地经验": 101], rubric: rubric) }
        #expect(throws: ValidationFailure.self) { try Scoring.total(["服务能力": 1, "信用": 1, "本地经验": 1, "其他": 1], rubric: rubric) }
    }

    @Test("a rubric's weights sum to 100")
    func rubric() {
        let bad = AdmissionRoundDraft(unit: "310101", title: "t", opensOn: "2026-01-01", closesOn: "2026-01-31",
                                      criteria: [ScoringCriterion(name: "a", weightPercent: 60), ScoringCriterion(name: "b", weightPercent: 30)])
        #expect(throws: ValidationFailure.self) { try bad.validated() }
    }

    @Test("terms end the day before the anniversary; 29 February ends on 28 February")
    func terms() {
        #expect(Membership.termEnd(start: Self.d("2026-11-28"), years: 2) == Self.d("2028-11-27"))
        #expect(Membership.termEnd(start: Self.d("2028-02-29"), years: 1) == Self.d("2029-02-27"))
        #expect(Membership.termEnd(start: Self.d("2026-01-01"), years: 3) == Self.d("2028-12-31"))
    }

    @Test("suspension with an end date lifts on that day; removal and expiry")
    func states() {
        let m = Membership(id: 1, unit: "310101", uscc: Self.uscc, start: Self.d("2026-01-01"), end: Self.d("2027-12-31"),
                           capacityEstates: 3, capacityHouseholds: nil, score: 80, events: [
                               MembershipEvent(id: 1, kind: .suspended, date: Self.d("2026-05-01"), until: Self.d("2026-06-01"), reason: "整改"),
                               MembershipEvent(id: 2, kind: .suspended, date: Self.d("2026-09-01"), until: nil, reason: "调查"),
                               MembershipEvent(id: 3, kind: .reinstated, date: Self.d("2026-10-01"), until: nil, reason: "结束"),
                               MembershipEvent(id: 4, kind: .removed, date: Self.d("2027-03-01"), until: nil, reason: "违约"),
                           ])
        #expect(m.state(on: Self.d("2025-12-31")) == .pending)
        #expect(m.state(on: Self.d("2026-04-30")) == .active)
        #expect(m.state(on: Self.d("2026-05-01")) == .suspended)
        #expect(m.state(on: Self.d("2026-05-31")) == .suspended)
        #expect(m.state(on: Self.d("2026-06-01")) == .active)
        #expect(m.state(on: Self.d("2026-09-15")) == .suspended)
        #expect(m.state(on: Self.d("2026-10-01")) == .active)
        #expect(m.state(on: Self.d("2027-03-01")) == .removed)
        let plain = Membership(id: 2, unit: "310101", uscc: Self.uscc, start: Self.d("2026-01-01"), end: Self.d("2027-12-31"),
                               capacityEstates: 3, capacityHouseholds: nil, score: 80, events: [])
        #expect(plain.state(on: Self.d("2027-12-31")) == .active)
        #expect(plain.state(on: Self.d("2028-01-01")) == .expired)
    }
}
