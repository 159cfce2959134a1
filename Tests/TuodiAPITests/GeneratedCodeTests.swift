import Crypto
import Foundation
import Testing
@testable import TuodiAPI

/// The generated code is committed (scripts/generate-api.sh, `make api`) rather than produced by
/// the build plugin on every fresh clone. These tests keep code and contract from drifting apart.
@Suite struct GeneratedCodeTests {
    static let apiFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/TuodiAPI")

    @Test func generatedCodeIsFromTheCurrentContract() throws {
        var bytes = try Data(contentsOf: Self.apiFolder.appendingPathComponent("openapi.yaml"))
        bytes.append(try Data(contentsOf: Self.apiFolder.appendingPathComponent("openapi-generator-config.yaml")))
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        #expect(digest == generatedContractDigest,
                "openapi.yaml or its generator config changed since the code in Sources/TuodiAPI/Generated was generated: run `make api`")
    }

    @Test func servedContractIsTheFileTheCodeWasGeneratedFrom() throws {
        let file = try Data(contentsOf: Self.apiFolder.appendingPathComponent("openapi.yaml"))
        #expect(Data(openAPIDocument) == file)
    }
}
