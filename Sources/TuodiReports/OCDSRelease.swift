import Foundation
import TuodiDomain

// Exports one competitive-selection round (市场竞争选聘: a tender among a district's pool of
// property-service companies for one or more residential estates) as an OCDS 1.1 release.
//
// The input is a plain value filled in by the caller; nothing here reads a store or a clock, so
// the same input always gives the same bytes. The schema it is checked against in the tests is
// Tests/Fixtures/ocds/release-schema.json (OCDS 1.1.5).

/// One competitive-selection round, as it is to be published.
public struct SelectionRoundExport: Sendable, Equatable {
    /// The round's lifecycle: draft → open → evaluation → awarded | failed | cancelled.
    public enum Status: String, Sendable, CaseIterable {
        case draft, open, evaluation, awarded, failed, cancelled

        /// `tender.status`, from OCDS 1.1's closed tenderStatus codelist.
        public var ocdsTenderStatus: String {
            switch self {
            case .draft: "planning"
            case .open, .evaluation: "active"
            case .awarded: "complete"
            case .failed: "unsuccessful"
            case .cancelled: "cancelled"
            }
        }

        /// The release `tag`, from OCDS 1.1's closed releaseTag codelist.
        public var ocdsTags: [String] {
            switch self {
            case .draft: ["planning"]
            case .open: ["tender"]
            case .evaluation, .failed: ["tenderUpdate"]
            case .awarded: ["award"]
            case .cancelled: ["tenderCancellation"]
            }
        }
    }

    /// An estate in the round (one OCDS item each).
    public struct Lot: Sendable, Equatable {
        public var code: String
        public var name: String
        public var address: String
        public var subDistrict: String
        public var households: Int
        /// Gross floor area in m².
        public var floorArea: Double

        public init(code: String, name: String, address: String, subDistrict: String, households: Int, floorArea: Double) {
            self.code = code; self.name = name; self.address = address; self.subDistrict = subDistrict
            self.households = households; self.floorArea = floorArea
        }
    }

    /// A pool company invited to the round.
    public struct Party: Sendable, Equatable {
        /// 统一社会信用代码 (published under the org-id scheme CN-USCI).
        public var uscc: String
        public var name: String

        public init(uscc: String, name: String) {
            self.uscc = uscc; self.name = name
        }
    }

    /// A bid received.
    public struct Bid: Sendable, Equatable {
        public var id: Int
        public var uscc: String
        /// Yuan per m² of floor area per month.
        public var price: Double
        public var technicalScore: Double
        /// ISO 8601 date-time with offset.
        public var submittedAt: String
        /// Why the bid was ruled invalid; `nil` for a valid (or not yet judged) bid.
        public var invalidReason: String?
        public var priceScore: Double?
        public var total: Double?
        /// 1 for the winner.
        public var rank: Int?

        public init(
            id: Int, uscc: String, price: Double, technicalScore: Double, submittedAt: String,
            invalidReason: String? = nil, priceScore: Double? = nil, total: Double? = nil, rank: Int? = nil
        ) {
            self.id = id; self.uscc = uscc; self.price = price; self.technicalScore = technicalScore
            self.submittedAt = submittedAt; self.invalidReason = invalidReason
            self.priceScore = priceScore; self.total = total; self.rank = rank
        }
    }

    /// The approved award.
    public struct Award: Sendable, Equatable {
        public var winnerUSCC: String
        public var winnerName: String
        /// Yuan per m² of floor area per month; `nil` when a recorded award does not state it.
        public var fee: Double?
        /// Contract period, ISO dates (YYYY-MM-DD, Asia/Shanghai), both inclusive.
        public var startsOn: String
        public var endsOn: String
        /// ISO 8601 date-time with offset.
        public var approvedAt: String

        public init(winnerUSCC: String, winnerName: String, fee: Double?, startsOn: String, endsOn: String, approvedAt: String) {
            self.winnerUSCC = winnerUSCC; self.winnerName = winnerName; self.fee = fee
            self.startsOn = startsOn; self.endsOn = endsOn; self.approvedAt = approvedAt
        }
    }

