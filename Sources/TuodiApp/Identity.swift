import Crypto
import Foundation
import TuodiDomain
import TuodiStore

/// A user as shown to administrators (never the password hash).
public struct UserView: Equatable, Sendable, Codable {
    public let username: String
    public let displayName: String
    public let role: Role
    public let unit: String?
    public let active: Bool

    init(_ u: UserRecord) {
        username = u.username; displayName = u.displayName; role = u.role; unit = u.unit; active = u.active
    }
}

/// A freshly issued bearer token: shown once, stored only as its SHA-256.
public struct IssuedToken: Sendable {
    public let token: String
    public let expiresAt: Date
    public let user: UserView
}

public struct IdentityUseCases: Sendable {
    let context: AppContext

    static func tokenHash(_ token: String) -> String {
        Hex.sha256(Array(token.utf8))
    }

    /// Creates the first administrator. Refused once any user exists.
    public func bootstrapAdmin(_ draft: UserDraft) async throws -> UserView {
        try await translatingErrors {
            let valid = try draft.validated()
            guard valid.role == .admin else {
                throw AppError.validation([FieldError(field: "role", code: "bootstrap", message: "第一个用户必须是管理员（admin）")])
            }
            return try await insert(valid, actorName: "bootstrap", requireEmpty: true)
        }
    }

    /// An administrator creates a user.
    public func create(_ draft: UserDraft, by actor: Caller) async throws -> UserView {
        try await translatingErrors {
            try Gate.require(.userCreate, actor)
            return try await insert(try draft.validated(), actorName: actor.username, requireEmpty: false)
        }
    }

    private func insert(_ valid: UserDraft.Valid, actorName: String, requireEmpty: Bool) async throws -> UserView {
        // Hash outside the transaction: bcrypt is deliberately slow.
        let hash = try await Passwords.hash(valid.password, cost: context.security.bcryptCost)
        let now = context.clock.now
        return try await context.store.transaction { tx in
            if requireEmpty, try await tx.userCount() > 0 {
                throw AppError.conflict(rule: .bootstrapDone, message: "已存在用户，不能再引导创建管理员；请用管理员账号创建用户")
            }
            let id = try await tx.insertUser(NewUser(username: valid.username, displayName: valid.displayName,
                                                     role: valid.role, unit: valid.unit, passwordHash: hash), createdAt: now)
            let view = UserView(try await tx.user(id: id)!)
            try await AuditWriter(tx: tx, now: now, logger: context.logger).record(Action.userCreate.rawValue, by: actorName, entity: "user",
                                                           id: valid.username, unit: valid.unit, before: Nothing?.none, after: view)
            return view
        }
    }

    public func list(by actor: Caller) async throws -> [UserView] {
        try await translatingErrors {
            try Gate.require(.userList, actor)
            return try await context.store.read { try await $0.users().map(UserView.init) }
        }
    }

    /// Deactivates a user (their tokens stop working at once; deactivated by another process,
    /// within `TokenCache.seconds`). A reason is required.
    public func deactivate(username: String, reason: String?, by actor: Caller) async throws -> UserView {
        try await translatingErrors {
            try Gate.require(.userDeactivate, actor)
            let reason = try requireReason(reason)
            let now = context.clock.now
            let deactivated = try await context.store.transaction { tx in
                guard let user = try await tx.user(username: username) else { throw AppError.notFound(entity: "user", key: username) }
                guard user.id != actor.userID else {
                    throw AppError.conflict(rule: .selfDeactivation, message: "不能停用自己的账号")
                }
                try await tx.setUserActive(id: user.id, active: false)
                let after = UserView(try await tx.user(id: user.id)!)
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(Action.userDeactivate.rawValue, by: actor.username,
                    entity: "user", id: username, unit: user.unit, reason: reason, before: UserView(user), after: after)
                return (after, user.id)
            }
            context.tokens.forget(userID: deactivated.1)
            return deactivated.0
        }
    }

    /// An administrator sets a new password for a user (who forgot theirs): the same length rule
    /// as a new account; their failed logins are cleared and every session they had ends.
    public func resetPassword(username: String, password: String, by actor: Caller) async throws -> UserView {
        try await translatingErrors {
            try Gate.require(.userResetPassword, actor)
            if password.count < UserDraft.minPasswordLength {
                throw AppError.validation([FieldError(field: "password", code: "tooShort", message: "密码至少 \(UserDraft.minPasswordLength) 位")])
            }
            if password.lowercased() == username.lowercased() {
                throw AppError.validation([FieldError(field: "password", code: "weak", message: "密码不能与用户名相同")])
            }
            let hash = try await Passwords.hash(password, cost: context.security.bcryptCost)
            let now = context.clock.now
            let reset = try await context.store.transaction { tx in
                guard let user = try await tx.user(username: username) else { throw AppError.notFound(entity: "user", key: username) }
                try await tx.resetUserPassword(id: user.id, passwordHash: hash, at: now.timeIntervalSince1970)
                let view = UserView(try await tx.user(id: user.id)!)
                // The trail records that it happened and to whom; never the password or its hash.
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(Action.userResetPassword.rawValue, by: actor.username,
                    entity: "user", id: username, unit: user.unit, before: UserView(user), after: view)
                return (view, user.id)
            }
            // Their revoked sessions must not live on in the token cache either.
            context.tokens.forget(userID: reset.1)
            return reset.0
        }
    }

