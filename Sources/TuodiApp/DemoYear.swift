import Foundation
import TuodiDomain
import TuodiStore

/// The rest of a believable district year for `make run`, after the first estates and the pools:
/// two dozen more estates in each demo district, some unmanaged this year and covered by owner
/// self-management, community fallback, custody (through the real proposal and approval) or a
/// selection awarded before Tuodi (recorded from its award notice and approved), some still at
/// risk, a pending proposal for the approver, an open selection round, and the first two
/// quarters' returns submitted. Dates are relative to today, within today's year.
extension DemoData {
    static let subDistricts = [
        "310101": ["豫园街道", "瑞金二路街道", "打浦桥街道", "淮海中路街道", "外滩街道", "南京东路街道", "老西门街道", "小东门街道", "半淞园路街道", "五里桥街道"],
        "310107": ["曹杨新村街道", "真如镇街道", "长风新村街道", "甘泉路街道", "石泉路街道", "宜川路街道", "长寿路街道", "万里街道", "桃浦镇"],
    ]
    static let roads = [
        "310101": ["复兴东路", "蓬莱路", "制造局路", "建国东路", "丽园路", "徐家汇路", "中华路", "金陵东路", "斜土路", "西藏南路", "陆家浜路", "会稽路"],
        "310107": ["兰溪路", "梅岭北路", "枣阳路", "志丹路", "宜川路", "中山北路", "岚皋路", "铜川路", "武宁路", "管弄路", "延长西路", "大渡河路"],
    ]

    /// What happens to the n-th added estate (of 24 per district) this year.
    enum Fate: Sendable { case managed, ownerSelf, communityFallback, custody, selection, pending, atRisk }

    static func fate(_ n: Int) -> Fate {
        switch n % 8 {
        case 4: .ownerSelf
        case 5: .communityFallback
        case 6: n / 8 == 2 ? .selection : .atRisk
        case 7: [.custody, .pending, .atRisk][n / 8]
        default: .managed
        }
    }

    static let addedPerDistrict = 24

    struct Plan: Sendable {
        let unit: String
        let code: String
        let since: LocalDate?
        let fate: Fate
    }

