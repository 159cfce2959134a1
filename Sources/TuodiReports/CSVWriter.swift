// The one CSV writer for files people open in a spreadsheet (the quarterly return, every CLI
// listing): UTF-8 with a byte-order mark, so Excel on a Chinese Windows reads UTF-8 rather than
// GBK; CRLF line ends; RFC 4180 quoting; and text that Excel would run as a formula defused.
public enum CSVWriter {
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// A whole file: the byte-order mark, then each row on its own CRLF-ended line.
    public static func file(_ rows: [[String]]) -> [UInt8] {
        byteOrderMark + Array(rows.map { line($0) + "\r\n" }.joined().utf8)
    }

    /// One row, each cell defused and quoted as needed.
    public static func line(_ cells: [String]) -> String {
        cells.map { field(defused($0)) }.joined(separator: ",")
    }

    /// Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return
    /// first) gets a leading apostrophe, so a name typed into the registry cannot become code in
    /// Excel (OWASP's advice on CSV injection). A plain decimal such as `-3` or `+1.5` is left alone;
    /// anything else after the sign (`-inf`, `-0x1p3`, `-2+3`) counts as text, even if Swift would parse it.
    public static func defused(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return s }
        if isPlainDecimal(s) { return s }
        return "'" + s
    }

    /// An optional sign, digits, and at most one decimal point with digits around it.
    static func isPlainDecimal(_ s: String) -> Bool {
        var body = Substring(s)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        return (1...2).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { ("0"..."9").contains($0) } }
    }

    /// RFC 4180: a field with a comma, a double quote or a line break is quoted, quotes doubled.
    public static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
