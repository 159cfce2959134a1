import TuodiApp
import TuodiDomain
import TuodiLabels
import TuodiStore

/// 审计: the trail, filtered by record and person, a page at a time; "校验" recomputes the hash chain.
struct AuditPage: PageModel {
    static let template = "audit"
    static let pageSize = 100

    struct Row: Sendable {
        let seq: Int
        let time: String
        let actor: String
        let action: String
        let record: String
        let unit: String
        let reason: String
    }

    struct Verification: Sendable {
        let intact: Bool
        let text: String
    }

    let chrome: Chrome
    let entity: String
    let entityID: String
    let actor: String
    let rows: [Row]
    let next: String?
    let canVerify: Bool
    let verifyHref: String
    let verification: Verification?

    static func filter(_ q: FormData) -> AuditFilter {
        var f = AuditFilter()
        f.entity = q["entity"]; f.entityID = q["entityId"]; f.actor = q["actor"]
        f.afterSeq = Int(q["after"] ?? "") ?? 0
        f.limit = pageSize
        return f
    }

    init(session: WebSession, filter f: AuditFilter, entries: [AuditEntry], verification: (checked: Int, firstBreak: AuditChain.Break?)?) {
        chrome = .signedIn(session, title: "审计", section: .audit)
        entity = f.entity ?? ""; entityID = f.entityID ?? ""; actor = f.actor ?? ""
        rows = entries.map { e in
            Row(seq: e.seq, time: Display.beijingTime(iso: e.recordedAt), actor: e.actor, action: Labels.auditActions[e.action],
                record: "\(e.entity) \(e.entityID)", unit: e.unit.flatMap { ReportingUnit.named($0)?.name } ?? "—", reason: e.reason ?? "")
        }
        let query: [(String, String?)] = [("entity", f.entity), ("entityId", f.entityID), ("actor", f.actor)]
        next = entries.count == f.limit ? link("/audit", query + [("after", entries.last.map { String($0.seq) })]) : nil
        canVerify = Authorization.decide(.auditVerify, actor: session.caller, unit: nil) == .allowed
        verifyHref = "/audit/verify"
        self.verification = verification.map { v in
            if let b = v.firstBreak {
                return Verification(intact: false, text: "校验了 \(v.checked) 条记录：第 \(b.seq) 条起哈希链不再吻合（\(b.problem)）。")
            }
            return Verification(intact: true, text: "校验了 \(v.checked) 条记录，哈希链完整，没有记录被改动或删除。")
        }
    }
}
