import ArgumentParser
import Foundation
import Logging
import TuodiApp

// `tuodi backup FILE` and `tuodi restore FILE`: operator commands, run on the server's machine
// with the server's DATABASE_URL; they need no user (whoever can read DATABASE_URL can copy it).

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "联机备份 DATABASE_URL 所指的数据库到一个新文件（服务可继续运行）。",
        discussion: "SQLite 用 VACUUM INTO 得到一致的副本；PostgreSQL 调用 pg_dump（自定义格式）。完成后核对数据库结构版本和审计链。")

    @Argument(help: "备份文件（不得已存在）。") var file: String

    func run() async throws {
        try await withConfiguration { config, logger in
            let s = try await Backup.backup(config.database, to: file, logger: logger)
            print("已备份到 \(s.file)（\(s.bytes) 字节；结构版本 \(s.schemaVersion)；审计记录 \(s.auditEntries) 条，审计链完整）")
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "将备份恢复到 DATABASE_URL 所指的新的空数据库。",
        discussion: "SQLite：目标文件须不存在或为空；PostgreSQL：目标数据库须没有任何表（先 createdb 一个新库）。恢复后核对结构版本和审计链。")

    @Argument(help: "tuodi backup 写出的备份文件。") var file: String

    func run() async throws {
        try await withConfiguration { config, logger in
            let s = try await Backup.restore(file, into: config.database, logger: logger)
            print("已恢复：结构版本 \(s.schemaVersion)；审计记录 \(s.auditEntries) 条，审计链完整")
        }
    }
}

/// Reads the configuration and maps failures the CLI's way; backup problems are refusals (65),
/// an unreachable database 69.
private func withConfiguration(_ body: (Configuration, Logger) async throws -> Void) async throws {
    let config = try loadConfiguration()
    do {
        try await body(config, Logger(label: "tuodi"))
    } catch let error as BackupError {
        printError("错误：\(error)")
        throw ExitCode(ExitStatus.refused)
    } catch {
        printError("无法完成：\(error)")
        throw ExitCode(ExitStatus.unavailable)
    }
}
