import Foundation

/// A byte range `[start, end)` inside the scanned document.
struct Span: Equatable {
    var start: Int
    var end: Int
    @inline(__always) var count: Int { end - start }
    @inline(__always) var isEmpty: Bool { end <= start }
}

/// A small streaming (SAX-style, pull) XML tokenizer over UTF-8 bytes, used for the two
/// large parts of a workbook: the worksheet and the shared-string table.
///
/// Why not Foundation's `XMLParser` here: on Linux it takes about 0.45 s for a
/// 20,000 × 12 sheet even with an empty delegate (it makes a `String` for every name
/// and text run and a dictionary for every attribute list), which is the whole budget.
/// The small parts (workbook, relationships, styles) still go through `XMLParser`.
///
/// The code works on a raw pointer with plain `Int` loops and C `memchr`, which keeps
/// debug (-Onone) builds fast too: generic collection code is not specialised there.
///
/// Handled: elements (namespace prefixes dropped from names), attributes in `"` or `'`,
/// text with the five predefined entities and numeric character references, CDATA,
/// comments, processing instructions. Checked: tag nesting, unterminated constructs,
/// unknown entities, end of input inside an element. A DOCTYPE is rejected (no XLSX part
/// has one; refusing it rules out entity-expansion attacks).
struct XMLScanner {
    enum Token {
        /// Start tag. `name` is the local name; `attributes` the raw attribute text, read
        /// with ``XMLScanner/attribute(_:in:)``.
        case start(name: Span, attributes: Span, selfClosing: Bool)
        case end(name: Span)
        /// Character data; `escaped` when it contains `&` and must be decoded.
        case text(Span, escaped: Bool)
        case cdata(Span)
        case endOfInput
    }

    struct Failure: Error {
        var offset: Int
        var message: String
    }

    let p: UnsafePointer<UInt8>
    let n: Int
    private(set) var position = 0
    /// Qualified names of the open elements (a fixed buffer: no Array traffic per tag).
    private let open: UnsafeMutablePointer<Span>
    private let maxDepth: Int
    private var depth = 0

    /// `bytes` must not be empty and `stack` must outlive the scanner
    /// (``scanXML(_:part:_:)`` provides both).
    init(_ bytes: UnsafeBufferPointer<UInt8>, stack: UnsafeMutableBufferPointer<Span>) {
        p = UnsafePointer(bytes.baseAddress!)
        n = bytes.count
        open = stack.baseAddress!
        maxDepth = stack.count
    }

    /// 1-based line of a byte offset, for error messages.
    func line(at offset: Int) -> Int {
        var lines = 1
        var i = 0
        let end = offset < n ? offset : n
        while i < end {
            if p[i] == 0x0A { lines += 1 }
            i += 1
        }
        return lines
    }

    /// Offset of the next `byte` in `[from, to)`, or nil.
    @inline(__always)
    func find(_ byte: UInt8, from: Int, to: Int) -> Int? {
        guard from < to, let q = memchr(p + from, Int32(byte), to - from) else { return nil }
        return UnsafeRawPointer(p).distance(to: UnsafeRawPointer(q))
    }

    /// Offset of `a b c` (two or three bytes, `c` = 0 for two) at or after `from`.
    private func find(_ a: UInt8, _ b: UInt8, _ c: UInt8, from: Int) -> Int? {
        var i = from
        let len = c == 0 ? 2 : 3
        while let j = find(a, from: i, to: n) {
            if j + len > n { return nil }
            if p[j + 1] == b, c == 0 || p[j + 2] == c { return j }
            i = j + 1
        }
        return nil
    }