    /// Checks a password and issues a token. After repeated failures the account is locked for a
    /// while; a locked account is refused without looking at the password. Unknown users and wrong
    /// passwords get the same answer, after the same work.
    public func login(username: String, password: String) async throws -> IssuedToken {
        try await translatingErrors {
            let name = username.trimmingCharacters(in: .whitespaces).lowercased()
            let now = context.clock.now
            let seconds = now.timeIntervalSince1970
            let throttle = context.security.throttle
            guard let user = try await context.store.read({ try await $0.user(username: name) }), user.active else {
                _ = try await Passwords.verifyAgainstDummy(password, cost: context.security.bcryptCost)
                throw AppError.unauthenticated("用户名或密码错误")
            }
            // The attempt is counted before the password is checked, in the same statement that
            // checks the lock; a correct password clears the count below.
            guard try await context.store.transaction({
                try await $0.claimLoginAttempt(userID: user.id, at: seconds, maxFailures: throttle.maxFailures,
                                               lockSeconds: throttle.lockSeconds)
            }) else {
                throw AppError.unauthenticated("登录失败次数过多，账号已暂时锁定 \(throttle.lockMinutes) 分钟")
            }
            guard try await Passwords.verify(password, hash: user.passwordHash) else {
                try await context.store.transaction { tx in
                    try await AuditWriter(tx: tx, now: now, logger: context.logger).record("auth.loginFailed", by: name, entity: "user", id: name,
                                                                   unit: user.unit, before: Nothing?.none, after: Nothing?.none)
                }
                throw AppError.unauthenticated("用户名或密码错误")
            }
            var bytes = [UInt8](repeating: 0, count: 32)
            var rng = SystemRandomNumberGenerator()
            for i in bytes.indices { bytes[i] = UInt8.random(in: .min ... .max, using: &rng) }
            let token = "tdt_" + Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            let expires = now.addingTimeInterval(Double(context.security.tokenLifetimeHours * 3600))
            try await context.store.transaction { tx in
                try await tx.resetLoginFailures(userID: user.id)
                try await tx.insertToken(userID: user.id, tokenHash: Self.tokenHash(token), createdAt: seconds,
                                         expiresAt: expires.timeIntervalSince1970)
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record("auth.login", by: name, entity: "user", id: name,
                                                               unit: user.unit, before: Nothing?.none, after: Nothing?.none)
            }
            return IssuedToken(token: token, expiresAt: expires, user: UserView(user))
        }
    }

    /// The actor behind a bearer token.
    public func authenticate(token: String) async throws -> Caller {
        let now = context.clock.now.timeIntervalSince1970
        let hash = Self.tokenHash(token), tokens = context.tokens
        if let cached = tokens.caller(tokenHash: hash, now: now) { return cached }
        let generation = tokens.generation
        guard let user = try await context.store.briefRead({ try await $0.tokenOwner(tokenHash: hash, now: now) }) else {
            throw AppError.unauthenticated("令牌无效、已过期或已撤销，请重新登录")
        }
        tokens.remember(tokenHash: hash, caller: user.actor, now: now, generation: generation)
        return user.actor
    }

    /// Revokes the caller's own token.
    public func logout(token: String, by actor: Caller) async throws {
        try await translatingErrors {
            try Gate.require(.tokenRevokeOwn, actor)
            let now = context.clock.now
            try await context.store.transaction { tx in
                guard try await tx.revokeToken(tokenHash: Self.tokenHash(token), at: now.timeIntervalSince1970) else {
                    throw AppError.unauthenticated("令牌无效或已撤销")
                }
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(Action.tokenRevokeOwn.rawValue, by: actor.username,
                    entity: "user", id: actor.username, unit: actor.unit, before: Nothing?.none, after: Nothing?.none)
            }
            context.tokens.forget(tokenHash: Self.tokenHash(token))
        }
    }

    /// The CLI's actor: an active user named with `--as`. Whoever can run the CLI on the server
    /// can read the database anyway; naming the user keeps the trail and the role checks honest.
    public func actor(username: String) async throws -> Caller {
        guard let user = try await context.store.read({ try await $0.user(username: username.lowercased()) }),
              user.active else {
            throw AppError.unauthenticated("用户“\(username)”不存在或已停用")
        }
        return user.actor
    }
}
