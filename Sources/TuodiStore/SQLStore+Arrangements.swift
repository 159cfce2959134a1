import Foundation
import SQLKit
import TuodiDomain

extension SQLStoreTransaction {
    /// Selected `FROM arrangements a`. The estate's code comes from a correlated lookup rather
    /// than a join: PostgreSQL misjudges how few rows the date filters keep and hashes the whole
    /// estate table for a join (10 ms for the 工作台's 61 rows at city scale), where the lookup
    /// costs one index probe per row returned.
    static let arrangementColumns = """
        a.id, a.estate_id, (SELECT e.code FROM estates e WHERE e.id = a.estate_id) AS estate_code, a.unit, a.kind, a.provider_uscc, a.provider_body, a.provider_contact,
        a.start_date, a.planned_end, a.review_date, a.ended_on, a.fee, a.status, a.justification, a.replaces,
        a.selection_round_id, a.proposed_by, a.decided_by, a.decision_reason, a.decided_on, a.document_ref
        """

    static func arrangement(from row: any SQLRow) throws -> Arrangement {
        let id = try row.decode(column: "id", as: Int.self)
        func corrupt(_ detail: String) -> StoreError { .corruptRow(entity: "arrangement", detail: "\(id): \(detail)") }
        let kindText = try row.decode(column: "kind", as: String.self), statusText = try row.decode(column: "status", as: String.self)
        guard let kind = CoverageKind(rawValue: kindText), let status = ArrangementStatus(rawValue: statusText) else {
            throw corrupt("\(kindText)/\(statusText)")
        }
        let provider: ArrangementProvider
        if let raw = try row.optional("provider_uscc", String.self) {
            guard let u = try? USCC(validating: raw) else { throw corrupt(raw) }
            provider = .company(u)
        } else {
            provider = .body(name: try row.optional("provider_body", String.self) ?? "",
                             contact: try row.optional("provider_contact", String.self) ?? "")
        }
        func day(_ column: String) throws -> LocalDate? {
            guard let text = try row.optional(column, String.self) else { return nil }
            guard let d = LocalDate(iso: text) else { throw corrupt("\(column) \(text)") }
            return d
        }
        return Arrangement(
            id: id, estateID: try row.decode(column: "estate_id", as: Int.self),
            estateCode: try row.decode(column: "estate_code", as: String.self), unit: try row.decode(column: "unit", as: String.self),
            kind: kind, provider: provider, start: try Self.date(row, "start_date", entity: "arrangement"),
            plannedEnd: try day("planned_end"), reviewDate: try day("review_date"), endedOn: try day("ended_on"),
            fee: try row.optional("fee", Double.self), status: status, justification: try row.optional("justification", String.self),
            replaces: try row.optional("replaces", Int.self), selectionRoundID: try row.optional("selection_round_id", Int.self),
            proposedBy: try row.decode(column: "proposed_by", as: String.self), decidedBy: try row.optional("decided_by", String.self),
            decisionReason: try row.optional("decision_reason", String.self), recorded: try Self.recordedDecision(row, entity: "arrangement"))
    }

    /// The past decision a row records, from its `decided_on` and `document_ref` columns (#12).
    static func recordedDecision(_ row: any SQLRow, entity: String) throws -> RecordedDecision? {
        guard let ref = try row.optional("document_ref", String.self) else { return nil }
        let text = try row.optional("decided_on", String.self) ?? ""
        guard let day = LocalDate(iso: text) else { throw StoreError.corruptRow(entity: entity, detail: "decided_on \(text)") }
        return RecordedDecision(decidedOn: day, documentRef: ref)
    }

    func arrangement(id: Int) async throws -> Arrangement? {
        try await db.raw("""
            SELECT \(unsafeRaw: Self.arrangementColumns) FROM arrangements a WHERE a.id = \(bind: id)
            """).first().map(Self.arrangement(from:))
    }

    func lock(_ record: LockableRecord, id: Int) async throws {
        // The table name comes from the enum, never from input.
        try await lockRow("SELECT id FROM \(unsafeRaw: record.rawValue) WHERE id = \(bind: id)")
    }

    /// Locks the row `select` reads until the transaction ends, where the backend locks rows
    /// (PostgreSQL). SQLite's writer holds the whole database already: there the statement would
    /// only cost time.
    private func lockRow(_ select: SQLQueryString) async throws {
        guard !backend.rowLockClause.isEmpty else { return }
        try await db.raw(select + " \(unsafeRaw: backend.rowLockClause)").run()
    }

