import ArgumentParser
import Foundation
import Logging
import Synchronization
import TuodiApp
import TuodiDomain
import TuodiLabels
import TuodiReports
import TuodiStore

/// How a listing is printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// `--format` of a command that creates a record and says so in a sentence: `json` prints the
/// created record instead, its id included, so a script need not parse Chinese sentences.
struct CreatedOutput: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }
    @Option(help: "输出格式：text（中文说明，默认）或 json（新建的记录，含编号）。") var format: Format = .text

    func print<T: Encodable>(_ record: T, _ sentence: @autoclosure () -> String) throws {
        switch format {
        case .text: Swift.print(sentence())
        case .json: Swift.print(String(decoding: try jsonEncoder.encode(record), as: UTF8.self))
        }
    }
}

/// Exit codes, from sysexits.h so scripts can tell the cases apart.
enum ExitStatus {
    /// The command line itself is wrong (unknown option, missing argument); ArgumentParser's code.
    static let usage: Int32 = 64
    /// The input broke a rule or collided with existing data; nothing was written.
    static let refused: Int32 = 65
    /// The database cannot be reached or its schema is not current.
    static let unavailable: Int32 = 69
    /// The database kept aborting the change (deadlocks); nothing was written, try again.
    static let temporaryFailure: Int32 = 75
    /// The acting user is unknown, inactive, or may not do this.
    static let noPermission: Int32 = 77
    /// The environment is wrong.
    static let configuration: Int32 = 78
    /// `serve` cannot listen: the address is in use or not this machine's (EX_OSERR).
    static let cannotListen: Int32 = 71
}

/// Opens the configured store for one command and closes it afterwards; turns every failure into
/// a readable message on standard error and a non-zero exit (the CLI's one error mapping).
func withContext<T>(requireCurrentSchema: Bool = true, poolInServiceGroup: Bool = false,
                    _ body: (AppContext, Configuration) async throws -> T) async throws -> T {
    let config = try loadConfiguration()
    let logger = Logger(label: "tuodi")
    let store: any Store
    do {
        store = try await AppContext.openStore(config.database, logger: logger, poolInServiceGroup: poolInServiceGroup)
    } catch {
        printError("无法打开数据库：\(error)")
        throw ExitCode(ExitStatus.unavailable)
    }
    let context = AppContext(store: store, logger: logger, security: SecuritySettings(bcryptCost: config.bcryptCost))
    do {
        if requireCurrentSchema {
            let status = try await store.migrationStatus()
            if !status.isCurrent {
                throw AppError.unavailable("数据库结构不是最新版本，请先运行 tuodi migrate（待执行：\(status.pending.map(\.name).joined(separator: ", "))）")
            }
        }
        let result = try await body(context, config)
        try? await store.close()
        return result
    } catch {
        try? await store.close()
        throw exit(for: error)
    }
}

/// The configuration from the environment, with logging set up; a wrong variable exits 78.
func loadConfiguration() throws -> Configuration {
    let config: Configuration
    do {
        config = try Configuration.fromEnvironment(ProcessInfo.processInfo.environment)
    } catch {
        printError(error.description)
        throw ExitCode(ExitStatus.configuration)
    }
    LoggingSystem.bootstrapOnce(level: config.logLevel)
    return config
}

/// Prints `error` for a person and returns the exit code to leave with.
func exit(for error: any Error) -> any Error {
    switch AppError.translating(error) {
    case let exit as ExitCode:
        return exit
    case AppError.validation(let fields):
        for f in fields { printError("错误（\(CLIText.flag(forField: f.field))）：\(f.message)") }
        printError("未写入任何数据。")
        return ExitCode(ExitStatus.refused)
    case AppError.conflict(let rule, let message):
        printError("拒绝（\(Labels.rules[rule.rawValue])）：\(message)。未写入任何数据。")
        return ExitCode(ExitStatus.refused)
    case AppError.notFound(let entity, let key):
        printError("未找到\(Labels.entities[entity])：\(key)")
        return ExitCode(ExitStatus.refused)
    case AppError.unavailable(let message):
        printError(message)
        return ExitCode(ExitStatus.unavailable)
    case AppError.busy(let message):
        printError(message)
        return ExitCode(ExitStatus.temporaryFailure)
    case AppError.unauthenticated(let message), AppError.forbidden(let message):
        printError("拒绝：\(message)")
        return ExitCode(ExitStatus.noPermission)
    case let migration as MigrationError:
        printError("迁移被拒绝：\(migration.description)")
        return ExitCode(ExitStatus.unavailable)
    default:
        printError("错误：\(error)")
        return ExitCode.failure
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Prints an exact byte sequence (a CSV file with its byte-order mark) to standard output.
func printBytes(_ bytes: [UInt8]) {
    FileHandle.standardOutput.write(Data(bytes))
}

/// Logging is bootstrapped once per process; every command calls `withContext`.
private let loggingBootstrapped = Mutex(false)

extension LoggingSystem {
    /// Logs go to standard error so command output stays clean for pipes.
    static func bootstrapOnce(level: Logger.Level) {
        guard loggingBootstrapped.withLock({ done in defer { done = true }; return !done }) else { return }
        bootstrap({ label, provider in
            var handler = StreamLogHandler.standardError(label: label, metadataProvider: provider)
            handler.logLevel = level
            return handler
        }, metadataProvider: RequestScope.metadataProvider)
    }
}

/// Prints rows as an aligned table (CJK characters count two columns), JSON or CSV. Headers are
/// Chinese, for people; JSON keeps the API's English field names, for scripts.
struct Listing {
    let headers: [String]
    let rows: [[String]]

    /// The listing on standard output: a table, JSON, or a CSV file Excel opens as UTF-8.
    func print(_ format: OutputFormat, json: () throws -> Data) rethrows {
        if format == .csv {
            printBytes(CSVWriter.file([headers] + rows))
        } else {
            Swift.print(try render(format, json: json))
        }
    }

    func render(_ format: OutputFormat, json: () throws -> Data) rethrows -> String {
        switch format {
        case .json:
            return String(decoding: try json(), as: UTF8.self)
        case .csv:
            // Without the last line end: `print` adds one.
            return String(decoding: CSVWriter.file([headers] + rows).dropLast(2), as: UTF8.self)
        case .table:
            let widths = headers.indices.map { i in ([headers] + rows).map { Self.displayWidth($0[i]) }.max() ?? 0 }
            func line(_ cells: [String]) -> String {
                zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - Self.displayWidth($0)) }
                    .joined(separator: "  ").trimmingTrailingSpaces
            }
            return ([line(headers), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line))
                .joined(separator: "\n")
        }
    }

    static func displayWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { w, u in
            let v = u.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v)
            return w + (wide ? 2 : 1)
        }
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

let jsonEncoder: JSONEncoder = {
    let e = JSONEncoder()
    e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return e
}()
