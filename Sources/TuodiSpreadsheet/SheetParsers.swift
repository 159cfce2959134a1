import Foundation

// Parsers for the two large parts, on top of XMLScanner. Element names are compared on
// their local name, so prefixed documents (`<x:c>` from some .NET writers) work too.

// MARK: - Shared strings (`xl/sharedStrings.xml`)

enum SharedStringsParser {
    /// The string items in order, trimmed: plain `<si><t>` and rich text `<si><r><t>` runs
    /// joined; phonetic runs (`<rPh>`) left out; `_xHHHH_` escapes decoded.
    static func parse(_ data: Data, part: String) throws(SpreadsheetError) -> [String] {
        try scanXML(data, part: part) { (x) throws(XMLScanner.Failure) -> [String] in
            var strings: [String] = []
            var buf: [UInt8] = []
            var single: Span? = nil      // the item's only text run, when not escaped
            var runs = 0
            var inItem = false
            var capturing = false
            var phoneticDepth = 0
            // The first unescaped run stays a span of the document; later runs go to buf.
            func addRun(_ r: Span, escaped: Bool) throws(XMLScanner.Failure) {
                runs += 1
                if runs == 1, !escaped { single = r; return }
                if let first = single {
                    try x.append(first, escaped: false, to: &buf)
                    single = nil
                }
                try x.append(r, escaped: escaped, to: &buf)
            }
            while true {
                switch try x.next() {
                case .start(let name, let attrs, let selfClosing):
                    if x.matches(name, "si") {
                        inItem = !selfClosing
                        buf.removeAll(keepingCapacity: true)
                        single = nil
                        runs = 0
                        if selfClosing { strings.append("") }
                    } else if x.matches(name, "t") {
                        capturing = inItem && phoneticDepth == 0 && !selfClosing
                    } else if x.matches(name, "rPh") {
                        if !selfClosing { phoneticDepth += 1 }
                    } else if x.matches(name, "sst"), let c = x.attribute("uniqueCount", in: attrs),
                              let count = x.integer(c) {
                        strings.reserveCapacity(min(count, 1 << 20))
                    }
                case .end(let name):
                    if x.matches(name, "t") {
                        capturing = false
                    } else if x.matches(name, "si") {
                        var s: String
                        var marker: Bool
                        if let single {
                            s = trimmedString(x.p, single.start, single.end)
                            marker = containsEscapeMarker(x.p, single.start, single.end)
                        } else {
                            (s, marker) = buf.withUnsafeBufferPointer { b in
                                guard let base = b.baseAddress else { return ("", false) }
                                return (trimmedString(base, 0, b.count), containsEscapeMarker(base, 0, b.count))
                            }
                        }
                        if marker { s = trimCell(decodeOOXMLEscapes(s)) }
                        strings.append(s)
                        inItem = false
                    } else if x.matches(name, "rPh") {
                        phoneticDepth -= 1
                    }
                case .text(let r, let escaped):
                    if capturing { try addRun(r, escaped: escaped) }
                case .cdata(let r):
                    if capturing { try addRun(r, escaped: false) }
                case .endOfInput:
                    return strings
                }
            }
        }
    }
}

// MARK: - Worksheet (`xl/worksheets/sheetN.xml`)

/// Reads `<sheetData>` row by row into a ``TableBuilder``.
struct SheetParser {
    let sharedStrings: [String]
    /// Per cell style index (`s`): whether the number format is a date.
    let dateStyles: [Bool]
    let date1904: Bool

    func parse(_ data: Data, part: String, into builder: inout TableBuilder) throws(SpreadsheetError) {
        var state = SheetState(sharedStrings: sharedStrings, dateStyles: dateStyles, date1904: date1904, builder: builder)
        try scanXML(data, part: part) { (x) throws(XMLScanner.Failure) in
            try state.run(&x)
        }
        builder = state.builder
    }
}

private enum CellType { case number, shared, string, inline, bool, error, isoDate }