    func arrangements(_ f: ArrangementFilter) async throws -> [Arrangement] {
        var q = SQLQueryString("SELECT \(unsafeRaw: Self.arrangementColumns) FROM arrangements a WHERE 1 = 1")
        if let unit = f.unit { q.appendInterpolation(unsafeRaw: " AND a.unit = "); q.appendInterpolation(bind: unit) }
        if let estate = f.estateID { q.appendInterpolation(unsafeRaw: " AND a.estate_id = "); q.appendInterpolation(bind: estate) }
        if let uscc = f.uscc { q.appendInterpolation(unsafeRaw: " AND a.provider_uscc = "); q.appendInterpolation(bind: uscc.value) }
        if let statuses = f.statuses {
            q.appendInterpolation(unsafeRaw: " AND a.status IN (")
            for (i, s) in statuses.enumerated() {
                if i > 0 { q.appendInterpolation(unsafeRaw: ", ") }
                q.appendInterpolation(bind: s.rawValue)
            }
            if statuses.isEmpty { q.appendInterpolation(unsafeRaw: "NULL") }
            q.appendInterpolation(unsafeRaw: ")")
        }
        if let day = f.endingAfter?.description {
            q.appendInterpolation(unsafeRaw: " AND (a.planned_end > "); q.appendInterpolation(bind: day)
            q.appendInterpolation(unsafeRaw: " OR a.ended_on > "); q.appendInterpolation(bind: day)
            q.appendInterpolation(unsafeRaw: ")")
        }
        if let day = f.endingBy?.description {
            q.appendInterpolation(unsafeRaw: " AND (a.planned_end <= "); q.appendInterpolation(bind: day)
            q.appendInterpolation(unsafeRaw: " OR a.ended_on <= "); q.appendInterpolation(bind: day)
            q.appendInterpolation(unsafeRaw: ")")
        }
        q.appendInterpolation(unsafeRaw: " ORDER BY a.start_date, a.id")
        return try await db.raw(q).all().map(Self.arrangement(from:))
    }

    /// The two invariants, checked after locking the estate row and then the company row (in that
    /// order; a transaction that books several estates, a match's or a selection's award, can
    /// still meet another in a deadlock, which PostgreSQL breaks and the store runs again). On
    /// PostgreSQL the row locks serialise every writer touching the same estate or company,
    /// across processes; each statement after the lock sees what the previous holder committed.
    /// SQLite's `BEGIN IMMEDIATE` already admits one writer at a time. Only the spans that can
    /// overlap the term are read, so a write costs the same however long the estate's or the
    /// company's history.
    private func checkInvariants(estateID: Int, uscc: USCC?, unit: String, start: LocalDate, end: LocalDate?,
                                 capacity: Int?, excluding: Set<Int>) async throws {
        let company = capacity == nil ? nil : uscc
        try await lockEstate(estateID, andCompany: company)
        try await checkOverlap(estateID: estateID, start: start, end: end, excluding: excluding)
        guard let uscc = company, let capacity else { return }
        // The dates narrow to a superset of the arrangements that can count. Reading and decoding
        // each one's span was most of an appointment's time once a company held a few hundred.
        let found = try await db.raw(spanQuery("COUNT(*) AS found", Self.heldBy(uscc, unit), start: start, end: end)).first()
        if ArrangementRules.fitsAnyway(candidates: try found?.decode(column: "found", as: Int.self) ?? 0, capacity: capacity) { return }
        try await checkPeak(uscc: uscc, unit: unit, start: start, end: end, capacity: capacity, excluding: excluding)
    }

