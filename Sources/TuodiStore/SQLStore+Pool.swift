import Foundation
import SQLKit
import TuodiDomain

extension SQLStoreTransaction {
    static let jsonEncoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try jsonEncoder.encode(value), as: UTF8.self)
    }

    static func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String, entity: String) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) } catch {
            throw StoreError.corruptRow(entity: entity, detail: "json \(text)")
        }
    }

    static func date(_ row: any SQLRow, _ column: String, entity: String) throws -> LocalDate {
        let text = try row.decode(column: column, as: String.self)
        guard let d = LocalDate(iso: text) else { throw StoreError.corruptRow(entity: entity, detail: "\(column) \(text)") }
        return d
    }

    static func optionalDate(_ row: any SQLRow, _ column: String, entity: String) throws -> LocalDate? {
        try row.decodeNil(column: column) ? nil : try date(row, column, entity: entity)
    }

    static let settingsColumns = """
        unit, membership_term_years, custody_max_months, return_deadline_days, match_weight_sub_district, match_weight_merit,
        match_weight_load, match_weight_district_group
        """

    func districtSettings(unit: String) async throws -> DistrictSettings {
        guard let row = try await db.raw("""
            SELECT \(unsafeRaw: Self.settingsColumns) FROM district_settings WHERE unit = \(bind: unit)
            """).first() else { return .defaults }
        return try Self.settings(from: row)
    }

    func allDistrictSettings() async throws -> [String: DistrictSettings] {
        var all: [String: DistrictSettings] = [:]
        for row in try await db.raw("SELECT \(unsafeRaw: Self.settingsColumns) FROM district_settings").all() {
            all[try row.decode(column: "unit", as: String.self)] = try Self.settings(from: row)
        }
        return all
    }

    static func settings(from row: any SQLRow) throws -> DistrictSettings {
        DistrictSettings(membershipTermYears: try row.decode(column: "membership_term_years", as: Int.self),
                         custodyMaxMonths: try row.decode(column: "custody_max_months", as: Int.self),
                         returnDeadlineDays: try row.decode(column: "return_deadline_days", as: Int.self),
                         matchWeights: MatchWeights(sameSubDistrict: try row.decode(column: "match_weight_sub_district", as: Int.self),
                                                    merit: try row.decode(column: "match_weight_merit", as: Int.self),
                                                    load: try row.decode(column: "match_weight_load", as: Int.self),
                                                    districtGroup: try row.decode(column: "match_weight_district_group", as: Int.self)))
    }

    func putDistrictSettings(unit: String, _ s: DistrictSettings, at: Date) async throws {
        let w = s.matchWeights
        // Both dialects accept this upsert form.
        try await db.raw("""
            INSERT INTO district_settings (unit, membership_term_years, custody_max_months, return_deadline_days, match_weight_sub_district,
                                           match_weight_merit, match_weight_load, match_weight_district_group, updated_at)
            VALUES (\(bind: unit), \(bind: s.membershipTermYears), \(bind: s.custodyMaxMonths), \(bind: s.returnDeadlineDays),
                    \(bind: w.sameSubDistrict), \(bind: w.merit), \(bind: w.load), \(bind: w.districtGroup), \(bind: AuditChain.timestamp(at)))
            ON CONFLICT (unit) DO UPDATE SET membership_term_years = excluded.membership_term_years,
                custody_max_months = excluded.custody_max_months, return_deadline_days = excluded.return_deadline_days,
                match_weight_sub_district = excluded.match_weight_sub_district, match_weight_merit = excluded.match_weight_merit,
                match_weight_load = excluded.match_weight_load, match_weight_district_group = excluded.match_weight_district_group,
                updated_at = excluded.updated_at
            """).run()
    }

    func insertRound(_ r: AdmissionRoundDraft.Valid, createdBy: String, at: Date) async throws -> Int {
        try await db.raw("""
            INSERT INTO admission_rounds (unit, title, opens_on, closes_on, criteria_json, created_at, created_by)
            VALUES (\(bind: r.unit), \(bind: r.title), \(bind: r.opensOn.description), \(bind: r.closesOn.description),
                    \(bind: try Self.json(r.criteria)), \(bind: AuditChain.timestamp(at)), \(bind: createdBy))
            RETURNING id
            """).first()!.decode(column: "id", as: Int.self)
    }

    static func round(from row: any SQLRow) throws -> AdmissionRound {
        AdmissionRound(id: try row.decode(column: "id", as: Int.self), unit: try row.decode(column: "unit", as: String.self),
                       title: try row.decode(column: "title", as: String.self),
                       opensOn: try date(row, "opens_on", entity: "round"), closesOn: try date(row, "closes_on", entity: "round"),
                       criteria: try decodeJSON([ScoringCriterion].self, try row.decode(column: "criteria_json", as: String.self), entity: "round"),
                       createdBy: try row.decode(column: "created_by", as: String.self),
                       decidedOn: try optionalDate(row, "decided_on", entity: "round"),
                       documentRef: try row.optional("document_ref", String.self))
    }

    static let roundColumns = "id, unit, title, opens_on, closes_on, criteria_json, created_by, decided_on, document_ref"

    func round(id: Int) async throws -> AdmissionRound? {
        try await db.raw("SELECT \(unsafeRaw: Self.roundColumns) FROM admission_rounds WHERE id = \(bind: id)")
            .first().map(Self.round(from:))
    }

    /// A pool admission decided before Tuodi: its round (open and closed on the decision date,
    /// no rubric) and one application per admitted company, proposed for admission by `createdBy`.
    func insertRecordedAdmission(_ r: RecordedAdmission, createdBy: String, at: Date) async throws -> Int {
        let day = r.decidedOn.description, time = AuditChain.timestamp(at)
        let roundID = try await db.raw("""
            INSERT INTO admission_rounds (unit, title, opens_on, closes_on, criteria_json, created_at, created_by, decided_on, document_ref)
            VALUES (\(bind: r.unit), \(bind: r.title), \(bind: day), \(bind: day), '[]', \(bind: time), \(bind: createdBy), \(bind: day),
                    \(bind: r.documentRef))
            RETURNING id
            """).first()!.decode(column: "id", as: Int.self)
        for m in r.members {
            try await db.raw("""
                INSERT INTO applications (round_id, uscc, status, capacity_estates, capacity_households, proposal, proposed_by,
                                          recorded_at, recorded_by, term_end)
                VALUES (\(bind: roundID), \(bind: m.uscc.value), 'proposed', \(bind: m.capacityEstates), \(bind: m.capacityHouseholds), 'admit',
                        \(bind: createdBy), \(bind: time), \(bind: createdBy), \(bind: m.termEnd?.description))
                """).run()
        }
        return roundID
    }

    func rounds(unit: String?) async throws -> [AdmissionRound] {
        var q = SQLQueryString("SELECT \(unsafeRaw: Self.roundColumns) FROM admission_rounds")
        if let unit { q.appendInterpolation(unsafeRaw: " WHERE unit = "); q.appendInterpolation(bind: unit) }
        q.appendInterpolation(unsafeRaw: " ORDER BY id")
        return try await db.raw(q).all().map(Self.round(from:))
    }

    func insertApplication(roundID: Int, uscc: USCC, capacityEstates: Int, capacityHouseholds: Int?,
                           recordedBy: String, at: Date) async throws -> Int {
        do {
            return try await db.raw("""
                INSERT INTO applications (round_id, uscc, status, capacity_estates, capacity_households, recorded_at, recorded_by)
                VALUES (\(bind: roundID), \(bind: uscc.value), 'applied', \(bind: capacityEstates), \(bind: capacityHouseholds),
                        \(bind: AuditChain.timestamp(at)), \(bind: recordedBy))
                RETURNING id
                """).first()!.decode(column: "id", as: Int.self)
        } catch where backend.isUniqueViolation(error) {
            throw StoreError.duplicate(entity: "application", key: uscc.value)
        }
    }

    static let applicationColumns = """
        id, round_id, uscc, status, capacity_estates, capacity_households, scores_json, total, proposal, proposal_reason,
        proposed_by, decided_by, decision_reason, recorded_by, term_end
        """

    static func application(from row: any SQLRow) throws -> PoolApplication {
        let status = try row.decode(column: "status", as: String.self)
        guard let s = ApplicationStatus(rawValue: status) else { throw StoreError.corruptRow(entity: "application", detail: status) }
        return PoolApplication(
            id: try row.decode(column: "id", as: Int.self), roundID: try row.decode(column: "round_id", as: Int.self),
            uscc: try row.decode(column: "uscc", as: String.self), status: s,
            capacityEstates: try row.decode(column: "capacity_estates", as: Int.self),
            capacityHouseholds: try row.optional("capacity_households", Int.self),
            scores: try row.optional("scores_json", String.self).map { try decodeJSON([String: Double].self, $0, entity: "application") },
            total: try row.optional("total", Double.self),
            proposal: try row.optional("proposal", String.self).flatMap(AdmissionProposal.init(rawValue:)),
            proposalReason: try row.optional("proposal_reason", String.self),
            proposedBy: try row.optional("proposed_by", String.self),
            decidedBy: try row.optional("decided_by", String.self),
            decisionReason: try row.optional("decision_reason", String.self),
            recordedBy: try row.decode(column: "recorded_by", as: String.self),
            termEnd: try optionalDate(row, "term_end", entity: "application"))
    }

    func application(id: Int) async throws -> PoolApplication? {
        try await db.raw("SELECT \(unsafeRaw: Self.applicationColumns) FROM applications WHERE id = \(bind: id)").first().map(Self.application(from:))
    }

    func applications(roundID: Int) async throws -> [PoolApplication] {
        try await db.raw("SELECT \(unsafeRaw: Self.applicationColumns) FROM applications WHERE round_id = \(bind: roundID) ORDER BY id")
            .all().map(Self.application(from:))
    }

    func updateApplication(_ a: PoolApplication) async throws {
        try await db.raw("""
            UPDATE applications SET status = \(bind: a.status.rawValue), scores_json = \(bind: try a.scores.map(Self.json)),
                total = \(bind: a.total), proposal = \(bind: a.proposal?.rawValue), proposal_reason = \(bind: a.proposalReason),
                proposed_by = \(bind: a.proposedBy), decided_by = \(bind: a.decidedBy), decision_reason = \(bind: a.decisionReason)
            WHERE id = \(bind: a.id)
            """).run()
    }

    func insertMembership(_ m: NewMembership, at: Date) async throws -> Int {
        try await db.raw("""
            INSERT INTO memberships (unit, uscc, application_id, start_date, end_date, capacity_estates, capacity_households, score, created_at)
            VALUES (\(bind: m.unit), \(bind: m.uscc.value), \(bind: m.applicationID), \(bind: m.start.description), \(bind: m.end.description),
                    \(bind: m.capacityEstates), \(bind: m.capacityHouseholds), \(bind: m.score), \(bind: AuditChain.timestamp(at)))
            RETURNING id
            """).first()!.decode(column: "id", as: Int.self)
    }

    func membership(id: Int) async throws -> Membership? {
        try await loadMemberships(SQLQueryString("WHERE id = \(bind: id)")).first
    }

    func memberships(unit: String?, from: LocalDate, to: LocalDate) async throws -> [Membership] {
        var q = SQLQueryString("WHERE start_date <= \(bind: to.description) AND end_date >= \(bind: from.description)")
        if let unit { q.appendInterpolation(unsafeRaw: " AND unit = "); q.appendInterpolation(bind: unit) }
        return try await loadMemberships(q)
    }

    /// The memberships matching `condition`, with their events: one query however many
    /// memberships there are (a membership's columns repeat on each of its events' rows).
    private func loadMemberships(_ condition: SQLQueryString) async throws -> [Membership] {
        let select: SQLQueryString = """
            SELECT m.id, m.unit, m.uscc, m.start_date, m.end_date, m.capacity_estates, m.capacity_households, m.score,
                   e.id AS event_id, e.kind, e.effective_date, e.until_date, e.reason
            FROM (SELECT * FROM memberships 
            """
        let rows = try await db.raw(select + condition + """
            ) m LEFT JOIN membership_events e ON e.membership_id = m.id
            ORDER BY m.unit, m.uscc, m.start_date, m.id, e.id
            """).all()
        // The first row of each membership, and every membership's events in order.
        var firsts: [any SQLRow] = [], events: [Int: [MembershipEvent]] = [:], last: Int?
        for row in rows {
            let id = try row.decode(column: "id", as: Int.self)
            if id != last { firsts.append(row); last = id }
            guard let eventID = try row.optional("event_id", Int.self) else { continue }
            events[id, default: []].append(
                MembershipEvent(id: eventID,
                                kind: MembershipEvent.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .removed,
                                date: try Self.date(row, "effective_date", entity: "membershipEvent"),
                                until: try row.optional("until_date", String.self).flatMap(LocalDate.init(iso:)),
                                reason: try row.decode(column: "reason", as: String.self)))
        }
        return try firsts.map { row in
            let id = try row.decode(column: "id", as: Int.self)
            let raw = try row.decode(column: "uscc", as: String.self)
            guard let uscc = try? USCC(validating: raw) else { throw StoreError.corruptRow(entity: "membership", detail: raw) }
            return Membership(id: id, unit: try row.decode(column: "unit", as: String.self), uscc: uscc,
                              start: try Self.date(row, "start_date", entity: "membership"),
                              end: try Self.date(row, "end_date", entity: "membership"),
                              capacityEstates: try row.decode(column: "capacity_estates", as: Int.self),
                              capacityHouseholds: try row.optional("capacity_households", Int.self),
                              score: try row.decode(column: "score", as: Double.self), events: events[id] ?? [])
        }
    }

    func insertMembershipEvent(membershipID: Int, kind: MembershipEvent.Kind, date: LocalDate, until: LocalDate?,
                               reason: String, recordedBy: String, at: Date) async throws -> Int {
        try await db.raw("""
            INSERT INTO membership_events (membership_id, kind, effective_date, until_date, reason, recorded_at, recorded_by)
            VALUES (\(bind: membershipID), \(bind: kind.rawValue), \(bind: date.description), \(bind: until?.description),
                    \(bind: reason), \(bind: AuditChain.timestamp(at)), \(bind: recordedBy))
            RETURNING id
            """).first()!.decode(column: "id", as: Int.self)
    }
}
