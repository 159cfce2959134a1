import Foundation

/// RFC 4180 CSV reader over UTF-8 bytes.
///
/// Decoding: UTF-8 BOM → UTF-8; UTF-16 BOM → UTF-16; otherwise UTF-8 if valid, else
/// GB18030 (a superset of GBK/GB2312), else ``SpreadsheetError/notUTF8``.
/// Delimiter: comma, or tab when the first record has tabs and no commas.
/// Quotes: a field starting with `"` is quoted (`""` inside is one quote; commas and
/// line breaks are literal); after the closing quote only a delimiter or line end may
/// follow. A `"` inside an unquoted field is kept literally, as Excel does.
enum CSVReader {
    /// `String.Encoding` for GB18030-2000. This is what
    /// `CFStringConvertEncodingToNSStringEncoding(kCFStringEncodingGB_18030_2000)` returns
    /// (0x0632 | 0x8000_0000); the CF function itself is not exported by Foundation on
    /// Linux, so the value is spelled out. Verified to round-trip on Linux Foundation.
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    static func read(_ bytes: [UInt8], into builder: inout TableBuilder) throws(SpreadsheetError) {
        let text = try decode(bytes)
        try text.withUnsafeBufferPointer { (buf) throws(SpreadsheetError) in
            try parse(buf, into: &builder)
        }
    }

    /// Returns UTF-8 bytes without BOM.
    static func decode(_ bytes: [UInt8]) throws(SpreadsheetError) -> [UInt8] {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            let body = Array(bytes[3...])
            guard !body.contains(0), isValidUTF8(body) else { throw .notUTF8 }
            return body
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let little = bytes[0] == 0xFF
            var units = [UInt16]()
            units.reserveCapacity(bytes.count / 2)
            var i = 2
            while i + 1 < bytes.count {
                let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
                units.append(little ? (a | b << 8) : (a << 8 | b))
                i += 2
            }
            guard let s = String(validating: units, as: UTF16.self) else { throw .notUTF8 }
            return Array(s.utf8)
        }
        // Text files have no NUL bytes; binary input is rejected before decoding.
        if bytes.contains(0) { throw .notUTF8 }
        if isValidUTF8(bytes) { return bytes }
        // UTF-8 with a few damaged bytes would decode as GB18030 mojibake: refuse it.
        if looksLikeDamagedUTF8(bytes) { throw .notUTF8 }
        if let s = String(data: Data(bytes), encoding: gb18030) {
            return Array(s.utf8)
        }
        throw .notUTF8
    }

    /// True when the bytes are mostly well-formed multi-byte UTF-8 with only rare
    /// invalid spots. GBK/GB18030 text read as UTF-8 is invalid almost everywhere.
    static func looksLikeDamagedUTF8(_ bytes: [UInt8]) -> Bool {
        var valid = 0, invalid = 0
        bytes.withUnsafeBufferPointer { b in
            let n = b.count
            var i = 0
            while i < n {
                let c = b[i]
                if c < 0x80 { i += 1; continue }
                let len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0
                var ok = len > 0 && i + len <= n
                var k = 1
                while ok, k < len { ok = b[i + k] & 0xC0 == 0x80; k += 1 }
                if ok { valid += 1; i += len } else { invalid += 1; i += 1 }
            }
        }
        return valid >= 8 && invalid * 20 <= valid
    }

    private static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        String(validating: bytes, as: UTF8.self) != nil
    }

    private static let quote = UInt8(ascii: "\"")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    /// Picks `,` unless the first record has tabs and no commas outside quotes.
    static func delimiter(_ b: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var inQuotes = false
        var commas = 0, tabs = 0
        for c in b {
            if c == quote { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if c == lf || c == cr { break }
            if c == UInt8(ascii: ",") { commas += 1 } else if c == 0x09 { tabs += 1 }
        }
        return commas == 0 && tabs > 0 ? 0x09 : UInt8(ascii: ",")
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>, into builder: inout TableBuilder) throws(SpreadsheetError) {
        let n = b.count
        let delim = delimiter(b)
        var i = 0
        var row = 1          // 1-based record number
        var line = 1         // 1-based physical line of position i
        var record = [String]()
        var scratch = [UInt8]()

        while i < n {
            // Start of a field.
            if b[i] == quote {
                let startLine = line
                scratch.removeAll(keepingCapacity: true)
                i += 1
                var closed = false
                var segment = i
                while i < n {
                    let c = b[i]
                    if c == quote {
                        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: b[segment..<i]))
                        if i + 1 < n, b[i + 1] == quote {
                            scratch.append(quote)
                            i += 2
                            segment = i
                            continue
                        }
                        i += 1
                        closed = true
                        break
                    }
                    if c == lf || (c == cr && (i + 1 == n || b[i + 1] != lf)) { line += 1 }
                    i += 1
                }
                guard closed else { throw .malformedCSVQuote(row: row, line: startLine) }
                record.append(scratch.withUnsafeBufferPointer { trimmedString($0.baseAddress ?? b.baseAddress!, 0, $0.count) })
                if i < n, b[i] != delim, b[i] != cr, b[i] != lf {
                    throw .malformedCSVQuote(row: row, line: line)
                }
            } else {
                let start = i
                while i < n {
                    let c = b[i]
                    if c == delim || c == cr || c == lf { break }
                    i += 1
                }
                record.append(trimmedString(b.baseAddress!, start, i))
            }
            // After a field: delimiter, line end or end of input.
            if i >= n { break }
            let c = b[i]
            if c == delim {
                i += 1
                if i == n { record.append("") }
                continue
            }
            // Line end: CRLF, LF or lone CR.
            i += (c == cr && i + 1 < n && b[i + 1] == lf) ? 2 : 1
            line += 1
            builder.add(number: row, cells: record)
            record.removeAll(keepingCapacity: true)
            row += 1
        }
        if !record.isEmpty { builder.add(number: row, cells: record) }
    }
}
