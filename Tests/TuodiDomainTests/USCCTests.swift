import Testing
@testable import TuodiDomain

@Suite("USCC (GB 32100-2015)")
struct USCCTests {
    @Test("the examples of domain.md are valid", arguments: ["91350100M000100Y43", "9131011877976576X6"])
    func validExamples(_ code: String) throws {
        #expect(try USCC(validating: code).value == code)
    }

    @Test("a letter outside the alphabet is named with its position")
    func invalidCharacter() {
        #expect(throws: USCCError.invalidCharacter("Z", position: 18)) { try USCC(validating: "91350100M000100Y4Z") }
        #expect(throws: USCCError.invalidCharacter("O", position: 9)) { try USCC(validating: "91350100O000100Y43") }
        #expect(throws: USCCError.invalidCharacter("m", position: 9)) { try USCC(validating: "91350100m000100Y43") }
    }

    @Test("a wrong check character names the expected one")
    func checksum() {
        #expect(throws: USCCError.checksumMismatch(expected: "3", found: "4")) { try USCC(validating: "91350100M000100Y44") }
        #expect(throws: USCCError.checksumMismatch(expected: "6", found: "7")) { try USCC(validating: "9131011877976576X7") }
    }

    @Test("length other than 18 is refused", arguments: ["", "91350100M000100Y4", "91350100M000100Y433", " 91350100M000100Y43"])
    func length(_ code: String) {
        #expect(throws: USCCError.self) { try USCC(validating: code) }
    }

    @Test("every single-character change of a valid code is caught")
    func singleSubstitutions() {
        // The check value is a weighted sum mod 31 with weights coprime to 31, so any one
        // substituted symbol changes it.
        let valid = Array("91350100M000100Y43")
        for position in 0..<17 {
            for symbol in USCC.alphabet where symbol != valid[position] {
                var changed = valid
                changed[position] = symbol
                #expect(throws: USCCError.self) { try USCC(validating: String(changed)) }
            }
        }
    }

    @Test("the check character is computed by the formula of domain.md")
    func formula() throws {
        // Σ value×weight for 91350100M000100Y4: 9·1 + 1·3 + 3·9 + 5·27 + 0·19 + 1·26 + 0·16 + 0·17
        // + M(21)·20 + 0·29 + 0·25 + 0·13 + 1·8 + 0·24 + 0·10 + Y(30)·30 + 4·28 = 1,640;
        // 1,640 mod 31 = 28; (31 − 28) mod 31 = 3, the example's 18th character.
        let values = Array("91350100M000100Y4").map { USCC.alphabet.firstIndex(of: $0)! }
        let sum = zip(values, USCC.weights).map(*).reduce(0, +)
        #expect(sum == 1_640)
        #expect(USCC.alphabet[(31 - sum % 31) % 31] == "3")
        #expect(USCC.withCheckCharacter(body: "91350100M000100Y4")?.value == "91350100M000100Y43")
        #expect(USCC.withCheckCharacter(body: "91350100M000100Y") == nil)
        #expect(try USCC(validating: "91350100M000100Y43").registeringAreaCode == "350100")
    }
}
