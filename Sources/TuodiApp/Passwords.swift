import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// bcrypt, off the cooperative thread pool. A hash at cost 12 keeps a thread busy for about a
/// quarter of a second; on Swift's cooperative pool (one thread per core) a handful of logins
/// would stall every other request. NIO's blocking pool is where Hummingbird's own auth
/// examples run it.
enum Passwords {
    static func hash(_ password: String, cost: UInt8) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    static func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Checks `password` against a hash of nothing anyone knows, at `cost`, and returns false: an
    /// unknown or deactivated user name then costs the same time as a wrong password, so timing
    /// does not tell which names exist.
    static func verifyAgainstDummy(_ password: String, cost: UInt8) async throws -> Bool {
        _ = try await verify(password, hash: try await dummyHash(cost: cost))
        return false
    }

    /// One dummy hash per cost, made on first use.
    private static let dummies = Mutex<[UInt8: String]>([:])

    private static func dummyHash(cost: UInt8) async throws -> String {
        if let known = dummies.withLock({ $0[cost] }) { return known }
        let made = try await hash("dummy password \(UInt64.random(in: .min ... .max))", cost: cost)
        return dummies.withLock { dummies in
            if let first = dummies[cost] { return first }
            dummies[cost] = made
            return made
        }
    }
}
