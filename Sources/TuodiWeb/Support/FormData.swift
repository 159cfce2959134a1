import Foundation

/// A posted `application/x-www-form-urlencoded` body or a query string, decoded.
struct FormData: Sendable {
    private var values: [(String, String)] = []

    init(urlEncoded text: String) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0]), value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values.append((key, value))
        }
    }

    /// Form encoding writes a space as `+`; everything else is percent-encoded UTF-8.
    private static func decode(_ raw: Substring) -> String {
        let spaced = raw.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// The first value of `key`, trimmed; `nil` when absent or blank.
    subscript(_ key: String) -> String? {
        guard let v = values.first(where: { $0.0 == key })?.1.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else {
            return nil
        }
        return v
    }

    /// The value of `key` as typed (for re-showing a form), empty when absent.
    func raw(_ key: String) -> String { values.first { $0.0 == key }?.1 ?? "" }
}
