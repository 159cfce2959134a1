import Testing
import TuodiDomain

@Suite("Company validation")
struct CompanyTests {
    @Test("a valid draft becomes a company, trimmed")
    func valid() throws {
        let c = try CompanyDraft(uscc: "91350100M000100Y43", name: "  上海示例物业有限公司　", ownership: "private",
                                 districtGroup: true, registeredAddress: "  ").validated()
        #expect(c.name == "上海示例物业有限公司")
        #expect(c.registeredAddress == nil)
        #expect(c.ownership == .private && c.districtGroup)
    }

    @Test("every wrong field is reported at once")
    func allErrors() {
        #expect(throws: ValidationFailure.self) {
            try CompanyDraft(uscc: "91350100M000100Y4Z", name: " ", ownership: "public").validated()
        }
        do {
            _ = try CompanyDraft(uscc: "91350100M000100Y4Z", name: " ", ownership: "public").validated()
        } catch {
            #expect(error.errors.map(\.field) == ["uscc", "name", "ownership"])
            #expect(error.errors[0].code == "character")
            #expect(error.errors[0].message.contains("第 18 位"))
        }
    }
}
