import Foundation
import Testing
@testable import TuodiWeb

@Suite("Web templates")
struct TemplateCatalogTests {
    /// Every file in the Templates folder is listed in `Templates.files` (SwiftPM cannot list
    /// embedded files), and every listed template parses.
    @Test("every template on disk is listed and parses")
    func catalog() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/TuodiWeb/Templates").standardized
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".mustache") }.map { String($0.dropLast(".mustache".count)) }
        #expect(Set(onDisk) == Set(Templates.files.keys))
        _ = try Templates.library()
    }
}
