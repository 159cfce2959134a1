/// A page model turned into nested dictionaries, once, before rendering.
///
/// swift-mustache looks each `{{name}}` up by reflecting the object it is rendering: every lookup
/// enumerates all the object's fields, and a name that is nil there climbs the context stack
/// reflecting each parent in turn. A long table (the at-risk list, the estate list) made that
/// most of a page's CPU. A dictionary answers a lookup directly and has the same meaning: a
/// missing key climbs the stack just as a nil field did.
enum TemplateValues {
    static func convert(_ value: Any) -> Any? {
        switch value {
        case is String, is Bool, is Int, is Double, is Substring: return value
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.flatMap { convert($0.value) }
        case .struct, .class, .tuple:
            var fields: [String: Any] = [:]
            fields.reserveCapacity(Int(mirror.children.count))
            for child in mirror.children {
                guard let label = child.label, let v = convert(child.value) else { continue }
                fields[label] = v
            }
            return fields
        case .collection:
            return mirror.children.map { convert($0.value) ?? $0.value }
        default:
            // Enums, sets and dictionaries (a dictionary already answers lookups by key).
            return value
        }
    }
}
