import Foundation
import Synchronization

/// Runs the built `tuodi` binary as a separate process, as a person or a script would.
enum Tuodi {
    /// Next to the test bundle in the build folder (`swift build --build-tests` builds both);
    /// `TUODI_BINARY` overrides.
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["TUODI_BINARY"] { return URL(fileURLWithPath: path) }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        // On Linux the test runner is `<build>/TuodiPackageTests.xctest`; on macOS it sits deeper in a bundle.
        while !FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("tuodi").path), folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("tuodi")
    }()

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `tuodi ARGS` to completion with `environment` added to a minimal environment.
    static func run(_ arguments: [String], environment: [String: String], input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = baseEnvironment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        stdin.fileHandleForWriting.write(Data((input ?? "").utf8))
        try stdin.fileHandleForWriting.close()
        // Read before waiting so a full pipe cannot block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    static let baseEnvironment: [String: String] = {
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "TUODI_LOG_LEVEL": "warning",
                   "TUODI_BCRYPT_COST": "4"]
        env["HOME"] = ProcessInfo.processInfo.environment["HOME"]
        return env
    }()

    static func temporarySQLite() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("tuodi-e2e-\(UUID().uuidString).sqlite").path
    }
}

/// `tuodi serve` in a child process, on a port the kernel picks (`127.0.0.1:0`).
final class RunningServer: Sendable {
    let process: Process
    let baseURL: URL
    private let output = OutputBuffer()

    init(arguments: [String] = ["serve"], environment: [String: String]) throws {
        let process = Process()
        process.executableURL = Tuodi.binary
        process.arguments = arguments
        process.environment = Tuodi.baseEnvironment.merging(environment) { $1 }.merging(["TUODI_HTTP_ADDRESS": "127.0.0.1:0"]) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        let output = self.output
        out.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            output.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        self.process = process

        // Wait for the line that names the bound address.
        let deadline = Date().addingTimeInterval(60)
        var found: URL?
        while found == nil {
            let text = output.text.withLock { $0 }
            if let range = text.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression) {
                found = URL(string: String(text[range]))
            } else if !process.isRunning || Date() > deadline {
                process.terminate()
                throw ServerDidNotStart(output: text)
            } else {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        baseURL = found!
    }

    /// What the server printed, collected as it arrives.
    final class OutputBuffer: Sendable {
        let text = Mutex("")
    }

    struct ServerDidNotStart: Error, CustomStringConvertible {
        let output: String
        var description: String { "tuodi serve did not start:\n\(output)" }
    }

    var log: String { output.text.withLock { $0 } }

    /// Sends SIGTERM and waits; returns the exit status.
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