private struct SheetState {
    let sharedStrings: [String]
    let dateStyles: [Bool]
    let date1904: Bool
    var builder: TableBuilder

    var rowNumber = 0
    var rowCells: [String] = []
    var nextColumn = 0
    var column = 0
    var type = CellType.number
    var style = 0
    var inCell = false
    /// `<v>` text: a span of the document when it is one unescaped run, else `buf`.
    var valueSpan: Span? = nil
    var valueInBuffer = false
    var hasValue = false
    var inlineText: String? = nil
    var buf: [UInt8] = []
    var runs = 0
    var capturing = false
    var inInline = false
    var phoneticDepth = 0

    init(sharedStrings: [String], dateStyles: [Bool], date1904: Bool, builder: TableBuilder) {
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
        self.date1904 = date1904
        self.builder = builder
    }

    mutating func run(_ x: inout XMLScanner) throws(XMLScanner.Failure) {
        while true {
            switch try x.next() {
            case .start(let name, let attrs, let selfClosing):
                if x.matches(name, "c") {
                    let a = x.cellAttributes(attrs)
                    if let r = a.r, let col = x.columnIndex(r) {
                        column = col
                    } else {
                        column = nextColumn
                    }
                    type = .number
                    if let t = a.t {
                        if x.matches(t, "s") { type = .shared }
                        else if x.matches(t, "n") { type = .number }
                        else if x.matches(t, "str") { type = .string }
                        else if x.matches(t, "inlineStr") { type = .inline }
                        else if x.matches(t, "b") { type = .bool }
                        else if x.matches(t, "e") { type = .error }
                        else if x.matches(t, "d") { type = .isoDate }
                        else { type = .string }
                    }
                    style = 0
                    if let s = a.s, let v = x.integer(s) { style = v }
                    hasValue = false
                    inlineText = nil
                    inCell = true
                    if selfClosing { finishCell(&x) }
                } else if x.matches(name, "v") {
                    beginText()
                    capturing = inCell && !selfClosing
                } else if x.matches(name, "row") {
                    if let r = x.attribute("r", in: attrs), let v = x.integer(r) {
                        rowNumber = v
                    } else {
                        rowNumber += 1
                    }
                    rowCells.removeAll(keepingCapacity: true)
                    nextColumn = 0
                    if selfClosing { builder.add(number: rowNumber, cells: rowCells) }
                } else if x.matches(name, "is") {
                    inInline = !selfClosing
                    beginText()
                } else if x.matches(name, "t") {
                    if inInline, phoneticDepth == 0, !selfClosing { capturing = true }
                } else if x.matches(name, "rPh") {
                    if !selfClosing { phoneticDepth += 1 }
                }
            case .end(let name):
                if x.matches(name, "v") {
                    capturing = false
                    if inCell { hasValue = true }
                } else if x.matches(name, "c") {
                    finishCell(&x)
                } else if x.matches(name, "row") {
                    builder.add(number: rowNumber, cells: rowCells)
                } else if x.matches(name, "t") {
                    if inInline { capturing = false }
                } else if x.matches(name, "is") {
                    inInline = false
                    inlineText = unescapedText(x)
                } else if x.matches(name, "rPh") {
                    phoneticDepth -= 1
                } else if x.matches(name, "sheetData") {
                    return  // merged cells, validations etc. follow: not needed
                }
            case .text(let r, let escaped):
                if capturing { try addText(r, escaped: escaped, &x) }
            case .cdata(let r):
                if capturing { try addText(r, escaped: false, &x) }  // CDATA is raw text
            case .endOfInput:
                return
            }
        }
    }

    private mutating func beginText() {
        runs = 0
        valueSpan = nil
        valueInBuffer = false
    }

    private mutating func addText(_ r: Span, escaped: Bool, _ x: inout XMLScanner) throws(XMLScanner.Failure) {
        runs += 1
        if runs == 1, !escaped {
            valueSpan = r
            return
        }
        if !valueInBuffer {
            buf.removeAll(keepingCapacity: true)
            if let first = valueSpan { try x.append(first, escaped: false, to: &buf) }
            valueSpan = nil
            valueInBuffer = true
        }
        try x.append(r, escaped: escaped, to: &buf)
    }

