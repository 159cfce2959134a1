import Foundation
import Testing
@testable import TuodiReports
import TuodiDomain

// The OCDS export, checked against the OCDS 1.1.5 release schema vendored in
// Tests/Fixtures/ocds/ (see its README) with python3's jsonschema (Draft 4, date-time checked).
// A missing python3 or jsonschema fails these tests; it does not skip them.

typealias Round = SelectionRoundExport

/// Tests/Fixtures/ocds/release-schema.json, found from this file.
private let schemaPath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Tests/TuodiReportsTests
    .deletingLastPathComponent()  // Tests
    .appendingPathComponent("Fixtures/ocds/release-schema.json").path

// MARK: - Sample rounds

private let invited = [
    Round.Party(uscc: "91310101MA1FL0001X", name: "上海申城物业管理有限公司"),
    Round.Party(uscc: "91310101MA1FL0002Y", name: "上海黄浦物业服务有限公司"),
    Round.Party(uscc: "91310106MA1FL0003Z", name: "上海静安置业物业有限公司"),
    Round.Party(uscc: "91310115MA1FL0004A", name: "上海浦江物业管理有限公司"),
    Round.Party(uscc: "91310104MA1FL0005B", name: "上海徐汇物业有限公司"),
]

/// Four bids, the last one invalid. Scores as `SelectionEvaluation.rank` gives them at 60/40.
private let fourBids = [
    Round.Bid(id: 101, uscc: invited[0].uscc, price: 2.35, technicalScore: 88, submittedAt: "2026-05-15T09:12:00+08:00"),
    Round.Bid(id: 102, uscc: invited[1].uscc, price: 2.20, technicalScore: 80, submittedAt: "2026-05-16T14:30:00+08:00"),
    Round.Bid(id: 103, uscc: invited[2].uscc, price: 2.60, technicalScore: 92, submittedAt: "2026-05-17T11:05:30+08:00"),
    Round.Bid(
        id: 104, uscc: invited[3].uscc, price: 1.80, technicalScore: 70, submittedAt: "2026-05-18T16:45:00+08:00",
        invalidReason: "未按要求提供物业服务方案"
    ),
]

/// Three estates, 35 900.5 m² in all.
private func sample(_ status: Round.Status) -> Round {
    var r = Round(
        ocidPrefix: "ocds-tuodi0", roundID: 42, unitCode: "310101", unitName: "黄浦区",
        title: "2026年第2批老旧小区物业服务企业比选", status: status,
        releasedAt: "2026-05-20T10:00:00+08:00", opensOn: "2026-05-06", closesOn: "2026-05-19",
        termStartsOn: "2026-07-01", termEndsOn: "2029-06-30",
        technicalWeight: 0.6, priceWeight: 0.4,
        lots: [
            Round.Lot(code: "HP-0012", name: "建国新村", address: "建国东路 100 弄", subDistrict: "五里桥街道", households: 320, floorArea: 12000.5),
            Round.Lot(code: "HP-0031", name: "蓬莱公寓", address: "蓬莱路 25 号", subDistrict: "老西门街道", households: 210, floorArea: 8300),
            Round.Lot(code: "HP-0047", name: "瞿溪小区", address: "瞿溪路 880 弄", subDistrict: "五里桥街道", households: 450, floorArea: 15600),
        ],
        invited: invited
    )
    switch status {
    case .draft, .open:
        break
    case .evaluation:
        r.bids = fourBids
    case .awarded:
        r.bids = fourBids
        (r.bids[0].priceScore, r.bids[0].total, r.bids[0].rank) = (93.62, 90.25, 1)
        (r.bids[2].priceScore, r.bids[2].total, r.bids[2].rank) = (84.62, 89.05, 2)
        (r.bids[1].priceScore, r.bids[1].total, r.bids[1].rank) = (100, 88, 3)
        r.award = Round.Award(
            winnerUSCC: invited[0].uscc, winnerName: invited[0].name, fee: 2.35,
            startsOn: "2026-07-01", endsOn: "2029-06-30", approvedAt: "2026-05-28T15:00:00+08:00"
        )
        r.releasedAt = "2026-05-28T16:00:00+08:00"
    case .failed:
        r.bids = [fourBids[0], fourBids[1], fourBids[3]]
        r.outcomeReason = "有效投标不足三家"
        r.releasedAt = "2026-05-21T09:00:00+08:00"
    case .cancelled:
        r.outcomeReason = "业主大会决定自行选聘"
        r.releasedAt = "2026-05-10T09:00:00+08:00"
    }
    return r
}