    static func loadYear(_ context: AppContext) async throws {
        let today = context.clock.today
        let january = LocalDate(year: today.year, month: 1, day: 1)!
        // The estates and their facts, written as the first demo estates are.
        let plans = try await context.store.transaction { tx in
            var plans: [Plan] = []
            let audit = AuditWriter(tx: tx, now: context.clock.now, logger: context.logger)
            for (unit, prefix, first) in [("310101", "HP", 5), ("310107", "PT", 4)] {
                let subs = subDistricts[unit]!, streets = roads[unit]!
                let clerk = unit == "310101" ? "hp.clerk" : "pt.clerk"
                for n in 0..<addedPerDistrict {
                    let code = "\(prefix)-\(String(format: "%04d", first + n))"
                    let sub = subs[n % subs.count], road = streets[n % streets.count]
                    let category = EstateCategory.allCases[n % EstateCategory.allCases.count]
                    let households = 120 + (n * 37) % 680
                    let estate = Estate(code: code, name: "\(road) \(100 + n * 17) 弄", address: "\(sub)\(road) \(100 + n * 17) 弄", unit: unit,
                                        legalDistrict: unit, subDistrict: sub, category: category, highDispute: n % 7 == 3,
                                        households: households, buildings: 2 + households / 60, floorArea: Double(households) * 52.5,
                                        yearBuilt: 1955 + (n * 3) % 45)
                    let id = try await tx.insertEstate(estate, createdAt: context.clock.now)
                    try await audit.record(Action.estateRegister.rawValue, by: "demo", entity: "estate", id: code, unit: unit,
                                           before: Nothing?.none, after: estate)
                    let destiny = fate(n)
                    var since: LocalDate?
                    if destiny != .managed { since = max(january, today.adding(days: -(25 + n * 5))) }
                    var facts: [(LocalDate, ManagementFactKind)] = [(LocalDate(iso: "2015-01-01")!, .regularBegan(company: "原物业服务企业"))]
                    if let since { facts.append((since.adding(days: -1), .regularEnded(company: "原物业服务企业"))) }
                    for (date, kind) in facts {
                        let factID = try await tx.insertFact(NewManagementFact(estateID: id, date: date, kind: kind, recordedAt: context.clock.now,
                                                                               recordedBy: clerk))
                        try await audit.record(Action.estateRecordFact.rawValue, by: "demo", entity: "estate", id: code, unit: unit,
                                               before: Nothing?.none, after: FactSnapshot(id: factID, date: date, kind: kind, supersedes: nil))
                    }
                    plans.append(Plan(unit: unit, code: code, since: since, fate: destiny))
                }
            }
            return plans
        }
        // The arrangements, proposed by the clerk and approved by the approver, as in daily work.
        for p in plans {
            guard let since = p.since else { continue }
            let prefix = p.unit == "310101" ? "hp" : "pt"
            let clerk = try await context.identity.actor(username: "\(prefix).clerk")
            let approver = try await context.identity.actor(username: "\(prefix).approver")
            let start = min(today, since.adding(days: 12))
            let draft: ArrangementDraft?
            switch p.fate {
            case .ownerSelf:
                draft = ArrangementDraft(estateCode: p.code, kind: CoverageKind.ownerSelf.rawValue, body: "\(p.code) 业主委员会",
                                         contact: "业委会主任 021-6320 0000", start: start.description,
                                         reviewDate: start.adding(months: 6).description, justification: "业主大会决定自行管理")
            case .communityFallback, .pending:
                draft = ArrangementDraft(estateCode: p.code, kind: CoverageKind.communityFallback.rawValue, body: "所在街道办事处",
                                         contact: "社区管理办 021-6328 0000", start: (p.fate == .pending ? today : start).description,
                                         reviewDate: start.adding(months: 6).description, justification: "居委会提供基本托底服务")
            case .custody:
                let member = try await context.pool.roster(unit: p.unit, by: clerk).active.sorted { $0.capacityEstates > $1.capacityEstates }.first!
                draft = ArrangementDraft(estateCode: p.code, kind: CoverageKind.custody.rawValue, uscc: member.uscc, start: today.description,
                                         plannedEnd: today.adding(months: 3).adding(days: -1).description, fee: 1.2,
                                         justification: "原物业撤场，指定预选库企业临时托管")
            case .selection:
                // Awarded three days ago on paper; the award notice is recorded, then approved.
                let member = try await context.pool.roster(unit: p.unit, by: clerk).active.sorted { $0.capacityEstates > $1.capacityEstates }.first!
                let award = ArrangementDraft(estateCode: p.code, kind: CoverageKind.selection.rawValue, uscc: member.uscc, start: today.description,
                                             plannedEnd: today.adding(months: 36).adding(days: -1).description)
                let recorded = try await context.arrangements.record(
                    RecordedArrangementDraft(arrangement: award, decidedOn: today.adding(days: -3).description,
                                             documentRef: "\(p.unit == "310101" ? "黄" : "普")房物〔\(today.year)〕21号", validBids: 4, awardedPrice: 2.1),
                    by: clerk)
                _ = try await context.arrangements.approve(id: recorded.id, by: approver)
                draft = nil
            case .managed, .atRisk: draft = nil
            }
            guard let draft else { continue }
            let a = try await context.arrangements.propose(draft, by: clerk)
            if p.fate != .pending { _ = try await context.arrangements.approve(id: a.id, by: approver) }
        }
        for (unit, prefix) in [("310101", "hp"), ("310107", "pt")] {
            let clerk = try await context.identity.actor(username: "\(prefix).clerk")
            let approver = try await context.identity.actor(username: "\(prefix).approver")
            // An open selection round for an estate still at risk.
            if let lot = plans.first(where: { $0.unit == unit && $0.fate == .atRisk }) {
                let round = try await context.selections.create(SelectionRoundDraft(
                    unit: unit, title: "\(lot.code) 物业服务比选", estateCodes: [lot.code], technicalPercent: 60, pricePercent: 40,
                    closesOn: today.adding(days: 14).description, termStart: today.adding(days: 30).description,
                    termEnd: today.adding(days: 30).adding(months: 12).adding(days: -1).description), by: clerk)
                _ = try await context.selections.invite(id: round.id, usccs: nil, by: clerk)
                _ = try await context.selections.open(id: round.id, by: clerk)
            }
            // The year's first two quarters reported (the one after is left for the user to draft).
            for quarter in 1...2 where LocalDate(year: today.year, month: quarter * 3 + 1, day: 1)! <= today {
                _ = try await context.returns.draft(unit: unit, year: today.year, quarter: quarter, by: clerk)
                _ = try await context.returns.approve(unit: unit, year: today.year, quarter: quarter, by: approver)
                _ = try await context.returns.submit(unit: unit, year: today.year, quarter: quarter, by: approver)
            }
        }
    }
}