    /// Locks the estate's row and, with `uscc`, the company's, in one statement; with
    /// `auditTrail`, the audit trail's lock too, selected over the rows once they are locked
    /// (PostgreSQL does not pull a subquery that locks up into its caller), so that it is taken
    /// after them, as every writer takes it. Had either row gone, nothing would be locked: that
    /// fails rather than goes on unlocked. PostgreSQL locks the rows of a join in the order of its
    /// FROM list: the estate first, as every writer takes them.
    private func lockEstate(_ estateID: Int, andCompany uscc: USCC?, andAuditTrail auditTrail: Bool = false) async throws {
        // Where rows need no lock (SQLite's single writer), neither does the trail: the head read
        // with the insert is current.
        assert(!backend.rowLockClause.isEmpty || backend.auditLockExpression == nil, "a trail lock without row locks")
        guard !backend.rowLockClause.isEmpty else { return }
        var select: SQLQueryString = uscc.map {
            "SELECT e.id FROM estates e, companies c WHERE e.id = \(bind: estateID) AND c.uscc = \(bind: $0.value)"
        } ?? "SELECT id FROM estates WHERE id = \(bind: estateID)"
        select = select + " \(unsafeRaw: backend.rowLockClause)"
        if auditTrail, let lock = backend.auditLockExpression {
            select = "SELECT \(unsafeRaw: lock) FROM (" + select + ") AS locked"
        }
        guard try await db.raw(select).first() != nil else {
            throw StoreError.corruptRow(entity: "arrangement", detail: "its estate \(estateID) or company \(uscc?.value ?? "") was not there to lock")
        }
    }

    /// No other arrangement on the estate holding a day of the term (its row locked first).
    private func checkOverlap(estateID: Int, start: LocalDate, end: LocalDate?, excluding: Set<Int>) async throws {
        let onEstate = try await spans(Self.onEstate(estateID), start: start, end: end)
            .filter { !excluding.contains($0.id) }
        if let clash = onEstate.first {
            throw StoreError.refused(rule: .overlap, detail:
                "与第 \(clash.id) 号安排（\(clash.start) 至 \(clash.effectiveEnd?.description ?? "长期")，\(clash.status.rawValue)）时间重叠：同一小区同一天只能有一个服务主体")
        }
    }

    private static func onEstate(_ estateID: Int) -> SQLQueryString {
        SQLQueryString("estate_id = \(bind: estateID)")
    }

    /// The company's exact peak load over the term, from the spans of its arrangements there.
    private func checkPeak(uscc: USCC, unit: String, start: LocalDate, end: LocalDate?, capacity: Int, excluding: Set<Int>) async throws {
        let held = try await spans(Self.heldBy(uscc, unit), start: start, end: end).filter { !excluding.contains($0.id) }
        let peak = ArrangementRules.peakLoad(of: held, start: start, end: end)
        if !ArrangementRules.fits(peak: peak, capacity: capacity) {
            throw StoreError.refused(rule: .capacity, detail:
                "企业 \(uscc.value) 在本区同期已有 \(peak) 个安排，承接上限为 \(capacity)")
        }
    }

    private static func heldBy(_ uscc: USCC, _ unit: String) -> SQLQueryString {
        SQLQueryString("provider_uscc = \(bind: uscc.value) AND unit = \(bind: unit)")
    }

    /// The spans of the arrangements matching `condition` that hold any day of `start...end`,
    /// oldest first. The SQL narrows by dates (ISO text sorts as dates do) and drops rejected
    /// proposals; the domain's own `overlaps` then decides, so the rule stays in one place.
    /// The planned end is compared as the expression `arrangements_provider_end` indexes
    /// (migration 0012), so a company's terms planned to end before this one starts are not read.
    private func spans(_ condition: SQLQueryString, start: LocalDate, end: LocalDate?) async throws -> [ArrangementSpan] {
        var q = spanQuery("id, start_date, planned_end, ended_on, status", condition, start: start, end: end)
        q.appendInterpolation(unsafeRaw: " ORDER BY start_date, id")
        return try await db.raw(q).all().map { row in
            let id = try row.decode(column: "id", as: Int.self), statusText = try row.decode(column: "status", as: String.self)
            guard let status = ArrangementStatus(rawValue: statusText) else {
                throw StoreError.corruptRow(entity: "arrangement", detail: "\(id): \(statusText)")
            }
            return ArrangementSpan(id: id, start: try Self.date(row, "start_date", entity: "arrangement"),
                                   plannedEnd: try Self.optionalDate(row, "planned_end", entity: "arrangement"),
                                   endedOn: try Self.optionalDate(row, "ended_on", entity: "arrangement"), status: status)
        }.filter { $0.overlaps(start: start, end: end) }
    }

