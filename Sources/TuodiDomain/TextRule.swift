/// What any stored text may be. Control characters are refused everywhere: PostgreSQL rejects
/// a NUL outright (a 500, once), SQLite stores it and reads the text back cut short, and none of
/// them means anything in a name, an address or a reason. Multi-line fields (reasons, notes)
/// keep tab and line breaks. Lengths are counted in characters, as a person counts them.
public enum TextRule {
    /// The problem with `value`, or nil when it is fine.
    public static func problem(in value: String, field: String, maxLength: Int, multiline: Bool = false) -> FieldError? {
        if let bad = value.unicodeScalars.first(where: { isRefused($0, multiline: multiline) }) {
            let code = String(bad.value, radix: 16, uppercase: true)
            return FieldError(field: field, code: "control",
                              message: "字段 \(field) 含有不允许的控制字符（U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code)）")
        }
        let length = value.count
        if length > maxLength {
            return FieldError(field: field, code: "tooLong", message: "字段 \(field) 过长：最多 \(maxLength) 个字符，实为 \(length) 个")
        }
        return nil
    }

    static func isRefused(_ scalar: Unicode.Scalar, multiline: Bool) -> Bool {
        guard scalar.properties.generalCategory == .control else { return false }
        return !(multiline && ["\t", "\n", "\r"].contains(scalar))
    }
}
