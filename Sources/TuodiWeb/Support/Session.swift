import Crypto
import Foundation
import Hummingbird
import TuodiApp
import TuodiDomain

/// A signed-in person: the token in their cookie (stored hashed in the API's token table, with
/// its expiry, revocation and lockout) and who it belongs to.
struct WebSession: Sendable {
    let token: String
    let caller: Caller

    /// The form token of this session: derived from the session token, so it is bound to the
    /// session, needs no storage and dies with it. A cross-site page can read neither.
    var csrf: String { CSRF.token(for: token) }
}

enum CSRF {
    /// The hidden form field every form carries.
    static let field = "_csrf"

    static func token(for secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("tuodi-web-form".utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return Data(mac).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Compares without stopping at the first difference, so timing does not leak a prefix.
    static func matches(_ given: String?, _ expected: String) -> Bool {
        guard let given else { return false }
        let a = Array(given.utf8), b = Array(expected.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// A random value for the login form, before any session exists (double-submit cookie).
    static func random() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<24).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

/// The cookies the web application sets, with the flags the issue asks for.
struct SessionCookies: Sendable {
    static let session = "tuodi_session"
    static let login = "tuodi_login"
    /// `Secure` when the site is served over TLS (a proxy in front); plain loopback otherwise.
    let secure: Bool

    func session(_ token: String, expires: Date) -> Cookie {
        Cookie(name: Self.session, value: token, expires: expires, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    func login(_ value: String) -> Cookie {
        Cookie(name: Self.login, value: value, path: "/login", secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// An expired cookie of the same name and path, which the browser drops.
    func cleared(_ name: String, path: String = "/") -> Cookie {
        Cookie(name: name, value: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: path, secure: secure,
               httpOnly: true, sameSite: .lax)
    }
}
