import Foundation
import TuodiDomain
import TuodiReports
import TuodiStore

extension SelectionUseCases {
    /// The ocid prefix registered for Tuodi publications (OCDS asks each publisher for one).
    public static let ocidPrefix = "ocds-tuodi0"

    /// The round as an OCDS 1.1 release (JSON), for publication.
    public func ocdsRelease(id: Int, by actor: Caller) async throws -> Data {
        let (round, view, estates, companies) = try await exportData(id: id, by: actor)
        let name = { (u: USCC) in companies[u.value]?.name ?? u.value }
        let unitName = ReportingUnit.named(round.unit)?.name ?? round.unit
        let winner = round.awardBidID.flatMap { bidID in round.bids.first { $0.id == bidID } }
        // A round awarded outside Tuodi publishes only what its award document says (#12).
        let recorded = round.recorded
        let award: SelectionRoundExport.Award? = round.status != .awarded ? nil
            : recorded.map { .init(winnerUSCC: $0.winner.value, winnerName: name($0.winner), fee: $0.awardedPrice,
                                   startsOn: round.termStart.description, endsOn: round.termEnd.description,
                                   approvedAt: $0.decision.decidedOn.description + "T00:00:00+08:00") }
            ?? winner.map { .init(winnerUSCC: $0.uscc.value, winnerName: name($0.uscc), fee: $0.price,
                                  startsOn: round.termStart.description, endsOn: round.termEnd.description,
                                  approvedAt: round.finishedAt ?? AuditChain.timestamp(context.clock.now)) }
        let export = SelectionRoundExport(
            ocidPrefix: Self.ocidPrefix, roundID: round.id, unitCode: round.unit, unitName: unitName, title: round.title,
            status: SelectionRoundExport.Status(rawValue: round.status.rawValue)!, releasedAt: AuditChain.timestamp(context.clock.now),
            opensOn: round.openedAt.flatMap(AuditChain.date(fromTimestamp:)).map { LocalDate.inShanghai($0).description },
            closesOn: recorded == nil ? round.closesOn.description : nil, termStartsOn: round.termStart.description, termEndsOn: round.termEnd.description,
            technicalWeight: Double(round.weights.technicalPercent) / 100, priceWeight: Double(round.weights.pricePercent) / 100,
            lots: estates.map { .init(code: $0.code, name: $0.name, address: $0.address, subDistrict: $0.subDistrict,
                                      households: $0.households, floorArea: $0.floorArea) },
            // The winner of a recorded round took part; nothing else is known of who was invited.
            invited: (recorded.map { [$0.winner] } ?? round.invited).map { .init(uscc: $0.value, name: name($0)) },
            bids: view.bids.map { .init(id: $0.id, uscc: $0.uscc, price: $0.price, technicalScore: $0.technicalScore,
                                        submittedAt: $0.submittedAt, invalidReason: $0.invalidReason, priceScore: $0.priceScore,
                                        total: $0.total, rank: $0.rank) },
            award: award, outcomeReason: round.outcomeReason,
            recorded: recorded.map { .init(documentRef: $0.decision.documentRef, decidedOn: $0.decision.decidedOn.description, validBids: $0.validBids) })
        do { return try OCDSRelease.json(for: export) } catch let e as OCDSExportError {
            throw AppError.conflict(rule: .ocdsExport, message: "无法导出 OCDS：\(e.description)")
        }
    }
}