/// An awarded round known only from its award document (文号 黄房物〔2026〕30号 of 10 June 2026).
private func recorded(fee: Double?, validBids: Int?) -> Round {
    var r = sample(.awarded)
    r.opensOn = nil; r.closesOn = nil; r.bids = []; r.invited = [invited[0]]
    r.award?.fee = fee
    r.award?.approvedAt = "2026-06-10T00:00:00+08:00"
    r.recorded = Round.Recorded(documentRef: "黄房物〔2026〕30号", decidedOn: "2026-06-10", validBids: validBids)
    return r
}

/// Rounds off the main path, each of which must still give a valid release.
private let edgeCases: [(String, Round)] = [
    ("failed with no bid at all", {
        var r = sample(.failed); r.bids = []; return r
    }()),
    ("cancelled after bids were received", {
        var r = sample(.cancelled); r.bids = fourBids; return r
    }()),
    ("awarded, no service term on the round, no scores, 29.99% weights", {
        var r = sample(.awarded)
        r.termStartsOn = nil; r.termEndsOn = nil; r.opensOn = nil
        r.technicalWeight = 0.7001; r.priceWeight = 0.2999
        r.bids = fourBids
        return r
    }()),
    // A selection awarded outside Tuodi and recorded after the fact (#12): the winner, the award
    // document, no bids, no window, no weights; with and without the price and the valid bids.
    ("recorded after the fact, with price and valid bids", recorded(fee: 1.85, validBids: 4)),
    ("recorded after the fact, nothing but the award document", recorded(fee: nil, validBids: nil)),
    ("draft with no estate, no invitation and no dates", Round(
        ocidPrefix: "ocds-tuodi0", roundID: 7, unitCode: "310107", unitName: "普陀区房屋管理局", title: "待定", status: .draft,
        releasedAt: "2026-01-02T08:00:00.5Z", technicalWeight: 0.9, priceWeight: 0.1
    )),
]

// MARK: - Schema validation through python3 + jsonschema

private struct SchemaCheck {
    let exitCode: Int32
    let output: String
}