    /// A round awarded outside Tuodi and recorded after the fact (#12): only what the award
    /// document says is published; there are no bids, weights or bid window.
    public struct Recorded: Sendable, Equatable {
        /// The award document's reference (文号) and date (YYYY-MM-DD).
        public var documentRef: String
        public var decidedOn: String
        public var validBids: Int?
        public init(documentRef: String, decidedOn: String, validBids: Int? = nil) {
            self.documentRef = documentRef; self.decidedOn = decidedOn; self.validBids = validBids
        }
    }

    /// e.g. "ocds-tuodi0"; the ocid is `ocidPrefix-unitCode-roundID`.
    public var ocidPrefix: String
    public var roundID: Int
    /// The district's reporting-unit code, e.g. "310101"; the buyer's party id.
    public var unitCode: String
    /// e.g. "黄浦区"; the buyer is "黄浦区房屋管理局".
    public var unitName: String
    public var title: String
    public var status: Status
    /// The release date: ISO 8601 date-time with offset, e.g. "2026-05-20T10:00:00+08:00".
    public var releasedAt: String
    /// Bid window, ISO dates (Asia/Shanghai); the window closes at the end of `closesOn`.
    public var opensOn: String?
    public var closesOn: String?
    /// The service term the round tenders for, ISO dates, both inclusive.
    public var termStartsOn: String?
    public var termEndsOn: String?
    /// Fractions summing to 1.
    public var technicalWeight: Double
    public var priceWeight: Double
    public var lots: [Lot]
    public var invited: [Party]
    public var bids: [Bid]
    public var award: Award?
    /// Why the round failed or was cancelled, if recorded.
    public var outcomeReason: String?
    /// Set for a round recorded after the fact.
    public var recorded: Recorded?

    public init(
        ocidPrefix: String, roundID: Int, unitCode: String, unitName: String, title: String, status: Status,
        releasedAt: String, opensOn: String? = nil, closesOn: String? = nil,
        termStartsOn: String? = nil, termEndsOn: String? = nil,
        technicalWeight: Double, priceWeight: Double,
        lots: [Lot] = [], invited: [Party] = [], bids: [Bid] = [], award: Award? = nil, outcomeReason: String? = nil,
        recorded: Recorded? = nil
    ) {
        self.ocidPrefix = ocidPrefix; self.roundID = roundID; self.unitCode = unitCode; self.unitName = unitName
        self.title = title; self.status = status; self.releasedAt = releasedAt
        self.opensOn = opensOn; self.closesOn = closesOn; self.termStartsOn = termStartsOn; self.termEndsOn = termEndsOn
        self.technicalWeight = technicalWeight; self.priceWeight = priceWeight
        self.lots = lots; self.invited = invited; self.bids = bids; self.award = award; self.outcomeReason = outcomeReason
        self.recorded = recorded
    }

    /// `ocidPrefix-unitCode-roundID`.
    public var ocid: String { "\(ocidPrefix)-\(unitCode)-\(roundID)" }

    /// The buyer's name: the unit name followed by 房屋管理局 (unless it already ends so).
    public var buyerName: String { unitName.hasSuffix("房屋管理局") ? unitName : unitName + "房屋管理局" }
}