    @inline(__always)
    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    mutating func next() throws(Failure) -> Token {
        while true {
            if position >= n {
                if depth > 0 { throw Failure(offset: n, message: "unexpected end of document") }
                return .endOfInput
            }
            if p[position] != 0x3C /* < */ {
                let start = position
                let end = find(0x3C, from: start, to: n) ?? n
                position = end
                if depth == 0 {
                    // Only whitespace (or a UTF-8 BOM) may stand outside the root element.
                    var i = start
                    while i < end {
                        let c = p[i]
                        if !(c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09), !(i < 3 && c >= 0x80) {
                            throw Failure(offset: i, message: "text outside the root element")
                        }
                        i += 1
                    }
                    continue
                }
                let escaped = find(0x26 /* & */, from: start, to: end) != nil
                return .text(Span(start: start, end: end), escaped: escaped)
            }
            // Markup.
            guard position + 1 < n else { throw Failure(offset: position, message: "unexpected end of document") }
            let c = p[position + 1]
            if c == 0x3F /* ? */ {
                guard let e = find(0x3F, 0x3E, 0, from: position + 2) else {
                    throw Failure(offset: position, message: "unterminated processing instruction")
                }
                position = e + 2
                continue
            }
            if c == 0x21 /* ! */ {
                if position + 3 < n, p[position + 2] == 0x2D, p[position + 3] == 0x2D {
                    guard let e = find(0x2D, 0x2D, 0x3E, from: position + 4) else {
                        throw Failure(offset: position, message: "unterminated comment")
                    }
                    position = e + 3
                    continue
                }
                if position + 9 <= n, matches(Span(start: position, end: position + 9), "<![CDATA[") {
                    let start = position + 9
                    guard let e = find(0x5D, 0x5D, 0x3E, from: start) else {
                        throw Failure(offset: position, message: "unterminated CDATA section")
                    }
                    position = e + 3
                    guard depth > 0 else { throw Failure(offset: start, message: "CDATA outside the root element") }
                    return .cdata(Span(start: start, end: e))
                }
                throw Failure(offset: position, message: "DOCTYPE and other declarations are not allowed")
            }
            if c == 0x2F /* / */ {
                let nameStart = position + 2
                guard let gt = find(0x3E, from: nameStart, to: n) else {
                    throw Failure(offset: position, message: "unterminated end tag")
                }
                var nameEnd = gt
                while nameEnd > nameStart, p[nameEnd - 1] <= 0x20 { nameEnd -= 1 }
                let name = Span(start: nameStart, end: nameEnd)
                guard depth > 0 else { throw Failure(offset: position, message: "unexpected end tag") }
                depth -= 1
                let top = open[depth]
                guard top.end - top.start == nameEnd - nameStart,
                      memcmp(p + top.start, p + nameStart, nameEnd - nameStart) == 0 else {
                    throw Failure(offset: position, message: "mismatched end tag")
                }
                position = gt + 1
                return .end(name: localName(name))
            }
            // Start tag: the name, then attributes up to a '>' outside quotes.
            let nameStart = position + 1
            var i = nameStart
            while i < n {
                let b = p[i]
                if b <= 0x20 || b == 0x3E || b == 0x2F { break }
                i += 1
            }
            let nameEnd = i
            guard nameEnd > nameStart, i < n else { throw Failure(offset: position, message: "malformed start tag") }
            // Jump from quote to quote with memchr: '>' may legally appear inside a value.
            var gt = -1
            while true {
                guard let g = find(0x3E, from: i, to: n) else { break }
                let dq = find(0x22, from: i, to: g)
                let sq = find(0x27, from: i, to: g)
                let q: Int?
                if let dq, let sq { q = min(dq, sq) } else { q = dq ?? sq }
                guard let q else { gt = g; break }
                guard let close = find(p[q], from: q + 1, to: n) else { break }
                i = close + 1
            }
            guard gt >= 0, find(0x3C, from: nameEnd, to: gt) == nil else {
                throw Failure(offset: position, message: "unterminated start tag")
            }
            let selfClosing = p[gt - 1] == 0x2F && gt - 1 >= nameEnd
            let attrs = Span(start: nameEnd, end: selfClosing ? gt - 1 : gt)
            position = gt + 1
            let name = Span(start: nameStart, end: nameEnd)
            if !selfClosing {
                guard depth < maxDepth else { throw Failure(offset: position, message: "elements nested too deeply") }
                open[depth] = name
                depth += 1
            }
            return .start(name: localName(name), attributes: attrs, selfClosing: selfClosing)
        }
    }

