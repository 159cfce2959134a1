import Mustache

/// A page model turned into nested dictionaries, once, before rendering.
///
/// swift-mustache looks each `{{name}}` up by reflecting the object it is rendering: every lookup
/// enumerates all the object's fields, and a name that is nil there climbs the context stack
/// reflecting each parent in turn. A long table (the at-risk list, the estate list) made that
/// most of a page's CPU. A dictionary answers a lookup directly and has the same meaning: a
/// missing key climbs the stack just as a nil field did.
///
/// Only plain records are taken apart (structs, classes and tuples that do not describe
/// themselves): a value with a `description` (a date, a number), a collection other than an
/// array, an enum, and anything swift-mustache treats specially are passed on as they are.
enum TemplateValues {
    static func convert(_ value: Any) -> Any? {
        switch value {
        case is String, is Bool, is Int, is Double, is Substring: return value
        // (Not `MustacheTransformable`: arrays conform to it, and arrays of rows are what most
        // needs converting. No template here uses a transform.)
        case is MustacheCustomRenderable, is MustacheCustomRepresentation, is MustacheParent, is MustacheLambda:
            return value
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.flatMap { convert($0.value) }
        case .collection where value is [Any]:
            return mirror.children.map { convert($0.value) ?? $0.value }
        case .struct, .class, .tuple:
            // A value that describes itself is rendered by that description; keep it whole.
            if value is CustomStringConvertible { return value }
            var fields: [String: Any] = [:]
            fields.reserveCapacity(Int(mirror.children.count))
            for child in mirror.children {
                guard let label = child.label, let v = convert(child.value) else { continue }
                fields[label] = v
            }
            return fields
        default:
            // Enums, sets, dictionaries (a dictionary already answers lookups by key).
            return value
        }
    }
}
