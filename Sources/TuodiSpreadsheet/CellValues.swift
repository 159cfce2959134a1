/// Pure helpers that turn XLSX cell contents into display strings.
enum CellValues {
    /// 0-based column index of a cell reference such as `AB12` (`A` → 0, `AB` → 27).
    /// Returns nil when the reference does not start with letters.
    static func columnIndex(ofReference ref: String) -> Int? {
        var index = 0
        var letters = 0
        for c in ref.utf8 {
            let v: Int
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = Int(c - UInt8(ascii: "A")) + 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = Int(c - UInt8(ascii: "a")) + 1
            case UInt8(ascii: "$"): continue
            default:
                return letters == 0 ? nil : index - 1
            }
            letters += 1
            if letters > 3 { return nil } // XFD is the last column
            index = index * 26 + v
        }
        return letters == 0 ? nil : index - 1
    }

    /// Column letters for a 0-based index (0 → `A`, 27 → `AB`). Useful for messages.
    static func columnName(_ index: Int) -> String {
        var n = index + 1
        var scalars = [Character]()
        while n > 0 {
            let r = (n - 1) % 26
            scalars.append(Character(Unicode.Scalar(UInt8(65 + r))))
            n = (n - 1) / 26
        }
        return String(scalars.reversed())
    }

    /// Number text as written, except:
    /// - a fraction of zeros is dropped (`1200.0` → `1200`, `-5.000` → `-5`);
    /// - scientific notation is expanded textually (`1.2E3` → `1200`, `1E+20` →
    ///   `100000000000000000000`, `1.5E-3` → `0.0015`), without floating-point rounding.
    /// Text that is not a plain decimal number is returned unchanged.
    static func normalizeNumber(_ text: String) -> String {
        var hasDotOrExp = false
        for c in text.utf8 where c == UInt8(ascii: ".") || c == UInt8(ascii: "E") || c == UInt8(ascii: "e") {
            hasDotOrExp = true
            break
        }
        guard hasDotOrExp else { return text }

        var negative = false
        var digits = [UInt8]()      // significant digits, as ASCII
        var pointPos = -1           // digits before the decimal point
        var exponent = 0
        var sawDigit = false
        var it = Array(text.utf8)[...]
        if let f = it.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") {
            negative = f == UInt8(ascii: "-")
            it = it.dropFirst()
        }
        while let c = it.first {
            if c >= 0x30, c <= 0x39 {
                digits.append(c); sawDigit = true
            } else if c == UInt8(ascii: "."), pointPos < 0 {
                pointPos = digits.count
            } else if c == UInt8(ascii: "E") || c == UInt8(ascii: "e") {
                it = it.dropFirst()
                var expNeg = false
                if let s = it.first, s == UInt8(ascii: "-") || s == UInt8(ascii: "+") {
                    expNeg = s == UInt8(ascii: "-")
                    it = it.dropFirst()
                }
                guard !it.isEmpty, it.count <= 4 else { return text }
                for d in it {
                    guard d >= 0x30, d <= 0x39 else { return text }
                    exponent = exponent * 10 + Int(d - 0x30)
                }
                if expNeg { exponent = -exponent }
                it = it[it.endIndex...]
                break
            } else {
                return text
            }
            it = it.dropFirst()
        }
        guard sawDigit else { return text }
        if pointPos < 0 { pointPos = digits.count }
        pointPos += exponent
        // Refuse silly expansions (keep the text as written).
        guard pointPos <= 40, pointPos >= -40 else { return text }

        var intPart = [UInt8]()
        var fracPart = [UInt8]()
        if pointPos <= 0 {
            fracPart = Array(repeating: 0x30, count: -pointPos) + digits
        } else if pointPos >= digits.count {
            intPart = digits + Array(repeating: 0x30, count: pointPos - digits.count)
        } else {
            intPart = Array(digits[..<pointPos])
            fracPart = Array(digits[pointPos...])
        }
        while let l = intPart.first, l == 0x30, intPart.count > 1 { intPart.removeFirst() }
        if intPart.isEmpty { intPart = [0x30] }
        while let l = fracPart.last, l == 0x30 { fracPart.removeLast() }
        // A plain decimal with a non-zero fraction and no exponent stays as written.
        if !fracPart.isEmpty, exponent == 0, !text.utf8.contains(UInt8(ascii: "E")),
           !text.utf8.contains(UInt8(ascii: "e")) {
            return text
        }
        let isZero = intPart == [0x30] && fracPart.isEmpty
        var out = (negative && !isZero) ? [UInt8(ascii: "-")] : []
        out += intPart
        if !fracPart.isEmpty { out.append(UInt8(ascii: ".")); out += fracPart }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether a number format code shows a date. Quoted literals, `\`-escapes,
    /// `[…]` sections (colours, locales, elapsed time), `_x` and `*x` are ignored; only
    /// the first section (before `;`) counts. A code with `y`, `d` or `e` (era year) is a date;
    /// `m` alone (no `h`/`s`) is a month, hence a date; `m` with `h`/`s` is minutes.
    static func isDateFormatCode(_ code: String) -> Bool {
        // "General" contains e/r/a/l; scientific "0.00E+00" contains E: both are numbers.
        if code.lowercased().hasPrefix("general") { return false }
        if code.contains("0E+") || code.contains("0E-") || code.contains("0e+") || code.contains("0e-") { return false }
        var hasY = false, hasD = false, hasM = false, hasHS = false
        var inQuote = false, inBracket = false, skipNext = false
        for c in code.utf8 {
            if skipNext { skipNext = false; continue }
            if inQuote { if c == UInt8(ascii: "\"") { inQuote = false }; continue }
            if inBracket { if c == UInt8(ascii: "]") { inBracket = false }; continue }
            switch c {
            case UInt8(ascii: "\""): inQuote = true
            case UInt8(ascii: "["): inBracket = true
            case UInt8(ascii: "\\"), UInt8(ascii: "_"), UInt8(ascii: "*"): skipNext = true
            case UInt8(ascii: ";"): return hasY || hasD || (hasM && !hasHS)
            case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "e"), UInt8(ascii: "E"): hasY = true
            case UInt8(ascii: "d"), UInt8(ascii: "D"): hasD = true
            case UInt8(ascii: "m"), UInt8(ascii: "M"): hasM = true
            case UInt8(ascii: "h"), UInt8(ascii: "H"), UInt8(ascii: "s"), UInt8(ascii: "S"): hasHS = true
            default: break
            }
        }
        return hasY || hasD || (hasM && !hasHS)
    }

    /// Built-in number format ids that show a date (ECMA-376 §18.8.30): 14–17 and 22,
    /// plus the zh-CN locale dates 27–31, 36, 50–54, 57, 58. Time-only ids (18–21, 32–35,
    /// 45–47, 55, 56) are not dates: such cells keep their number text.
    static func isBuiltinDateFormat(_ id: Int) -> Bool {
        switch id {
        case 14...17, 22, 27...31, 36, 50...54, 57, 58: return true
        default: return false
        }
    }

    /// ISO `YYYY-MM-DD` for an Excel serial date, or nil when out of range
    /// (before the epoch or after 9999-12-31). In the 1900 system serial 60 is Excel's
    /// fictitious 1900-02-29 and serial 0 is rejected; in the 1904 system 0 is 1904-01-01.
    static func isoDate(serial: Double, date1904: Bool) -> String? {
        guard serial.isFinite else { return nil }
        // Excel keeps times to the millisecond: 23:59:59.9995 and later round up.
        let day = Int((serial + 0.5 / 86_400_000).rounded(.down))
        let civilDay: Int  // days since 1970-01-01
        if date1904 {
            guard day >= 0 else { return nil }
            civilDay = day + daysFromCivil(1904, 1, 1)
        } else {
            guard day >= 1 else { return nil }
            if day == 60 { return "1900-02-29" }
            civilDay = daysFromCivil(1899, 12, day < 60 ? 31 : 30) + day
        }
        let (y, m, d) = civilFromDays(civilDay)
        guard y <= 9999 else { return nil }
        let digits: [UInt8] = [
            UInt8(48 + y / 1000), UInt8(48 + y / 100 % 10), UInt8(48 + y / 10 % 10), UInt8(48 + y % 10), 0x2D,
            UInt8(48 + m / 10), UInt8(48 + m % 10), 0x2D, UInt8(48 + d / 10), UInt8(48 + d % 10),
        ]
        return String(decoding: digits, as: UTF8.self)
    }

    /// Days since 1970-01-01 (proleptic Gregorian), after H. Hinnant's algorithm.
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