    @inline(__always)
    private func localName(_ r: Span) -> Span {
        guard let colon = find(0x3A, from: r.start, to: r.end) else { return r }
        return Span(start: colon + 1, end: r.end)
    }

    /// Whether the bytes in `r` spell `literal` (ASCII).
    @inline(__always)
    func matches(_ r: Span, _ literal: StaticString) -> Bool {
        let len = literal.utf8CodeUnitCount
        guard r.end - r.start == len else { return false }
        let l = literal.utf8Start
        var i = 0
        while i < len {
            if p[r.start + i] != l[i] { return false }
            i += 1
        }
        return true
    }

    /// The raw value of attribute `name` (qualified name, exact) in `attrs`.
    func attribute(_ name: StaticString, in attrs: Span) -> Span? {
        var i = attrs.start
        let end = attrs.end
        while i < end {
            guard let eq = find(0x3D /* = */, from: i, to: end) else { return nil }
            var nameStart = i
            while nameStart < eq, Self.isSpace(p[nameStart]) { nameStart += 1 }
            var nameEnd = eq
            while nameEnd > nameStart, Self.isSpace(p[nameEnd - 1]) { nameEnd -= 1 }
            var q = eq + 1
            while q < end, Self.isSpace(p[q]) { q += 1 }
            guard q < end, p[q] == 0x22 || p[q] == 0x27 else { return nil }
            let valueStart = q + 1
            let valueEnd = find(p[q], from: valueStart, to: end) ?? end
            if matches(Span(start: nameStart, end: nameEnd), name) { return Span(start: valueStart, end: valueEnd) }
            i = valueEnd + 1
        }
        return nil
    }

    /// The `r`, `s` and `t` attributes of a `<c>` element, in one pass.
    func cellAttributes(_ attrs: Span) -> (r: Span?, s: Span?, t: Span?) {
        var r: Span? = nil, s: Span? = nil, t: Span? = nil
        var i = attrs.start
        let end = attrs.end
        while i < end {
            guard let eq = find(0x3D /* = */, from: i, to: end) else { break }
            var nameStart = i
            while nameStart < eq, p[nameStart] <= 0x20 { nameStart += 1 }
            var nameEnd = eq
            while nameEnd > nameStart, p[nameEnd - 1] <= 0x20 { nameEnd -= 1 }
            var q = eq + 1
            while q < end, p[q] <= 0x20 { q += 1 }
            guard q < end, p[q] == 0x22 || p[q] == 0x27 else { break }
            let valueStart = q + 1
            let valueEnd = find(p[q], from: valueStart, to: end) ?? end
            if nameEnd - nameStart == 1 {
                let value = Span(start: valueStart, end: valueEnd)
                switch p[nameStart] {
                case 0x72: r = value   // r
                case 0x73: s = value   // s
                case 0x74: t = value   // t
                default: break
                }
            }
            i = valueEnd + 1
        }
        return (r, s, t)
    }

    /// Decimal integer in `r`, or nil.
    func integer(_ r: Span) -> Int? {
        guard !r.isEmpty, r.count < 19 else { return nil }
        var v = 0
        var i = r.start
        while i < r.end {
            let c = p[i]
            guard c >= 0x30, c <= 0x39 else { return nil }
            v = v * 10 + Int(c - 0x30)
            i += 1
        }
        return v
    }

    /// 0-based column index of the cell reference in `r` (`AB12` → 27).
    func columnIndex(_ r: Span) -> Int? {
        var index = 0
        var letters = 0
        var i = r.start
        while i < r.end {
            let c = p[i]
            i += 1
            let v: Int
            if c >= 0x41, c <= 0x5A { v = Int(c) - 0x40 }
            else if c >= 0x61, c <= 0x7A { v = Int(c) - 0x60 }
            else if c == 0x24 { continue }  // $
            else { break }
            letters += 1
            if letters > 3 { return nil }
            index = index * 26 + v
        }
        return letters == 0 ? nil : index - 1
    }

