import Foundation
import Testing
import TuodiApp
import TuodiDomain

/// The acceptance test of #12: a year of one district entered the way a district would after
/// adopting Tuodi, by the built binary on the real clock (no faked time), on both backends. The
/// pool admitted by a past decision; twelve estates registered with their management today; their
/// facts and their arrangements of all four kinds from two spreadsheets written by openpyxl
/// (Tests/Fixtures/make_onboarding_files.py); then the returns of the year's past quarters drafted
/// and checked against figures worked out by hand below.
///
/// Y is this year once its third quarter is over (from 1 October), else the year before, so Q1–Q3
/// of Y are past and every date below is at most today. No date range crosses 29 February.
@Suite("Onboarding end to end")
struct OnboardingEndToEndTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/make_onboarding_files.py")
    /// Company A (a district-group company) and B, admitted on 1 June of Y−1, capacity 5 each.
    static let a = "9131011877976576X6", b = EndToEndTests.validUSCC
    /// Company C, admitted on 1 September of Y.
    static let c = "91310101MA1FT0001U"

    /// The estates and what the clerk knows of each today (registration), by code. (The rest
    /// of their history is in the two spreadsheets.)
    ///
    /// | estate | history (Y = the year) | episodes starting in Y, days to cover |
    /// |---|---|---|
    /// | E01 | unmanaged from Y−1-10-01, custody A same day to **Y−1-12-31**; community fallback from Y-02-15 | Y-01-01 → Y-02-15: 45 |
    /// | E02 | unmanaged from Y-01-20, custody A same day to Y-12-31 | Y-01-20: 0 (same-day cover) |
    /// | E03 | unmanaged from Y-04-01, owner self-management from Y-04-21 | 20 |
    /// | E04 | unmanaged from Y-03-01 (file), **regular company** 丙物业 from Y-05-10 (registration) | 70 |
    /// | E05 | unmanaged from Y-03-05, selection awarded outside Tuodi on Y-04-20 (B), from Y-05-01 | 57 |
    /// | E06 | unmanaged from Y-07-15 | open |
    /// | E07 | unmanaged from Y-08-15, custody B same day to Y-11-30 | 0 |
    /// | E08 | managed by 丁物业 since 2015 | — |
    /// | E09 | unmanaged from Y-06-10, community fallback from Y-06-20 | 10 |
    /// | E10 | 庚物业 from 2012 (file); unmanaged from Y−1-11-01; custody B Y-01-10…Y-06-29 | Y-06-30: open |
    /// | E11 | 戊物业 from 2018 (file); unmanaged from Y-06-01, custody A same day to Y-11-30 | 0 |
    /// | E12 | unmanaged from Y-01-05, selection awarded outside Tuodi on Y−1-12-20 (A), from Y-01-05 | 0 |
    static func registrations(_ y: Int) -> [(code: String, flags: [String])] {
        let p = y - 1
        return [
            ("HP-E01", ["--unmanaged-since", "\(p)-10-01", "--unmanaged-reason", "previousCompanyLeft"]),
            ("HP-E02", ["--unmanaged-since", "\(y)-01-20", "--unmanaged-reason", "contractEnded"]),
            ("HP-E03", ["--unmanaged-since", "\(y)-04-01"]),
            ("HP-E04", ["--managed-by", "丙物业", "--since", "\(y)-05-10"]),
            ("HP-E05", ["--unmanaged-since", "\(y)-03-05"]),
            ("HP-E06", ["--unmanaged-since", "\(y)-07-15"]),
            ("HP-E07", ["--unmanaged-since", "\(y)-08-15"]),
            ("HP-E08", ["--managed-by", "丁物业", "--since", "2015-01-01"]),
            ("HP-E09", ["--unmanaged-since", "\(y)-06-10"]),
            ("HP-E10", ["--unmanaged-since", "\(p)-11-01"]),
            ("HP-E11", ["--unmanaged-since", "\(y)-06-01", "--unmanaged-reason", "contractEnded"]),
            ("HP-E12", ["--unmanaged-since", "\(y)-01-05"]),
        ]
    }

    /// The figures of each quarter's return, worked out by hand from the table above.
    struct Expected {
        var activeMembers: Int, districtGroup: Int, admittedInQuarter: Int
        var inQuarter: Int, yearToDate: Int
        /// Of the year-to-date estates on E: custody, selection, ownerSelf, communityFallback, managed; still unmanaged.
        var byKind: [String: Int], stillUnmanagedYTD: Int
        var episodesEnded: Int, median: Double?, maximum: Int?
        /// Every estate unmanaged on E with its days unmanaged (E − start + 1).
        var unmanagedOnE: [String: Int]
        var endingSoon: [String]
        var roundsFinished: Int
    }

    static let expected: [Int: Expected] = [
        // E = 31 March: E01 (community), E02 (custody), E12 (selection) covered; E04, E05 still unmanaged.
        1: Expected(activeMembers: 2, districtGroup: 1, admittedInQuarter: 0, inQuarter: 5, yearToDate: 5,
                    byKind: ["custody": 1, "selection": 1, "ownerSelf": 0, "communityFallback": 1, "managed": 0], stillUnmanagedYTD: 2,
                    episodesEnded: 3, median: 0, maximum: 45, unmanagedOnE: ["HP-E04": 31, "HP-E05": 27],
                    // E10's custody ends on 29 June = E + 90, the last day of the window.
                    endingSoon: ["HP-E10"], roundsFinished: 0),
        // E = 30 June: E03, E09, E11 and E10 (again, from 30 June) start episodes; days 0,0,0,10,20,45,57,70.
        2: Expected(activeMembers: 2, districtGroup: 1, admittedInQuarter: 0, inQuarter: 4, yearToDate: 9,
                    byKind: ["custody": 2, "selection": 2, "ownerSelf": 1, "communityFallback": 2, "managed": 1], stillUnmanagedYTD: 1,
                    episodesEnded: 8, median: 15, maximum: 70, unmanagedOnE: ["HP-E10": 1],
                    endingSoon: [], roundsFinished: 1),
        // E = 30 September: E06 and E07 start episodes; C joined on 1 September.
        3: Expected(activeMembers: 3, districtGroup: 1, admittedInQuarter: 1, inQuarter: 2, yearToDate: 11,
                    byKind: ["custody": 3, "selection": 2, "ownerSelf": 1, "communityFallback": 2, "managed": 1], stillUnmanagedYTD: 2,
                    episodesEnded: 9, median: 10, maximum: 70, unmanagedOnE: ["HP-E10": 93, "HP-E06": 78],
                    endingSoon: ["HP-E07", "HP-E11"], roundsFinished: 0),
    ]

    /// Estates registered on E: entered today, so counted from their first recorded fact. Q1: all
    /// but E03, E06, E07 and E09, whose histories start later; Q2 adds E03 and E09; Q3 E06 and E07.
    static let registeredOnE = [1: 8, 2: 10, 3: 12]

    static func json(_ r: Tuodi.Result) -> Any? { try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) }

    @Test("a year of one district: past admission, estates with their management, facts and arrangements from openpyxl, the past quarters' returns",
          arguments: ["sqlite", "postgres"])
    func yearOfOneDistrict(_ backend: String) async throws {
        let today = SystemClock().today
        let y = today.month >= 10 ? today.year : today.year - 1, p = y - 1
        var env = try await EndToEndTests.migratedWithUsers(backend)
        #expect(try Tuodi.run(["user", "add", "--as", "admin", "--username", "hp.approver", "--display-name", "李审", "--role", "districtApprover",
                               "--unit", "310101"], environment: env, input: "a long approver password\n").status == 0)
        func ok(_ args: [String], as user: String? = nil) throws -> Tuodi.Result {
            let r = try Tuodi.run(args + (user.map { ["--as", $0] } ?? []), environment: env)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            return r
        }
        for (uscc, name, group) in [(Self.a, "黄浦房管物业", true), (Self.b, "申城物业", false), (Self.c, "新进物业", false)] {
            _ = try ok(["company", "add", "--uscc", uscc, "--name", name, "--ownership", group ? "stateWhollyOwned" : "private"]
                       + (group ? ["--district-group"] : []))
        }

        // The pool: a decision of 1 June Y−1 (A and B) and one of 1 September Y (C), each approved by a second person.
        for (day, ref, members) in [("\(p)-06-01", "黄房物〔\(p)〕12号", [Self.a, Self.b]), ("\(y)-09-01", "黄房物〔\(y)〕20号", [Self.c])] {
            let recorded = try ok(["pool", "record-admission", "--unit", "310101", "--decided-on", day, "--document", ref, "--format", "json"]
                                  + members.flatMap { ["--company", "\($0):5"] })
            let applications = ((Self.json(recorded) as? [String: Any])?["applications"] as? [[String: Any]]) ?? []
            #expect(applications.count == members.count)
            for application in applications {
                _ = try ok(["pool", "decide", "--application", String(application["id"] as? Int ?? -1), "--approve"], as: "hp.approver")
            }
        }

        // Twelve estates with their management today.
        for (i, r) in Self.registrations(y).enumerated() {
            _ = try ok(["estate", "add", "--code", r.code, "--name", "小区\(r.code)", "--address", "某路 \(i + 1) 号", "--unit", "310101",
                        "--sub-district", "豫园街道", "--category", "directPublic", "--households", String(100 + i), "--buildings", "2",
                        "--floor-area", "5000"] + r.flags)
        }

        // The two spreadsheets.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tuodi-onboard-\(UUID().uuidString)")
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", Self.script.path, dir.path, String(y), Self.a, Self.b]
        try python.run()
        python.waitUntilExit()
        try #require(python.terminationStatus == 0, "make_onboarding_files.py failed (openpyxl missing? run make test-deps)")
        let facts = try ok(["import", "facts", dir.appendingPathComponent("facts.xlsx").path])
        #expect(facts.stdout.contains("已导入 3 行"), "\(facts.stdout)")
        let dry = try ok(["import", "arrangements", "--dry-run", dir.appendingPathComponent("arrangements.xlsx").path])
        #expect(dry.stdout.contains("未写入"))
        let imported = try ok(["import", "arrangements", "--format", "json", dir.appendingPathComponent("arrangements.xlsx").path])
        #expect((Self.json(imported) as? [String: Any])?["imported"] as? Int == 10, "\(imported.stdout)")

        // Custody before C was a member is refused, naming the date and the membership's start.
        let early = try Tuodi.run(["arrangement", "record", "--estate", "HP-E06", "--kind", "custody", "--uscc", Self.c,
                                   "--decided-on", "\(y)-07-18", "--document", "黄房物〔\(y)〕14号", "--start", "\(y)-07-20",
                                   "--planned-end", "\(y)-10-19"], environment: env)
        #expect(early.status == 65)
        #expect(early.stderr.contains("在 \(y)-07-20 的入库状态为 不在本区预选库（其入库资格自 \(y)-09-01 起）"), "\(early.stderr)")

        // The approver approves each recorded arrangement (four eyes: the clerk may not).
        let proposed = (Self.json(try ok(["arrangement", "list", "--status", "proposed", "--format", "json"])) as? [[String: Any]]) ?? []
        #expect(proposed.count == 10 && proposed.allSatisfy { $0["documentRef"] is String && $0["decidedOn"] is String })
        #expect(try Tuodi.run(["arrangement", "approve", String(proposed[0]["id"] as? Int ?? -1)], environment: env).status == 77)
        for a in proposed { _ = try ok(["arrangement", "approve", String(a["id"] as? Int ?? -1)], as: "hp.approver") }
        env["TUODI_USER"] = "hp.clerk"

        // The past quarters' returns.
        for quarter in 1...3 {
            let e = try #require(Self.expected[quarter])
            let drafted = try ok(["return", "draft", "--unit", "310101", "--year", String(y), "--quarter", String(quarter), "--format", "json"])
            let report = try #require((Self.json(drafted) as? [String: Any])?["report"] as? [String: Any], "\(drafted.stdout)")
            let q = "Q\(quarter)"
            let pool = report["pool"] as? [String: Any] ?? [:]
            let registered = (report["estates"] as? [String: Any])?["registered"] as? Int
            #expect(registered == Self.registeredOnE[quarter], "\(q) estates registered \(String(describing: registered))")
            #expect(pool["active"] as? Int == e.activeMembers && pool["activeDistrictGroup"] as? Int == e.districtGroup
                    && pool["admittedInQuarter"] as? Int == e.admittedInQuarter, "\(q) pool \(pool)")
            let newly = report["newlyUnmanaged"] as? [String: Any] ?? [:]
            #expect(newly["inQuarter"] as? Int == e.inQuarter && newly["yearToDate"] as? Int == e.yearToDate, "\(q) newly \(newly)")
            let state = report["yearToDateState"] as? [String: Any] ?? [:]
            let byKind = Dictionary(uniqueKeysWithValues: ((state["byKind"] as? [[String: Any]]) ?? []).map { ($0["key"] as? String ?? "", $0["count"] as? Int ?? -1) })
            #expect(byKind == e.byKind && state["stillUnmanaged"] as? Int == e.stillUnmanagedYTD, "\(q) state \(state)")
            let covered = e.yearToDate - e.stillUnmanagedYTD
            #expect(state["covered"] as? Int == covered, "\(q)")
            let rate = ((report["coverage"] as? [String: Any])?["estates"] as? [String: Any]) ?? [:]
            #expect(rate["numerator"] as? Double == Double(covered) && rate["denominator"] as? Double == Double(e.yearToDate), "\(q) rate \(rate)")
            let days = report["daysToCover"] as? [String: Any] ?? [:]
            #expect(days["episodes"] as? Int == e.episodesEnded && days["median"] as? Double == e.median && days["maximum"] as? Int == e.maximum,
                    "\(q) days \(days)")
            let still = ((report["stillUnmanaged"] as? [[String: Any]]) ?? []).map { ($0["code"] as? String ?? "", $0["daysUnmanaged"] as? Int ?? -1) }
            #expect(Dictionary(uniqueKeysWithValues: still) == e.unmanagedOnE, "\(q) still \(still)")
            let ending = ((report["endingSoon"] as? [[String: Any]]) ?? []).compactMap { $0["estateCode"] as? String }.sorted()
            #expect(ending == e.endingSoon, "\(q) ending \(ending)")
            let rounds = report["selectionRounds"] as? [String: Any] ?? [:]
            #expect(rounds["finished"] as? Int == e.roundsFinished && rounds["failed"] as? Int == 0, "\(q) rounds \(rounds)")
        }

        // The selection awarded outside Tuodi exports as recorded after the fact, with no invented bids.
        let rounds = (Self.json(try ok(["selection", "list", "--format", "json"])) as? [[String: Any]]) ?? []
        let e05 = try #require(rounds.first { ($0["estateCodes"] as? [String]) == ["HP-E05"] })
        let out = dir.appendingPathComponent("e05.json").path
        _ = try ok(["selection", "export", String(e05["id"] as? Int ?? -1), "-o", out])
        let release = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        let tender = release["tender"] as? [String: Any] ?? [:]
        #expect((tender["description"] as? String ?? "").contains("黄房物〔\(y)〕8号") && release["tag"] as? [String] == ["award"])
        #expect((release["bids"] as? [String: Any])?["details"] == nil)
        try? FileManager.default.removeItem(at: dir)
    }
}
