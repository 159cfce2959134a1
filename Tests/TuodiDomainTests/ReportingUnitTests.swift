import Testing
import TuodiDomain

@Suite("Reporting units and district codes")
struct ReportingUnitTests {
    @Test("16 districts by GB/T 2260 code plus Lingang")
    func seventeenUnits() {
        #expect(ReportingUnit.all.count == 17)
        #expect(ReportingUnit.all.filter(\.isDistrict).count == 16)
        #expect(Set(ReportingUnit.all.map(\.code)).count == 17)
        #expect(ReportingUnit.named("310115")?.name == "浦东新区")
        #expect(ReportingUnit.named("LG")?.isDistrict == false)
        #expect(ReportingUnit.all.filter(\.isDistrict).allSatisfy { $0.code.hasPrefix("3101") && $0.code.count == 6 })
    }

    @Test("legacy codes resolve only through the alias table")
    func aliases() {
        #expect(DistrictCodeResolution.resolve("310104") == .current(ReportingUnit.named("310104")!))
        guard case .aliased(let unit, let alias) = DistrictCodeResolution.resolve("310103") else {
            Issue.record("卢湾 is not aliased"); return
        }
        #expect(unit.name == "黄浦区" && alias.legacyName == "卢湾区")
        #expect(DistrictCodeResolution.resolve("310108").unit?.code == "310106")
        #expect(DistrictCodeResolution.resolve("310230").unit?.code == "310151")
        // Codes that were never Shanghai districts, or close misspellings, are not guessed.
        for code in ["310102", "310111", "3101", "黄浦区", ""] {
            #expect(DistrictCodeResolution.resolve(code) == .unknown, "\(code)")
        }
    }
}
