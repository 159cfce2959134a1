import Foundation
import TuodiDomain
import TuodiStore

/// A pool admission decided before the district adopted Tuodi, as the clerk enters it from the
/// published decision (#12). A second person approves each company with `decide`, as for a live
/// round; the membership then starts on the decision date.
public struct RecordedAdmissionDraft: Sendable {
    public struct Member: Sendable {
        public var uscc: String
        public var capacityEstates: Int
        public var capacityHouseholds: Int?
        /// The membership's last day when the decision states its own term (YYYY-MM-DD).
        public var termEnd: String?
        public init(uscc: String, capacityEstates: Int, capacityHouseholds: Int? = nil, termEnd: String? = nil) {
            self.uscc = uscc; self.capacityEstates = capacityEstates; self.capacityHouseholds = capacityHouseholds; self.termEnd = termEnd
        }
    }
    public var unit: String
    public var decidedOn: String
    /// The decision's document reference (文号).
    public var documentRef: String
    public var members: [Member]

    public init(unit: String, decidedOn: String, documentRef: String, members: [Member]) {
        self.unit = unit; self.decidedOn = decidedOn; self.documentRef = documentRef; self.members = members
    }

    /// A decision is recorded after it was taken: its date is today at the latest.
    func validated(today: LocalDate) throws(ValidationFailure) -> RecordedAdmission {
        var e = FieldErrors()
        if ReportingUnit.named(unit) == nil { e.add("unit", "unknown", "报送单位代码“\(unit)”不存在") }
        let decided = LocalDate(iso: decidedOn)
        if decided == nil { e.add("decidedOn", "format", "决定日期应为 YYYY-MM-DD，实为“\(decidedOn)”") }
        if let decided, decided > today { e.add("decidedOn", "future", "决定日期 \(decided) 晚于今天（\(today)）：只能登记已经作出的决定") }
        let ref = documentRef.trimmingCharacters(in: .whitespacesAndNewlines)
        if ref.isEmpty { e.add("documentRef", "required", "须填写入库决定的文号") }
        if members.isEmpty { e.add("members", "required", "至少登记一家入库企业") }
        var members: [RecordedAdmission.Member] = [], seen = Set<String>()
        for (i, m) in self.members.enumerated() {
            let field = "members[\(i)]"
            var uscc: USCC?
            do { uscc = try USCC(validating: m.uscc) } catch { e.add("\(field).uscc", error.code, error.description) }
            if let uscc, !seen.insert(uscc.value).inserted { e.add("\(field).uscc", "duplicate", "企业 \(uscc.value) 在本决定中重复") }
            if !(1...500).contains(m.capacityEstates) { e.add("\(field).capacityEstates", "range", "可承接小区数应为 1–500") }
            if let h = m.capacityHouseholds, !(1...1_000_000).contains(h) { e.add("\(field).capacityHouseholds", "range", "可承接户数应为正整数") }
            var termEnd: LocalDate?
            if let text = m.termEnd {
                termEnd = LocalDate(iso: text)
                if termEnd == nil { e.add("\(field).termEnd", "format", "入库期限应为 YYYY-MM-DD，实为“\(text)”") }
            }
            if let termEnd, let decided, termEnd < decided {
                e.add("\(field).termEnd", "order", "入库期限 \(termEnd) 早于决定日期 \(decided)")
            }
            if let uscc {
                members.append(.init(uscc: uscc, capacityEstates: m.capacityEstates, capacityHouseholds: m.capacityHouseholds, termEnd: termEnd))
            }
        }
        try e.throwIfAny()
        return RecordedAdmission(unit: unit, title: "入库决定 \(ref)", decidedOn: decided!, documentRef: ref, members: members)
    }
}

extension PoolUseCases {
    /// The clerk records a past admission decision: a round of its own with one application per
    /// company, each proposed for admission and waiting for a second person's `decide`.
    public func recordAdmission(_ draft: RecordedAdmissionDraft, by actor: Caller) async throws -> (round: AdmissionRound, applications: [PoolApplication]) {
        try await translatingErrors {
            let valid = try draft.validated(today: context.clock.today)
            try Gate.require(.poolRecordAdmission, actor, unit: valid.unit, entity: "unit", key: valid.unit)
            let now = context.clock.now
            return try await context.store.transaction { tx in
                var unknown: [FieldError] = []
                for (i, m) in valid.members.enumerated() where try await tx.company(uscc: m.uscc) == nil {
                    unknown.append(FieldError(field: "members[\(i)].uscc", code: "unknown", message: "企业 \(m.uscc.value) 尚未登记，请先登记企业"))
                }
                if !unknown.isEmpty { throw AppError.validation(unknown) }
                let id = try await tx.insertRecordedAdmission(valid, createdBy: actor.username, at: now)
                let round = try await tx.round(id: id)!, applications = try await tx.applications(roundID: id)
                try await AuditWriter(tx: tx, now: now, logger: context.logger).record(Action.poolRecordAdmission.rawValue, by: actor.username, entity: "admissionRound",
                    id: String(id), unit: valid.unit, reason: valid.documentRef, before: Nothing?.none,
                    after: ["decidedOn": valid.decidedOn.description, "documentRef": valid.documentRef,
                            "members": valid.members.map { "\($0.uscc.value):\($0.capacityEstates)" + ($0.termEnd.map { "至\($0)" } ?? "") }
                                .joined(separator: ",")])
                return (round, applications)
            }
        }
    }
}
