/// Who owns a property-service company; the pool must include the district housing group's
/// wholly-owned and controlled companies.
public enum Ownership: String, CaseIterable, Sendable, Codable {
    case stateWhollyOwned, stateControlled, `private`, other
}

/// A property-service company (物业服务企业), identified city-wide by its USCC.
public struct Company: Equatable, Sendable, Codable {
    public var uscc: USCC
    public var name: String
    public var ownership: Ownership
    /// Belongs to a district's state-owned housing group (区属房管集团).
    public var districtGroup: Bool
    public var registeredAddress: String?
    /// Who the bureau calls; personal data, never on the public roster.
    public var contactPerson: String?
    public var contactPhone: String?

    public init(uscc: USCC, name: String, ownership: Ownership, districtGroup: Bool, registeredAddress: String?,
                contactPerson: String? = nil, contactPhone: String? = nil) {
        self.uscc = uscc
        self.name = name
        self.ownership = ownership
        self.districtGroup = districtGroup
        self.registeredAddress = registeredAddress
        self.contactPerson = contactPerson
        self.contactPhone = contactPhone
    }
}

/// A company as typed by a clerk or read from a file: unvalidated strings.
public struct CompanyDraft: Equatable, Sendable {
    public var uscc: String
    public var name: String
    public var ownership: String
    public var districtGroup: Bool
    public var registeredAddress: String?
    public var contactPerson: String?
    public var contactPhone: String?

    public init(uscc: String, name: String, ownership: String, districtGroup: Bool = false, registeredAddress: String? = nil,
                contactPerson: String? = nil, contactPhone: String? = nil) {
        self.uscc = uscc
        self.name = name
        self.ownership = ownership
        self.districtGroup = districtGroup
        self.registeredAddress = registeredAddress
        self.contactPerson = contactPerson
        self.contactPhone = contactPhone
    }

    /// Longest company name we accept; registered names are far shorter.
    public static let maxNameLength = 200

    /// Checks every field and returns the company, or every field error at once.
    public func validated() throws(ValidationFailure) -> Company {
        var errors = FieldErrors()
        var uscc: USCC?
        do { uscc = try USCC(validating: self.uscc) } catch {
            errors.add("uscc", error.code, error.description)
        }
        let name = self.name.trimmingWhitespace
        if name.isEmpty {
            errors.add("name", "required", "企业名称不能为空")
        } else if name.count > Self.maxNameLength {
            errors.add("name", "tooLong", "企业名称不能超过 \(Self.maxNameLength) 个字符")
        }
        let ownership = Ownership(rawValue: self.ownership)
        if ownership == nil {
            let allowed = Ownership.allCases.map(\.rawValue).joined(separator: "、")
            errors.add("ownership", "invalid", "企业性质“\(self.ownership)”无效，应为：\(allowed)")
        }
        let phone = contactPhone?.trimmingWhitespace
        if let phone, !phone.isEmpty, !(5...20).contains(phone.count) || !phone.allSatisfy({ "0123456789+() -".contains($0) }) {
            errors.add("contactPhone", "format", "联系电话格式不对：“\(phone)”")
        }
        try errors.throwIfAny()
        return Company(uscc: uscc!, name: name, ownership: ownership!, districtGroup: districtGroup,
                       registeredAddress: registeredAddress?.nonEmptyTrimmed,
                       contactPerson: contactPerson?.nonEmptyTrimmed, contactPhone: phone?.nonEmptyTrimmed)
    }
}

extension String {
    /// Trimmed, or `nil` when nothing is left.
    var nonEmptyTrimmed: String? {
        let t = trimmingWhitespace
        return t.isEmpty ? nil : t
    }

    /// Without leading and trailing white space (including the full-width space U+3000).
    var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = firstIndex(where: { !isSpace($0) }),
              let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
