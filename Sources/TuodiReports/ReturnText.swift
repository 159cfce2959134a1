import Foundation

// Spelling numbers and escaping text, shared by the writers. Nothing here depends on the
// locale or the clock, so the same value is always spelled the same way.
enum ReturnText {
    /// A double in plain decimal notation, never with an exponent (xs:decimal, CSV and Excel
    /// all read it): the shortest digits that round-trip, and no ".0" on whole numbers.
    static func decimal(_ d: Double) -> String {
        precondition(d.isFinite, "a figure of the quarterly return is not finite: \(d)")
        if d.rounded() == d, abs(d) < 1e15 { return String(Int64(d)) }
        let shortest = "\(d)"
        guard let e = shortest.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return shortest }
        // Move the point of the mantissa by the exponent.
        let exponent = Int(shortest[shortest.index(after: e)...])!
        var mantissa = String(shortest[..<e])
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts[0]), fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = whole + fraction
        var point = whole.count + exponent
        if point <= 0 {
            digits = String(repeating: "0", count: 1 - point) + digits
            point = 1
        } else if point > digits.count {
            digits += String(repeating: "0", count: point - digits.count)
        }
        var text = String(digits.prefix(point))
        var tail = String(digits.dropFirst(point))
        while tail.hasSuffix("0") { tail.removeLast() }
        if !tail.isEmpty { text += "." + tail }
        return (negative ? "-" : "") + text
    }

    /// A rate as a decimal with four places ("0.8333"), as the CSV states it.
    static func rateDecimal(_ rate: Double) -> String { String(format: "%.4f", rate) }

    /// A rate as a percentage with two places ("83.33%"), as people read it.
    static func percent(_ rate: Double) -> String { String(format: "%.2f%%", rate * 100) }

    /// Text for XML character data or an attribute value. Characters XML 1.0 cannot carry at
    /// all (most C0 controls, lone surrogates cannot occur in a Swift String) become U+FFFD.
    static func xml(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                let allowed = v >= 0x20 && v != 0xFFFE && v != 0xFFFF
                out.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return out
    }

    /// HTML escapes are XML's; `&apos;` is HTML5 too.
    static func html(_ s: String) -> String { xml(s) }
}