    /// `SELECT columns` of the arrangements matching `condition` that the dates narrow to, a
    /// superset of those holding a day of `start...end`.
    private func spanQuery(_ columns: String, _ condition: SQLQueryString, start: LocalDate, end: LocalDate?) -> SQLQueryString {
        var q = SQLQueryString("SELECT \(unsafeRaw: columns) FROM arrangements WHERE ") + condition
        q.appendInterpolation(unsafeRaw: " AND status <> 'rejected'")
        q.appendInterpolation(unsafeRaw: " AND COALESCE(planned_end, \(SQLStore.openEndSQL)) >= "); q.appendInterpolation(bind: start.description)
        q.appendInterpolation(unsafeRaw: " AND (ended_on IS NULL OR ended_on >= "); q.appendInterpolation(bind: start.description)
        q.appendInterpolation(unsafeRaw: ")")
        if let end { q.appendInterpolation(unsafeRaw: " AND start_date <= "); q.appendInterpolation(bind: end.description) }
        return q
    }

    /// A new arrangement, after the invariants. Under the locks, one statement decides most
    /// appointments: the insert is guarded by what SQL can tell at once, no candidate span on the
    /// estate (the dates narrow to a superset of the overlapping ones) and, with a company and
    /// its capacity, the count `ArrangementRules.fitsAnyway` accepts. On PostgreSQL every
    /// statement after the company's lock is one more round trip that each appointment for that
    /// company waits for. Only when a guard refuses are the exact rules read (the domain's
    /// `overlaps` and peak load), and the row inserted after them.
    func insertArrangement(_ a: NewArrangement, capacity: Int?, appendsAuditNext: Bool) async throws -> Int {
        let id = try await insertChecked(a, capacity: capacity, appendsAuditNext: appendsAuditNext)
        // A proposal covers no day (`Arrangement.coverage`): the estate's read model stays as it is.
        if a.coverage != nil { changedEstates.insert(a.estateID) }
        return id
    }

    private func insertChecked(_ a: NewArrangement, capacity: Int?, appendsAuditNext: Bool) async throws -> Int {
        let excluding = Set([a.replaces].compactMap { $0 })
        let company = capacity == nil ? nil : a.provider.uscc
        // A successor's insert waits for a share lock on its predecessor (the foreign key of
        // `replaces`): it must not hold the trail's lock meanwhile (`insertArrangement`).
        let lockingAuditTrail = appendsAuditNext && a.replaces == nil
        try await lockEstate(a.estateID, andCompany: company, andAuditTrail: lockingAuditTrail)
        var onEstate = Self.onEstate(a.estateID)
        if let replaced = a.replaces { onEstate = onEstate + " AND id <> \(bind: replaced)" }
        var guards = "NOT EXISTS (" + spanQuery("1", onEstate, start: a.start, end: a.plannedEnd) + ")"
        if let uscc = company, let capacity {
            let count = spanQuery("COUNT(*)", Self.heldBy(uscc, a.unit), start: a.start, end: a.plannedEnd)
            guards = guards + " AND (" + count + ") <= \(bind: ArrangementRules.mostHeldThatFit(capacity: capacity))"
        }
        if let id = try await insertRow(a, guardedBy: guards, readingAuditHead: lockingAuditTrail) { return id }
        try await checkOverlap(estateID: a.estateID, start: a.start, end: a.plannedEnd, excluding: excluding)
        if let uscc = company, let capacity {
            try await checkPeak(uscc: uscc, unit: a.unit, start: a.start, end: a.plannedEnd, capacity: capacity, excluding: excluding)
        }
        guard let id = try await insertRow(a, guardedBy: nil, readingAuditHead: lockingAuditTrail) else {
            throw StoreError.corruptRow(entity: "arrangement", detail: "no id returned")
        }
        return id
    }