/// Why a round cannot be exported. Each case names the offending field or value.
public enum OCDSExportError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptyField(String)
    case invalidDateTime(field: String, value: String)
    case invalidDate(field: String, value: String)
    case invalidPeriod(field: String, start: String, end: String)
    case invalidWeights(technical: Double, price: Double)
    case invalidNumber(field: String, value: Double)
    case duplicateLot(code: String)
    case duplicateInvitation(uscc: String)
    case duplicateBid(id: Int)
    case uninvitedBidder(bidID: Int, uscc: String)
    case missingAward
    case unexpectedAward(status: String)
    case winnerNotInvited(uscc: String)
    case winnerNameMismatch(uscc: String, invitedAs: String, awardedAs: String)
    case winnerHasNoValidBid(uscc: String)

    public var description: String {
        switch self {
        case .emptyField(let f): "\(f) is empty"
        case .invalidDateTime(let f, let v): "\(f): \(v) is not an ISO 8601 date-time with an offset"
        case .invalidDate(let f, let v): "\(f): \(v) is not an ISO date (YYYY-MM-DD)"
        case .invalidPeriod(let f, let s, let e): "\(f): \(s) is after \(e)"
        case .invalidWeights(let t, let p): "weights \(t) + \(p) are not fractions summing to 1"
        case .invalidNumber(let f, let v): "\(f): \(v) is not a finite, non-negative number"
        case .duplicateLot(let c): "estate \(c) is listed twice"
        case .duplicateInvitation(let u): "company \(u) is invited twice"
        case .duplicateBid(let id): "bid \(id) is listed twice"
        case .uninvitedBidder(let id, let u): "bid \(id) is from \(u), which was not invited"
        case .missingAward: "an awarded round needs its award"
        case .unexpectedAward(let s): "a round in status \(s) has no award"
        case .winnerNotInvited(let u): "the winner \(u) was not invited"
        case .winnerNameMismatch(let u, let i, let a): "the winner \(u) was invited as \(i) but awarded as \(a)"
        case .winnerHasNoValidBid(let u): "the winner \(u) has no valid bid"
        }
    }
}

/// Renders a `SelectionRoundExport` as OCDS 1.1 JSON.
///
/// Mapping, in short: one release per call; `tag` and `tender.status` follow
/// `SelectionRoundExport.Status.ocdsTags` / `.ocdsTenderStatus`; the bureau is buyer and procuring
/// entity; each estate is one item (quantity = floor area in m², UN/CEFACT MTK); companies are
/// parties with id `CN-USCI-<uscc>`; bids use the OCDS bid extension v1.1.5 (`bids.statistics`,
/// `bids.details`) and are disclosed only once bidding has closed (evaluation, awarded, failed, or
/// a cancelled round that had bids); before that, an open round lists the invited companies as
/// `bids.details` entries with status `invited`. Monetary values are totals in CNY over the
/// service term: unit price (yuan/m²/month) × total floor area × term in months, to the fen; the
/// unit prices, scores and ranks are stated in the evaluation report (`tender.documents`) and in
/// the award description.
public enum OCDSRelease {
    /// The OCDS version of the output.
    public static let version = "1.1"
    /// The bid extension, as it belongs in a release package's `extensions` (OCDS 1.1 declares
    /// `extensions` on the package, not on the release).
    public static let bidExtensionURL =
        "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json"

    /// The release, as pretty-printed JSON with sorted keys and unescaped slashes.
    public static func json(for round: SelectionRoundExport) throws -> Data {
        try encode(try release(for: round))
    }

    /// A release package (uri, version, extensions, publisher, publishedDate) holding the one release.
    /// `publishedDate` is an ISO 8601 date-time with offset.
    public static func packageJSON(
        for round: SelectionRoundExport, uri: String, publishedDate: String, publisherName: String
    ) throws -> Data {
        let release = try release(for: round)
        guard !uri.isEmpty else { throw OCDSExportError.emptyField("uri") }
        guard !publisherName.isEmpty else { throw OCDSExportError.emptyField("publisherName") }
        try checkDateTime(publishedDate, field: "publishedDate")
        let package = ReleasePackage(
            uri: uri, version: version, extensions: release.bids == nil ? nil : [bidExtensionURL],
            publishedDate: publishedDate, publisher: Publisher(name: publisherName), releases: [release]
        )
        return try encode(package)
    }

    // MARK: - Building the release

