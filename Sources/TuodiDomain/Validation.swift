/// One problem with one input field, as shown to the person who typed it.
public struct FieldError: Equatable, Sendable, Codable {
    /// The field's API name, e.g. `uscc`.
    public let field: String
    /// A stable machine-readable code, e.g. `checksum`, `required`.
    public let code: String
    /// A readable message in Chinese.
    public let message: String

    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }
}

/// Input that breaks one or more rules; nothing was changed.
public struct ValidationFailure: Error, Equatable, Sendable {
    public let errors: [FieldError]
    public init(_ errors: [FieldError]) { self.errors = errors }
}

/// Collects field errors so a request is answered with all of them at once, not the first.
public struct FieldErrors: Sendable {
    public private(set) var errors: [FieldError] = []
    public init() {}

    public mutating func add(_ field: String, _ code: String, _ message: String) {
        errors.append(FieldError(field: field, code: code, message: message))
    }

    /// Throws the collected errors, if any.
    public func throwIfAny() throws(ValidationFailure) {
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}
