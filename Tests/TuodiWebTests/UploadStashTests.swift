import Foundation
import Testing
@testable import TuodiWeb

/// Uploads waiting for their confirmation are held in memory: bounded by count and by bytes.
@Suite("Uploads held for confirmation")
struct UploadStashTests {
    static func upload(_ owner: String, megabytes: Int) -> UploadStash.Upload {
        .init(owner: owner, kind: "companies", fileName: "a.xlsx", bytes: [UInt8](repeating: 0, count: megabytes << 20),
              expires: Date().addingTimeInterval(600))
    }

    @Test("sixteen 50 MB uploads keep at most the byte budget; the newest stays and is taken once, by its owner only")
    func bounded() async {
        let stash = UploadStash()
        var last = ""
        for i in 0..<16 { last = await stash.put(Self.upload("owner\(i)", megabytes: 50)) }
        #expect(await stash.heldBytes <= UploadStash.byteBudget)
        #expect(await stash.count == 2)
        #expect(await stash.take(last, owner: "owner0") == nil)
        #expect(await stash.take(last, owner: "owner15")?.fileName == "a.xlsx")
        #expect(await stash.take(last, owner: "owner15") == nil)
    }

    @Test("small uploads are kept up to the count")
    func byCount() async {
        let stash = UploadStash()
        for i in 0..<20 { _ = await stash.put(Self.upload("o\(i)", megabytes: 0)) }
        #expect(await stash.count == UploadStash.capacity)
    }
}
