import Crypto
import Foundation

/// SHA-256 digests as lower-case hex (audit hashes, migration checksums, token hashes).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func sha256(_ bytes: some DataProtocol) -> String {
        let digest = SHA256.hash(data: bytes)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in digest {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
