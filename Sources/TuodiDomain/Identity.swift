/// A user account as typed by an administrator: unvalidated.
public struct UserDraft: Equatable, Sendable {
    public var username: String
    public var displayName: String
    public var role: String
    public var unit: String?
    public var password: String

    public init(username: String, displayName: String, role: String, unit: String?, password: String) {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.unit = unit
        self.password = password
    }

    public static let minPasswordLength = 10

    /// A validated account (the password is still plain: hashing is the app's job).
    public struct Valid: Equatable, Sendable {
        public let username: String
        public let displayName: String
        public let role: Role
        public let unit: String?
        public let password: String
    }

    public func validated() throws(ValidationFailure) -> Valid {
        var errors = FieldErrors()
        let username = self.username.trimmingWhitespace.lowercased()
        if username.range(of: #"^[a-z][a-z0-9._-]{2,31}$"#, options: .regularExpression) == nil {
            errors.add("username", "format", "用户名应为 3–32 位小写字母、数字或 . _ -，以字母开头")
        }
        let displayName = self.displayName.trimmingWhitespace
        if displayName.isEmpty { errors.add("displayName", "required", "姓名不能为空") }
        let role = Role(rawValue: self.role)
        if role == nil {
            errors.add("role", "invalid", "角色“\(self.role)”无效，应为：\(Role.allCases.map(\.rawValue).joined(separator: "、"))")
        }
        let unit = self.unit.map(\.trimmingWhitespace).flatMap { $0.isEmpty ? nil : $0 }
        if let role {
            if role.isDistrictScoped {
                if let unit {
                    if ReportingUnit.named(unit) == nil { errors.add("unit", "unknown", "报送单位代码“\(unit)”不存在") }
                } else {
                    errors.add("unit", "required", "区级角色必须指定报送单位")
                }
            } else if unit != nil {
                errors.add("unit", "notAllowed", "市级角色和管理员不属于某个报送单位")
            }
        }
        if password.count < Self.minPasswordLength {
            errors.add("password", "tooShort", "密码至少 \(Self.minPasswordLength) 位")
        } else if password.lowercased() == username {
            errors.add("password", "weak", "密码不能与用户名相同")
        }
        try errors.throwIfAny()
        return Valid(username: username, displayName: displayName, role: role!, unit: unit, password: password)
    }
}

/// Login throttling: after `maxFailures` consecutive failures an account is locked for
/// `lockMinutes`, counted from the last failure.
public struct LoginThrottle: Sendable, Equatable {
    public var maxFailures = 5
    public var lockMinutes = 15
    public init() {}

    /// The store applies the rule atomically (`claimLoginAttempt`): an account is locked while it
    /// has `maxFailures` or more failures and the last is less than this long ago.
    public var lockSeconds: Double { Double(lockMinutes * 60) }
}
