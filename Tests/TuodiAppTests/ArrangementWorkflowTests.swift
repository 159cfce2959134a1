import Foundation
import Testing
import TuodiApp
import TuodiDomain
import TuodiStore
import TuodiTestSupport

/// Arrangements and selection rounds through the app layer, on both backends, from the audit
/// fixture (clock 2026-11-28; HP-A1 with a custody proposal, HP-B1 under approved owner
/// self-management until 2027-06-30, HP-C1 in selection rounds at each step).
@Suite("Arrangement workflow")
struct ArrangementWorkflowTests {
    static func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }

    @Test("custody: four eyes, approval, regular appointment ends it; an end without successor starts a new episode",
          arguments: StoreKind.allCases)
    func custodyLifecycle(_ kind: StoreKind) async throws {
        let (context, f) = try await AuditCoverageTests.prepared(kind)
        let clerk = try await TestUsers.caller(context, "hp.clerk"), approver = try await TestUsers.caller(context, "hp.approver")
        // The proposer may not approve, even holding the approver's role.
        let proposerAsApprover = Caller(userID: clerk.userID, username: clerk.username, role: .districtApprover, unit: "310101")
        await #expect(throws: AppError.conflict(rule: .fourEyes, message: "提出人不能审批自己的提议")) {
            _ = try await context.arrangements.approve(id: f.proposedArrangementID, by: proposerAsApprover)
        }
        await #expect(throws: AppError.self) { _ = try await context.arrangements.approve(id: f.proposedArrangementID, by: clerk) }
        let approved = try await context.arrangements.approve(id: f.proposedArrangementID, by: approver)
        #expect(approved.status == "active" && approved.decidedBy == "hp.approver")
        var a1 = try await context.estates.show(code: "HP-A1", asOf: Self.d("2026-12-01"), by: clerk)
        #expect(a1.state == .covered(.custody))
        #expect(a1.episodes.map(\.start) == [Self.d("2026-07-01")] && a1.episodes[0].end == Self.d("2026-12-01"))

        // Owner self-management on HP-B1 ends 30 June 2027 with no successor: unmanaged from 1 July, a new episode.
        let b1 = try await context.estates.show(code: "HP-B1", asOf: Self.d("2027-07-01"), by: clerk)
        #expect(b1.state == .unmanaged)
        #expect(b1.episodes.map(\.start) == [Self.d("2026-07-01"), Self.d("2027-07-01")])
        #expect(try await context.estates.show(code: "HP-B1", asOf: Self.d("2027-06-30"), by: clerk).state == .covered(.ownerSelf))

        // Owners hire a company from 1 Feb 2027 (recorded that day: a fact is never dated after today):
        // custody ends on 31 Jan, the estate leaves fallback.
        let february = AppContext(store: context.store, clock: FixedClock(Self.d("2027-02-01")), logger: context.logger, security: context.security)
        await #expect(throws: AppError.self) {
            _ = try await context.estates.recordFact(code: "HP-A1", FactDraft(kind: "regularBegan", date: "2027-02-01", company: "丁物业"), by: clerk)
        }
        _ = try await february.estates.recordFact(code: "HP-A1", FactDraft(kind: "regularBegan", date: "2027-02-01", company: "丁物业"), by: clerk)
        let ended = try await context.arrangements.show(id: f.proposedArrangementID, by: clerk)
        #expect(ended.status == "ended" && ended.endedOn == Self.d("2027-01-31"))
        #expect(ended.changes.map(\.kind) == [.regularAppointment])
        a1 = try await context.estates.show(code: "HP-A1", asOf: Self.d("2027-02-01"), by: clerk)
        #expect(a1.state == .managed)
        #expect(try await context.estates.show(code: "HP-A1", asOf: Self.d("2027-01-31"), by: clerk).state == .covered(.custody))
        // A managed estate gets no fallback arrangement.
        await #expect(throws: AppError.self) {
            _ = try await context.arrangements.propose(ArrangementDraft(estateCode: "HP-A1", kind: "communityFallback", body: "街道",
                contact: "王 021", start: "2027-03-01", reviewDate: "2027-06-01"), by: clerk)
        }
        try await context.store.close()
    }

    @Test("a list's views, made in a few queries, carry each arrangement's own provider and changes, as shown one by one",
          arguments: StoreKind.allCases)
    func listViews(_ kind: StoreKind) async throws {
        let (context, f) = try await AuditCoverageTests.prepared(kind)
        let clerk = try await TestUsers.caller(context, "hp.clerk"), approver = try await TestUsers.caller(context, "hp.approver")
        _ = try await context.arrangements.approve(id: f.proposedArrangementID, by: approver)
        let b1 = try #require(try await context.arrangements.list(unit: "310101", estateCode: "HP-B1", by: clerk).first)
        _ = try await context.arrangements.extend(id: b1.id, plannedEnd: "2027-09-30", reason: "业主大会续期", by: clerk)
        _ = try await context.arrangements.extend(id: b1.id, plannedEnd: "2027-12-31", reason: "再次续期", by: clerk)
        let list = try await context.arrangements.list(unit: "310101", by: clerk)
        let a1 = try #require(list.first { $0.id == f.proposedArrangementID })
        let b1Now = try #require(list.first { $0.id == b1.id })
        #expect(a1.provider == "企业8" && a1.changes.isEmpty && !a1.needsReplacement)
        #expect(b1Now.provider == "HP-B1 业主委员会" && b1Now.changes.map(\.reason) == ["业主大会续期", "再次续期"])
        for view in list {
            #expect(try await context.arrangements.show(id: view.id, by: clerk) == view, "arrangement \(view.id)")
        }
        try await context.store.close()
    }

    @Test("a proposal's answer, made without reading the row back, is the arrangement as shown and as the audit trail recorded it",
          arguments: StoreKind.allCases)
    func proposalView(_ kind: StoreKind) async throws {
        let (context, _) = try await AuditCoverageTests.prepared(kind)
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        let proposed = try await context.arrangements.propose(ArrangementDraft(
            estateCode: "HP-C1", kind: "custody", uscc: AuditCoverageTests.uscc(9), start: "2026-12-01", plannedEnd: "2027-05-31",
            fee: 0.85, justification: "原物业撤场，紧急托管"), by: clerk)
        #expect(proposed.status == "proposed" && proposed.provider == "企业9" && proposed.changes.isEmpty && proposed.fee == 0.85)
        #expect(try await context.arrangements.show(id: proposed.id, by: clerk) == proposed)
        var filter = AuditFilter()
        filter.entity = "arrangement"
        filter.entityID = String(proposed.id)
        let entries = try await context.store.read { [filter] in try await $0.auditEntries(filter) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(entries.map(\.action) == ["arrangement.propose"])
        #expect(entries.first?.after == String(decoding: try encoder.encode(proposed), as: UTF8.self))
        // A named body, whose name and contact come from their own columns when read back.
        let owners = try await context.arrangements.propose(ArrangementDraft(
            estateCode: "HP-C1", kind: "ownerSelf", body: "HP-C1 业主委员会", contact: "李 021-5555", start: "2027-06-01",
            reviewDate: "2027-12-01"), by: clerk)
        #expect(owners.provider == "HP-C1 业主委员会" && owners.contact == "李 021-5555" && owners.plannedEnd == nil)
        #expect(try await context.arrangements.show(id: owners.id, by: clerk) == owners)
        try await context.store.close()
    }

    @Test("two approvals of one estate's arrangements at once leave its read model as computed from scratch",
          arguments: StoreKind.allCases)
    func concurrentApprovals(_ kind: StoreKind) async throws {
        let (context, _) = try await AuditCoverageTests.prepared(kind)
        let clerk = try await TestUsers.caller(context, "hp.clerk"), approver = try await TestUsers.caller(context, "hp.approver")
        // Neither approval locks the estate (its days do not grow): only the store's own ordering
        // keeps the two rewrites of HP-C1's read model from interleaving.
        for round in 0..<3 {
            let months = [(12 + 4 * round, 13 + 4 * round), (14 + 4 * round, 15 + 4 * round)].map { first, last in
                (LocalDate(year: 2026 + (first - 1) / 12, month: (first - 1) % 12 + 1, day: 1)!,
                 LocalDate(year: 2026 + last / 12, month: last % 12 + 1, day: 1)!.adding(days: -1))
            }
            var ids: [Int] = []
            for (i, (start, end)) in months.enumerated() {
                ids.append(try await context.arrangements.propose(ArrangementDraft(
                    estateCode: "HP-C1", kind: "custody", uscc: AuditCoverageTests.uscc([9, 4][i]), start: start.description,
                    plannedEnd: end.description, justification: "并发审批 \(round)"), by: clerk).id)
            }
            let (a, b) = (ids[0], ids[1])
            async let first = context.arrangements.approve(id: a, by: approver)
            async let second = context.arrangements.approve(id: b, by: approver)
            #expect(try await [first.status, second.status] == ["active", "active"])
            #expect(try await context.store.read { try await $0.readModelMismatches() }.isEmpty, "round \(round)")
        }
        try await context.store.close()
    }

    @Test("custody refusals carry their rule: overlap, ineligible (suspended member), custody term; extension and termination are dated changes",
          arguments: StoreKind.allCases)
    func custodyRules(_ kind: StoreKind) async throws {
        let (context, f) = try await AuditCoverageTests.prepared(kind)
        let clerk = try await TestUsers.caller(context, "hp.clerk")
        func rule(_ body: () async throws -> Void) async -> String? {
            do { try await body(); return nil } catch AppError.conflict(let r, _) { return r.rawValue } catch AppError.validation(let e) {
                return e.map(\.code).joined(separator: ",")
            } catch { return "\(error)" }
        }
        let custody = { (estate: String, uscc: String, start: String, end: String) in
            ArrangementDraft(estateCode: estate, kind: "custody", uscc: uscc, start: start, plannedEnd: end, justification: "紧急")
        }
        #expect(await rule { _ = try await context.arrangements.propose(custody("HP-A1", AuditCoverageTests.uscc(9), "2027-05-31", "2027-08-31"), by: clerk) } == "overlap")
        #expect(await rule { _ = try await context.arrangements.propose(custody("HP-C1", AuditCoverageTests.uscc(5), "2026-12-01", "2027-05-31"), by: clerk) } == "ineligible")
        #expect(await rule { _ = try await context.arrangements.propose(custody("HP-C1", AuditCoverageTests.uscc(9), "2026-12-01", "2027-12-01"), by: clerk) } == "custodyTerm")
        // Extension and early termination of the owner self-management on HP-B1.
        let extended = try await context.arrangements.extend(id: f.activeArrangementID, plannedEnd: "2027-09-30", reason: "业委会换届", by: clerk)
        #expect(extended.plannedEnd == Self.d("2027-09-30"))
        let terminated = try await context.arrangements.terminate(id: f.activeArrangementID, lastDay: "2027-03-31", reason: "难以为继", by: clerk)
        #expect(terminated.status == "terminated" && terminated.endedOn == Self.d("2027-03-31"))
        #expect(terminated.changes.map(\.kind) == [.extended, .terminated])
        #expect(terminated.changes.map(\.reason) == ["业委会换届", "难以为继"])
        #expect(try await context.estates.show(code: "HP-B1", asOf: Self.d("2027-04-01"), by: clerk).episodes.last?.start == Self.d("2027-04-01"))
        // Candidates for HP-C1: every active member with spare capacity, each factor shown; the suspended one excluded.
        let candidates = try await context.arrangements.candidates(estateCode: "HP-C1", start: "2026-12-01", plannedEnd: "2027-05-31", by: clerk)
        #expect(Set(candidates.eligible.map(\.facts.uscc.value)) == Set([4, 8, 9, 10].map(AuditCoverageTests.uscc)))
        #expect(candidates.eligible.allSatisfy { $0.factors.map(\.name) == ["spareCapacity", "merit", "load", "sameSubDistrict", "districtGroup"] })
        #expect(candidates.ineligible.map(\.facts.uscc.value) == [AuditCoverageTests.uscc(5)])
        // Company 8 already holds HP-A1's custody proposal in the same sub-district.
        let c8 = try #require(candidates.eligible.first { $0.facts.uscc.value == AuditCoverageTests.uscc(8) })
        #expect(c8.facts.load == 1 && c8.facts.sameSubDistrict == 1)
        try await context.store.close()
    }

    @Test("selection: two valid bids fail the round (tooFewBids); the award needs a second person and creates the arrangement; the OCDS export validates",
          arguments: StoreKind.allCases)
    func selection(_ kind: StoreKind) async throws {
        let (context, f) = try await AuditCoverageTests.prepared(kind)
        let clerk = try await TestUsers.caller(context, "hp.clerk"), approver = try await TestUsers.caller(context, "hp.approver")
        let s = context.selections
        var evaluation = try await s.show(id: f.evaluationSelectionID, by: clerk)
        #expect(evaluation.status == "evaluation" && evaluation.validBids == 3)
        let worst = try #require(evaluation.bids.last)
        evaluation = try await s.invalidateBid(id: f.evaluationSelectionID, bidID: worst.id, reason: "报价文件未盖章", by: clerk)
        #expect(evaluation.status == "failed" && evaluation.validBids == 2 && evaluation.finishedOn == Self.d("2026-11-28"))
        await #expect(throws: AppError.self) { _ = try await s.proposeAward(id: f.evaluationSelectionID, by: clerk) }
        do { _ = try await s.proposeAward(id: f.evaluationSelectionID, by: clerk) } catch AppError.conflict(let rule, _) { #expect(rule == .tooFewBids) }

        let proposer = Caller(userID: clerk.userID, username: clerk.username, role: .districtApprover, unit: "310101")
        await #expect(throws: AppError.conflict(rule: .fourEyes, message: "提出定标建议的人不能审批")) {
            _ = try await s.approveAward(id: f.awardProposedSelectionID, by: proposer)
        }
        let awarded = try await s.approveAward(id: f.awardProposedSelectionID, by: approver)
        #expect(awarded.status == "awarded" && awarded.awardDecidedBy == "hp.approver")
        let winner = try #require(awarded.bids.first { $0.rank == 1 })
        #expect(winner.uscc == AuditCoverageTests.uscc(4))
        let arrangements = try await context.arrangements.list(unit: "310101", estateCode: "HP-C1", by: clerk)
        #expect(arrangements.map(\.kind) == ["selection"] && arrangements[0].uscc == winner.uscc && arrangements[0].fee == winner.price)
        #expect(arrangements[0].selectionRoundID == f.awardProposedSelectionID)
        #expect(try await context.estates.show(code: "HP-C1", asOf: Self.d("2027-01-01"), by: clerk).state == .covered(.selection))

        // The published release of the awarded and of the failed round validate against the OCDS 1.1 schema.
        for id in [f.awardProposedSelectionID, f.evaluationSelectionID] {
            let json = try await s.ocdsRelease(id: id, by: clerk)
            let result = try OCDSValidation.validate(json)
            #expect(result.status == 0, "\(result.output)")
        }
        let release = try #require(try JSONSerialization.jsonObject(with: try await s.ocdsRelease(id: f.awardProposedSelectionID, by: clerk)) as? [String: Any])
        #expect((release["tender"] as? [String: Any])?["status"] as? String == "complete")
        #expect((release["awards"] as? [[String: Any]])?.count == 1)
        try await context.store.close()
    }

    @Test("date rules: no bid after the closing date, no award after the term began, no fact dated after today; each names the dates",
          arguments: StoreKind.allCases)
    func dateRules(_ kind: StoreKind) async throws {
        let (context, f) = try await AuditCoverageTests.prepared(kind)
        func on(_ day: String) -> AppContext {
            AppContext(store: context.store, clock: FixedClock(Self.d(day)), logger: context.logger, security: context.security)
        }
        let clerk = try await TestUsers.caller(context, "hp.clerk"), approver = try await TestUsers.caller(context, "hp.approver")
        let bid = BidDraft(uscc: AuditCoverageTests.uscc(9), price: 1.1, technicalScore: 80)
        // The round closes on 15 December: a bid that day is taken, one on the 16th is refused.
        _ = try await on("2026-12-15").selections.bid(id: f.openSelectionID, bid, by: clerk)
        await #expect(throws: AppError.conflict(rule: .biddingClosed,
                                                message: "本轮比选的投标截止日期为 2026-12-15，今天（2026-12-16）已过截止日期，不能再接收投标")) {
            _ = try await on("2026-12-16").selections.bid(id: f.openSelectionID, bid, by: clerk)
        }
        #expect(try await context.selections.show(id: f.openSelectionID, by: clerk).bids.count == 2)
        // The term starts on 1 January 2027: an award approved on 2 January would start it before the award.
        await #expect(throws: AppError.conflict(rule: .termBeforeAward, message: "服务期开始日期 2027-01-01 早于定标日期 2027-01-02，服务期不能在定标之前开始")) {
            _ = try await on("2027-01-02").selections.approveAward(id: f.awardProposedSelectionID, by: approver)
        }
        #expect(try await context.arrangements.list(unit: "310101", estateCode: "HP-C1", by: clerk).isEmpty)
        #expect(try await on("2027-01-01").selections.approveAward(id: f.awardProposedSelectionID, by: approver).status == "awarded")
        // A fact dated tomorrow is refused on its field, naming both dates; nothing is recorded.
        let before = try await context.estates.show(code: "HP-A1", asOf: nil, by: clerk).facts.count
        await #expect(throws: AppError.validation([FieldError(field: "date", code: "future", message: "事实的日期 2026-11-29 晚于今天（2026-11-28）：只能记录已经发生的事实")])) {
            _ = try await context.estates.recordFact(code: "HP-A1", FactDraft(kind: "regularBegan", date: "2026-11-29", company: "甲物业"), by: clerk)
        }
        #expect(try await context.estates.show(code: "HP-A1", asOf: nil, by: clerk).facts.count == before)
        try await context.store.close()
    }

    @Test("a decision re-checks what changed meanwhile: a terminated predecessor, an invalidated award bid; coverage of the city and of an unknown unit",
          arguments: StoreKind.allCases)
    func staleDecisions(_ kind: StoreKind) async throws {
        let (context, f) = try await AuditCoverageTests.prepared(kind)
        let clerk = try await TestUsers.caller(context, "hp.clerk"), approver = try await TestUsers.caller(context, "hp.approver")
        func rule(_ body: () async throws -> Void) async -> String? {
            do { try await body(); return nil } catch AppError.conflict(let r, _) { return r.rawValue } catch { return "\(error)" }
        }
        // A custody successor to the owner self-management on HP-B1; the predecessor ends early before it is approved.
        let successor = try await context.arrangements.propose(ArrangementDraft(estateCode: "HP-B1", kind: "custody", uscc: AuditCoverageTests.uscc(9),
            start: "2027-03-01", plannedEnd: "2027-08-31", justification: "业主自管难以为继", replaces: f.activeArrangementID), by: clerk)
        _ = try await context.arrangements.terminate(id: f.activeArrangementID, lastDay: "2027-01-31", reason: "业委会解散", by: clerk)
        #expect(await rule { _ = try await context.arrangements.approve(id: successor.id, by: approver) } == "replaces")
        let predecessor = try await context.arrangements.show(id: f.activeArrangementID, by: clerk)
        #expect(predecessor.status == "terminated" && predecessor.endedOn == Self.d("2027-01-31"))

        // Four bids; the award is proposed on the best, which is then found invalid.
        let s = context.selections
        let round = try await s.create(AuditCoverageTests.selectionDraft, by: clerk).id
        _ = try await s.invite(id: round, usccs: nil, by: clerk)
        _ = try await s.open(id: round, by: clerk)
        for (i, n) in [4, 8, 9, 10].enumerated() {
            _ = try await s.bid(id: round, BidDraft(uscc: AuditCoverageTests.uscc(n), price: 1.0 + Double(i) / 10, technicalScore: 90 - Double(i)), by: clerk)
        }
        _ = try await s.close(id: round, by: clerk)
        let proposed = try await s.proposeAward(id: round, by: clerk)
        let best = try #require(proposed.awardBidID)
        let afterInvalid = try await s.invalidateBid(id: round, bidID: best, reason: "资质证书过期", by: clerk)
        #expect(afterInvalid.status == "evaluation" && afterInvalid.awardBidID == nil)
        #expect(await rule { _ = try await s.approveAward(id: round, by: approver) } == "status")
        let again = try await s.proposeAward(id: round, by: clerk)
        #expect(again.awardBidID != nil && again.awardBidID != best)
        #expect(try await s.approveAward(id: round, by: approver).status == "awarded")

        // Coverage: 310000 is the city (the analyst), an unknown unit is not found.
        let analyst = try await TestUsers.caller(context, "city.analyst")
        let city = try await context.coverage.asOf(unit: "310000", date: "2026-12-31", by: analyst)
        let all = try await context.coverage.asOf(unit: nil, date: "2026-12-31", by: analyst)
        #expect(city == all && city.covered + city.unmanaged > 0)
        await #expect(throws: AppError.notFound(entity: "unit", key: "999999")) {
            _ = try await context.coverage.asOf(unit: "999999", date: nil, by: analyst)
        }
        try await context.store.close()
    }
}

/// Validates a release with Python's jsonschema against the vendored OCDS 1.1 release schema.
enum OCDSValidation {
    static let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/ocds/release-schema.json")

    static func validate(_ json: Data) throws -> (status: Int32, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ocds-\(UUID().uuidString).json")
        try json.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); release = json.load(open(sys.argv[2]))
            v = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
            errors = [f"{list(e.path)}: {e.message}" for e in v.iter_errors(release)]
            print("\\n".join(errors)); sys.exit(1 if errors else 0)
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, schema.path, file.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
