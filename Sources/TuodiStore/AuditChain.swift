import Crypto
import Foundation

/// The hash chain of the audit trail: each entry's hash is the SHA-256 of its fields and the
/// previous entry's hash, so changing, removing or reordering any entry breaks every link after it.
public enum AuditChain {
    /// The previous hash of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// The hash of an entry with these fields: SHA-256 of `canonicalBytes`.
    public static func hash(seq: Int, recordedAt: String, actor: String, action: String, entity: String, entityID: String,
                            unit: String?, reason: String?, before: String?, after: String?, prevHash: String) -> String {
        Hex.sha256(canonicalBytes([String(seq), recordedAt, actor, action, entity, entityID, unit, reason, before, after, prevHash]))
    }

    /// The canonical encoding the hash covers, defined here rather than left to `JSONEncoder`
    /// (whose key order, escaping and number formatting a toolchain may change):
    ///
    /// - a JSON array of the eleven fields in the order above, with no whitespace;
    /// - each field a JSON string, or `null` when absent (so `null` and "" differ); `seq` is its
    ///   decimal digits as a string;
    /// - in strings, `"` and `\` are escaped with a backslash; U+0008, U+0009, U+000A, U+000C and
    ///   U+000D as `\b \t \n \f \r`; every other code point below U+0020 as `\u00xx` (lowercase
    ///   hex); everything else, `/` and non-ASCII included, is written as itself in UTF-8.
    ///
    /// These are exactly the bytes `JSONEncoder` (`.withoutEscapingSlashes`) wrote for every entry
    /// hashed before this encoding was defined, so existing trails keep verifying (a test
    /// compares the two over every character and every pair of them).
    public static func canonicalBytes(_ fields: [String?]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            guard let field else { out.append(contentsOf: Array("null".utf8)); continue }
            out.append(UInt8(ascii: "\""))
            for byte in field.utf8 {
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), byte])
                case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), byte])
                case 0x08: out.append(contentsOf: Array("\\b".utf8))
                case 0x09: out.append(contentsOf: Array("\\t".utf8))
                case 0x0A: out.append(contentsOf: Array("\\n".utf8))
                case 0x0C: out.append(contentsOf: Array("\\f".utf8))
                case 0x0D: out.append(contentsOf: Array("\\r".utf8))
                case ..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
                default: out.append(byte)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    public static func hash(of e: AuditEntry) -> String {
        hash(seq: e.seq, recordedAt: e.recordedAt, actor: e.actor, action: e.action, entity: e.entity, entityID: e.entityID,
             unit: e.unit, reason: e.reason, before: e.before, after: e.after, prevHash: e.prevHash)
    }

    /// The first entry that does not fit the chain, and why.
    public struct Break: Equatable, Sendable {
        public let seq: Int
        public let problem: String
    }

    /// Walks the entries in order; `nil` when every link holds.
    public static func firstBreak(in entries: [AuditEntry]) -> Break? {
        var previous = genesis
        for (index, e) in entries.enumerated() {
            if e.seq != index + 1 { return Break(seq: e.seq, problem: "sequence gap: expected \(index + 1)") }
            if e.prevHash != previous { return Break(seq: e.seq, problem: "previous-hash link broken") }
            if hash(of: e) != e.hash { return Break(seq: e.seq, problem: "content does not match its hash") }
            previous = e.hash
        }
        return nil
    }

    /// The stored form of a recorded time: ISO 8601, UTC, milliseconds.
    public static func timestamp(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }

    /// Reads a stored timestamp back.
    public static func date(fromTimestamp text: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}
