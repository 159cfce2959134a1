/// The old-estate categories of the policy (plus `otherOld`).
public enum EstateCategory: String, CaseIterable, Sendable, Codable {
    /// 直管公房
    case directPublic
    /// 系统公房
    case workUnitPublic
    /// 早期商品房
    case earlyCommodity
    case otherOld

    public var chineseName: String {
        switch self {
        case .directPublic: "直管公房"
        case .workUnitPublic: "系统公房"
        case .earlyCommodity: "早期商品房"
        case .otherOld: "其他老旧小区"
        }
    }

    /// Accepts the API name or the Chinese name (spreadsheets use either).
    public init?(anyName: String) {
        if let c = EstateCategory(rawValue: anyName) { self = c; return }
        guard let c = EstateCategory.allCases.first(where: { $0.chineseName == anyName }) else { return nil }
        self = c
    }
}

/// A residential estate (住宅小区): one management area.
public struct Estate: Equatable, Sendable, Codable {
    /// Stable code, unique city-wide, given by the district.
    public var code: String
    public var name: String
    public var address: String
    /// The reporting unit (a district, or `LG`).
    public var unit: String
    /// The legal district (GB/T 2260); equals `unit` except in Lingang.
    public var legalDistrict: String
    /// 街镇
    public var subDistrict: String
    public var category: EstateCategory
    /// 矛盾纠纷突出小区
    public var highDispute: Bool
    public var households: Int
    public var buildings: Int
    /// Square metres, to the hundredth.
    public var floorArea: Double
    public var yearBuilt: Int?

    public init(code: String, name: String, address: String, unit: String, legalDistrict: String, subDistrict: String,
                category: EstateCategory, highDispute: Bool, households: Int, buildings: Int, floorArea: Double, yearBuilt: Int?) {
        self.code = code; self.name = name; self.address = address; self.unit = unit
        self.legalDistrict = legalDistrict; self.subDistrict = subDistrict; self.category = category
        self.highDispute = highDispute; self.households = households; self.buildings = buildings
        self.floorArea = floorArea; self.yearBuilt = yearBuilt
    }
}

/// An estate as typed or imported: strings, checked by `validated(today:)`.
public struct EstateDraft: Equatable, Sendable {
    public var code: String
    public var name: String
    public var address: String
    public var unit: String
    public var legalDistrict: String?
    public var subDistrict: String
    public var category: String
    public var highDispute: Bool
    public var households: String
    public var buildings: String
    public var floorArea: String
    public var yearBuilt: String?

    public init(code: String, name: String, address: String, unit: String, legalDistrict: String? = nil,
                subDistrict: String, category: String, highDispute: Bool = false, households: String,
                buildings: String, floorArea: String, yearBuilt: String? = nil) {
        self.code = code; self.name = name; self.address = address; self.unit = unit
        self.legalDistrict = legalDistrict; self.subDistrict = subDistrict; self.category = category
        self.highDispute = highDispute; self.households = households; self.buildings = buildings
        self.floorArea = floorArea; self.yearBuilt = yearBuilt
    }

    /// Checks every field; `today` bounds the year built. Legacy district codes are not accepted
    /// here (only the importer maps them, through the alias table, and says so).
    public func validated(today: LocalDate) throws(ValidationFailure) -> Estate {
        var e = FieldErrors()
        let code = self.code.trimmingWhitespace
        if !Self.isEstateCode(code) {
            e.add("code", "format", "小区编码应为 1–32 位字母、数字或连字符")
        }
        let name = self.name.trimmingWhitespace
        if name.isEmpty { e.add("name", "required", "小区名称不能为空") } else if name.count > 200 { e.add("name", "tooLong", "小区名称过长") }
        let address = self.address.trimmingWhitespace
        if address.isEmpty { e.add("address", "required", "地址不能为空") }
        let unit = self.unit.trimmingWhitespace
        let unitOK = ReportingUnit.named(unit) != nil
        if !unitOK { e.add("unit", "unknown", "报送单位代码“\(unit)”不存在") }
        var legal = (self.legalDistrict?.trimmingWhitespace).flatMap { $0.isEmpty ? nil : $0 }
        if unit == ReportingUnit.lingangCode {
            if legal == nil {
                e.add("legalDistrict", "required", "临港新片区的小区须填写所属行政区")
            } else if ReportingUnit.named(legal!)?.isDistrict != true {
                e.add("legalDistrict", "unknown", "行政区代码“\(legal!)”不存在")
            }
        } else if unitOK {
            if let l = legal, l != unit { e.add("legalDistrict", "mismatch", "行政区应与报送单位一致（\(unit)）") }
            legal = unit
        }
        let subDistrict = self.subDistrict.trimmingWhitespace
        if subDistrict.isEmpty { e.add("subDistrict", "required", "所属街镇不能为空") }
        let category = EstateCategory(anyName: self.category.trimmingWhitespace)
        if category == nil {
            e.add("category", "invalid", "房屋类型“\(self.category)”无效，应为：直管公房、系统公房、早期商品房、其他老旧小区")
        }
        let households = Self.wholeNumber(self.households, field: "households", label: "户数", min: 1, errors: &e)
        let buildings = Self.wholeNumber(self.buildings, field: "buildings", label: "幢数", min: 1, errors: &e)
        var floorArea: Double?
        let areaText = self.floorArea.trimmingWhitespace.replacingOccurrences(of: ",", with: "")
        // Judged after rounding to the stored 0.01 m²: a positive area too small to keep would
        // be stored as 0, which the database's check refuses.
        if let a = Double(areaText).map({ ($0 * 100).rounded() / 100 }), a.isFinite, a > 0, a < 10_000_000 {
            floorArea = a
        } else {
            e.add("floorArea", "invalid", "建筑面积应为大于 0 的数字（平方米），实为“\(self.floorArea)”")
        }
        var yearBuilt: Int?
        if let raw = self.yearBuilt?.trimmingWhitespace, !raw.isEmpty {
            if let y = Int(raw), (1840...today.year).contains(y) { yearBuilt = y } else {
                e.add("yearBuilt", "invalid", "建成年份应在 1840 到 \(today.year) 之间，实为“\(raw)”")
            }
        }
        try e.throwIfAny()
        return Estate(code: code, name: name, address: address, unit: unit, legalDistrict: legal!, subDistrict: subDistrict,
                      category: category!, highDispute: highDispute, households: households!, buildings: buildings!,
                      floorArea: floorArea!, yearBuilt: yearBuilt)
    }

    /// 1–32 ASCII letters, digits or hyphens, not starting with a hyphen. (By hand: this runs for
    /// every row of an import.)
    static func isEstateCode(_ code: String) -> Bool {
        let u = code.utf8
        guard (1...32).contains(u.count), u.first != UInt8(ascii: "-") else { return false }
        return u.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "-")
        }
    }

    static func wholeNumber(_ raw: String, field: String, label: String, min: Int, errors: inout FieldErrors) -> Int? {
        let text = raw.trimmingWhitespace.replacingOccurrences(of: ",", with: "")
        if let n = Int(text), n >= min, n < 1_000_000 { return n }
        errors.add(field, "invalid", "\(label)应为不小于 \(min) 的整数，实为“\(raw)”")
        return nil
    }
}
