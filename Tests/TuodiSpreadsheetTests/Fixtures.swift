import Foundation
import Testing

/// XLSX fixtures written by openpyxl and XlsxWriter (Tests/Fixtures/make_fixtures.py),
/// generated once per test process into a fresh temporary folder.
enum Fixtures {
    struct GenerationError: Error, CustomStringConvertible, Sendable {
        var description: String
    }

    static let scriptURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/make_fixtures.py")

    /// The folder with the generated workbooks (lazily created, thread-safe).
    static let directory: Result<URL, GenerationError> = generate()

    static func bytes(_ name: String) throws -> [UInt8] {
        let dir = try directory.get()
        return [UInt8](try Data(contentsOf: dir.appendingPathComponent(name)))
    }

    private static func generate() -> Result<URL, GenerationError> {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("tuodi-spreadsheet-fixtures-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptURL.path, dir.path]
        let errPipe = Pipe()
        process.standardError = errPipe
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .failure(GenerationError(description: "cannot run python3 \(scriptURL.path): \(error)"))
        }
        let errData = errPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let stderr = String(decoding: errData, as: UTF8.self)
            return .failure(GenerationError(description:
                "make_fixtures.py failed (exit \(process.terminationStatus)): \(stderr)"))
        }
        return .success(dir)
    }
}
