import TuodiApp
import TuodiDomain

/// The same small cast in every test that needs people: an admin, a clerk and an approver for
/// 黄浦 (310101), a clerk for 普陀 (310107), a municipal analyst.
public enum TestUsers {
    public static let password = "correct horse battery"

    public static let cast: [(username: String, role: Role, unit: String?)] = [
        ("admin", .admin, nil),
        ("hp.clerk", .districtClerk, "310101"),
        ("hp.approver", .districtApprover, "310101"),
        ("pt.clerk", .districtClerk, "310107"),
        ("city.analyst", .municipalAnalyst, nil),
    ]

    /// Creates the cast through the app layer (so each creation is audited).
    public static func create(_ context: AppContext) async throws {
        _ = try await context.identity.bootstrapAdmin(
            UserDraft(username: "admin", displayName: "管理员", role: "admin", unit: nil, password: password))
        let admin = try await context.identity.actor(username: "admin")
        for u in cast.dropFirst() {
            _ = try await context.identity.create(
                UserDraft(username: u.username, displayName: u.username, role: u.role.rawValue, unit: u.unit, password: password),
                by: admin)
        }
    }

    public static func caller(_ context: AppContext, _ username: String) async throws -> Caller {
        try await context.identity.actor(username: username)
    }
}

extension TestUsers {
    /// Admits a company to 黄浦's pool through the real workflow on the context's day: registered,
    /// a round opened today, applied, scored, proposed by the clerk and approved by the approver.
    public static func admitToPool(_ context: AppContext, uscc: String, name: String, capacity: Int, ownership: String = "private",
                                   districtGroup: Bool = false) async throws {
        let clerk = try await caller(context, "hp.clerk"), approver = try await caller(context, "hp.approver")
        _ = try await context.companies.register(CompanyDraft(uscc: uscc, name: name, ownership: ownership, districtGroup: districtGroup), by: clerk)
        let today = context.clock.today
        let round = try await context.pool.openRound(AdmissionRoundDraft(unit: "310101", title: "征集 \(uscc)", opensOn: today.description,
            closesOn: today.adding(days: 30).description, criteria: [ScoringCriterion(name: "能力", weightPercent: 100)]), by: clerk)
        let app = try await context.pool.apply(roundID: round.id, uscc: uscc, capacityEstates: capacity, capacityHouseholds: nil, by: clerk)
        _ = try await context.pool.score(applicationID: app.id, scores: ["能力": 90], by: clerk)
        _ = try await context.pool.propose(applicationID: app.id, .admit, reason: "合格", by: clerk)
        _ = try await context.pool.decide(applicationID: app.id, approve: true, reason: nil, by: approver)
    }
}