    /// Calls `body` with the bytes of the current text (from `<v>` or `<is>`).
    private func withText<R>(_ x: XMLScanner, _ body: (UnsafePointer<UInt8>, Int, Int) -> R) -> R {
        if let s = valueSpan { return body(x.p, s.start, s.end) }
        if valueInBuffer, !buf.isEmpty {
            return buf.withUnsafeBufferPointer { body($0.baseAddress!, 0, $0.count) }
        }
        return body(x.p, 0, 0)
    }

    /// The current text, trimmed, or "" if none.
    private func text(_ x: XMLScanner) -> String {
        withText(x) { p, s, e in trimmedString(p, s, e) }
    }

    /// The current text, trimmed, with `_xHHHH_` escapes decoded.
    private func unescapedText(_ x: XMLScanner) -> String {
        withText(x) { p, s, e in
            let t = trimmedString(p, s, e)
            return containsEscapeMarker(p, s, e) ? trimCell(decodeOOXMLEscapes(t)) : t
        }
    }

    private mutating func finishCell(_ x: inout XMLScanner) {
        let cell = resolve(x)
        if !cell.isEmpty, column < 16_384 {
            while rowCells.count < column { rowCells.append("") }
            if rowCells.count == column { rowCells.append(cell) } else { rowCells[column] = cell }
        }
        nextColumn = column + 1
        inCell = false
        hasValue = false
    }

    private func resolve(_ x: XMLScanner) -> String {
        switch type {
        case .shared:
            guard hasValue else { return "" }
            let index = withText(x) { p, s, e -> Int? in
                var v = 0, digits = 0, i = s
                while i < e {
                    let c = p[i]
                    i += 1
                    if c >= 0x30, c <= 0x39 { v = v &* 10 &+ Int(c - 0x30); digits += 1; continue }
                    if c <= 0x20 { continue }
                    return nil
                }
                return digits > 0 && digits < 19 ? v : nil
            }
            guard let index, index < sharedStrings.count else { return "" }
            return sharedStrings[index]
        case .inline:
            return inlineText ?? (hasValue ? unescapedText(x) : "")
        case .string:
            return hasValue ? unescapedText(x) : ""
        case .error:
            return hasValue ? text(x) : ""
        case .bool:
            guard hasValue else { return "" }
            let t = text(x)
            switch t {
            case "1", "true", "TRUE", "True": return "TRUE"
            case "0", "false", "FALSE", "False": return "FALSE"
            default: return t
            }
        case .isoDate:
            guard hasValue else { return "" }
            let t = text(x)
            let u = t.utf8
            if u.count >= 10 {
                let a = Array(u.prefix(10))
                if a[4] == UInt8(ascii: "-"), a[7] == UInt8(ascii: "-") { return String(decoding: a, as: UTF8.self) }
            }
            return t
        case .number:
            guard hasValue else { return "" }
            let isDate = style > 0 && style < dateStyles.count && dateStyles[style]
            return withText(x) { p, s, e in
                if s == e { return "" }
                let t = trimmedString(p, s, e)
                if isDate, let serial = Double(t), let iso = CellValues.isoDate(serial: serial, date1904: date1904) {
                    return iso
                }
                // Fast path: plain integers and decimals with a non-zero fraction stay as written.
                if memchr(p + s, 0x45, e - s) == nil, memchr(p + s, 0x65, e - s) == nil {
                    guard let dot = memchr(p + s, 0x2E, e - s) else { return t }
                    var i = UnsafeRawPointer(p).distance(to: UnsafeRawPointer(dot)) + 1
                    var zeros = true
                    while i < e { if p[i] != 0x30 { zeros = false; break }; i += 1 }
                    if !zeros { return t }
                }
                return CellValues.normalizeNumber(t)
            }
        }
    }
}
