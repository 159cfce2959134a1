import Foundation
import Testing
import TuodiApp
import TuodiDomain

/// Scripting (#12): every command that creates a record prints it as JSON, id included, with
/// `--format json`, so a script reads ids without parsing Chinese sentences. The built binary on
/// the real clock.
@Suite("Scripting end to end")
struct ScriptingEndToEndTests {
    /// Runs a command that must succeed and returns its standard output parsed as a JSON object.
    static func created(_ args: [String], _ env: [String: String], input: String? = nil) throws -> [String: Any] {
        let r = try Tuodi.run(args + ["--format", "json"], environment: env, input: input)
        #expect(r.status == 0, "\(args): \(r.stderr)")
        let object = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any]
        #expect(object != nil, "\(args) printed: \(r.stdout)")
        return object ?? [:]
    }

    static func id(_ object: [String: Any]) -> Int { (object["id"] as? Int) ?? -1 }

    @Test("--format json on every creating command prints the created record with its id", arguments: ["sqlite", "postgres"])
    func createdRecordsAsJSON(_ backend: String) async throws {
        var env = ["DATABASE_URL": try await EndToEndTests.databaseURL(backend)]
        #expect(try Tuodi.run(["migrate"], environment: env).status == 0)
        let today = SystemClock().today
        func day(_ offset: Int) -> String { today.adding(days: offset).description }

        // Users, companies and estates are keyed by what every command takes: username, USCC, code.
        #expect(try Self.created(["user", "add", "--username", "admin", "--display-name", "管理员", "--role", "admin"], env,
                                 input: "a long admin password\n")["username"] as? String == "admin")
        for (name, role) in [("hp.clerk", "districtClerk"), ("hp.approver", "districtApprover")] {
            let user = try Self.created(["user", "add", "--as", "admin", "--username", name, "--display-name", name, "--role", role,
                                         "--unit", "310101"], env, input: "a long password for \(name)\n")
            #expect(user["username"] as? String == name && user["role"] as? String == role)
        }
        env["TUODI_USER"] = "hp.clerk"
        let uscc = EndToEndTests.validUSCC
        #expect(try Self.created(["company", "add", "--uscc", uscc, "--name", "上海示例物业", "--ownership", "private"], env)["uscc"] as? String == uscc)
        for code in ["S-1", "S-2", "S-3", "S-4"] {
            let estate = try Self.created(["estate", "add", "--code", code, "--name", "小区\(code)", "--address", "某路 1 号", "--unit", "310101",
                                           "--sub-district", "豫园街道", "--category", "directPublic", "--households", "100",
                                           "--buildings", "2", "--floor-area", "5000"], env)
            #expect(estate["code"] as? String == code && estate["unit"] as? String == "310101")
        }

        var factIDs: [Int] = []
        for code in ["S-1", "S-2", "S-3", "S-4"] {
            let fact = try Self.created(["estate", "fact", code, "--kind", "becameUnmanaged", "--date", day(-10), "--reason", "contractEnded"], env)
            #expect(fact["kind"] as? String == "becameUnmanaged" && fact["date"] as? String == day(-10))
            factIDs.append(Self.id(fact))
        }
        let correction = try Self.created(["estate", "correct", "S-4", "--fact", String(factIDs[3]), "--reason", "日期录错",
                                           "--kind", "becameUnmanaged", "--date", day(-9), "--unmanaged-reason", "contractEnded"], env)
        #expect(Self.id(correction) > factIDs.max()! && correction["supersedes"] as? Int == factIDs[3])

        let round = try Self.created(["pool", "round-open", "--unit", "310101", "--title", "征集", "--opens", day(-5), "--closes", day(30),
                                      "--criterion", "能力=100"], env)
        #expect(Self.id(round) > 0 && round["title"] as? String == "征集")
        let application = try Self.created(["pool", "apply", "--round", String(Self.id(round)), "--uscc", uscc, "--capacity-estates", "5"], env)
        let applicationID = Self.id(application)
        #expect(applicationID > 0 && application["uscc"] as? String == uscc)
        #expect(try Tuodi.run(["pool", "score", "--application", String(applicationID), "--score", "能力=90"], environment: env).status == 0)
        #expect(try Tuodi.run(["pool", "propose", "--application", String(applicationID), "--admit"], environment: env).status == 0)
        #expect(try Tuodi.run(["pool", "decide", "--application", String(applicationID), "--approve", "--as", "hp.approver"], environment: env).status == 0)

        let ownerSelf = try Self.created(["arrangement", "propose", "--estate", "S-1", "--kind", "ownerSelf", "--body", "业委会", "--contact", "王先生 13800000000",
                                          "--start", day(-8), "--review-date", day(90)], env)
        #expect(Self.id(ownerSelf) > 0 && ownerSelf["kind"] as? String == "ownerSelf" && ownerSelf["status"] as? String == "proposed")
        let custody = try Self.created(["custody", "appoint", "--estate", "S-2", "--uscc", uscc, "--start", day(0), "--planned-end", day(90),
                                        "--justification", "原物业撤场"], env)
        #expect(Self.id(custody) > Self.id(ownerSelf) && custody["uscc"] as? String == uscc)

        let selection = try Self.created(["selection", "create", "--unit", "310101", "--title", "S-3 比选", "--estate", "S-3",
                                          "--technical-percent", "70", "--price-percent", "30", "--closes", day(10),
                                          "--term-start", day(20), "--term-end", day(385)], env)
        #expect(Self.id(selection) > 0 && selection["status"] as? String == "draft")
        #expect(try Tuodi.run(["selection", "invite", String(Self.id(selection))], environment: env).status == 0)
        #expect(try Tuodi.run(["selection", "open", String(Self.id(selection))], environment: env).status == 0)
        let bid = try Self.created(["selection", "bid", String(Self.id(selection)), "--uscc", uscc, "--price", "1.5", "--technical-score", "80"], env)
        #expect(Self.id(bid) > 0 && bid["price"] as? Double == 1.5)

        let match = try Self.created(["match", "propose", "--unit", "310101"], env)
        #expect(Self.id(match) > 0)

        // A return is keyed by unit, year and quarter: the last finished quarter.
        let lastQuarterEnd = LocalDate(year: today.year, month: (today.month - 1) / 3 * 3 + 1, day: 1)!.adding(days: -1)
        let draft = try Self.created(["return", "draft", "--unit", "310101", "--year", String(lastQuarterEnd.year),
                                      "--quarter", String((lastQuarterEnd.month - 1) / 3 + 1)], env)
        #expect(draft["status"] as? String == "draft" && draft["unit"] as? String == "310101" && draft["year"] as? Int == lastQuarterEnd.year)

        // Without --format the sentence stays as it was.
        let text = try Tuodi.run(["estate", "fact", "S-3", "--kind", "regularBegan", "--date", day(0), "--company", "甲物业"], environment: env)
        #expect(text.status == 0 && text.stdout.hasPrefix("已记录。S-3"), "\(text.stdout)\(text.stderr)")
    }
}
