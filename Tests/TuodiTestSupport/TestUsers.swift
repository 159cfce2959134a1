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