    private static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    fileprivate static func release(for r: SelectionRoundExport) throws -> Release {
        // Checks first: the output must never be a half-right release.
        for (field, value) in [("ocidPrefix", r.ocidPrefix), ("unitCode", r.unitCode), ("unitName", r.unitName), ("title", r.title)]
        where value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw OCDSExportError.emptyField(field)
        }
        try checkDateTime(r.releasedAt, field: "releasedAt")
        let opens = try r.opensOn.map { try LocalDate(parsing: $0, field: "opensOn") }
        let closes = try r.closesOn.map { try LocalDate(parsing: $0, field: "closesOn") }
        if let o = opens, let c = closes, c < o { throw OCDSExportError.invalidPeriod(field: "opensOn/closesOn", start: o.description, end: c.description) }
        let termStart = try r.termStartsOn.map { try LocalDate(parsing: $0, field: "termStartsOn") }
        let termEnd = try r.termEndsOn.map { try LocalDate(parsing: $0, field: "termEndsOn") }
        if let s = termStart, let e = termEnd, e < s { throw OCDSExportError.invalidPeriod(field: "termStartsOn/termEndsOn", start: s.description, end: e.description) }
        let weights = [r.technicalWeight, r.priceWeight]
        guard weights.allSatisfy({ $0.isFinite && (0...1).contains($0) }), abs(weights.reduce(0, +) - 1) < 1e-6 else {
            throw OCDSExportError.invalidWeights(technical: r.technicalWeight, price: r.priceWeight)
        }
        var lotCodes = Set<String>()
        for lot in r.lots {
            guard lotCodes.insert(lot.code).inserted else { throw OCDSExportError.duplicateLot(code: lot.code) }
            guard !lot.code.isEmpty else { throw OCDSExportError.emptyField("lots.code") }
            guard lot.floorArea.isFinite, lot.floorArea >= 0 else { throw OCDSExportError.invalidNumber(field: "lots[\(lot.code)].floorArea", value: lot.floorArea) }
        }
        var invitedByUSCC: [String: SelectionRoundExport.Party] = [:]
        for p in r.invited {
            guard !p.uscc.isEmpty else { throw OCDSExportError.emptyField("invited.uscc") }
            guard invitedByUSCC.updateValue(p, forKey: p.uscc) == nil else { throw OCDSExportError.duplicateInvitation(uscc: p.uscc) }
        }
        var bidIDs = Set<Int>()
        for b in r.bids {
            guard bidIDs.insert(b.id).inserted else { throw OCDSExportError.duplicateBid(id: b.id) }
            guard invitedByUSCC[b.uscc] != nil else { throw OCDSExportError.uninvitedBidder(bidID: b.id, uscc: b.uscc) }
            guard b.price.isFinite, b.price >= 0 else { throw OCDSExportError.invalidNumber(field: "bids[\(b.id)].price", value: b.price) }
            try checkDateTime(b.submittedAt, field: "bids[\(b.id)].submittedAt")
        }
        var awardPeriod: (LocalDate, LocalDate)?
        switch (r.status, r.award) {
        case (.awarded, nil): throw OCDSExportError.missingAward
        case (.awarded, let a?):
            guard let invitedAs = invitedByUSCC[a.winnerUSCC] else { throw OCDSExportError.winnerNotInvited(uscc: a.winnerUSCC) }
            guard invitedAs.name == a.winnerName else {
                throw OCDSExportError.winnerNameMismatch(uscc: a.winnerUSCC, invitedAs: invitedAs.name, awardedAs: a.winnerName)
            }
            if !r.bids.isEmpty, !r.bids.contains(where: { $0.uscc == a.winnerUSCC && $0.invalidReason == nil }) {
                throw OCDSExportError.winnerHasNoValidBid(uscc: a.winnerUSCC)
            }
            if let fee = a.fee, !(fee.isFinite && fee >= 0) { throw OCDSExportError.invalidNumber(field: "award.fee", value: fee) }
            try checkDateTime(a.approvedAt, field: "award.approvedAt")
            let s = try LocalDate(parsing: a.startsOn, field: "award.startsOn"), e = try LocalDate(parsing: a.endsOn, field: "award.endsOn")
            guard s <= e else { throw OCDSExportError.invalidPeriod(field: "award.startsOn/endsOn", start: s.description, end: e.description) }
            awardPeriod = (s, e)
        case (let status, _?): throw OCDSExportError.unexpectedAward(status: status.rawValue)
        case (_, nil): break
        }