    /// The bytes of `r` as a String (no entity decoding).
    @inline(__always)
    func string(_ r: Span) -> String {
        String(decoding: UnsafeBufferPointer(start: p + r.start, count: r.count), as: UTF8.self)
    }

    /// Appends the bytes of `r` to `out`, decoding entities and character references when
    /// `escaped`.
    func append(_ r: Span, escaped: Bool, to out: inout [UInt8]) throws(Failure) {
        guard escaped else {
            out.append(contentsOf: UnsafeBufferPointer(start: p + r.start, count: r.count))
            return
        }
        var i = r.start
        while i < r.end {
            guard let amp = find(0x26, from: i, to: r.end) else {
                out.append(contentsOf: UnsafeBufferPointer(start: p + i, count: r.end - i))
                return
            }
            out.append(contentsOf: UnsafeBufferPointer(start: p + i, count: amp - i))
            guard let semi = find(0x3B, from: amp, to: min(r.end, amp + 12)) else {
                throw Failure(offset: amp, message: "malformed entity reference")
            }
            let name = Span(start: amp + 1, end: semi)
            if matches(name, "amp") { out.append(0x26) }
            else if matches(name, "lt") { out.append(0x3C) }
            else if matches(name, "gt") { out.append(0x3E) }
            else if matches(name, "quot") { out.append(0x22) }
            else if matches(name, "apos") { out.append(0x27) }
            else if name.count >= 2, p[name.start] == 0x23 /* # */ {
                let hex = p[name.start + 1] == 0x78 || p[name.start + 1] == 0x58
                var v: UInt32 = 0
                var j = name.start + (hex ? 2 : 1)
                guard j < name.end else { throw Failure(offset: amp, message: "malformed character reference") }
                while j < name.end {
                    let d = p[j]
                    let dv: UInt32
                    if d >= 0x30, d <= 0x39 { dv = UInt32(d - 0x30) }
                    else if hex, d >= 0x61, d <= 0x66 { dv = UInt32(d - 0x61 + 10) }
                    else if hex, d >= 0x41, d <= 0x46 { dv = UInt32(d - 0x41 + 10) }
                    else { throw Failure(offset: amp, message: "malformed character reference") }
                    v = v * (hex ? 16 : 10) + dv
                    guard v <= 0x10FFFF else { throw Failure(offset: amp, message: "character reference out of range") }
                    j += 1
                }
                guard let scalar = Unicode.Scalar(v) else {
                    throw Failure(offset: amp, message: "malformed character reference")
                }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            } else {
                throw Failure(offset: amp, message: "unknown entity")
            }
            i = semi + 1
        }
    }
}

/// Runs `body` over the bytes of `data` with a scanner, mapping scanner failures to
/// ``SpreadsheetError/malformedPart(_:reason:)``.
func scanXML<R>(_ data: Data, part: String,
                _ body: (inout XMLScanner) throws(XMLScanner.Failure) -> R) throws(SpreadsheetError) -> R {
    guard !data.isEmpty else { throw .malformedPart(part, reason: "empty XML document") }
    let stack = UnsafeMutableBufferPointer<Span>.allocate(capacity: 256)
    defer { stack.deallocate() }
    let result = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Result<R, SpreadsheetError> in
        let buf = raw.bindMemory(to: UInt8.self)
        var scanner = XMLScanner(buf, stack: stack)
        do throws(XMLScanner.Failure) {
            return .success(try body(&scanner))
        } catch {
            let line = scanner.line(at: error.offset)
            return .failure(.malformedPart(part, reason: "XML error at line \(line): \(error.message)"))
        }
    }
    return try result.get()
}