private enum SchemaValidator {
    /// Exit 0: valid; 1: invalid (one line per error); 3: jsonschema missing; 4: date-time not checked.
    static let script = #"""
    import json, sys
    try:
        from jsonschema import Draft4Validator, FormatChecker
    except Exception as error:
        print("python3 has no usable jsonschema: %s" % error)
        sys.exit(3)
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    checker = FormatChecker()
    if "date-time" not in checker.checkers:
        import datetime, re
        pattern = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
        @checker.checks("date-time", raises=ValueError)
        def date_time(value):
            if not isinstance(value, str):
                return True
            if not pattern.match(value):
                return False
            datetime.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
            return True
    if checker.conforms("2026-05-20", "date-time") or not checker.conforms("2026-05-20T10:00:00+08:00", "date-time"):
        print("date-time format checking is not in effect")
        sys.exit(4)
    instance = json.load(open(sys.argv[2], encoding="utf-8"))
    errors = sorted(Draft4Validator(schema, format_checker=checker).iter_errors(instance),
                    key=lambda e: [str(p) for p in e.absolute_path])
    for e in errors:
        print("/%s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message))
    sys.exit(1 if errors else 0)
    """#

    static func check(_ json: Data) throws -> SchemaCheck {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ocds-release-\(UUID().uuidString).json")
        try json.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schemaPath, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return SchemaCheck(exitCode: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }
}

/// Records an issue with the validator's messages unless `json` is a valid OCDS 1.1 release.
private func expectValidRelease(_ json: Data, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let result = try SchemaValidator.check(json)
    #expect(
        result.exitCode == 0,
        "\(label): not a valid OCDS 1.1.5 release (validator exit \(result.exitCode)):\n\(result.output)",
        sourceLocation: sourceLocation
    )
}

// MARK: - Reading the output back

private func object(_ json: Data) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
}

private func dict(_ value: Any?) throws -> [String: Any] { try #require(value as? [String: Any]) }
private func array(_ value: Any?) throws -> [[String: Any]] { try #require(value as? [[String: Any]]) }

// MARK: - Tests

@Suite("OCDS 1.1 release of a selection round")
struct OCDSReleaseTests {
    @Test("the vendored schema is the OCDS 1.1.5 release schema")
    func vendoredSchema() throws {
        let schema = try object(try Data(contentsOf: URL(fileURLWithPath: schemaPath)))
        #expect(schema["id"] as? String == "https://standard.open-contracting.org/schema/1__1__5/release-schema.json")
        #expect(schema["$schema"] as? String == "http://json-schema.org/draft-04/schema#")
    }

    @Test("every status gives a release that validates against the schema", arguments: Round.Status.allCases)
    func validatesInEveryStatus(_ status: Round.Status) throws {
        try expectValidRelease(try OCDSRelease.json(for: sample(status)), status.rawValue)
    }

    @Test("rounds off the main path validate too", arguments: edgeCases.map(\.0))
    func edgeCasesValidate(_ name: String) throws {
        let round = try #require(edgeCases.first { $0.0 == name }?.1)
        try expectValidRelease(try OCDSRelease.json(for: round), name)
    }

    @Test("the release inside the package validates, and the package declares the bid extension")
    func package() throws {
        let data = try OCDSRelease.packageJSON(
            for: sample(.awarded), uri: "https://tuodi.example/ocds/310101-42.json",
            publishedDate: "2026-05-28T16:00:00+08:00", publisherName: "黄浦区房屋管理局"
        )
        let package = try object(data)
        #expect(package["version"] as? String == "1.1")
        #expect(package["extensions"] as? [String] == [OCDSRelease.bidExtensionURL])
        #expect(try dict(package["publisher"])["name"] as? String == "黄浦区房屋管理局")
        let releases = try array(package["releases"])
        #expect(releases.count == 1)
        try expectValidRelease(try JSONSerialization.data(withJSONObject: releases[0]), "packaged release")

        // A draft has no bids, so it needs no extension.
        let draft = try object(try OCDSRelease.packageJSON(
            for: sample(.draft), uri: "https://tuodi.example/ocds/310101-42.json",
            publishedDate: "2026-05-20T10:00:00+08:00", publisherName: "黄浦区房屋管理局"
        ))
        #expect(draft["extensions"] == nil)
    }

    @Test("the validation can fail: a bogus tender status and a bare date are rejected")
    func brokenReleaseIsRejected() throws {
        var release = try object(try OCDSRelease.json(for: sample(.awarded)))
        var tender = try dict(release["tender"])
        tender["status"] = "bogus"
        release["tender"] = tender
        release["date"] = "2026-05-28"
        let result = try SchemaValidator.check(try JSONSerialization.data(withJSONObject: release))
        #expect(result.exitCode == 1, "expected the validator to reject the release; it said (exit \(result.exitCode)):\n\(result.output)")
        #expect(result.output.contains("/tender/status: 'bogus' is not one of"), "\(result.output)")
        #expect(result.output.contains("/date: '2026-05-28' is not a 'date-time'"), "\(result.output)")
    }

    @Test("an awarded round maps to the expected OCDS values")
    func awardedValues() throws {
        let release = try object(try OCDSRelease.json(for: sample(.awarded)))
        #expect(release["ocid"] as? String == "ocds-tuodi0-310101-42")
        #expect(release["id"] as? String == "ocds-tuodi0-310101-42-awarded-20260528160000")
        #expect(release["date"] as? String == "2026-05-28T16:00:00+08:00")
        #expect(release["tag"] as? [String] == ["award"])
        #expect(release["initiationType"] as? String == "tender")
        #expect(release["language"] as? String == "zh")
        #expect(try dict(release["buyer"])["id"] as? String == "310101")
        #expect(try dict(release["buyer"])["name"] as? String == "黄浦区房屋管理局")

        let tender = try dict(release["tender"])
        #expect(tender["status"] as? String == "complete")
        #expect(tender["procurementMethod"] as? String == "selective")
        #expect(tender["procurementMethodDetails"] as? String == "预选库内比选")
        #expect(tender["mainProcurementCategory"] as? String == "services")
        #expect(tender["awardCriteria"] as? String == "ratedCriteria")
        let criteria = try #require(tender["awardCriteriaDetails"] as? String)
        #expect(criteria.contains("技术分权重 60%") && criteria.contains("价格分权重 40%"), "\(criteria)")
        #expect(tender["numberOfTenderers"] as? Int == 4)
        #expect(try array(tender["tenderers"]).count == 4)
        #expect(try array(tender["items"]).map { $0["id"] as? String } == ["HP-0012", "HP-0031", "HP-0047"])
        #expect(try dict(tender["tenderPeriod"])["endDate"] as? String == "2026-05-19T23:59:59+08:00")

        let award = try #require(try array(release["awards"]).first)
        #expect(award["status"] as? String == "active")
        #expect(award["date"] as? String == "2026-05-28T15:00:00+08:00")
        // 2.35 yuan/m²/month × 35 900.5 m² × 36 months.
        #expect(try dict(award["value"])["amount"] as? Double == 3_037_182.3)
        #expect(try dict(award["value"])["currency"] as? String == "CNY")
        #expect(try array(award["suppliers"]).map { $0["id"] as? String } == ["CN-USCI-91310101MA1FL0001X"])
        #expect(try dict(award["contractPeriod"])["startDate"] as? String == "2026-07-01T00:00:00+08:00")

        let bids = try dict(release["bids"])
        let details = try array(bids["details"])
        #expect(details.map { $0["id"] as? String } == ["101", "102", "103", "104"])
        #expect(details.map { $0["status"] as? String } == ["valid", "valid", "valid", "disqualified"])
        #expect(try dict(details[1]["value"])["amount"] as? Double == 2_843_319.6)  // 2.20 × 35 900.5 × 36
        let statistics = try array(bids["statistics"])
        #expect(statistics.map { $0["measure"] as? String } == ["bids", "bidders", "validBids"])
        #expect(statistics.map { $0["value"] as? Int } == [4, 4, 3])

        let parties = try array(release["parties"])
        #expect(parties.count == 5)  // the bureau and the four bidders; the fifth invitee did not bid
        #expect(parties[0]["roles"] as? [String] == ["buyer", "procuringEntity"])
        let winner = try #require(parties.first { $0["id"] as? String == "CN-USCI-91310101MA1FL0001X" })
        #expect(winner["roles"] as? [String] == ["tenderer", "supplier"])
        #expect(try dict(winner["identifier"])["scheme"] as? String == "CN-USCI")

        let report = try #require(try array(tender["documents"]).first)
        #expect(report["documentType"] as? String == "evaluationReports")
        let summary = try #require(report["description"] as? String)
        #expect(summary.hasPrefix("第 1 名 上海申城物业管理有限公司：报价 2.35 元/平方米·月"), "\(summary)")
        #expect(summary.contains("无效投标（未按要求提供物业服务方案）"), "\(summary)")
    }

    @Test("a recorded round says so and publishes only what its award document states")
    func recordedValues() throws {
        let release = try object(try OCDSRelease.json(for: recorded(fee: nil, validBids: 4)))
        let tender = try dict(release["tender"])
        #expect((tender["description"] as? String ?? "").contains("依据 黄房物〔2026〕30号（2026-06-10 定标）事后登记"))
        #expect(tender["procurementMethodDetails"] as? String == "预选库内比选（事后登记）")
        #expect(tender["awardCriteria"] == nil && tender["awardCriteriaDetails"] == nil && tender["tenderPeriod"] == nil)
        #expect(tender["numberOfTenderers"] == nil && tender["tenderers"] == nil)
        #expect(try array(tender["documents"]).map { $0["documentType"] as? String } == ["awardNotice"])
        let bids = try dict(release["bids"])
        let statistics = try array(bids["statistics"])
        #expect(bids["details"] == nil && statistics.map { $0["measure"] as? String } == ["validBids"])
        let award = try array(release["awards"])[0]
        #expect(award["value"] == nil && award["date"] as? String == "2026-06-10T00:00:00+08:00")
        #expect((award["description"] as? String ?? "").contains("定标文件未载明价格"))
    }

    @Test("tag and tender status follow the round's status", arguments: [
        (Round.Status.draft, ["planning"], "planning"),
        (.open, ["tender"], "active"),
        (.evaluation, ["tenderUpdate"], "active"),
        (.awarded, ["award"], "complete"),
        (.failed, ["tenderUpdate"], "unsuccessful"),
        (.cancelled, ["tenderCancellation"], "cancelled"),
    ])
    func statusMapping(_ status: Round.Status, _ tag: [String], _ tenderStatus: String) throws {
        let release = try object(try OCDSRelease.json(for: sample(status)))
        #expect(release["tag"] as? [String] == tag)
        #expect(try dict(release["tender"])["status"] as? String == tenderStatus)
        #expect((release["awards"] != nil) == (status == .awarded))
    }

    @Test("bids are disclosed only after closing; an open round lists its invitees")
    func bidDisclosure() throws {
        #expect(try object(try OCDSRelease.json(for: sample(.draft)))["bids"] == nil)

        var open = sample(.open)
        open.bids = fourBids  // received but sealed
        let openRelease = try object(try OCDSRelease.json(for: open))
        let invitees = try array(try dict(openRelease["bids"])["details"])
        #expect(invitees.map { $0["status"] as? String } == Array(repeating: "invited", count: 5))
        #expect(invitees.allSatisfy { $0["value"] == nil })
        #expect(try dict(openRelease["tender"])["numberOfTenderers"] == nil)

        let evaluation = try object(try OCDSRelease.json(for: sample(.evaluation)))
        let pending = try array(try dict(evaluation["bids"])["details"])
        #expect(pending.map { $0["status"] as? String } == ["pending", "pending", "pending", "disqualified"])

        var noBids = sample(.failed)
        noBids.bids = []
        let failed = try object(try OCDSRelease.json(for: noBids))
        #expect(try dict(failed["tender"])["numberOfTenderers"] as? Int == 0)
        let description = try #require(try dict(failed["tender"])["description"] as? String)
        #expect(description.contains("流标原因：有效投标不足三家"), "\(description)")
    }

    @Test("the output is deterministic: sorted keys, pretty-printed, slashes unescaped")
    func deterministic() throws {
        let a = try OCDSRelease.json(for: sample(.awarded)), b = try OCDSRelease.json(for: sample(.awarded))
        #expect(a == b)
        let text = String(decoding: a, as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"awards\" : ["))
        #expect(!text.contains("\\/"))
        #expect(text.contains("元/平方米·月"))
    }

    @Test("inconsistent rounds are refused with a named error")
    func refusals() {
        var noAward = sample(.awarded)
        noAward.award = nil
        #expect(throws: OCDSExportError.missingAward) { try OCDSRelease.json(for: noAward) }

        var strayAward = sample(.open)
        strayAward.award = sample(.awarded).award
        #expect(throws: OCDSExportError.unexpectedAward(status: "open")) { try OCDSRelease.json(for: strayAward) }

        var stranger = sample(.evaluation)
        stranger.bids.append(Round.Bid(id: 105, uscc: "91310000XXXXXXXXXX", price: 2, technicalScore: 80, submittedAt: "2026-05-18T10:00:00+08:00"))
        #expect(throws: OCDSExportError.uninvitedBidder(bidID: 105, uscc: "91310000XXXXXXXXXX")) { try OCDSRelease.json(for: stranger) }

        var invalidWinner = sample(.awarded)
        invalidWinner.award?.winnerUSCC = invited[3].uscc
        invalidWinner.award?.winnerName = invited[3].name
        #expect(throws: OCDSExportError.winnerHasNoValidBid(uscc: invited[3].uscc)) { try OCDSRelease.json(for: invalidWinner) }

        var renamed = sample(.awarded)
        renamed.award?.winnerName = "别名物业"
        #expect(throws: OCDSExportError.winnerNameMismatch(uscc: invited[0].uscc, invitedAs: invited[0].name, awardedAs: "别名物业")) {
            try OCDSRelease.json(for: renamed)
        }

        var localTime = sample(.open)
        localTime.releasedAt = "2026-05-20 10:00:00"
        #expect(throws: OCDSExportError.invalidDateTime(field: "releasedAt", value: "2026-05-20 10:00:00")) { try OCDSRelease.json(for: localTime) }

        var noOffset = sample(.open)
        noOffset.releasedAt = "2026-05-20T10:00:00"
        #expect(throws: OCDSExportError.invalidDateTime(field: "releasedAt", value: "2026-05-20T10:00:00")) { try OCDSRelease.json(for: noOffset) }

        var badDay = sample(.open)
        badDay.closesOn = "2026-02-30"
        #expect(throws: OCDSExportError.invalidDate(field: "closesOn", value: "2026-02-30")) { try OCDSRelease.json(for: badDay) }

        var weights = sample(.open)
        weights.priceWeight = 0.5
        #expect(throws: OCDSExportError.invalidWeights(technical: 0.6, price: 0.5)) { try OCDSRelease.json(for: weights) }

        var twice = sample(.open)
        twice.invited.append(invited[0])
        #expect(throws: OCDSExportError.duplicateInvitation(uscc: invited[0].uscc)) { try OCDSRelease.json(for: twice) }
    }

    @Test("service terms in months", arguments: [
        ("2026-07-01", "2029-06-30", 36.0),
        ("2026-07-15", "2026-08-14", 1.0),
        ("2024-02-01", "2024-02-29", 1.0),
        ("2026-01-31", "2026-02-27", 28.0 / 31.0),
        ("2026-01-01", "2026-01-15", 15.0 / 31.0),
        ("2026-03-01", "2027-03-15", 12.0 + 15.0 / 31.0),
    ])
    func serviceMonths(_ start: String, _ end: String, _ expected: Double) throws {
        let months = OCDSRelease.months(
            from: try LocalDate(parsing: start, field: "start"), through: try LocalDate(parsing: end, field: "end")
        )
        #expect(abs(months - expected) < 1e-9, "\(start)…\(end): \(months)")
    }
}