        // Derived figures.
        let buyerRef = OrganizationReference(id: r.unitCode, name: r.buyerName)
        let totalArea = r.lots.reduce(0) { $0 + $1.floorArea }
        let households = r.lots.reduce(0) { $0 + $1.households }
        let termMonths: Double? =
            if let s = termStart, let e = termEnd { months(from: s, through: e) }
            else if let p = awardPeriod { months(from: p.0, through: p.1) }
            else { nil }
        if let rec = r.recorded {
            guard !rec.documentRef.isEmpty else { throw OCDSExportError.emptyField("recorded.documentRef") }
            _ = try LocalDate(parsing: rec.decidedOn, field: "recorded.decidedOn")
        }
        // A recorded round has no bids to disclose, only (perhaps) how many were valid.
        let bidsDisclosed: Bool =
            switch r.status {
            case _ where r.recorded != nil: false
            case .draft, .open: false
            case .evaluation, .awarded, .failed: true
            case .cancelled: !r.bids.isEmpty
            }
        let evaluated = r.status == .awarded || r.status == .failed
        let disclosedBids = bidsDisclosed ? r.bids : []
        var tendererUSCCs: [String] = []
        for b in disclosedBids where !tendererUSCCs.contains(b.uscc) { tendererUSCCs.append(b.uscc) }
        let invitedOnly = r.status == .open || (r.status == .cancelled && !bidsDisclosed) ? r.invited : []

        func companyRef(_ uscc: String) -> OrganizationReference {
            OrganizationReference(id: companyID(uscc), name: invitedByUSCC[uscc]?.name ?? uscc)
        }
        func total(_ unitPrice: Double) -> Value? {
            termMonths.map { Value(amount: fen(unitPrice * totalArea * $0)) }
        }

        // Parties: the bureau, then every company this release refers to, in invitation order.
        var parties = [Organization(
            id: r.unitCode, name: r.buyerName, identifier: nil, roles: ["buyer", "procuringEntity"]
        )]
        for p in r.invited {
            var roles: [String] = []
            if tendererUSCCs.contains(p.uscc) { roles.append("tenderer") }
            if r.award?.winnerUSCC == p.uscc { roles.append("supplier") }
            let referenced = !roles.isEmpty || invitedOnly.contains(p)
            guard referenced else { continue }
            parties.append(Organization(
                id: companyID(p.uscc), name: p.name,
                identifier: Identifier(scheme: "CN-USCI", id: p.uscc, legalName: p.name),
                roles: roles.isEmpty ? nil : roles
            ))
        }

        // Tender.
        var description = "\(r.buyerName)在本区物业服务企业预选库内以比选方式选聘物业服务企业，"
            + "涉及住宅小区 \(r.lots.count) 个，总建筑面积 \(plain(totalArea)) 平方米，合计 \(households) 户。"
        if let s = termStart, let e = termEnd { description += "服务期限 \(s) 至 \(e)。" }
        if let rec = r.recorded {
            description += "本轮比选在启用本系统之前完成，依据 \(rec.documentRef)（\(rec.decidedOn) 定标）事后登记，仅含定标文件载明的信息，无投标明细。"
        }
        if let reason = r.outcomeReason, !reason.isEmpty {
            switch r.status {
            case .failed: description += "流标原因：\(reason)。"
            case .cancelled: description += "终止原因：\(reason)。"
            default: break
            }
        }
        let items = r.lots.map { lot in
            Item(
                id: lot.code,
                description: "\(lot.name)住宅物业服务（\(lot.subDistrict)\(lot.address)；\(lot.households) 户；建筑面积 \(plain(lot.floorArea)) 平方米）",
                quantity: lot.floorArea,
                unit: ItemUnit(scheme: "UNCEFACT", id: "MTK", name: "平方米")
            )
        }
        let tenderPeriod: Period? = (opens == nil && closes == nil) ? nil
            : Period(startDate: opens.map { $0.startOfDay }, endDate: closes.map { $0.endOfDay })
        let contractPeriod: Period? = (termStart == nil && termEnd == nil) ? nil
            : Period(startDate: termStart.map { $0.startOfDay }, endDate: termEnd.map { $0.endOfDay })
        let awardNotice = r.recorded.map { rec in
            [Document(id: "award-notice-\(r.roundID)", documentType: "awardNotice", title: rec.documentRef,
                      description: "定标文件，\(rec.decidedOn)；事后登记", language: "zh")]
        }
        let evaluationReport: [Document]? = {
            guard bidsDisclosed, !disclosedBids.isEmpty else { return nil }
            let judged = disclosedBids.contains { $0.invalidReason != nil || $0.total != nil || $0.rank != nil }
            guard judged else { return nil }
            return [Document(
                id: "evaluation-\(r.roundID)", documentType: "evaluationReports", title: evaluated ? "评审结果" : "评审情况",
                description: evaluationSummary(disclosedBids, names: invitedByUSCC, evaluated: evaluated), language: "zh"
            )]
        }()
        let tender = Tender(
            id: "\(r.unitCode)-\(r.roundID)",
            title: r.title,
            description: description,
            status: r.status.ocdsTenderStatus,
            procuringEntity: buyerRef,
            items: items.isEmpty ? nil : items,
            procurementMethod: "selective",
            procurementMethodDetails: r.recorded == nil ? "预选库内比选" : "预选库内比选（事后登记）",
            procurementMethodRationale: "仅邀请本区物业服务企业预选库内的企业参与比选",
            mainProcurementCategory: "services",
            awardCriteria: r.recorded == nil ? "ratedCriteria" : nil,
            awardCriteriaDetails: r.recorded != nil ? nil : "综合评分法：技术分权重 \(percent(r.technicalWeight))，价格分权重 \(percent(r.priceWeight))；"
                + "综合得分 = 技术分 × \(percent(r.technicalWeight)) + 价格分 × \(percent(r.priceWeight))，价格分 = 最低有效报价 ÷ 本报价 × 100。",
            tenderPeriod: tenderPeriod,
            contractPeriod: contractPeriod,
            numberOfTenderers: bidsDisclosed ? tendererUSCCs.count : nil,
            tenderers: bidsDisclosed ? tendererUSCCs.map(companyRef) : nil,
            documents: awardNotice ?? evaluationReport
        )

