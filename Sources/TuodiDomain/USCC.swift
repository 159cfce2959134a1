/// A Unified Social Credit Code (统一社会信用代码), GB 32100-2015.
///
/// Only a code whose 18th character is the checksum of the first 17 can be constructed, so a
/// `USCC` value in hand is always a valid one.
public struct USCC: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The 18 characters, upper case.
    public let value: String

    /// The 31 symbols, in value order 0–30 (no I, O, S, V or Z).
    static let alphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    /// Weights of positions 1–17.
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Validates `raw` exactly: no trimming, no case folding.
    public init(validating raw: String) throws(USCCError) {
        let chars = Array(raw)
        guard chars.count == 18 else { throw .wrongLength(chars.count) }
        var values: [Int] = []
        values.reserveCapacity(18)
        for (index, ch) in chars.enumerated() {
            guard let v = Self.alphabet.firstIndex(of: ch) else {
                throw .invalidCharacter(ch, position: index + 1)
            }
            values.append(v)
        }
        let expected = Self.checkValue(of: values[0..<17])
        guard values[17] == expected else {
            throw .checksumMismatch(expected: Self.alphabet[expected], found: chars[17])
        }
        value = raw
    }

    /// The check value for the first 17 symbol values: (31 − Σ(value×weight) mod 31) mod 31.
    static func checkValue(of values: ArraySlice<Int>) -> Int {
        var sum = 0
        for (v, w) in zip(values, weights) { sum += v * w }
        return (31 - sum % 31) % 31
    }

    /// Completes a 17-character body with its check character; `nil` if a character is not in
    /// the alphabet. Used to build demo and test data, never to "repair" user input.
    public static func withCheckCharacter(body: String) -> USCC? {
        let chars = Array(body)
        guard chars.count == 17 else { return nil }
        var values: [Int] = []
        for ch in chars {
            guard let v = alphabet.firstIndex(of: ch) else { return nil }
            values.append(v)
        }
        let check = alphabet[checkValue(of: values[...])]
        return try? USCC(validating: body + String(check))
    }

    /// Positions 3–8: the administrative area code of the registering authority.
    public var registeringAreaCode: Substring { value.dropFirst(2).prefix(6) }

    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(validating: raw) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
    public static func < (a: USCC, b: USCC) -> Bool { a.value < b.value }
}

/// Why a string is not a valid USCC.
public enum USCCError: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongLength(Int)
    case invalidCharacter(Character, position: Int)
    case checksumMismatch(expected: Character, found: Character)

    /// A stable machine-readable code for API clients.
    public var code: String {
        switch self {
        case .wrongLength: "length"
        case .invalidCharacter: "character"
        case .checksumMismatch: "checksum"
        }
    }

    /// The message shown to bureau staff.
    public var description: String {
        switch self {
        case .wrongLength(let n):
            "统一社会信用代码应为 18 位，实为 \(n) 位"
        case .invalidCharacter(let ch, let position):
            "统一社会信用代码第 \(position) 位“\(ch)”不是有效字符（只允许数字和除 I、O、S、V、Z 以外的大写字母）"
        case .checksumMismatch(let expected, let found):
            "统一社会信用代码校验位错误：第 18 位应为“\(expected)”，实为“\(found)”"
        }
    }
}
