// Parser for the benchmark instance format v1 (see /work/shared/bench/assignment/README.md):
//
//   c <comment>            comment
//   p N M K                header: estates, companies, candidate edges per estate
//   m j x y cap merit      M lines, one per company
//   e i x y                N lines, one per estate (coordinates are informational)
//   a i j cost             N*K lines, candidate edges (the integer cost is authoritative)
//
// The parser works on bytes and does no file I/O; it hand-parses integers because
// `split` + `Int(String)` per token is several times slower on the 10 MB instances.

/// A parsed format-v1 instance.
public struct AssignmentInstance: Sendable, Equatable {
    /// The assignment problem (capacities from the `m` lines, edges from the `a` lines).
    public var problem: AssignmentProblem
    /// `K` from the `p` line.
    public var edgesPerEstate: Int
    /// Merit penalty of each company (already included in the edge costs; informational).
    public var merits: [Int]

    public init(problem: AssignmentProblem, edgesPerEstate: Int, merits: [Int]) {
        self.problem = problem
        self.edgesPerEstate = edgesPerEstate
        self.merits = merits
    }
}

/// A malformed instance, with the 1-based line number of the offending line.
public struct AssignmentFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}

/// Reader for the assignment instance format v1.
public enum AssignmentInstanceFormat {
    /// Parses an instance from text.
    public static func parse(_ text: String) throws(AssignmentFormatError) -> AssignmentInstance {
        var text = text
        // `withUTF8` is not typed-throws; carry the error out in a Result.
        let result = text.withUTF8 { buf in
            Result { () throws(AssignmentFormatError) -> AssignmentInstance in try parse(buffer: buf) }
        }
        return try result.get()
    }

    /// Parses an instance from the raw bytes of a file.
    public static func parse(bytes: [UInt8]) throws(AssignmentFormatError) -> AssignmentInstance {
        try bytes.withUnsafeBufferPointer { (buf) throws(AssignmentFormatError) -> AssignmentInstance in
            try parse(buffer: buf)
        }
    }

    /// Parses an instance from a byte buffer.
    ///
    /// Strict about structure: one `p` line before any `m`/`e`/`a` line, every company and
    /// estate id exactly once, ids in range, non-negative capacities, exactly `N*K` edge
    /// lines. Lenient about whitespace (runs of spaces/tabs, CRLF) and blank lines.
    public static func parse(buffer: UnsafeBufferPointer<UInt8>) throws(AssignmentFormatError) -> AssignmentInstance {
        var s = Scanner(buffer: buffer)
        var header: (n: Int, m: Int, k: Int)? = nil
        var capacities: [Int] = []
        var merits: [Int] = []
        var companySeen: [Bool] = []
        var estateSeen: [Bool] = []
        var companyLines = 0
        var estateLines = 0
        var edges: [AssignmentEdge] = []

        while !s.atEnd {
            s.line += 1
            s.skipBlanks()
            if s.atLineEnd {  // blank line
                s.nextLine()
                continue
            }
            let tag = s.peek
            if tag == UInt8(ascii: "c") {
                s.nextLine()
                continue
            }
            s.position += 1
            if !s.atLineEnd && !s.isBlank(s.peek) {
                throw s.error("unknown record type (expected c, p, m, e or a)")
            }
            switch tag {
            case UInt8(ascii: "p"):
                if header != nil { throw s.error("duplicate 'p' line") }
                let n = try s.int("N")
                let m = try s.int("M")
                let k = try s.int("K")
                if n < 0 || m < 0 || k < 0 { throw s.error("N, M and K must be non-negative") }
                let (nk, overflow) = n.multipliedReportingOverflow(by: k)
                if overflow || nk > 1 << 40 { throw s.error("N*K is too large") }
                header = (n, m, k)
                capacities = [Int](repeating: 0, count: m)
                merits = [Int](repeating: 0, count: m)
                companySeen = [Bool](repeating: false, count: m)
                estateSeen = [Bool](repeating: false, count: n)
                edges.reserveCapacity(nk)
            case UInt8(ascii: "m"):
                guard let h = header else { throw s.error("'m' line before the 'p' line") }
                let j = try s.int("company id")
                if j < 0 || j >= h.m { throw s.error("company id \(j) outside 0..<\(h.m)") }
                if companySeen[j] { throw s.error("company \(j) defined twice") }
                try s.decimal("x")
                try s.decimal("y")
                let cap = try s.int("capacity")
                if cap < 0 { throw s.error("company \(j) has negative capacity \(cap)") }
                merits[j] = try s.int("merit")
                capacities[j] = cap
                companySeen[j] = true
                companyLines += 1
            case UInt8(ascii: "e"):
                guard let h = header else { throw s.error("'e' line before the 'p' line") }
                let i = try s.int("estate id")
                if i < 0 || i >= h.n { throw s.error("estate id \(i) outside 0..<\(h.n)") }
                if estateSeen[i] { throw s.error("estate \(i) defined twice") }
                try s.decimal("x")
                try s.decimal("y")
                estateSeen[i] = true
                estateLines += 1
            case UInt8(ascii: "a"):
                guard let h = header else { throw s.error("'a' line before the 'p' line") }
                let i = try s.int("estate id")
                if i < 0 || i >= h.n { throw s.error("estate id \(i) outside 0..<\(h.n)") }
                let j = try s.int("company id")
                if j < 0 || j >= h.m { throw s.error("company id \(j) outside 0..<\(h.m)") }
                let cost = try s.int("cost")
                let limit = MinCostAssignment.maxAbsoluteCost
                if cost < -limit || cost > limit { throw s.error("cost \(cost) outside -\(limit)...\(limit)") }
                edges.append(AssignmentEdge(estate: i, company: j, cost: cost))
            default:
                throw s.error("unknown record type (expected c, p, m, e or a)")
            }
            s.skipBlanks()
            if !s.atLineEnd { throw s.error("unexpected extra field") }
            s.nextLine()
        }

        let last = max(s.line, 1)
        guard let h = header else { throw AssignmentFormatError(line: last, message: "missing 'p' line") }
        if companyLines != h.m {
            throw AssignmentFormatError(line: last, message: "expected \(h.m) 'm' lines, found \(companyLines)")
        }
        if estateLines != h.n {
            throw AssignmentFormatError(line: last, message: "expected \(h.n) 'e' lines, found \(estateLines)")
        }
        if edges.count != h.n * h.k {
            throw AssignmentFormatError(line: last, message: "expected N*K = \(h.n * h.k) 'a' lines, found \(edges.count)")
        }
        let problem = AssignmentProblem(estateCount: h.n, capacities: capacities, edges: edges)
        return AssignmentInstance(problem: problem, edgesPerEstate: h.k, merits: merits)
    }
}