        // Bids (extension).
        var bids: Bids?
        if bidsDisclosed {
            var statistics = [
                Statistic(id: "bids", measure: "bids", value: disclosedBids.count),
                Statistic(id: "bidders", measure: "bidders", value: tendererUSCCs.count),
            ]
            if evaluated {
                statistics.append(Statistic(id: "validBids", measure: "validBids", value: disclosedBids.filter { $0.invalidReason == nil }.count))
            }
            let details = disclosedBids.map { b in
                BidDetail(
                    id: String(b.id), date: b.submittedAt,
                    status: b.invalidReason != nil ? "disqualified" : (evaluated ? "valid" : "pending"),
                    tenderers: [companyRef(b.uscc)], value: total(b.price)
                )
            }
            bids = Bids(statistics: statistics, details: details)
        } else if let valid = r.recorded?.validBids {
            bids = Bids(statistics: [Statistic(id: "validBids", measure: "validBids", value: valid)], details: nil)
        } else if !invitedOnly.isEmpty {
            bids = Bids(statistics: nil, details: invitedOnly.map { p in
                BidDetail(id: "invited-\(p.uscc)", date: nil, status: "invited", tenderers: [companyRef(p.uscc)], value: nil)
            })
        }

        // Award.
        var awards: [AwardObject]?
        if let a = r.award, let period = awardPeriod {
            let (s, e) = period
            let awardMonths = termMonths ?? months(from: s, through: e)
            awards = [AwardObject(
                id: "\(r.unitCode)-\(r.roundID)-award",
                title: "\(r.title)中选结果",
                description: "中选企业：\(a.winnerName)；" + (a.fee.map { fee in
                    "物业服务费 \(plain(fee)) 元/平方米·月；"
                        + "按总建筑面积 \(plain(totalArea)) 平方米、服务期 \(plain(fen(awardMonths))) 个月计，合同估算总价 \(plain(fen(fee * totalArea * awardMonths))) 元。"
                } ?? "定标文件未载明价格。"),
                status: "active",
                date: a.approvedAt,
                value: a.fee.map { Value(amount: fen($0 * totalArea * awardMonths)) },
                suppliers: [companyRef(a.winnerUSCC)],
                contractPeriod: Period(startDate: s.startOfDay, endDate: e.endOfDay)
            )]
        }

