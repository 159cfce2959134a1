import Testing
import TuodiApp
import TuodiDomain
import TuodiTestSupport

@Suite("Estate search")
struct EstateSearchTests {
    @Test("a district user sees only their unit's estates, whatever unit they ask for; an overlong text is a field error")
    func scopeAndText() async throws {
        let (context, _) = try await AuditCoverageTests.prepared()
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        var query = EstateQuery()
        query.unit = "310107"
        let found = try await context.estates.search(query, by: clerk)
        #expect(!found.items.isEmpty && found.items.allSatisfy { $0.estate.unit == "310101" })
        query.text = String(repeating: "路", count: 100)
        #expect(try await context.estates.search(query, by: clerk).total == 0)
        query.text = String(repeating: "路", count: 101)
        await #expect {
            _ = try await context.estates.search(query, by: clerk)
        } throws: { error in
            guard case AppError.validation(let errors) = error else { return false }
            return errors.map(\.field) == ["text"] && errors.map(\.code) == ["tooLong"]
        }
        try await context.store.close()
    }
}
