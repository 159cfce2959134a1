import Foundation
import SQLKit
import TuodiDomain

extension SQLStoreTransaction {
    static let estateColumns = """
        id, code, name, address, unit, legal_district, sub_district, category, high_dispute, households, buildings,
        floor_area, year_built, created_at
        """

    static func estate(from row: any SQLRow) throws -> StoredEstate {
        let category = try row.decode(column: "category", as: String.self)
        guard let c = EstateCategory(rawValue: category) else {
            throw StoreError.corruptRow(entity: "estate", detail: "category \(category)")
        }
        return StoredEstate(id: try row.decode(column: "id", as: Int.self), estate: Estate(
            code: try row.decode(column: "code", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            address: try row.decode(column: "address", as: String.self),
            unit: try row.decode(column: "unit", as: String.self),
            legalDistrict: try row.decode(column: "legal_district", as: String.self),
            subDistrict: try row.decode(column: "sub_district", as: String.self),
            category: c,
            highDispute: try row.decode(column: "high_dispute", as: Bool.self),
            households: try row.decode(column: "households", as: Int.self),
            buildings: try row.decode(column: "buildings", as: Int.self),
            floorArea: try row.decode(column: "floor_area", as: Double.self),
            yearBuilt: try row.optional("year_built", Int.self)),
            registeredAt: try row.decode(column: "created_at", as: String.self))
    }

    func insertEstate(_ e: Estate, createdAt: Date) async throws -> Int {
        do {
            let row = try await db.raw("""
                INSERT INTO estates (code, name, address, unit, legal_district, sub_district, category, high_dispute,
                                     households, buildings, floor_area, year_built, created_at)
                VALUES (\(bind: e.code), \(bind: e.name), \(bind: e.address), \(bind: e.unit), \(bind: e.legalDistrict),
                        \(bind: e.subDistrict), \(bind: e.category.rawValue), \(bind: e.highDispute), \(bind: e.households),
                        \(bind: e.buildings), \(bind: e.floorArea), \(bind: e.yearBuilt), \(bind: AuditChain.timestamp(createdAt)))
                RETURNING id
                """).first()
            return try row!.decode(column: "id", as: Int.self)
        } catch where backend.isUniqueViolation(error) {
            throw StoreError.duplicate(entity: "estate", key: e.code)
        }
    }

    func estate(code: String) async throws -> StoredEstate? {
        try await db.raw("SELECT \(unsafeRaw: Self.estateColumns) FROM estates WHERE code = \(bind: code)")
            .first().map(Self.estate(from:))
    }

    func estates(unit: String?, limit: Int, offset: Int) async throws -> [StoredEstate] {
        var query = SQLQueryString("SELECT \(unsafeRaw: Self.estateColumns) FROM estates")
        if let unit { query.appendInterpolation(unsafeRaw: " WHERE unit = "); query.appendInterpolation(bind: unit) }
        query.appendInterpolation(unsafeRaw: " ORDER BY code LIMIT ")
        query.appendInterpolation(bind: limit)
        query.appendInterpolation(unsafeRaw: " OFFSET ")
        query.appendInterpolation(bind: offset)
        return try await db.raw(query).all().map(Self.estate(from:))
    }

    func estateCount(unit: String?) async throws -> Int {
        var query = SQLQueryString("SELECT COUNT(*) AS n FROM estates")
        if let unit { query.appendInterpolation(unsafeRaw: " WHERE unit = "); query.appendInterpolation(bind: unit) }
        return try await db.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// A fact's kind, reason and company columns (a retraction has no kind of its own).
    static func factKindColumns(_ kind: ManagementFactKind?) -> (String, String?, String?) {
        switch kind {
        case .becameUnmanaged(let r): ("becameUnmanaged", r.rawValue, nil)
        case .regularBegan(let c): ("regularBegan", nil, c)
        case .regularEnded(let c): ("regularEnded", nil, c)
        case nil: ("retraction", nil, nil)
        }
    }

    func insertFact(_ f: NewManagementFact) async throws -> Int {
        let (kind, reason, company) = Self.factKindColumns(f.kind)
        do {
            let row = try await db.raw("""
                INSERT INTO management_facts (estate_id, effective_date, kind, reason, company, supersedes, correction_reason,
                                              recorded_at, recorded_by)
                VALUES (\(bind: f.estateID), \(bind: f.date.description), \(bind: kind), \(bind: reason), \(bind: company),
                        \(bind: f.supersedes), \(bind: f.correctionReason), \(bind: AuditChain.timestamp(f.recordedAt)),
                        \(bind: f.recordedBy))
                RETURNING id
                """).first()
            changedEstates.insert(f.estateID)
            return try row!.decode(column: "id", as: Int.self)
        } catch where backend.isUniqueViolation(error) {
            throw StoreError.duplicate(entity: "managementFactCorrection", key: String(f.supersedes ?? 0))
        }
    }

    static let factColumns = "f.id, f.estate_id, f.effective_date, f.kind, f.reason, f.company, f.supersedes, f.correction_reason, f.recorded_at, f.recorded_by"

    func facts(estateID: Int) async throws -> [StoredFact] {
        try await db.raw("""
            SELECT \(unsafeRaw: Self.factColumns) FROM management_facts f WHERE f.estate_id = \(bind: estateID) ORDER BY f.id
            """).all().map(Self.storedFact(from:))
    }

    func facts(unit: String?) async throws -> [Int: [StoredFact]] {
        var q = SQLQueryString("SELECT \(unsafeRaw: Self.factColumns) FROM management_facts f")
        if let unit {
            q.appendInterpolation(unsafeRaw: " JOIN estates e ON e.id = f.estate_id WHERE e.unit = ")
            q.appendInterpolation(bind: unit)
        }
        var result: [Int: [StoredFact]] = [:]
        for row in try await db.raw(q + " ORDER BY f.id").all() {
            result[try row.decode(column: "estate_id", as: Int.self), default: []].append(try Self.storedFact(from: row))
        }
        return result
    }

    static func storedFact(from row: any SQLRow) throws -> StoredFact {
        let raw = try row.decode(column: "kind", as: String.self)
        let dateText = try row.decode(column: "effective_date", as: String.self)
        guard let date = LocalDate(iso: dateText) else {
            throw StoreError.corruptRow(entity: "managementFact", detail: "date \(dateText)")
        }
        let kind: ManagementFactKind
        switch raw {
        case "becameUnmanaged":
            kind = .becameUnmanaged(reason: UnmanagedReason(rawValue: try row.optional("reason", String.self) ?? "") ?? .other)
        case "regularBegan": kind = .regularBegan(company: try row.optional("company", String.self) ?? "")
        case "regularEnded": kind = .regularEnded(company: try row.optional("company", String.self) ?? "")
        case "retraction": kind = .becameUnmanaged(reason: .other) // ignored: a retraction states nothing
        default: throw StoreError.corruptRow(entity: "managementFact", detail: "kind \(raw)")
        }
        return StoredFact(
            fact: ManagementFact(id: try row.decode(column: "id", as: Int.self), date: date, kind: kind,
                                 supersedes: try row.optional("supersedes", Int.self), isRetraction: raw == "retraction"),
            recordedAt: try row.decode(column: "recorded_at", as: String.self),
            recordedBy: try row.decode(column: "recorded_by", as: String.self),
            correctionReason: try row.optional("correction_reason", String.self))
    }
}