        return Release(
            ocid: r.ocid,
            id: "\(r.ocid)-\(r.status.rawValue)-\(compactStamp(r.releasedAt))",
            date: r.releasedAt,
            tag: r.status.ocdsTags,
            initiationType: "tender",
            language: "zh",
            parties: parties,
            buyer: buyerRef,
            tender: tender,
            awards: awards,
            bids: bids
        )
    }

    private static func companyID(_ uscc: String) -> String { "CN-USCI-\(uscc)" }

    /// One line per bid: winners first by rank, then unranked bids, then invalid ones; in input order within each.
    private static func evaluationSummary(
        _ bids: [SelectionRoundExport.Bid], names: [String: SelectionRoundExport.Party], evaluated: Bool
    ) -> String {
        let ordered = bids.enumerated().sorted { x, y in
            func key(_ b: SelectionRoundExport.Bid) -> (Int, Int) {
                if b.invalidReason != nil { return (2, 0) }
                if let rank = b.rank { return (0, rank) }
                return (1, 0)
            }
            let kx = key(x.element), ky = key(y.element)
            return kx != ky ? kx < ky : x.offset < y.offset
        }.map(\.element)
        let lines = ordered.map { b -> String in
            let name = names[b.uscc]?.name ?? b.uscc
            var parts = ["报价 \(plain(b.price)) 元/平方米·月", "技术分 \(plain(b.technicalScore))"]
            if let reason = b.invalidReason { return "\(name)：无效投标（\(reason)），" + parts.joined(separator: "，") }
            if let p = b.priceScore { parts.append("价格分 \(plain(p))") }
            if let t = b.total { parts.append("综合得分 \(plain(t))") }
            let head = b.rank.map { "第 \($0) 名 \(name)" } ?? name
            return "\(head)：" + parts.joined(separator: "，")
        }
        return (evaluated ? "" : "评审中。") + lines.joined(separator: "；") + "。"
    }

    // MARK: - Numbers and dates

    /// Rounds half away from zero to the fen, in decimal so 0.005 is 0.01.
    static func fen(_ x: Double) -> Double {
        var value = Decimal(string: String(format: "%.6f", x)) ?? Decimal(x), result = Decimal()
        NSDecimalRound(&result, &value, 2, .plain)
        return NSDecimalNumber(decimal: result).doubleValue
    }

    /// The shortest decimal text of a number, without a trailing ".0".
    static func plain(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    /// A weight fraction as a percentage, e.g. 0.6 → "60%".
    static func percent(_ w: Double) -> String {
        plain((w * 100 * 10_000).rounded() / 10_000) + "%"
    }

    /// The digits of the local date and time of an ISO date-time, e.g. "20260520100000".
    private static func compactStamp(_ dateTime: String) -> String {
        String(dateTime.prefix(19).filter(\.isNumber))
    }

    /// Months in [start, end] (end inclusive): whole calendar months, plus the remaining days as a
    /// fraction of the month they fall in. 2026-07-01 … 2029-06-30 is 36.
    static func months(from start: LocalDate, through end: LocalDate) -> Double {
        let stop = end.adding(days: 1)
        var whole = (stop.year * 12 + stop.month) - (start.year * 12 + start.month)
        if stop.day < start.day { whole -= 1 }
        var anchor = start.adding(months: whole)
        if anchor > stop { whole -= 1; anchor = start.adding(months: whole) }
        let rest = stop.dayNumber - anchor.dayNumber
        return Double(whole) + Double(rest) / Double(LocalDate.daysIn(month: anchor.month, year: anchor.year))
    }

    /// Accepts RFC 3339 date-times: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, with valid ranges.
    static func checkDateTime(_ s: String, field: String) throws {
        let fail = OCDSExportError.invalidDateTime(field: field, value: s)
        let u = Array(s.utf8)
        guard u.count >= 20, u[10] == UInt8(ascii: "T"), u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":") else { throw fail }
        guard (try? LocalDate(parsing: String(decoding: u[0..<10], as: UTF8.self), field: field)) != nil else { throw fail }
        guard let hh = digits(u[11..<13]), hh < 24, let mm = digits(u[14..<16]), mm < 60, let ss = digits(u[17..<19]), ss <= 60 else { throw fail }
        var i = 19
        if u[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < u.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(u[i]) { i += 1 }
            guard i > start, i < u.count else { throw fail }
        }
        let zone = u[i...]
        if zone.count == 1, zone.first == UInt8(ascii: "Z") { return }
        guard zone.count == 6, zone.first == UInt8(ascii: "+") || zone.first == UInt8(ascii: "-"),
              zone[zone.startIndex + 3] == UInt8(ascii: ":"),
              let oh = digits(zone[(zone.startIndex + 1)..<(zone.startIndex + 3)]), oh < 24,
              let om = digits(zone[(zone.startIndex + 4)..<(zone.startIndex + 6)]), om < 60
        else { throw fail }
    }

    fileprivate static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var n = 0
        for b in bytes {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) else { return nil }
            n = n * 10 + Int(b - UInt8(ascii: "0"))
        }
        return bytes.isEmpty ? nil : n
    }
}

