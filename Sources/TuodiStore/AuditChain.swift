import Crypto
import Foundation

/// The hash chain of the audit trail: each entry's hash is the SHA-256 of its fields and the
/// previous entry's hash, so changing, removing or reordering any entry breaks every link after it.
public enum AuditChain {
    /// The previous hash of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// The hash of an entry with these fields.
    public static func hash(seq: Int, recordedAt: String, actor: String, action: String, entity: String, entityID: String,
                            unit: String?, reason: String?, before: String?, after: String?, prevHash: String) -> String {
        // A JSON array: unambiguous field boundaries, `null` distinct from "".
        let fields: [String?] = [String(seq), recordedAt, actor, action, entity, entityID, unit, reason, before, after, prevHash]
        let bytes = (try? encoder.encode(fields)) ?? Data()
        return Hex.sha256(bytes)
    }

    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

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
