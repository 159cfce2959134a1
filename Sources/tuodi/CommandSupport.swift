import ArgumentParser
import Foundation
import Logging
import Synchronization
import TuodiApp
import TuodiDomain
import TuodiStore

/// How a listing is printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// Exit codes, from sysexits.h so scripts can tell the cases apart.
enum ExitStatus {
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
}

/// Opens the configured store for one command and closes it afterwards; turns every failure into
/// a readable message on standard error and a non-zero exit (the CLI's one error mapping).
func withContext<T>(requireCurrentSchema: Bool = true, poolInServiceGroup: Bool = false,
                    _ body: (AppContext, Configuration) async throws -> T) async throws -> T {
    let config: Configuration
    do {
        config = try Configuration.fromEnvironment(ProcessInfo.processInfo.environment)
    } catch {
        printError(error.description)
        throw ExitCode(ExitStatus.configuration)
    }
    LoggingSystem.bootstrapOnce(level: config.logLevel)
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

/// Prints `error` for a person and returns the exit code to leave with.
func exit(for error: any Error) -> any Error {
    switch AppError.translating(error) {
    case let exit as ExitCode:
        return exit
    case AppError.validation(let fields):
        for f in fields { printError("错误：\(f.field)：\(f.message)") }
        printError("未写入任何数据。")
        return ExitCode(ExitStatus.refused)
    case AppError.conflict(let rule, let message):
        printError("拒绝（\(rule)）：\(message)。未写入任何数据。")
        return ExitCode(ExitStatus.refused)
    case AppError.notFound(let entity, let key):
        printError("未找到：\(entity) \(key)")
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

/// Logging is bootstrapped once per process; every command calls `withContext`.
private let loggingBootstrapped = Mutex(false)

extension LoggingSystem {
    /// Logs go to standard error so command output stays clean for pipes.
    static func bootstrapOnce(level: Logger.Level) {
        guard loggingBootstrapped.withLock({ done in defer { done = true }; return !done }) else { return }
        bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// Prints rows as an aligned table (CJK characters count two columns), JSON or CSV.
struct Listing {
    let headers: [String]
    let rows: [[String]]

    func render(_ format: OutputFormat, json: () throws -> Data) rethrows -> String {
        switch format {
        case .json:
            return String(decoding: try json(), as: UTF8.self)
        case .csv:
            return ([headers] + rows).map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\r\n")
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

    /// RFC 4180: quote fields holding a comma, quote or line break; double inner quotes.
    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
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