// The domain's calendar day, read and written the way this export needs it.
extension LocalDate {
    init(parsing s: String, field: String) throws {
        guard let d = LocalDate(iso: s) else { throw OCDSExportError.invalidDate(field: field, value: s) }
        self = d
    }

    /// Asia/Shanghai is UTC+8 without daylight saving, so a day's bounds carry a fixed offset.
    var startOfDay: String { description + "T00:00:00+08:00" }
    var endOfDay: String { description + "T23:59:59+08:00" }
}

// MARK: - The JSON shapes (OCDS 1.1 core, plus the bid extension's `bids`)

private struct ReleasePackage: Encodable {
    let uri: String
    let version: String
    let extensions: [String]?
    let publishedDate: String
    let publisher: Publisher
    let releases: [Release]
}

private struct Publisher: Encodable {
    let name: String
}

private struct Release: Encodable {
    let ocid: String
    let id: String
    let date: String
    let tag: [String]
    let initiationType: String
    let language: String
    let parties: [Organization]
    let buyer: OrganizationReference
    let tender: Tender
    let awards: [AwardObject]?
    let bids: Bids?
}

private struct OrganizationReference: Encodable, Equatable {
    let id: String
    let name: String
}

private struct Identifier: Encodable {
    let scheme: String
    let id: String
    let legalName: String
}

private struct Organization: Encodable {
    let id: String
    let name: String
    let identifier: Identifier?
    let roles: [String]?
}

private struct Period: Encodable {
    let startDate: String?
    let endDate: String?
}

private struct Value: Encodable {
    let amount: Double
    var currency = "CNY"
}

private struct ItemUnit: Encodable {
    let scheme: String
    let id: String
    let name: String
}

private struct Item: Encodable {
    let id: String
    let description: String
    let quantity: Double
    let unit: ItemUnit
}

private struct Document: Encodable {
    let id: String
    let documentType: String
    let title: String
    let description: String
    let language: String
}

private struct Tender: Encodable {
    let id: String
    let title: String
    let description: String
    let status: String
    let procuringEntity: OrganizationReference
    let items: [Item]?
    let procurementMethod: String
    let procurementMethodDetails: String
    let procurementMethodRationale: String
    let mainProcurementCategory: String
    let awardCriteria: String?
    let awardCriteriaDetails: String?
    let tenderPeriod: Period?
    let contractPeriod: Period?
    let numberOfTenderers: Int?
    let tenderers: [OrganizationReference]?
    let documents: [Document]?
}

private struct AwardObject: Encodable {
    let id: String
    let title: String
    let description: String
    let status: String
    let date: String
    let value: Value?
    let suppliers: [OrganizationReference]
    let contractPeriod: Period
}

private struct Statistic: Encodable {
    let id: String
    let measure: String
    let value: Int
}

private struct BidDetail: Encodable {
    let id: String
    let date: String?
    let status: String
    let tenderers: [OrganizationReference]
    let value: Value?
}

private struct Bids: Encodable {
    let statistics: [Statistic]?
    let details: [BidDetail]?
}
