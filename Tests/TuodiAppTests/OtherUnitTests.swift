import Testing
import TuodiApp
import TuodiDomain
import TuodiStore
import TuodiTestSupport

/// Another unit's record is "not found" for a district user, on writes as on reads, whatever the
/// user's role: the answer must be the same as for an id that does not exist, or it tells which
/// records exist.
@Suite("Another unit's record is not found")
struct OtherUnitTests {
    /// An approval by 普陀's clerk (wrong unit and wrong role) of a 黄浦 record, and of a missing one.
    static let approvals: [(String, @Sendable (AppContext, Caller, Int) async throws -> Void)] = [
        ("arrangement", { c, a, id in _ = try await c.arrangements.approve(id: id, by: a) }),
        ("application", { c, a, id in _ = try await c.pool.decide(applicationID: id, approve: true, reason: nil, by: a) }),
        ("award", { c, a, id in _ = try await c.selections.approveAward(id: id, by: a) }),
        ("match proposal", { c, a, id in _ = try await c.matching.approve(id: id, by: a) }),
    ]

    @Test("approving another unit's arrangement, application, award or match proposal is 404, as for a missing id",
          arguments: 0..<4)
    func approvals(_ index: Int) async throws {
        let (context, f) = try await AuditCoverageTests.prepared()
        let (name, approve) = Self.approvals[index]
        let id = [f.proposedArrangementID, f.proposedID, f.awardProposedSelectionID, f.matchProposalID][index]
        let stranger = try await TestUsers.caller(context, "pt.clerk")
        let before = try await AuditCoverageTests.count(context)
        func outcome(_ id: Int) async -> String {
            do { try await approve(context, stranger, id); return "accepted" } catch let e as AppError {
                if case .notFound = e { return "notFound" }
                return "\(e)"
            } catch { return "\(error)" }
        }
        #expect(await outcome(id) == "notFound", "\(name) \(id)")
        #expect(await outcome(999_999) == "notFound", "\(name) missing")
        #expect(try await AuditCoverageTests.count(context) == before)
        try await context.store.close()
    }
}