    /// Inserts `a` and returns its id; with `condition`, only if it holds (nil if not). With
    /// `readingAuditHead` (the trail's lock taken in an earlier statement, or SQLite's writer
    /// held), the trail's head as this statement sees it is returned too and held by the
    /// transaction for its next append.
    private func insertRow(_ a: NewArrangement, guardedBy condition: SQLQueryString?, readingAuditHead: Bool) async throws -> Int? {
        var body: String?, contact: String?
        if case .body(let n, let c) = a.provider { body = n; contact = c }
        var q: SQLQueryString = """
            INSERT INTO arrangements (estate_id, unit, kind, provider_uscc, provider_body, provider_contact, start_date, planned_end,
                                      review_date, fee, status, justification, replaces, selection_round_id, proposed_by,
                                      decided_by, created_at, decided_on, document_ref)
            SELECT \(bind: a.estateID), \(bind: a.unit), \(bind: a.kind.rawValue), \(bind: a.provider.uscc?.value), \(bind: body),
                   \(bind: contact), \(bind: a.start.description), \(bind: a.plannedEnd?.description), \(bind: a.reviewDate?.description),
                   \(bind: a.fee), \(bind: a.status.rawValue), \(bind: a.justification), \(bind: a.replaces), \(bind: a.selectionRoundID),
                   \(bind: a.proposedBy), \(bind: a.decidedBy), \(bind: AuditChain.timestamp(a.createdAt)),
                   \(bind: a.recorded?.decidedOn.description), \(bind: a.recorded?.documentRef)
            """
        if let condition { q = q + " WHERE " + condition }
        q.appendInterpolation(unsafeRaw: " RETURNING id")
        if readingAuditHead { q.appendInterpolation(unsafeRaw: ", " + Self.auditHeadColumns) }
        guard let row = try await db.raw(q).first() else { return nil }
        if readingAuditHead { heldAuditHead.know(try Self.auditHead(from: row)) }
        return try row.decode(column: "id", as: Int.self)
    }

    func updateArrangement(_ a: Arrangement, capacity: Int?) async throws {
        guard let old = try await arrangement(id: a.id) else { throw StoreError.corruptRow(entity: "arrangement", detail: "\(a.id) missing") }
        let grows: Bool = switch (old.effectiveEnd, a.effectiveEnd) {
        case (nil, _): false
        case (_, nil): true
        case let (o?, n?): n > o
        }
        if grows || (!old.holdsDays && a.holdsDays) {
            try await checkInvariants(estateID: a.estateID, uscc: a.provider.uscc, unit: a.unit, start: a.start, end: a.effectiveEnd,
                                      capacity: capacity, excluding: [a.id])
        }
        // Only a change to the days it covers (an approval, an extension, a cut) touches the read model.
        if old.coverage != a.coverage { changedEstates.insert(a.estateID) }
        try await db.raw("""
            UPDATE arrangements SET status = \(bind: a.status.rawValue), planned_end = \(bind: a.plannedEnd?.description),
                ended_on = \(bind: a.endedOn?.description), decided_by = \(bind: a.decidedBy), decision_reason = \(bind: a.decisionReason)
            WHERE id = \(bind: a.id)
            """).run()
    }

    func insertArrangementChange(arrangementID: Int, kind: ArrangementChange.Kind, date: LocalDate, previousEnd: LocalDate?,
                                 reason: String, recordedBy: String, at: Date) async throws {
        try await db.raw("""
            INSERT INTO arrangement_changes (arrangement_id, kind, effective_date, previous_end, reason, recorded_at, recorded_by)
            VALUES (\(bind: arrangementID), \(bind: kind.rawValue), \(bind: date.description), \(bind: previousEnd?.description),
                    \(bind: reason), \(bind: AuditChain.timestamp(at)), \(bind: recordedBy))
            """).run()
    }

    func arrangementChanges(arrangementIDs: [Int]) async throws -> [Int: [ArrangementChange]] {
        var found: [Int: [ArrangementChange]] = [:]
        for chunk in Self.chunks(Array(Set(arrangementIDs)).sorted()) {
            for row in try await db.raw("""
                SELECT id, arrangement_id, kind, effective_date, previous_end, reason, recorded_at, recorded_by
                FROM arrangement_changes WHERE arrangement_id IN (\(binds: chunk)) ORDER BY id
                """).all() {
                let kind = try row.decode(column: "kind", as: String.self)
                guard let k = ArrangementChange.Kind(rawValue: kind) else { throw StoreError.corruptRow(entity: "arrangementChange", detail: kind) }
                let arrangementID = try row.decode(column: "arrangement_id", as: Int.self)
                found[arrangementID, default: []].append(ArrangementChange(
                    id: try row.decode(column: "id", as: Int.self), arrangementID: arrangementID, kind: k,
                    date: try Self.date(row, "effective_date", entity: "arrangementChange"),
                    previousEnd: try row.optional("previous_end", String.self).flatMap(LocalDate.init(iso:)),
                    reason: try row.decode(column: "reason", as: String.self),
                    recordedAt: try row.decode(column: "recorded_at", as: String.self),
                    recordedBy: try row.decode(column: "recorded_by", as: String.self)))
            }
        }
        return found
    }
}
