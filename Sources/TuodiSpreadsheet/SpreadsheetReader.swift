import Foundation

/// Reads CSV and XLSX bytes into a ``SheetTable``.
///
/// All functions are pure and thread-safe; a call holds no state after it returns.
public enum SpreadsheetReader {
    /// Reads `bytes` in the given format.
    ///
    /// For XLSX, the first visible worksheet in workbook order is read (hidden sheets
    /// are skipped unless every sheet is hidden). Cell texts:
    /// - strings (shared, inline, formula results) as stored;
    /// - numbers as written in the file, except that an integral value loses its
    ///   fraction/exponent (`1200.0` → `1200`, `1.2E3` → `1200`, `1E+20` → 100000000000000000000)
    ///   and other scientific notation is expanded (`1.5E-3` → `0.0015`);
    /// - numbers styled with a date format → `YYYY-MM-DD` (time of day dropped);
    /// - booleans → `TRUE` / `FALSE` (as Excel displays them);
    /// - errors → their code, e.g. `#N/A`, `#DIV/0!`;
    /// - formulas → their cached result (empty if the writer stored none).
    public static func read(_ bytes: [UInt8], format: SpreadsheetFormat) throws(SpreadsheetError) -> SheetTable {
        var builder = TableBuilder()
        switch format {
        case .csv:
            try CSVReader.read(bytes, into: &builder)
        case .xlsx:
            guard !bytes.isEmpty else { throw .emptyFile }
            try XLSXReader.read(bytes, into: &builder)
        }
        return try builder.finish()
    }

    /// Detects the format with ``SpreadsheetFormat/detect(fileName:bytes:)`` and reads
    /// the bytes; throws ``SpreadsheetError/unsupportedFormat(_:)`` when it is neither.
    public static func read(_ bytes: [UInt8], fileName: String?) throws(SpreadsheetError) -> SheetTable {
        guard let format = SpreadsheetFormat.detect(fileName: fileName, bytes: bytes) else {
            if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
                throw .unsupportedFormat("legacy .xls or password-protected workbook")
            }
            if bytes.starts(with: Array("%PDF".utf8)) { throw .unsupportedFormat("PDF") }
            if bytes.isEmpty { throw .emptyFile }
            throw .unsupportedFormat(nil)
        }
        return try read(bytes, format: format)
    }
}

/// Collects raw rows, trims cells, picks the header row and skips empty rows.
struct TableBuilder {
    private(set) var headers: [String]?
    private(set) var rows: [SheetRow] = []

    /// Adds one row of trimmed cells (index = column).
    mutating func add(number: Int, cells: [String]) {
        guard let headers else {
            var header = cells
            while let last = header.last, last.isEmpty { header.removeLast() }
            if !header.isEmpty { self.headers = header }
            return
        }
        let width = headers.count
        let used = min(width, cells.count)
        var nonEmpty = false
        var i = 0
        while i < used {
            if !cells[i].isEmpty { nonEmpty = true; break }
            i += 1
        }
        guard nonEmpty else { return }
        var out = used == cells.count ? cells : Array(cells[0..<used])
        if used < width { out.append(contentsOf: repeatElement("", count: width - used)) }
        rows.append(SheetRow(number: number, cells: out))
    }

    func finish() throws(SpreadsheetError) -> SheetTable {
        guard let headers else { throw .emptyFile }
        return SheetTable(headers: headers, rows: rows)
    }
}

/// A String from the UTF-8 bytes `p[start..<end]`, trimmed like ``trimCell(_:)`` but on
/// the bytes (no Unicode tables, no intermediate strings).
@inline(__always)
func trimmedString(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> String {
    var s = start, e = end
    while s < e {
        let k = whitespaceLength(p, at: s, end: e)
        if k == 0 { break }
        s += k
    }
    while e > s {
        let k = whitespaceLengthBefore(p, end: e, start: s)
        if k == 0 { break }
        e -= k
    }
    if s == e { return "" }
    return String(decoding: UnsafeBufferPointer(start: p + s, count: e - s), as: UTF8.self)
}

/// Byte length of the whitespace scalar starting at `p[i]` (0 if none). Covers Unicode
/// White_Space (ASCII, U+0085, U+00A0, U+1680, U+2000–200A, U+2028/9, U+202F, U+205F,
/// U+3000) plus U+200B and U+FEFF.
@inline(__always)
func whitespaceLength(_ p: UnsafePointer<UInt8>, at i: Int, end: Int) -> Int {
    let c = p[i]
    if c < 0x80 { return c == 0x20 || (c >= 0x09 && c <= 0x0D) ? 1 : 0 }
    switch c {
    case 0xC2:
        return i + 1 < end && (p[i + 1] == 0x85 || p[i + 1] == 0xA0) ? 2 : 0
    case 0xE1, 0xE2, 0xE3, 0xEF:
        guard i + 2 < end else { return 0 }
        return isWideSpace(c, p[i + 1], p[i + 2]) ? 3 : 0
    default:
        return 0
    }
}

/// Byte length of the whitespace scalar ending just before `p[end]` (0 if none).
@inline(__always)
func whitespaceLengthBefore(_ p: UnsafePointer<UInt8>, end: Int, start: Int) -> Int {
    let c = p[end - 1]
    if c < 0x80 { return c == 0x20 || (c >= 0x09 && c <= 0x0D) ? 1 : 0 }
    if end - 2 >= start, p[end - 2] == 0xC2, c == 0x85 || c == 0xA0 { return 2 }
    if end - 3 >= start, isWideSpace(p[end - 3], p[end - 2], c) { return 3 }
    return 0
}

@inline(__always)
private func isWideSpace(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
    switch a {
    case 0xE1: return b == 0x9A && c == 0x80                                   // U+1680
    case 0xE2:
        if b == 0x80 { return c <= 0x8B || c == 0xA8 || c == 0xA9 || c == 0xAF } // U+2000–200B, 2028/9, 202F
        return b == 0x81 && c == 0x9F                                           // U+205F
    case 0xE3: return b == 0x80 && c == 0x80                                    // U+3000
    case 0xEF: return b == 0xBB && c == 0xBF                                    // U+FEFF
    default: return false
    }
}

/// Whether `p[start..<end]` contains `_x` (a possible `_xHHHH_` escape).
@inline(__always)
func containsEscapeMarker(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
    var i = start
    while i + 6 < end, let q = memchr(p + i, 0x5F, end - i - 6) {
        let j = UnsafeRawPointer(p).distance(to: UnsafeRawPointer(q))
        if p[j + 1] == 0x78 { return true }
        i = j + 1
    }
    return false
}

/// Trims whitespace (Unicode `White_Space`, incl. U+3000 and NBSP) plus BOM / zero-width
/// spaces from both ends. Fast path: plain ASCII ends are returned as is.
@inline(__always)
func trimCell(_ s: String) -> String {
    let utf8 = s.utf8
    guard let first = utf8.first, let last = utf8.last else { return s }
    if first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return s }
    let scalars = s.unicodeScalars
    var start = scalars.startIndex
    var end = scalars.endIndex
    while start < end, isTrimmable(scalars[start]) { start = scalars.index(after: start) }
    while end > start, isTrimmable(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
    if start == scalars.startIndex, end == scalars.endIndex { return s }
    return String(scalars[start..<end])
}

@inline(__always)
private func isTrimmable(_ u: Unicode.Scalar) -> Bool {
    u.properties.isWhitespace || u.value == 0xFEFF || u.value == 0x200B
}
