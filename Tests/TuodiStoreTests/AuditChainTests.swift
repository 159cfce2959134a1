import Foundation
import Testing
import TuodiStore

/// The audit hash covers a canonical encoding defined in `AuditChain.canonicalBytes`, not
/// whatever `JSONEncoder` happens to write.
@Suite("The audit hash's canonical encoding")
struct AuditChainTests {
    /// A vector worked out independently: Python's `json.dumps(fields, ensure_ascii=False,
    /// separators=(",", ":"))` writes the same bytes the canonical encoding defines, and
    /// `hashlib.sha256` hashed them.
    @Test("a fixed entry hashes to the independently computed value")
    func knownVector() {
        let hash = AuditChain.hash(seq: 1, recordedAt: "2026-01-02T03:04:05.678Z", actor: "hp.clerk", action: "estate.register",
                                   entity: "estate", entityID: "HP-0001", unit: "310101",
                                   reason: "理由 \"引号\" \\ / \n\t\u{01}\u{7f}", before: nil, after: #"{"a":1}"#,
                                   prevHash: AuditChain.genesis)
        #expect(hash == "4647e9d3b9ccd402098eb9ae9bcc7733e3ece979e584a382a66fdb69be1c9c5d")
    }

    @Test("null and the empty string are different entries")
    func nullIsNotEmpty() {
        #expect(AuditChain.canonicalBytes([nil]) != AuditChain.canonicalBytes([""]))
        #expect(String(decoding: AuditChain.canonicalBytes([nil, "", "a/b"]), as: UTF8.self) == #"[null,"","a/b"]"#)
    }

    /// Entries hashed before the encoding was defined were hashed over `JSONEncoder`'s output;
    /// they keep verifying only if the two agree on every text: texts made of every
    /// control character, the characters JSON escapes, slashes, CJK, astral code points and
    /// the separators JavaScript treats as line ends.
    @Test("identical to the JSONEncoder bytes that hashed the existing trails")
    func matchesLegacyEncoder() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let pool: [Character] = (0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) }
            + ["\"", "\\", "/", "a", "Z", "0", " ", "\u{7f}", "\u{80}", "é", "区", "托", "\u{2028}", "\u{2029}", "\u{feff}", "😀", "{", "}", ","]
        // Every character alone and every ordered pair, then all of them in one text.
        var texts = pool.map { String($0) }
        for x in pool { for y in pool { texts.append(String([x, y])) } }
        texts.append(String(pool))
        for text in texts {
            let fields: [String?] = [text, nil, text]
            #expect(AuditChain.canonicalBytes(fields) == Array(try encoder.encode(fields)), "\(text.unicodeScalars.map(\.value))")
        }
    }
}
