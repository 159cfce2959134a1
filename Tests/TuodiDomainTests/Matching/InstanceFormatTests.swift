import Testing
@testable import TuodiDomain

@Suite("Instance format v1")
struct InstanceFormatTests {
    static let valid = """
    c tiny instance
    p 2 2 2
    m 0 1.5 2.0 1 10
    m 1 -3.25 4e1 1 0
    e 0 0.0 0.0
    e 1 1.0 1.0
    a 0 0 12
    a 0 1 30
    a 1 0 11
    a 1 1 -2

    """

    @Test func parsesAValidInstance() throws {
        let inst = try AssignmentInstanceFormat.parse(Self.valid)
        #expect(inst.problem.estateCount == 2)
        #expect(inst.problem.capacities == [1, 1])
        #expect(inst.merits == [10, 0])
        #expect(inst.edgesPerEstate == 2)
        #expect(inst.problem.edges.count == 4)
        #expect(inst.problem.edges[3] == AssignmentEdge(estate: 1, company: 1, cost: -2))
        let bytes = try AssignmentInstanceFormat.parse(bytes: Array(Self.valid.utf8))
        #expect(bytes == inst)
        #expect(try MinCostAssignment.solve(inst.problem).totalCost == 10)
    }

    @Test func acceptsCRLFAndMissingFinalNewline() throws {
        let crlf = Self.valid.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try AssignmentInstanceFormat.parse(crlf) == AssignmentInstanceFormat.parse(Self.valid))
        let trimmed = String(Self.valid.dropLast())
        #expect(try AssignmentInstanceFormat.parse(trimmed).problem.edges.count == 4)
    }

    /// Replaces line `n` (1-based) of the valid instance.
    private func withLine(_ n: Int, _ text: String) -> String {
        var lines = Self.valid.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[n - 1] = text
        return lines.joined(separator: "\n")
    }

    private func error(_ text: String) -> AssignmentFormatError? {
        do {
            _ = try AssignmentInstanceFormat.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func reportsLineNumbers() {
        #expect(error(withLine(7, "a 0 5 12"))?.line == 7)             // company out of range
        #expect(error(withLine(8, "a 0 1"))?.line == 8)                // missing cost
        #expect(error(withLine(9, "a 1 0 11 4"))?.line == 9)           // extra field
        #expect(error(withLine(10, "a 1 1 x"))?.line == 10)            // not an integer
        #expect(error(withLine(3, "m 0 1.5 2.0 -1 10"))?.line == 3)    // negative capacity
        #expect(error(withLine(4, "m 0 1.5 2.0 1 10"))?.line == 4)     // company defined twice
        #expect(error(withLine(5, "e 0 zz 0.0"))?.line == 5)           // bad coordinate
        #expect(error(withLine(6, "x 1 2 3"))?.line == 6)              // unknown record
        #expect(error(withLine(2, "p 2 2"))?.line == 2)                // short header
        #expect(error("m 0 1 1 1 1\np 1 1 1\n")?.line == 1)            // 'm' before 'p'
        #expect(error(withLine(10, "c dropped edge")) != nil)          // N*K edges expected
        #expect(error("c nothing\n")?.message.contains("missing 'p'") == true)
    }

    @Test func errorDescriptionMentionsTheLine() {
        let e = error(withLine(7, "a 0 5 12"))
        #expect(e?.description.hasPrefix("line 7:") == true)
    }
}