/// Byte cursor with line tracking.
private struct Scanner {
    let buffer: UnsafeBufferPointer<UInt8>
    var position = 0
    var line = 0

    init(buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }

    var atEnd: Bool { position >= buffer.count }
    var peek: UInt8 { buffer[position] }

    @inline(__always) func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// At the end of the line: newline, CR, or end of input.
    var atLineEnd: Bool {
        position >= buffer.count || buffer[position] == 0x0A || buffer[position] == 0x0D
    }

    mutating func skipBlanks() {
        while position < buffer.count && isBlank(buffer[position]) { position += 1 }
    }

    /// Moves past the next newline (or to the end of input).
    mutating func nextLine() {
        while position < buffer.count && buffer[position] != 0x0A { position += 1 }
        if position < buffer.count { position += 1 }
    }

    func error(_ message: String) -> AssignmentFormatError {
        AssignmentFormatError(line: line, message: message)
    }

    /// Reads a blank-separated decimal integer with an optional sign.
    mutating func int(_ what: String) throws(AssignmentFormatError) -> Int {
        skipBlanks()
        var negative = false
        if position < buffer.count && (buffer[position] == UInt8(ascii: "-") || buffer[position] == UInt8(ascii: "+")) {
            negative = buffer[position] == UInt8(ascii: "-")
            position += 1
        }
        var value = 0
        var digits = 0
        while position < buffer.count {
            let d = Int(buffer[position]) &- 48
            if d < 0 || d > 9 { break }
            if digits >= 18 { throw error("\(what) has too many digits") }
            value = value * 10 + d
            digits += 1
            position += 1
        }
        if digits == 0 || !(atLineEnd || isBlank(buffer[position])) {
            throw error(atLineEnd && digits == 0 ? "missing \(what)" : "\(what) is not an integer")
        }
        return negative ? -value : value
    }

    /// Skips a blank-separated decimal number (informational field), checking its characters.
    mutating func decimal(_ what: String) throws(AssignmentFormatError) {
        skipBlanks()
        let begin = position
        var sawDigit = false
        while position < buffer.count && !isBlank(buffer[position]) && !atLineEnd {
            let b = buffer[position]
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "e"), UInt8(ascii: "E"): break
            default: throw error("\(what) is not a number")
            }
            position += 1
        }
        if position == begin { throw error("missing \(what)") }
        if !sawDigit { throw error("\(what) is not a number") }
    }
}
