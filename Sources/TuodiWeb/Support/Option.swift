import Foundation
import TuodiLabels

/// One choice of a `<select>` or radio group.
struct Option: Sendable {
    let value: String
    let label: String
    let selected: Bool

    /// "全部" first, then every code of `labels`.
    static func list(_ labels: KeyedLabels, selected: String?, any: String? = "全部") -> [Option] {
        (any.map { [Option(value: "", label: $0, selected: selected == nil)] } ?? [])
            + labels.pairs.map { Option(value: $0.code, label: $0.label, selected: $0.code == selected) }
    }
}

/// One row of a details list (`<dl>`): a term and its value, already written out.
struct Detail: Sendable {
    let term: String
    let value: String
}

/// Builds `path?a=1&b=2` from the non-empty pairs, percent-encoded.
func link(_ path: String, _ query: [(String, String?)]) -> String {
    var components = URLComponents()
    components.path = path
    let items = query.compactMap { k, v in v.flatMap { $0.isEmpty ? nil : URLQueryItem(name: k, value: $0) } }
    components.queryItems = items.isEmpty ? nil : items
    // `+` stays literal in a query per RFC 3986 but reads as a space in forms.
    return (components.string ?? path).replacingOccurrences(of: "+", with: "%2B")
}
